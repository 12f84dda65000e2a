"""Resolved quotes kept on disk between runs, by claim and the texts of its articles.

In: a claim (its locations included: diagnostics point at them) and each article it quotes as
segmented (its text and every sentence boundary). Out: the claim's resolution as the last run made it (each
quote's spans and sentences, or its absence) and the diagnostics resolving it gave, or None.
One JSON file per site in the user cache, for this exact code; an entry is checked against the
claim and its articles when it is used, and one that does not fit is dropped and resolved anew.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, Location
from ..model import Claim, ResolvedClaim, ResolvedQuote, SegmentedArticle
from .cache import JsonEntries, site_cache_file
from .digest import Digester

# (slug, the article or None when there is none) for each article a claim quotes, by slug
Quoted = tuple[tuple[str, SegmentedArticle | None], ...]


@dataclass
class ResolutionCache(JsonEntries):
    """Each claim's resolution by the digest of what it was resolved from."""

    digester: Digester = field(default_factory=Digester)

    @classmethod
    def open(cls, root: Path | None, version: str) -> ResolutionCache:
        """The cache for the site at `root` (None: memory only); an unreadable file is ignored."""
        if root is None:
            return cls(None)
        cache = cls(site_cache_file(root, f"resolved-{{site}}-{version}.json"))
        cache.read()
        return cache

    def key(self, claim: Claim, quoted: Quoted) -> str:
        return self.digester.hexdigest((claim, quoted))

    def get(self, key: str, claim: Claim) -> tuple[ResolvedClaim, tuple[Diagnostic, ...]] | None:
        """The resolution stored under `key` for `claim`, when it is well formed (the caller
        checks that it says what resolving would)."""
        if key not in self.stored:
            return None
        found = _decode(self.stored[key], claim)
        if found is None:
            self.forget(key)
        return found

    def put(self, key: str, resolved: ResolvedClaim, diagnostics: tuple[Diagnostic, ...]) -> None:
        self.store(key, _encode(resolved, diagnostics))

    def forget_digests(self) -> None:
        """Start a new digester: it holds every object it digested (call once per build)."""
        self.digester = Digester()


def _encode(resolved: ResolvedClaim, diagnostics: tuple[Diagnostic, ...]) -> dict[str, Any]:
    # Each of the claim's quotes, in order: [spans, sentences], or None when it did not resolve
    # (the resolved quotes are those that did, in the claim's order).
    resolved_quotes = iter(resolved.quotes)
    pending = next(resolved_quotes, None)
    quotes: list[list[list[Any]] | None] = []
    for quote in resolved.claim.quotes:
        if pending is not None and pending.quote == quote:
            quotes.append([[list(span) for span in pending.spans], list(pending.sentences)])
            pending = next(resolved_quotes, None)
        else:
            quotes.append(None)
    found = [
        [d.severity, d.location.path, d.location.line, d.location.column, d.message, d.hint]
        for d in diagnostics
    ]
    return {"quotes": quotes, "diagnostics": found}


def _decode(data: Any, claim: Claim) -> tuple[ResolvedClaim, tuple[Diagnostic, ...]] | None:
    """The resolution in `data`; None when it is malformed."""
    try:
        raw_quotes, raw_found = data["quotes"], data["diagnostics"]
        if len(raw_quotes) != len(claim.quotes):
            return None
        quotes = []
        for quote, raw in zip(claim.quotes, raw_quotes, strict=True):
            if raw is None:
                continue
            spans = tuple((int(a), int(b)) for a, b in raw[0])
            sentences = tuple(int(n) for n in raw[1])
            quotes.append(ResolvedQuote(quote, spans, sentences))
        found = tuple(
            Diagnostic(
                severity, Location(str(path), int(line), int(column)), str(message), str(hint)
            )
            for severity, path, line, column, message, hint in raw_found
            if severity in ("error", "warning")
        )
        if len(found) != len(raw_found):
            return None
    except (KeyError, TypeError, ValueError):
        return None
    return ResolvedClaim(claim, tuple(quotes)), found
