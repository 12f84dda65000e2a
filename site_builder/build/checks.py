"""The editorial checks of each claim, build after build: its support against shared copy and
its verdict against the scale's rules (compare/shared_copy.py, compare/verdict_rules.py).

In: the resolved claims, the articles, which of them share copy, the site's settings. Out: the
warnings. A claim's warnings are kept while the claim, the shared copy and the scale are the
same objects, so an edit checks only the claims it touched (serve edits one at a time among
thousands).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..compare.shared_copy import support_warnings
from ..compare.verdict_rules import verdict_warnings
from ..diagnostics import Diagnostic
from ..model import Rating, ResolvedClaim, SegmentedArticle, SharedCopy, SiteConfig

_Held = tuple[ResolvedClaim, SharedCopy, tuple[Rating, ...], list[Diagnostic]]


class EditorialChecks:
    def __init__(self) -> None:
        self._held: dict[str, _Held] = {}

    def warnings(
        self,
        claims: Sequence[ResolvedClaim],
        articles: Sequence[SegmentedArticle],
        shared: SharedCopy,
        config: SiteConfig,
    ) -> list[Diagnostic]:
        """Every claim's editorial warnings, in claims.yaml order."""
        ratings = config.ratings
        # A verdict whose rule is stated counts independent sources itself.
        checked = [rating.key for rating in ratings if rating.rule is not None]
        by_slug = None
        held, found = self._held, []
        fresh: dict[str, _Held] = {}
        for resolved in claims:
            kept = held.get(resolved.claim.id)
            if kept is None or not (
                kept[0] is resolved and kept[1] is shared and kept[2] == ratings
            ):
                if by_slug is None:
                    by_slug = {s.article.slug: s.article for s in articles}
                one = [resolved]
                made = support_warnings(one, by_slug, shared, checked)
                made += verdict_warnings(one, by_slug, shared, ratings)
                kept = (resolved, shared, ratings, made)
            fresh[resolved.claim.id] = kept
            found.extend(kept[3])
        self._held = fresh
        return found
