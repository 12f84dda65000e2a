"""Time loading a generated corpus: claims.yaml once and after edits, and every article.

    python bench/bench_load.py [--root bench/out/corpus-5000] [--runs 7]

The corpus is made by corpus.py if missing (5,000 articles, 2,000 claims). Prints the best and
the median of `--runs` for each figure in wall milliseconds, and the best CPU milliseconds:

- one-shot `load_claims` (a fresh ClaimsLoader each time);
- `ClaimsLoader.load` again with nothing changed, after one entry's verdict changed (same line
  count), and after two lines were added to an entry near the top (every later entry moves);
- `load_articles` over every article (file reading, front matter, validation), and per article.

Edits go to a copy of claims.yaml in a temporary folder; the corpus itself is never changed.
Targets (issue: loading at scale): one-shot ≤ 250 ms, verdict edit ≤ 15 ms, two added lines
≤ 25 ms, all 5,000 articles ≤ 0.5 s.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from site_builder.diagnostics import Diagnostics  # noqa: E402
from site_builder.load.articles import (  # noqa: E402
    ARTICLES_DIR,
    CLAIMS_FILE,
    ClaimsLoader,
    load_articles,
    load_claims,
    markdown_files,
)
from site_builder.load.config import load_config  # noqa: E402


def timed(
    runs: int, action: Callable[[], object], before: Callable[[], object] = lambda: None
) -> str:
    """Wall milliseconds of `action` (best, median) and its best CPU milliseconds.

    `before` runs untimed each time. CPU time is the steadier figure on a shared machine.
    """
    walls, cpus = [], []
    for _ in range(runs):
        before()
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        cpus.append((time.process_time() - cpu) * 1000)
        walls.append((time.perf_counter() - wall) * 1000)
    return (
        f"best {min(walls):7.1f} ms   median {statistics.median(walls):7.1f} ms   "
        f"cpu {min(cpus):7.1f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=REPO / "bench/out/corpus-5000")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    root: Path = args.root
    if not (root / CLAIMS_FILE).is_file():
        subprocess.run(
            [
                sys.executable,
                str(REPO / "bench/corpus.py"),
                str(root),
                "--articles",
                "5000",
                "--claims",
                "2000",
            ],
            check=True,
        )
    diagnostics = Diagnostics()
    config = load_config(root, diagnostics)
    slugs = tuple(path.stem for path in markdown_files(root, ARTICLES_DIR, diagnostics))
    text = (root / CLAIMS_FILE).read_text(encoding="utf-8")
    print(f"{root}: {len(slugs)} articles, claims.yaml {text.count(chr(10)):,} lines")

    print(
        "one-shot load_claims        ",
        timed(args.runs, lambda: load_claims(root, config, slugs, Diagnostics())),
    )

    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch)
        claims_file = copy / CLAIMS_FILE
        loader = ClaimsLoader()

        def load() -> None:
            found = Diagnostics()
            loader.load(copy, config, slugs, found)
            assert not found.items, found.items[:3]

        def edit(after: str) -> Callable[[], None]:
            """Load the original, then save `after`: the timed load sees one edit."""

            def prepare() -> None:
                claims_file.write_text(text, encoding="utf-8")
                load()
                claims_file.write_text(after, encoding="utf-8")

            return prepare

        claims_file.write_text(text, encoding="utf-8")
        print("ClaimsLoader first load     ", timed(1, load))
        print("  nothing changed           ", timed(args.runs, load))
        print("  one verdict changed       ", timed(args.runs, load, edit(_new_verdict(text))))
        print("  two lines added near top  ", timed(args.runs, load, edit(_two_more_lines(text))))

    paths = markdown_files(root, ARTICLES_DIR, Diagnostics())
    print(
        "load_articles (all)         ",
        timed(max(3, args.runs // 2), lambda: load_articles(root, config, Diagnostics())),
    )
    start = time.perf_counter()
    load_articles(root, config, Diagnostics())
    per_article = (time.perf_counter() - start) / len(paths) * 1e6
    print(f"  per article                  {per_article:.0f} µs")
    return 0


def _entry_starts(text: str) -> list[int]:
    starts, at = [], text.find("\n  - id:")
    while at >= 0:
        starts.append(at + 1)
        at = text.find("\n  - id:", at + 1)
    return starts


def _new_verdict(text: str) -> str:
    """`text` with the verdict of the middle entry changed (no line moves)."""
    entry = _entry_starts(text)[len(_entry_starts(text)) // 2]
    start = text.index("    verdict: ", entry)
    end = text.index("\n", start)
    verdict = "disputed" if "confirmed" in text[start:end] else "confirmed"
    return text[:start] + "    verdict: " + verdict + text[end:]


def _two_more_lines(text: str) -> str:
    """`text` with two lines added to the summary of the second entry (all later ones move)."""
    entry = _entry_starts(text)[1]
    at = text.index("    summary: |\n", entry) + len("    summary: |\n")
    return text[:at] + "      One more line of analysis.\n      And another.\n" + text[at:]


if __name__ == "__main__":
    sys.exit(main())
