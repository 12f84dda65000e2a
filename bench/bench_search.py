"""Benchmark the search box in a browser on a large generated site: keystroke to first result.

Run: python bench/bench_search.py [--articles 5000] [--claims 2000] [--queries 30]

The corpus from bench/corpus.py (the build benchmark's, reused while unchanged) is built with
`python -m site_builder build --strict` into bench/out/search-N (its cache in
bench/out/cache-search-N, so a second run is quick), served on loopback, and opened in Debian's
Chromium under Playwright (no browser is downloaded). For each query, words taken from the
corpus's articles, the query is typed into the search box a key at a time, 40 ms apart, as a
person types; the time is measured in the page, from the last keystroke's `input` event to the
first result link in the list. The first query also loads Pagefind, its WebAssembly and every
search shard: it is reported apart. The search script waits 150 ms after the last keystroke
before it searches (a debounce, so that a query is not run for every letter), which is part of
what a reader waits and of the figure.

Target (issue 13), on 5,000 articles: the first result within 300 ms of the last keystroke.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
sys.path.insert(0, str(BENCH))

from bench_build import CLAIM_SHARE, corpus  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
TYPING_DELAY_MS = 40
TARGET_MS = 300

# In the page: the time of the last `input` event, and of the first result link after it.
WATCH = """() => {
  const input = document.querySelector('.site-search input');
  const list = document.querySelector('.search-list');
  window.__timing = { typed: 0, shown: 0 };
  input.addEventListener('input', () => { window.__timing.typed = performance.now(); });
  new MutationObserver(() => {
    if (!window.__timing.shown && list.querySelector('a')) {
      window.__timing.shown = performance.now();
    }
  }).observe(list, { childList: true, subtree: true });
}"""


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """`folder` served on a free loopback port: its URL."""
    handler = functools.partial(Quiet, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def build(root: Path, out: Path, cache: Path) -> None:
    """Build the corpus into `out` (quick when the cache and the output are still there)."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "XDG_CACHE_HOME": str(cache)}
    command = [sys.executable, "-m", "site_builder", "build", "--strict"]
    command += ["--root", str(root), "--out", str(out)]
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)


def queries(root: Path, count: int) -> list[str]:
    """`count` one- and two-word queries drawn from the articles' words (the same every run)."""
    rng = random.Random(0)
    paths = sorted((root / "content" / "articles").glob("*.md"))
    found: list[str] = []
    while len(found) < count:
        text = rng.choice(paths).read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        words = re.findall(r"[A-Za-z]{5,}", text)
        at = rng.randrange(len(words) - 1)
        found.append(" ".join(words[at : at + rng.choice((1, 2))]).lower())
    return found


def measure(url: str, terms: Sequence[str]) -> list[float | None]:
    """Milliseconds from the last keystroke to the first result, for each query in turn (None
    for a query that found nothing)."""
    from playwright.sync_api import sync_playwright

    timings: list[float | None] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(url)
        page.evaluate(WATCH)
        box = page.locator(".site-search input")
        for term in terms:
            box.fill("")
            page.evaluate("() => { window.__timing.typed = 0; window.__timing.shown = 0; }")
            box.press_sequentially(term, delay=TYPING_DELAY_MS)
            page.wait_for_function(
                "() => window.__timing.shown > 0 || "
                "document.querySelector('.search-status').textContent.startsWith('No results')",
                timeout=30_000,
            )
            timing = page.evaluate("() => window.__timing")
            timings.append(timing["shown"] - timing["typed"] if timing["shown"] else None)
        browser.close()
    return timings


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--claims", type=int, default=None, help="default: 40%% of the articles")
    parser.add_argument("--queries", type=int, default=30)
    args = parser.parse_args(argv)
    claims = args.claims if args.claims is not None else round(args.articles * CLAIM_SHARE)
    root = corpus(args.articles, claims)
    out = OUT / f"search-{args.articles}"
    build(root, out, OUT / f"cache-search-{args.articles}")
    shards = 1 + len(json.loads((out / "pagefind" / "shards.json").read_text()))
    terms = queries(root, args.queries + 1)
    with served(out) as url:
        timings = measure(url, terms)
    first = timings[0]
    rest = sorted(t for t in timings[1:] if t is not None)
    print(f"{args.articles:,} articles, {claims:,} claims, search in {shards} shards")
    print(f"queries with results: {sum(t is not None for t in timings)} of {len(terms)}")
    if first is not None:
        print(f"first query (loads Pagefind and every shard): {first:.0f} ms")
    if rest:
        p95 = rest[min(len(rest) - 1, round(0.95 * (len(rest) - 1)))]
        print(
            f"the others: p50 {statistics.median(rest):.0f} ms, p95 {p95:.0f} ms, "
            f"max {rest[-1]:.0f} ms (target: the first result within {TARGET_MS} ms)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
