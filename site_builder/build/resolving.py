"""Claims and the articles' sentences -> resolved quotes, kept while neither changed.

In: the `Claim`s and `SegmentedArticle`s of a build. Out: the `ResolvedClaim`s with what
resolving them reported, and the warnings for articles no claim quotes. A claim is resolved
again only when it, or the text of an article it quotes, changed; a claim that only moved in
claims.yaml (an earlier one grew) keeps its resolution with its new location.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from ..diagnostics import Diagnostic, Diagnostics, Location
from ..model import (
    Claim,
    ResolvedClaim,
    ResolvedQuote,
    SegmentedArticle,
    same_source,
    unlocated_claim,
)
from ..quotes.resolve import Resolver


class Resolutions:
    """Each claim's resolution, by claim id, with the article texts it was resolved in."""

    def __init__(self) -> None:
        self.resolved: dict[str, _Resolved] = {}  # by claim id
        self.resolved_texts: dict[str, str] = {}  # article slug -> the text claims resolved in
        self.resolved_against: tuple[SegmentedArticle, ...] = ()  # the articles of those texts
        self.resolver: Resolver | None = None  # kept while the articles are the same
        self.unquoted: (
            tuple[tuple[SegmentedArticle, ...], frozenset[str], tuple[Diagnostic, ...]] | None
        ) = None

    def resolve(
        self,
        claims: tuple[Claim, ...],
        articles: tuple[SegmentedArticle, ...],
        diagnostics: Diagnostics,
    ) -> tuple[ResolvedClaim, ...]:
        if articles == self.resolved_against:
            moved: set[str] = set()  # the articles of the last build
        else:
            texts = {s.article.slug: s.article.source for s in articles}
            moved = {s for s, text in texts.items() if self.resolved_texts.get(s) != text}
            moved |= self.resolved_texts.keys() - texts.keys()
            self.resolved_texts, self.resolved_against = texts, articles
        texts = self.resolved_texts
        resolver = self.resolver if self.resolver and self.resolver.among == articles else None
        results = []
        kept: dict[str, _Resolved] = {}
        for claim in claims:
            held = self._reused(claim, moved)
            if held is None:
                quoted = sorted({q.article for q in claim.quotes})
                sources = tuple((slug, texts.get(slug)) for slug in quoted)
                held = self._matching(claim, sources)
                if held is None:
                    if resolver is None:
                        resolver = self.resolver = Resolver(articles, Diagnostics())
                    resolver.diagnostics = found = Diagnostics()
                    value = resolver.resolve_claim(claim)
                    held = _Resolved(claim, sources, value, tuple(found.items))
            kept[claim.id] = held
            diagnostics.items.extend(held.diagnostics)
            results.append(held.value)
        self.resolved = kept
        return tuple(results)

    def _reused(self, claim: Claim, moved: set[str]) -> _Resolved | None:
        """The last build's resolution of `claim`, without comparing texts: when none of its
        articles changed and it is the same claim, or one read from the same entry text that
        only moved (then relocated). None otherwise, or when relocating is not enough."""
        held = self.resolved.get(claim.id)
        if held is None or (moved and any(q.article in moved for q in claim.quotes)):
            return None
        if held.claim == claim:
            return held
        return _relocate(held, claim) if same_source(held.claim, claim) else None

    def _matching(
        self, claim: Claim, sources: tuple[tuple[str, str | None], ...]
    ) -> _Resolved | None:
        """The last build's resolution of an equal `claim` against the same article `sources`,
        relocated to where the claim stands now; None when it must be resolved again."""
        held = self.resolved.get(claim.id)
        if held is None or held.sources != sources:
            return None
        if not (same_source(held.claim, claim) or _same_but_located(held.claim, claim)):
            return None
        return _relocate(held, claim)

    def unquoted_warnings(
        self, articles: tuple[SegmentedArticle, ...], claims: tuple[Claim, ...]
    ) -> tuple[Diagnostic, ...]:
        """`warn_unquoted`'s warnings; the last build's while articles and quotes are the same."""
        quoted = frozenset(q.article for c in claims for q in c.quotes)
        held = self.unquoted
        if held is None or held[0] != articles or held[1] != quoted:
            found = Diagnostics()
            warn_unquoted(articles, quoted, found)
            held = self.unquoted = (articles, quoted, tuple(found.items))
        return held[2]


@dataclass(frozen=True)
class _Resolved:
    """A claim resolved against its articles' texts, with what resolving it reported."""

    claim: Claim
    sources: tuple[tuple[str, str | None], ...]  # (slug, text) of each quoted article
    value: ResolvedClaim
    diagnostics: tuple[Diagnostic, ...]


def _same_but_located(held: Claim, claim: Claim) -> bool:
    """Whether the two claims are equal but for where they stand in claims.yaml."""
    return unlocated_claim(held) == unlocated_claim(claim)


def _relocate(held: _Resolved, claim: Claim) -> _Resolved | None:
    """`held` for an equal `claim` that may have moved in claims.yaml (an earlier entry grew).

    The same resolution with the new locations when it reported nothing; None when its
    diagnostics would point at the old lines, so that it is resolved again.
    """
    if held.claim == claim:
        return held
    if held.diagnostics or len(held.value.quotes) != len(claim.quotes):
        return None
    quotes = tuple(
        ResolvedQuote(quote, resolved.spans, resolved.sentences)
        for resolved, quote in zip(held.value.quotes, claim.quotes, strict=True)
    )
    return _Resolved(claim, held.sources, ResolvedClaim(claim, quotes), ())


def warn_unquoted(
    articles: tuple[SegmentedArticle, ...], quoted_slugs: Collection[str], diagnostics: Diagnostics
) -> None:
    """An article no claim quotes is probably a forgotten one."""
    for segmented in articles:
        if segmented.article.slug not in quoted_slugs:
            diagnostics.warning(
                Location(segmented.article.path),
                f"no claim quotes article '{segmented.article.slug}'",
                "Quote it in claims.yaml, or remove it if it does not belong to this site.",
            )
