"""What differs: the outlets' quoted words for one claim, collated word by word.

In: a `ResolvedClaim` and its `SegmentedArticle`s by slug. Out: a `Comparison`: one `Witness` per
quoted article (its quoted words, "…" between elided pieces), an alignment of the witnesses as
`Segment`s that every witness shares or where they differ (CollateX-style: tokenise, align,
mark agreement and variance), and the differences that matter to a reader called out in words:
figures, ages, dates and days, and names.

Only the blank spaCy tokenizer is used, never a trained model: units are built from token shapes,
`like_num`, number words, month and weekday names and capitalisation, so "6,000", "30-day",
"two to three", "June 3, 2025" and "Vladimir Medinsky" are each one unit. A capitalised word is a
name when its articles never write it in lower case (so "Held" at a sentence start is not one).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..model import ResolvedClaim, SegmentedArticle
from .align import Column, Segment, Witness, align_units, segments_of
from .facts import Difference, fact_differences, name_differences
from .units import ELLIPSIS, proper_words, tokenise


@dataclass(frozen=True)
class Comparison:
    witnesses: tuple[Witness, ...]
    segments: tuple[Segment, ...]
    differences: tuple[Difference, ...]
    shared: tuple[str, ...]  # sentences about what every witness says alike

    @property
    def shared_words(self) -> tuple[str, ...]:
        return tuple(s.readings[0] for s in self.segments if s.shared)


def witness_text(segmented: SegmentedArticle, spans: Sequence[tuple[int, int]]) -> str:
    """The quoted words of `spans`, white space collapsed, "…" between elided pieces."""
    source = segmented.article.source
    return f" {ELLIPSIS} ".join(" ".join(source[a:b].split()) for a, b in spans)


def compare_claim(resolved: ResolvedClaim, articles: Mapping[str, SegmentedArticle]) -> Comparison:
    """Collate the words `resolved` quotes from each article (one witness per article)."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for quoted in resolved.quotes:
        if quoted.quote.article in articles:
            spans.setdefault(quoted.quote.article, []).extend(quoted.spans)
    used = [articles[slug] for slug in spans]
    proper = proper_words(used)
    witnesses = []
    for slug, pieces in spans.items():
        segmented = articles[slug]
        text = witness_text(segmented, sorted(pieces))
        witnesses.append(Witness(slug, segmented.article.outlet, text, tokenise(text, proper)))
    return collate(witnesses)


def collate(witnesses: Sequence[Witness]) -> Comparison:
    """Align `witnesses` progressively (each against the columns so far) and compare them."""
    columns: list[Column] = []
    for witness in witnesses:
        columns = align_units(columns, witness.units)
    segments = segments_of(columns, [w.text for w in witnesses])
    differences: list[Difference] = []
    shared: list[str] = []
    if len(witnesses) > 1:
        differences, shared = fact_differences(witnesses)
        names = name_differences(witnesses, columns)
        if names is not None:
            differences.append(names)
    return Comparison(tuple(witnesses), segments, tuple(differences), tuple(shared))


def witness(slug: str, outlet: str, text: str, proper: frozenset[str] | None = None) -> Witness:
    """A witness from plain text (for tests and tools that have no articles)."""
    return Witness(slug, outlet, text, tokenise(text, proper))
