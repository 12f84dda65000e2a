"""Benchmark `suggest` on the real claims: would it have found the quotes the editors chose?

Run from the repository root: python bench/bench_suggest.py [--limit 3] [--repeat 20]

For every claim with two or more quotes, each quoted article in turn is hidden: the claim is
rebuilt without *all* of its quotes of that article (so the article counts as unquoted; today no
claim quotes one article twice, so this is the same as hiding one quote), `suggest` is asked for
that article alone, and the case is a hit when any sentence of the hidden quotes is in the top
`--limit`. The claim's summary is never used by `suggest`, so it cannot leak the answer. Prints
the cases, hits, hit rate (target: at least 80%), every miss with what ranked first, and the time
per `suggest` call over the whole site (all five articles, as the CLI calls it).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from site_builder.build.builder import load_site
from site_builder.diagnostics import Diagnostics
from site_builder.model import ResolvedClaim, SegmentedArticle
from site_builder.quotes.suggest import suggest

TARGET = 0.8


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("."))
    parser.add_argument("--limit", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=20, help="timed runs of suggest per claim")
    args = parser.parse_args(argv)

    diagnostics = Diagnostics()
    site = load_site(args.root, diagnostics)
    if site is None or diagnostics.failed():
        for diagnostic in diagnostics.sorted():
            print(diagnostic.format(), file=sys.stderr)
        return 1
    articles: dict[str, SegmentedArticle] = {a.article.slug: a for a in site.articles}

    cases = hits = firsts = 0
    misses: list[str] = []
    for resolved in site.claims:
        if len(resolved.quotes) < 2:
            continue
        for slug in dict.fromkeys(q.quote.article for q in resolved.quotes):
            hidden = [q for q in resolved.quotes if q.quote.article == slug]
            kept = tuple(q for q in resolved.quotes if q.quote.article != slug)
            claim = ResolvedClaim(
                replace(resolved.claim, quotes=tuple(q.quote for q in kept)), kept
            )
            wanted = {n for q in hidden for n in q.sentences}
            ranked = [s for s in suggest(claim, site.articles, args.limit) if s.article == slug]
            cases += 1
            if ranked and ranked[0].sentence.number in wanted:
                firsts += 1
            if any(s.sentence.number in wanted for s in ranked):
                hits += 1
                continue
            sentences = {s.number: s for s in articles[slug].sentences}
            hidden_text = " ".join(sentences[n].text for n in sorted(wanted))
            top = ranked[0]
            misses.append(
                f"  {resolved.claim.id} / {slug} ({hidden[0].quote.stance or 'no stance'})\n"
                f"    hidden  s{sorted(wanted)}: {' '.join(hidden_text.split())[:150]}\n"
                f"    top     s{top.sentence.number} ({top.score:.2f}): "
                f"{' '.join(top.sentence.text.split())[:150]}"
            )

    rate = hits / cases if cases else 0.0
    print(
        f"cases: {cases}  hits (top {args.limit}): {hits}  hit rate: {rate:.1%}  (target {TARGET:.0%})"
    )
    print(f"ranked first: {firsts}/{cases} ({firsts / cases if cases else 0.0:.1%})")
    if misses:
        print(f"misses ({len(misses)}):")
        print("\n".join(misses))

    suggest(site.claims[0], site.articles, args.limit)  # warm-up
    calls = 0
    start = time.perf_counter()
    for _ in range(args.repeat):
        for resolved in site.claims:
            suggest(resolved, site.articles, args.limit)
            calls += 1
    elapsed = time.perf_counter() - start
    total = sum(len(a.sentences) for a in site.articles)
    print(
        f"time per suggest call: {elapsed / calls * 1000:.2f} ms "
        f"({calls} calls, {len(site.articles)} articles, {total} sentences)"
    )
    return 0 if rate >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
