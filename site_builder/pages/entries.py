"""The values pages are planned from, and the functions that make them.

In: a resolved `Site`. Out: `SiteWide` (what every page shows: the layout's names and links,
the scale, the outlets; `site_wide`), each claim's `ClaimEntry` (the claim with its quoted
articles and the parts other pages show; `claim_entry`), and the `Scope` that every page's
context reads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING

from ..compare.shared_copy import sources
from ..model import (
    ResolvedClaim,
    ResolvedQuote,
    SegmentedArticle,
    SharedCopy,
    SharedPair,
    Site,
    SiteConfig,
    Update,
)
from .article import date_view, stance_view
from .routes import OUTLETS_ROUTE, Urls, claim_route, outlet_route, rating_route, tag_route
from .scale import grade
from .values import (
    ClaimCard,
    CoverageRow,
    Link,
    OutletStance,
    OutletSummary,
    SiteView,
    StanceView,
    VerdictView,
)

Context = Mapping[str, object]

if TYPE_CHECKING:
    from .differs import DiffersCache


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
    # The review's corrections and updates: /corrections/ lists them with the card.
    updates: tuple[Update, ...] = ()


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
    shared: tuple[SharedPair, ...] = ()  # the pairs of quoted articles that share copy

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

    `rows` keeps each coverage table row while its claim's listing is the same object and its
    table has the same columns, so that the rendered row found again by `cached` is found by
    identity. It goes with the scope, so a site-wide change forgets it.
    """

    config: SiteConfig
    urls: Urls
    wide: SiteWide
    # The claim pages' "what differs", kept between builds and runs.
    differs: DiffersCache = field(compare=False, repr=False)
    rows: dict[tuple[str, str | None], tuple[ClaimListing, tuple[str, ...], CoverageRow]] = field(
        default_factory=dict, compare=False, repr=False
    )


# At most this many outlets are listed in every page's footer; past it, only the link to the
# page that lists them all.
FOOTER_OUTLETS = 12


def site_wide(site: Site, urls: Urls) -> SiteWide:
    """What every page of `site` shows."""
    config = site.config
    names: dict[str, str] = {}
    for segmented in site.articles:
        names.setdefault(segmented.article.outlet_slug, segmented.article.outlet)
    # Only names and links: an article added to an outlet must not re-render every page.
    outlets = tuple(
        OutletSummary(slug, Link(name, urls.link(outlet_route(slug))))
        for slug, name in sorted(names.items())
    )
    verdicts = tuple(verdict_view(config, urls, rating.key) for rating in config.ratings)
    methodology = next((p for p in site.pages if p.slug == "methodology"), None)
    view = SiteView(
        title=config.title,
        description=config.description,
        language=config.language,
        base_path=config.base_path,
        base_url=config.base_url,
        publisher_name=config.publisher.name,
        publisher_url=config.publisher.url,
        pages=tuple(Link(page.title, urls.link(f"{page.slug}/")) for page in site.pages),
        outlets=tuple(summary.outlet for summary in outlets),
        footer_outlets=(
            tuple(summary.outlet for summary in outlets) if len(outlets) <= FOOTER_OUTLETS else ()
        ),
        all_outlets=Link("All outlets", urls.link(OUTLETS_ROUTE)),
        ratings=tuple(Link(v.label, v.url) for v in verdicts),
        stylesheet=urls.link("static/style.css"),
        icon=urls.link("static/icon.svg"),
        script=urls.link("static/site.js"),
        feed=urls.link("feed.xml"),
    )
    return SiteWide(
        config=config,
        site=view,
        verdicts=verdicts,
        methodology=Link(methodology.title, urls.link("methodology/")) if methodology else None,
        outlets=outlets,
    )


def verdict_view(config: SiteConfig, urls: Urls, key: str) -> VerdictView:
    """The verdict `key` as pages show it: its place on the scale and its page."""
    on_scale = grade(config, key)
    return VerdictView(
        key=key,
        label=on_scale.label,
        description=on_scale.description,
        value=on_scale.value,
        best=on_scale.best,
        tone=on_scale.tone,
        url=urls.link(rating_route(key)),
        rule=on_scale.rule,
    )


def claim_entry(
    resolved: ResolvedClaim,
    articles: tuple[SegmentedArticle, ...],
    *,
    config: SiteConfig,
    urls: Urls,
    verdicts: Mapping[str, VerdictView],
    shared: SharedCopy,
) -> ClaimEntry:
    """The entry of `resolved`, whose quoted `articles` (present, first-quoted order) are given;
    `verdicts` are the scale's, by key; `shared` says which articles share copy."""
    claim = resolved.claim
    by_slug = {segmented.article.slug: segmented.article for segmented in articles}
    links: dict[str, Link] = {}
    stances: dict[str, list[StanceView]] = {}  # outlets in first-quoted order
    for quoted in resolved.quotes:
        article = by_slug.get(quoted.quote.article)
        if article is None:
            continue
        links.setdefault(
            article.outlet_slug,
            Link(article.outlet, urls.link(outlet_route(article.outlet_slug))),
        )
        found = stances.setdefault(article.outlet_slug, [])
        stance = stance_view(quoted.quote.stance)
        if stance is not None and stance not in found:
            found.append(stance)
    card = ClaimCard(
        id=claim.id,
        statement=claim.claim,
        url=urls.link(claim_route(claim.id)),
        verdict=verdicts.get(claim.verdict) or verdict_view(config, urls, claim.verdict),
        reviewed=date_view(claim.reviewed),
        tags=tuple(Link(tag, urls.link(tag_route(tag))) for tag in claim.tags),
        outlets=tuple(OutletStance(links[slug], tuple(s)) for slug, s in stances.items()),
    )
    among = shared.pairs_among(by_slug.keys())
    if among:
        independent = len(sources([s.article for s in articles], shared))
        if independent < len(card.outlets):
            card = replace(card, sources=independent)
    quotes: dict[str, list[ResolvedQuote]] = {}
    for quoted in resolved.quotes:
        if quoted.quote.article in by_slug:
            quotes.setdefault(quoted.quote.article, []).append(quoted)
    by_outlet: dict[str, list[tuple[str, tuple[ResolvedQuote, ...]]]] = {}
    for slug, found_quotes in quotes.items():
        outlet = by_slug[slug].outlet_slug
        by_outlet.setdefault(outlet, []).append((slug, tuple(found_quotes)))
    return ClaimEntry(
        claim.id,
        resolved,
        articles,
        ClaimListing(card, tuple((slug, tuple(s)) for slug, s in stances.items()), claim.updates),
        MappingProxyType({slug: tuple(q) for slug, q in quotes.items()}),
        MappingProxyType({slug: tuple(q) for slug, q in by_outlet.items()}),
        among,
    )
