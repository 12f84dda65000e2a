"""Benchmark sentence segmentation on a deterministic news-like corpus.

Run: python bench/bench_segment.py [--words N]

The corpus repeats and varies the seed articles in ../shared/seeds: paragraphs are shuffled,
numbers and names changed, and sentences with abbreviations, titles, times, initials, decimals
and quotes are mixed in; each article gets a front matter, a heading, and sometimes a list or a
block quote. The timed work is `segment_article` (Markdown blocks, then spaCy sentences) on one
core, best of three runs after a warm-up; spaCy's plain `sentencizer` on the same bodies is shown
for comparison.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import spacy
from spacy.language import Language

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from site_builder.model import Article
from site_builder.text.segment import find_blocks, load_pipeline, segment_article

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
FURNITURE = {"Related Articles", "Back to top button"}
NAMES = ["Rustem Umerov", "Vladimir Medinsky", "Donald Trump", "Marco Rubio", "Hakan Fidan"]
EXTRA = [
    "U.S. Secretary of State {name} said on June {day}, 2025, that talks would resume.",
    "The meeting began at {hour} a.m. on Monday and ended at {hour2} p.m. The delegations left.",
    "Gen. {name} and Lt. Col. {name2} signed the protocol No. {num} at the palace.",
    'He said "we will return {num} bodies." Then he left the room.',
    "Officials in the U.K. and the U.S. said prices rose {dec} per cent. The markets fell.",
    "(The figure was {big} in total.) Analysts said more than {big} soldiers were missing.",
    "Was it a breakthrough? Few thought so! The sides met again... Nothing changed.",
    "John F. Kennedy Airport, Dr. {name2} and Sen. {name} were mentioned, etc. in the memo.",
    "According to the Kremlin, {num} prisoners—all of them wounded—were exchanged.",
    "“This is extremely important,” {name} told reporters in Istanbul on Sept. {day}.",
]


def seed_paragraphs() -> list[list[str]]:
    """The paragraphs of each seed article, page furniture removed."""
    articles = []
    for path in sorted(SEEDS.glob("*.txt")):
        paras = [p.strip() for p in re.split(r"\n\s*\n|\n", path.read_text("utf-8"))]
        articles.append([p for p in paras if p and p not in FURNITURE])
    return articles


def fill(rng: random.Random, template: str) -> str:
    return template.format(
        name=rng.choice(NAMES),
        name2=rng.choice(NAMES),
        day=rng.randint(1, 28),
        hour=rng.randint(1, 11),
        hour2=rng.randint(1, 11),
        num=rng.randint(2, 999),
        dec=f"{rng.randint(0, 9)}.{rng.randint(0, 9)}",
        big=f"{rng.randint(1, 99)},{rng.randint(0, 999):03d}",
    )


def vary_numbers(rng: random.Random, text: str) -> str:
    return re.sub(r"\d", lambda _m: str(rng.randint(0, 9)), text)


def make_body(rng: random.Random, paras: list[str]) -> str:
    """One Markdown body from a seed's paragraphs."""
    headline, rest = paras[0], paras[1:]
    rng.shuffle(rest)
    out = [f"# {headline}"]
    for para in rest:
        para = vary_numbers(rng, para)
        if rng.random() < 0.5:
            para += " " + fill(rng, rng.choice(EXTRA))
        roll = rng.random()
        if roll < 0.1:
            out.append("\n".join(f"- {fill(rng, rng.choice(EXTRA))}" for _ in range(3)))
        elif roll < 0.15:
            out.append(f"> {para}")
        elif roll < 0.2:
            out.append(f"## {fill(rng, 'Talks resume on June {day}')}")
        out.append(para)
    return "\n\n".join(out) + "\n"


def make_corpus(words: int) -> list[Article]:
    rng = random.Random(20250602)
    seeds = seed_paragraphs()
    corpus: list[Article] = []
    total = 0
    while total < words:
        body = make_body(rng, list(rng.choice(seeds)))
        slug = f"bench-{len(corpus):04d}"
        front = f"---\ntitle: Bench {len(corpus)}\noutlet: Bench\n---\n"
        corpus.append(Article(slug, f"{slug}.md", front + body, len(front), slug, "Bench", "b"))
        total += len(body.split())
    return corpus


def best_of(runs: int, work: Callable[[], int]) -> tuple[float, int]:
    """Best wall time of `runs` calls of `work` and the count it returns."""
    times, count = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        count = work()
        times.append(time.perf_counter() - start)
    return min(times), count


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=250_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    corpus = make_corpus(args.words)
    words = sum(len(a.body.split()) for a in corpus)
    nlp = load_pipeline(None)
    bodies = [a.body for a in corpus]
    plain = spacy.blank("en")
    plain.add_pipe("sentencizer")
    plain_no_specials = spacy.blank("en")
    plain_no_specials.tokenizer.rules = {}  # as load_pipeline does, see text/segment.py
    plain_no_specials.add_pipe("sentencizer")

    def ours() -> int:
        return sum(len(segment_article(a, nlp).sentences) for a in corpus)

    def blocks_then_ours() -> int:
        total = 0
        for article in corpus:
            find_blocks(article)
            total += len(segment_article(article, nlp).sentences)
        return total

    def blocks_only() -> int:
        return sum(len(find_blocks(a)) for a in corpus)

    def sentencizer(pipeline: Language) -> Callable[[], int]:
        return lambda: sum(len(list(doc.sents)) for doc in pipeline.pipe(bodies))

    rows = [
        ("segment_article (blocks + sentences)", ours),
        ("find_blocks, then segment_article", blocks_then_ours),
        ("find_blocks only (count: blocks)", blocks_only),
        ("blank('en') + sentencizer", sentencizer(plain)),
        ("  same, tokenizer without special cases", sentencizer(plain_no_specials)),
    ]
    print(f"corpus: {len(corpus)} articles, {words:,} words (best of {args.runs} runs, one core)\n")
    print(f"{'stage':<42} {'seconds':>8} {'words/s':>12} {'sentences':>9}")
    for name, work in rows:
        work()  # warm-up: spaCy's tokenizer cache, markdown-it's parser
        seconds, count = best_of(args.runs, work)
        print(f"{name:<42} {seconds:>8.3f} {words / seconds:>12,.0f} {count:>9,}")
    print("\nThe sentencizer rows only split at . ! ? (no Markdown, no news rules); they are")
    print("spaCy's own floor for a blank pipeline on the same text.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
