"""Time and memory of the shared-copy step (compare/shared_copy.py) on generated corpora.

Run: python bench/bench_shared_copy.py [--sizes 5000,20000] [--runs 3]

For each size the corpus from bench/corpus.py (bench/out/corpus-N, made if missing, claims =
40% of the articles) is loaded and segmented once, then `find_shared_copy` is timed over all its
articles (best of `--runs`, one core) and its peak of allocated memory measured with
tracemalloc (numpy's arrays included); then the step as `serve` runs it, a `SharedCopyFinder`
after one article was edited (a sentence added to the middle article). Loading and segmenting,
which every build does anyway, is timed too, as the yardstick the step is a small part of.

The corpus is made from a few hundred sentence templates with random names and numbers, so its
articles share many more runs of words than real news does: the pairs found are reported, and
the step's cost here is an upper bound for archives of that size.
"""

from __future__ import annotations

import argparse
import dataclasses
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from site_builder.build.builder import load_site
from site_builder.compare.shared_copy import SharedCopyFinder, find_shared_copy
from site_builder.diagnostics import Diagnostics
from site_builder.text.segment import load_pipeline, segment_article

REPO = Path(__file__).resolve().parent.parent


def corpus(size: int) -> Path:
    root = REPO / "bench" / "out" / f"corpus-{size}"
    if not (root / "claims.yaml").is_file():
        command = [sys.executable, str(REPO / "bench" / "corpus.py"), str(root)]
        command += ["--articles", str(size), "--claims", str(size * 2 // 5)]
        subprocess.run(command, check=True)
    return root


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="5000,20000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(
        f"{'articles':>8} {'words':>11} {'segment s':>10} {'shared s':>9} {'peak MiB':>9}"
        f" {'1 edit s':>9} pairs"
    )
    for size in (int(n) for n in args.sizes.split(",")):
        root = corpus(size)
        started = time.perf_counter()
        site = load_site(root, Diagnostics())
        loaded = time.perf_counter() - started
        assert site is not None, f"{root} does not load"
        words = sum(len(s.text.split()) for a in site.articles for s in a.sentences)
        best = float("inf")
        for _ in range(args.runs):
            started = time.perf_counter()
            found = find_shared_copy(site.articles)
            best = min(best, time.perf_counter() - started)
        tracemalloc.start()
        find_shared_copy(site.articles)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        finder = SharedCopyFinder()
        finder.find(site.articles)
        middle = len(site.articles) // 2
        article = site.articles[middle].article
        edited = dataclasses.replace(
            article, source=article.source + "\nA sentence was added at the end of it.\n"
        )
        changed = segment_article(edited, load_pipeline(None))
        articles = (*site.articles[:middle], changed, *site.articles[middle + 1 :])
        started = time.perf_counter()
        finder.find(articles)
        edit = time.perf_counter() - started
        print(
            f"{len(site.articles):>8,} {words:>11,} {loaded:>10.2f} {best:>9.2f}"
            f" {peak / 2**20:>9.1f} {edit:>9.2f} {len(found.pairs):,} in {len(found.groups):,}"
            " groups"
        )
    print("\n'segment s' is loading and segmenting the corpus (cold: no cache), for scale.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
