"""Fuzz the loaders and `site-builder check` with hostile input (issue 7). Not part of pytest/CI.

    python bench/fuzz_loaders.py --minutes 10 [--seed N] [--crashes DIR]

Each input is the small test site (tests/conftest.py) with one to three of its files replaced by
a hypothesis-generated variant: byte-level mutations of the valid file (flips, truncation,
YAML/Markdown tokens spliced in: anchors and aliases, deep brackets, tabs, BOMs, CR, NUL, invalid
UTF-8, '---' lines, elisions, HTML), or generated YAML-ish text. `site-builder check` runs on it
in-process. The oracle: no exception escapes `main`, the exit code is 0 or 1, nothing on stderr
looks like a traceback, and every diagnostic printed is located (``path:line:col: severity:``).

Every failure is written to the crash folder (one sub-folder per distinct crash signature, with
the site's files and the error) and the run goes on until the time is up. The last line prints
the figures: inputs tried, crashes, distinct crash signatures.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import random
import re
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import HypothesisException

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from site_builder.cli.main import main  # noqa: E402
from tests.conftest import VALID_SITE  # noqa: E402

LOCATED = re.compile(r"^[^\s:][^:]*:\d+:\d+: (error|warning): ")
SEEDS = {name: text.encode("utf-8") for name, text in VALID_SITE.items()}
EXTRA_FILES = ["content/pages/about.md", "content/articles/gamma.md"]
TOKENS = [
    b"&a ",
    b"*a",
    b"&a [x, x, x, x, x, x, x, x, x, x]\n",
    b"[" * 300,
    b"{" * 300,
    b"]" * 5,
    b"\t",
    b"\r",
    b"\r\n",
    b"\x00",
    b"\xff",
    b"\xc3",
    b"\xef\xbb\xbf",
    b"---\n",
    b"...\n",
    b"\n\n",
    b" \xe2\x80\xa6 ",
    b"...",
    b"<script>",
    b"</script>",
    b"[x](javascript:alert(1))",
    b"!!python/object:os.system ",
    b"!!binary ",
    b"? ",
    b": ",
    b"- ",
    b"# ",
    b"> ",
    b"'",
    b'"',
    b"\\",
    b"%",
    b"@",
    b"|\n",
    b">-\n",
    b"<<: *a\n",
    b"occurrence: 0\n",
    b"sentence: -1\n",
    b"sentence: 99999999999999999999\n",
    b"text: ''\n",
    b"2025-02-30",
    b"1e999",
    b".nan",
    b"~",
    b"\xe2\x80\xa8",
    b"\xf0\x9f\x98\x80",
]


@st.composite
def mutated(draw: st.DrawFn, seed: bytes) -> bytes:
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(
            st.sampled_from(["insert", "delete", "flip", "truncate", "duplicate", "replace"])
        )
        at = draw(st.integers(0, len(data)))
        if kind == "insert":
            data[at:at] = draw(st.one_of(st.sampled_from(TOKENS), st.binary(max_size=8)))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 20))]
        elif kind == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif kind == "truncate":
            del data[at:]
        elif kind == "duplicate":
            end = min(len(data), at + draw(st.integers(1, 200)))
            data[at:at] = data[at:end] * draw(st.integers(1, 5))
        elif kind == "replace":
            token = draw(st.sampled_from(TOKENS))
            data[at : at + len(token)] = token
    return bytes(data)


YAMLISH = st.recursive(
    st.one_of(
        st.sampled_from(["x", "1", "null", "-", "'a'", '"\\0"', "2025-06-04", "*a", "&a b"]),
        st.text(max_size=10),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(
            st.tuples(
                st.sampled_from(["id", "claims", "quotes", "text", "article", "title", "k"]), inner
            ),
            max_size=4,
        ).map(lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}"),
    ),
    max_leaves=20,
).map(lambda text: text.encode("utf-8", "surrogatepass"))


def file_content(name: str) -> st.SearchStrategy[bytes | None]:
    seed = SEEDS.get(name, SEEDS["content/articles/alpha.md"])
    return st.one_of(
        mutated(seed),
        mutated(seed),
        mutated(seed),
        YAMLISH,
        YAMLISH.map(lambda y: b"---\n" + y + b"\n---\nText.\n"),
        st.binary(max_size=200),
        st.just(b""),
        st.none(),  # the file is missing
    )


SITES = st.lists(
    st.sampled_from([*SEEDS, *EXTRA_FILES]), min_size=1, max_size=3, unique=True
).flatmap(lambda names: st.tuples(*(st.tuples(st.just(n), file_content(n)) for n in names)))


class Fuzzer:
    def __init__(self, crashes: Path) -> None:
        self.crashes = crashes
        self.tried = 0
        self.failures = 0
        self.signatures: dict[str, int] = {}
        self.work = Path(tempfile.mkdtemp(prefix="fuzz-site-"))

    def check(self, changes: tuple[tuple[str, bytes | None], ...]) -> None:
        self.tried += 1
        root = self.work / "site"
        shutil.rmtree(root, ignore_errors=True)
        for name, content in {**SEEDS, **dict(changes)}.items():
            if content is None:
                continue
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        out, err = io.StringIO(), io.StringIO()
        problem = None
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(["check", "--root", str(root)])
        except BaseException as exc:  # an escaping exception is what we look for
            if isinstance(exc, KeyboardInterrupt):
                raise
            frames = traceback.extract_tb(exc.__traceback__)
            where = next((f for f in reversed(frames) if "site_builder" in f.filename), frames[-1])
            problem = (
                f"{type(exc).__name__} at {Path(where.filename).name}:{where.lineno}",
                traceback.format_exc(),
            )
        else:
            text = err.getvalue()
            if code not in (0, 1):
                problem = (f"exit code {code}", text)
            elif "Traceback" in text:
                problem = ("traceback on stderr", text)
            else:
                for line in text.splitlines():
                    if (
                        line
                        and not line.startswith((" ", "site-builder:"))
                        and not LOCATED.match(line)
                    ):
                        problem = ("diagnostic without a location", line)
                        break
        if problem is not None:
            self.record(problem[0], problem[1], changes)

    def record(
        self, signature: str, details: str, changes: tuple[tuple[str, bytes | None], ...]
    ) -> None:
        self.failures += 1
        count = self.signatures.get(signature, 0)
        self.signatures[signature] = count + 1
        if count:
            return
        folder = self.crashes / f"crash-{len(self.signatures):03d}"
        shutil.rmtree(folder, ignore_errors=True)
        for name, content in changes:
            path = folder / "site" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if content is None:
                path.with_name(path.name + ".DELETED").write_text("")
            else:
                path.write_bytes(content)
        (folder / "error.txt").write_text(f"{signature}\n\n{details}", encoding="utf-8")
        print(f"new crash {signature} -> {folder}", file=sys.__stderr__, flush=True)


def run(minutes: float, seed: int, crashes: Path) -> Fuzzer:
    fuzzer = Fuzzer(crashes)
    deadline = time.monotonic() + minutes * 60

    @settings(
        max_examples=10**9,
        deadline=None,
        database=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
    )
    @given(SITES)
    def one(changes: tuple[tuple[str, bytes | None], ...]) -> None:
        if time.monotonic() > deadline:
            raise TimeUp
        fuzzer.check(changes)

    # fuzz_one_input turns random bytes into one example each: no shrinking, no stopping at the
    # first failure (the test body records failures itself and never raises).
    rng = random.Random(seed)
    while time.monotonic() < deadline:
        with contextlib.suppress(HypothesisException, TimeUp):
            one.hypothesis.fuzz_one_input(rng.randbytes(8192))
    shutil.rmtree(fuzzer.work, ignore_errors=True)
    return fuzzer


class TimeUp(Exception):
    pass


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--crashes",
        type=Path,
        default=Path(tempfile.gettempdir()) / "site-builder-fuzz-crashes",
    )
    return parser.parse_args(argv)


if __name__ == "__main__":
    args = parse_args()
    started = time.monotonic()
    result = run(args.minutes, args.seed, args.crashes)
    elapsed = time.monotonic() - started
    print(
        f"fuzz_loaders: {result.tried} inputs in {elapsed:.0f} s "
        f"({result.tried / max(elapsed, 1e-9):.1f}/s); {result.failures} failing input(s), "
        f"{len(result.signatures)} distinct crash signature(s)"
    )
    for signature, count in sorted(result.signatures.items(), key=lambda kv: -kv[1]):
        print(f"  {count:6d}  {signature}")
    sys.exit(1 if result.signatures else 0)
