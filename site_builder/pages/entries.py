"""The values pages are planned from.

In: a resolved `Site`. Out: `SiteWide` (what every page shows: the layout's names and links,
the scale, the outlets), each claim's `ClaimEntry` (the claim with its quoted articles and the
parts other pages show), and the `Scope` that every page's context reads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from ..model import (
    ResolvedClaim,
    ResolvedQuote,
    SegmentedArticle,
    SiteConfig,
)
from .routes import Urls
from .values import (
    ClaimCard,
    CoverageRow,
    Link,
    OutletSummary,
    SiteView,
    StanceView,
    VerdictView,
)

Context = Mapping[str, object]


@dataclass(frozen=True)
class SiteWide:
    """What every page shows whatever it is about: the layout's names and links, the scale,
    the outlets. A page's key includes it, so an edit here renders every page again."""

    config: SiteConfig
    site: SiteView
    verdicts: tuple[VerdictView, ...]  # the rating scale, best first
    methodology: Link | None
    outlets: tuple[OutletSummary, ...]  # every outlet, by slug


@dataclass(frozen=True)
class ClaimListing:
    """What the pages that list a claim show of it: its card and each outlet's stances."""

    card: ClaimCard
    stances: tuple[tuple[str, tuple[StanceView, ...]], ...]  # (outlet slug, stances), in order


@dataclass(frozen=True)
class ClaimEntry:
    """A claim with its quoted articles and the parts of it that other pages show.

    Rebuilt only when the claim, one of its articles or the site-wide values change, and then
    its parts are the last build's wherever they are equal: the pages that show them compare
    them by identity, and a summary edit leaves the lists that only show the card alone.
    """

    id: str
    resolved: ResolvedClaim
    articles: tuple[SegmentedArticle, ...]  # quoted and present, in first-quoted order
    listing: ClaimListing
    quotes: Mapping[str, tuple[ResolvedQuote, ...]]  # article slug -> its quotes, in order
    # outlet slug -> (article slug, quotes) for each of that outlet's articles it quotes
    by_outlet: Mapping[str, tuple[tuple[str, tuple[ResolvedQuote, ...]], ...]]

    @property
    def card(self) -> ClaimCard:
        return self.listing.card

    @cached_property
    def stances(self) -> Mapping[str, tuple[StanceView, ...]]:
        """Outlet slug -> the stances of its quotes (possibly none)."""
        return dict(self.listing.stances)

    def __hash__(self) -> int:
        return hash((self.resolved, self.articles))


EntryMaker = Callable[[ResolvedClaim, tuple[SegmentedArticle, ...]], ClaimEntry]


@dataclass(frozen=True)
class Scope:
    """What the pages' contexts read besides their own values: the same for a whole site.

    `rows` keeps each coverage table row while its claim's listing is the same object, so that
    the rendered row found again by `cached` is found by identity. It goes with the scope, so
    a site-wide change forgets it.
    """

    config: SiteConfig
    urls: Urls
    wide: SiteWide
    rows: dict[tuple[str, str | None], tuple[ClaimListing, CoverageRow]] = field(
        default_factory=dict, compare=False, repr=False
    )
