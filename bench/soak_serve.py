"""Soak `site-builder serve` (issue 7): 1,000 random edits, valid and invalid, then compare.

Run: python bench/soak_serve.py [--edits 1000] [--seed 0]

A copy of this repository's site (content/ and claims.yaml) is served by the real command in a
subprocess, watched through its event stream like an open browser tab. tests/soak_edits.py makes
the edits as editors do (claims and articles changed, YAML broken, quotes broken by a corrected
article, articles deleted and renamed, a template broken, editors' temporary files, atomic saves);
after each one the soak waits for the server's `reload` or `error` event (none is due for a
temporary file). Then every breaking edit is undone, edits pause until the server has brought
its search index and open data up to date, and the served folder is compared, byte for byte,
with `site-builder build` of the same files into a fresh folder.

It prints: edits by kind, builds that failed (as they should) and that succeeded, the server's
resident memory every 100 edits, whether the server is still running, and whether the final
output equals the clean build. Exit status 0 only when the server never exited and the outputs
are equal.
"""

from __future__ import annotations

import argparse
import collections
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO))

from bench_serve import Events, Server  # noqa: E402

from tests.soak_edits import Editor  # noqa: E402

STARTUP_TIMEOUT = 120.0


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    root = OUT / "soak-site"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    shutil.copytree(REPO / "content", root / "content")
    shutil.copyfile(REPO / "claims.yaml", root / "claims.yaml")
    editor = Editor(root, random.Random(args.seed))

    server = Server.start(root)
    kinds: collections.Counter[str] = collections.Counter()
    memory: list[tuple[int, int]] = []
    started = time.perf_counter()
    try:
        server.wait_for_line(r" initial build: ", STARTUP_TIMEOUT)
        server.wait_for_line(r"search index, sitemap and open data", STARTUP_TIMEOUT)
        events = Events(server.url, raise_on_error=False)
        memory.append((0, server.rss()))
        for number in range(1, args.edits + 1):
            seen = events.count()
            kind = editor.edit()
            kinds[kind] += 1
            if kind != "temp file":
                events.wait_beyond(seen)
            if number % 100 == 0:
                memory.append((number, server.rss()))
        editor.restore()
        seen = events.count()
        events.wait_beyond(seen)  # the rebuild of the restored site
        lines = len(server.lines)
        server.wait_for_line(r"search index, sitemap and open data", STARTUP_TIMEOUT, lines)
        alive = server.process.poll() is None
        served = tree(root / "output")
        print(f"edits done in {time.perf_counter() - started:.0f} s")
    finally:
        server.stop()

    clean = OUT / "soak-clean"
    shutil.rmtree(clean, ignore_errors=True)
    command = [sys.executable, "-m", "site_builder", "build", "--root", str(root)]
    subprocess.run([*command, "--out", str(clean)], cwd=REPO, check=True, capture_output=True)
    equal = served == tree(clean)

    failed = sum(" build failed: " in line for line in server.lines)
    succeeded = sum(" files changed in " in line for line in server.lines)
    crashed = sum("the build crashed" in line for line in server.lines)
    print("edits by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    print(
        f"builds: {succeeded} succeeded, {failed} failed (bad input, as meant), {crashed} crashed"
    )
    print(
        "server resident memory (MiB) after N edits: "
        + ", ".join(f"{n}: {rss / 2**20:.0f}" for n, rss in memory)
    )
    print(f"server still running at the end: {'yes' if alive else 'NO'}")
    print(f"final output equals a clean build: {'yes' if equal else 'NO'}")
    if not equal:
        differing = sorted(
            name
            for name in set(served) | set(tree(clean))
            if served.get(name) != tree(clean).get(name)
        )
        print("differing files: " + ", ".join(differing[:20]))
    return 0 if alive and equal and not crashed else 1


if __name__ == "__main__":
    sys.exit(main())
