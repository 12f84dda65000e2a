"""Claims and the articles' sentences -> resolved quotes, kept while neither changed.

In: the `Claim`s and `SegmentedArticle`s of a build. Out: the `ResolvedClaim`s with what
resolving them reported, and the warnings for articles no claim quotes. A claim is resolved
again only when it, or the text of an article it quotes, changed; a claim that only moved in
claims.yaml (an earlier one grew) keeps its resolution with its new location. Between runs the
resolutions are kept on disk (engine/resolved.py), so that a one-off build after an edit
resolves only the claims the edit touched.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from ..diagnostics import Diagnostic, Diagnostics, Location
from ..engine.cache import kept, same
from ..engine.resolved import ResolutionCache
from ..model import (
    Claim,
    ResolvedClaim,
    ResolvedQuote,
    SegmentedArticle,
    same_source,
    unlocated_claim,
)
from ..quotes.resolve import Resolver, normalize, quote_pieces, sentences_touched


class Resolutions:
    """Each claim's resolution, by claim id, with the article texts it was resolved in."""

    def __init__(self, cache: ResolutionCache) -> None:
        self.cache = cache
        self.pipeline: str | None = None  # the segmentation pipeline of the last build
        self._by_slug: dict[str, SegmentedArticle] | None = None  # resolved_against, by slug
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
        pipeline: str | None,
        diagnostics: Diagnostics,
    ) -> tuple[ResolvedClaim, ...]:
        """Each claim resolved in `articles` (segmented by `pipeline`), in order."""
        if pipeline != self.pipeline:
            self.resolved, self.pipeline = {}, pipeline  # other sentences: resolve again
        self.cache.forget_digests()
        if articles == self.resolved_against:
            moved: set[str] = set()  # the articles of the last build
        else:
            self._by_slug = None
            texts = {s.article.slug: s.article.source for s in articles}
            moved = {s for s, text in texts.items() if self.resolved_texts.get(s) != text}
            moved |= self.resolved_texts.keys() - texts.keys()
            self.resolved_texts, self.resolved_against = texts, articles
        texts = self.resolved_texts
        resolver = self.resolver if self.resolver and self.resolver.among == articles else None
        # The cache on disk is for a run's first build; later builds of the same process (serve)
        # resolve the few claims an edit touched, which costs less than looking them up.
        from_disk = not self.resolved
        results = []
        kept: dict[str, _Resolved] = {}
        for claim in claims:
            held = self._reused(claim, moved)
            if held is None:
                quoted = sorted({q.article for q in claim.quotes})
                sources = tuple((slug, texts.get(slug)) for slug in quoted)
                held = self._matching(claim, sources)
                if held is None and from_disk:
                    held = self._stored(claim, sources)
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

    def save(self) -> None:
        """Write the current claims' resolutions to the cache on disk (the others are dropped)."""
        keys = set()
        for held in self.resolved.values():
            key = held.key or self._key(held.claim, held.sources)
            if key not in self.cache.stored:  # relocated since it was stored
                self.cache.put(key, held.value, held.diagnostics)
            keys.add(key)
        self.cache.save(keys)

    def _stored(
        self, claim: Claim, sources: tuple[tuple[str, str | None], ...]
    ) -> _Resolved | None:
        """The claim's resolution from the cache on disk, when it is there and fits."""
        key = self._key(claim, sources)
        stored = self.cache.get(key, claim)
        if stored is None:
            return None
        if not _fits(*stored, self._articles()):
            self.cache.forget(key)
            return None
        return _Resolved(claim, sources, stored[0], stored[1], key)

    def _articles(self) -> dict[str, SegmentedArticle]:
        if self._by_slug is None:
            self._by_slug = {s.article.slug: s for s in self.resolved_against}
        return self._by_slug

    def _key(self, claim: Claim, sources: tuple[tuple[str, str | None], ...]) -> str:
        """The claim's key in the cache on disk: it and its articles as segmented."""
        articles = self._articles()
        return self.cache.key(claim, tuple((slug, articles.get(slug)) for slug, _ in sources))

    def _reused(self, claim: Claim, moved: set[str]) -> _Resolved | None:
        """The last build's resolution of `claim`, without comparing texts: when none of its
        articles changed and it is the same claim, or one read from the same entry text that
        only moved (then relocated). None otherwise, or when relocating is not enough."""
        held = self.resolved.get(claim.id)
        if held is None or (moved and any(q.article in moved for q in claim.quotes)):
            return None
        if kept(held.claim, claim):  # the claims loader kept it: nothing to compare
            return held
        if same_source(held.claim, claim):  # read from the same text: at most it moved
            return _relocate(held, claim)
        return held if same(held.claim, claim) else None

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
    key: str | None = None  # in the cache on disk; None until saved (`save` computes it)


def _fits(
    resolved: ResolvedClaim,
    diagnostics: tuple[Diagnostic, ...],
    articles: dict[str, SegmentedArticle],
) -> bool:
    """Whether a resolution read from the cache on disk says what resolving would: each quote's
    spans hold its words (or are its numbered sentence) and cover exactly its sentences, and a
    quote left out has an error at its place. A file in the user's cache is never trusted."""
    by_quote = iter(resolved.quotes)
    pending = next(by_quote, None)
    errors = {d.location for d in diagnostics if d.severity == "error"}
    for quote in resolved.claim.quotes:
        if pending is None or pending.quote != quote:
            if articles.get(quote.article) is not None and not (
                {quote.location, quote.value_location} & errors
            ):
                return False  # left out without a word (an unknown article is reported elsewhere)
            continue
        segmented, spans = articles.get(quote.article), pending.spans
        limit = len(segmented.article.source) if segmented is not None else -1
        if not spans or any(not 0 <= a <= b <= limit for a, b in spans):
            return False  # quoting an article that is not there, or outside its text
        assert segmented is not None
        if quote.sentence is not None:
            if not 1 <= quote.sentence <= len(segmented.sentences):
                return False
            sentence = segmented.sentences[quote.sentence - 1]
            if spans != ((sentence.start, sentence.end),) or pending.sentences != (quote.sentence,):
                return False
        else:
            pieces = quote_pieces(quote.text or "")
            if len(spans) != len(pieces) or any(
                _words(segmented, a, b) != piece
                for (a, b), piece in zip(spans, pieces, strict=True)
            ):
                return False
            if pending.sentences != sentences_touched(segmented, spans):
                return False
        pending = next(by_quote, None)
    return pending is None


def _words(segmented: SegmentedArticle, start: int, end: int) -> str:
    """The article's words in [start, end) as resolving compares them (typography folded, a
    block quote's line markers as white space)."""
    quoted = any(b.kind == "blockquote" and b.start <= start < b.end for b in segmented.blocks)
    return normalize(segmented.article.source, start, end, blockquote=quoted).text.strip()


def _where(claim: Claim) -> tuple[object, ...]:
    """Where the claim and its quotes stand in claims.yaml."""
    return (claim.location, tuple((q.location, q.value_location) for q in claim.quotes))


def _moved(held: Claim, claim: Claim) -> bool:
    """Whether `claim`, equal to `held` but for its locations, stands elsewhere in claims.yaml."""
    if same_source(held, claim):
        return held.location != claim.location  # read from the same text: it moved as a whole
    return _where(held) != _where(claim)


def _same_but_located(held: Claim, claim: Claim) -> bool:
    """Whether the two claims are equal but for where they stand in claims.yaml."""
    return unlocated_claim(held) == unlocated_claim(claim)


def _relocate(held: _Resolved, claim: Claim) -> _Resolved | None:
    """`held` for an equal `claim` that may have moved in claims.yaml (an earlier entry grew).

    The same resolution with the new locations when it reported nothing; None when its
    diagnostics would point at the old lines, so that it is resolved again.
    """
    if not _moved(held.claim, claim):
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
