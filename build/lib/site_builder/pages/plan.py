"""Page plans: the resolved `Site` -> one `PagePlan` per file rendered from a template.

In: a `Site` and the run's `Diagnostics` (for problems only visible here: a verdict missing from
the scale, two pages wanting one path). Out: `PagePlan`s, each an output path, a template name, a
`key` made of exactly the values the page is built from, and a function that builds the page's
context of plain frozen values (pages/values.py) when the page has to be rendered.

The keys are how a rebuild knows what an edit touched: output/render.py renders a page again only when
its key differs from the last build's. A claim's key parts are reused from one build to the next
while the claim and its articles are unchanged (`PagePlanner` keeps them), so comparing keys is
mostly comparing identical objects. This module decides what each page shows and in which order;
all HTML lives in templates/.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from functools import cached_property, partial
from operator import attrgetter
from types import MappingProxyType
from typing import TypeVar
from urllib.parse import unquote

from ..compare.collate import Segment, compare_claim
from ..diagnostics import Diagnostic, Diagnostics, Location
from ..model import (
    Page,
    ResolvedClaim,
    ResolvedQuote,
    SegmentedArticle,
    Site,
    SiteConfig,
    same_source,
)
from .article import (
    Urls,
    article_body,
    article_route,
    article_view,
    claim_route,
    date_view,
    excerpt,
    outlet_route,
    rating_route,
    stance_view,
    tag_route,
)
from .feeds import feed_plan, robots_plan, sitemap_plan
from .inline import Span, markdown_block
from .jsonld import claim_review, inert_json, rating_value
from .values import (
    AlignedCell,
    AlignedRow,
    CitingClaim,
    ClaimCard,
    ClaimRef,
    Column,
    CoverageCell,
    CoverageRow,
    CoverageTable,
    Link,
    OutletArticle,
    OutletStance,
    OutletSummary,
    PageMeta,
    PagePlan,
    Pager,
    PagerLink,
    RatingSummary,
    SitemapEntry,
    SiteView,
    StanceView,
    VerdictView,
    WhatDiffers,
)

_TONES = ("worst", "poor", "mid", "good", "best")
_DESCRIPTION_LENGTH = 160
# Claims per list page (the index, each tag and each rating): a newsroom's archive of thousands
# of claims stays a set of pages a phone can load, as Hugo's paginator does.
PAGE_SIZE = 50
# Up to this many article and outlet pages to plan, each looks up its claims on its own.
_FEW_PAGES = 32
# Page numbers shown either side of the current one in a pager; the first and last always are.
_PAGER_WINDOW = 2

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


class PagePlanner:
    """Plans the pages of one site build after build, reusing what did not change.

    Keeps the site-wide values and each claim's `ClaimEntry` from the last build while their
    inputs are equal, so that unchanged pages have keys made of the very same objects.
    """

    def __init__(self) -> None:
        self._wide: SiteWide | None = None
        self.claim_entries: dict[str, ClaimEntry] = {}
        # The resolved claim each entry was last checked against (equal to the entry's own, but
        # maybe another object), so that the next build's check is one of identity.
        self.seen: dict[str, ResolvedClaim] = {}
        self._previous: _Planned | None = None
        self._scope: _Scope | None = None
        # After `plan`: the plans it made anew (None: any may be new) and the paths of the last
        # build's plans it no longer has. Every other plan is the last build's very object.
        self.fresh: list[PagePlan] | None = None
        self.gone: set[str] = set()

    def plan(
        self, site: Site, diagnostics: Diagnostics, extras: bool = True
    ) -> tuple[PagePlan, ...]:
        """Every page of the site, plus sitemap.xml, feed.xml and robots.txt, in a fixed order.

        The plans of claim, article and outlet pages that nothing changed for are the last
        build's very objects, so that a rebuild after one edit costs little more than the pages
        the edit touched; the lists (index, tags, ratings) are planned again each time.
        """
        views = _Views(site, diagnostics, self)
        previous = self._previous
        new: list[PagePlan] | None = None  # None: every plan may be new
        if previous is None or previous.wide is not views.wide or previous.pages != site.pages:
            claims = {entry.id: views.claim(entry) for entry in views.entries}
            articles = {s.article.slug: views.article(s) for s in site.articles}
            outlets = {o.slug: views.outlet(o) for o in views.wide.outlets}
            replanned: set[str] | None = None
        else:
            again = _replan(previous, views)
            claims, articles, outlets = again.claims, again.articles, again.outlets
            replanned, new = again.slugs, again.new
        if (
            previous is not None
            and replanned is not None
            and previous.site_articles is site.articles
        ):
            # The same articles in the same order: the last build's list, with the new plans.
            article_plans = list(previous.article_plans)
            for slug in replanned:
                article_plans[previous.article_index[slug]] = articles[slug]
            article_index = previous.article_index
        else:
            article_plans = [articles[s.article.slug] for s in site.articles]
            article_index = {s.article.slug: i for i, s in enumerate(site.articles)}
        if new is not None and previous is not None and _lists_unchanged(previous, views):
            # Every claim lists as it did, in the same order: the lists are the last build's.
            index, lists, relisted = previous.index, previous.lists, False
        else:
            index = views.index_pages()
            lists = [
                *(plan for tag in views.tags for plan in views.tag_pages(tag)),
                *(plan for verdict in views.wide.verdicts for plan in views.rating_pages(verdict)),
                *(views.content_page(page) for page in site.pages),
                views.not_found(),
            ]
            relisted = True
        html = [
            *index,
            *[claims[claim_id] for claim_id in views.order],
            *article_plans,
            *(outlets[o.slug] for o in views.wide.outlets),
            *lists,
        ]
        feed = feed_plan(views.wide.site, views.urls, [(e.resolved, e.card) for e in views.entries])
        # Without `extras` the renderer keeps the last sitemap (serve brings it up to date once
        # edits pause), so its thousands of entries need not be gathered.
        sitemap = previous.sitemap if previous and not extras else sitemap_plan(html)
        robots = robots_plan(views.urls)
        plans = [*html, sitemap, feed, robots]
        # What the renderer need look at: the plans made this time, and the paths now gone.
        paths = {plan.path for plan in plans}
        if new is None or previous is None:
            self.fresh, self.gone = None, set()
        else:
            self.fresh = [
                *new,
                *(index if relisted else ()),
                *(lists if relisted else ()),
                feed,
                robots,
                *([sitemap] if extras else []),
            ]
            self.gone = previous.paths - paths
        if (
            previous is None
            or previous.pages is not site.pages
            or len(previous.plans) != len(plans)
        ):
            found = Diagnostics()
            _report_clashes(site, plans, found)
            clashes = tuple(found.items)
        else:
            clashes = previous.clashes  # only content pages can clash, and they are the same
        diagnostics.items.extend(clashes)
        self._previous = _Planned(
            wide=views.wide,
            pages=site.pages,
            site_articles=site.articles,
            by_outlet=views.by_outlet,
            entries=views.by_id,
            articles=views.articles,
            order=views.order,
            file_order=tuple(entry.id for entry in views.entries_in_file_order),
            plans=plans,
            index=index,
            lists=lists,
            paths=paths,
            sitemap=sitemap,
            clashes=clashes,
            claims=claims,
            articles_plans=articles,
            article_plans=article_plans,
            article_index=article_index,
            outlets=outlets,
        )
        return tuple(plans)

    def scope(self, scope: _Scope) -> _Scope:
        """Like `site_wide`: the last build's scope while it is equal."""
        if self._scope is None or self._scope != scope:
            self._scope = scope
        return self._scope

    def site_wide(self, site: Site, make: Callable[[], SiteWide]) -> SiteWide:
        """The last build's value if it is equal or made from the same objects (identity makes
        key comparison cheap)."""
        previous = self._previous
        if (
            self._wide is not None
            and previous is not None
            and previous.site_articles is site.articles
            and previous.pages is site.pages
            and self._wide.config is site.config
        ):
            return self._wide
        wide = make()
        if self._wide != wide:
            self._wide = wide
            self.claim_entries, self.seen = {}, {}
        assert self._wide is not None
        return self._wide

    def articles_by_slug(self, site: Site) -> dict[str, SegmentedArticle]:
        """Slug -> article; the last build's while the articles are the same."""
        previous = self._previous
        if previous is not None and previous.site_articles is site.articles:
            return previous.articles
        return {segmented.article.slug: segmented for segmented in site.articles}

    def by_outlet(self, site: Site) -> dict[str, list[SegmentedArticle]]:
        """Outlet slug -> its articles; the last build's while the articles are the same."""
        previous = self._previous
        if previous is not None and previous.site_articles is site.articles:
            return previous.by_outlet
        by_outlet: dict[str, list[SegmentedArticle]] = {}
        for segmented in site.articles:
            by_outlet.setdefault(segmented.article.outlet_slug, []).append(segmented)
        return by_outlet

    def moved_articles(
        self, articles: tuple[SegmentedArticle, ...], by_slug: Mapping[str, SegmentedArticle]
    ) -> set[str]:
        """Slugs of the articles that are not the last build's objects (new, changed, gone)."""
        previous = self._previous
        if previous is None:
            return set(by_slug)
        if previous.site_articles is articles:
            return set()
        moved = {slug for slug, s in by_slug.items() if previous.articles.get(slug) is not s}
        return moved | (previous.articles.keys() - by_slug.keys())

    def entry(
        self,
        resolved: ResolvedClaim,
        articles: Mapping[str, SegmentedArticle],
        moved: set[str],
        make: EntryMaker,
        made: set[str],
    ) -> ClaimEntry:
        """The claim's entry: the last build's while the claim and its articles are the same.

        `moved` names the articles that are not the last build's objects; the id of a claim
        whose entry is not the last build's is added to `made`.
        """
        claim_id = resolved.claim.id
        held = self.claim_entries.get(claim_id)
        seen = self.seen.get(claim_id)
        if held is not None and seen is resolved and moved.isdisjoint(held.quotes):
            return held
        self.seen[claim_id] = resolved
        quoted = tuple(
            articles[slug]
            for slug in dict.fromkeys(q.quote.article for q in resolved.quotes)
            if slug in articles
        )
        if (
            held is not None
            and held.articles == quoted
            and (same_source(held.resolved.claim, resolved.claim) or held.resolved == resolved)
        ):
            # Equal, though not the same objects (the claim only moved in claims.yaml): the
            # entry stays, and so do the pages made from it.
            return held
        made.add(claim_id)
        entry = make(resolved, quoted)
        if held is not None:
            entry = replace(
                entry,
                listing=held.listing if held.listing == entry.listing else entry.listing,
                quotes=_same_values(held.quotes, entry.quotes),
                by_outlet=_same_values(held.by_outlet, entry.by_outlet),
            )
        self.claim_entries[resolved.claim.id] = entry
        return entry

    def site_order(
        self,
        entries: tuple[ClaimEntry, ...],
        by_id: Mapping[str, ClaimEntry],
        made: set[str],
    ) -> tuple[ClaimEntry, ...]:
        """`entries` (claims.yaml order) newest review first; equal dates keep claims.yaml order.

        The last build's order while the same claims stand in the same order in claims.yaml
        and none of those made anew changed its date: sorting thousands again would give it.
        """
        previous = self._previous
        if previous is not None and previous.file_order == tuple(entry.id for entry in entries):
            before = previous.entries
            if all(_reviewed(by_id[i]) == _reviewed(before[i]) for i in made if i in before):
                return tuple(by_id[claim_id] for claim_id in previous.order)
        # sorted() is stable, so equal dates keep claims.yaml order.
        return tuple(sorted(entries, key=lambda e: -e.resolved.claim.reviewed.toordinal()))

    def keep_only(self, ids: AbstractSet[str]) -> None:
        for claim_id in self.claim_entries.keys() - ids:
            del self.claim_entries[claim_id]
            self.seen.pop(claim_id, None)


EntryMaker = Callable[[ResolvedClaim, tuple[SegmentedArticle, ...]], ClaimEntry]


def _reviewed(entry: ClaimEntry) -> object:
    return entry.resolved.claim.reviewed


V = TypeVar("V")


def _same_values(old: Mapping[str, V], new: Mapping[str, V]) -> Mapping[str, V]:
    """`new`, with each value that equals `old`'s replaced by the old object itself."""
    return MappingProxyType({k: old[k] if old.get(k) == v else v for k, v in new.items()})


@dataclass(frozen=True)
class _Planned:
    """What one build planned, for the next build to tell what changed and reuse the rest."""

    wide: SiteWide
    pages: tuple[Page, ...]
    site_articles: tuple[SegmentedArticle, ...]
    by_outlet: dict[str, list[SegmentedArticle]]  # outlet slug -> its articles
    entries: Mapping[str, ClaimEntry]  # by claim id
    articles: dict[str, SegmentedArticle]  # by slug
    order: tuple[str, ...]  # claim ids, newest review first
    file_order: tuple[str, ...]  # claim ids, in claims.yaml order
    plans: Sequence[PagePlan]
    index: list[PagePlan]  # the index's pages
    lists: list[PagePlan]  # tag, rating and content pages, and 404.html
    paths: set[str]  # of those plans
    sitemap: PagePlan
    clashes: tuple[Diagnostic, ...]  # what _report_clashes found
    claims: Mapping[str, PagePlan]  # by claim id
    articles_plans: Mapping[str, PagePlan]  # by article slug
    article_plans: Sequence[PagePlan]  # in site order
    article_index: Mapping[str, int]  # article slug -> its place in that order
    outlets: Mapping[str, PagePlan]  # by outlet slug


def _replan(previous: _Planned, views: _Views) -> _Replanned:
    """Claim, article and outlet plans: new ones for what changed since `previous`, whose
    site-wide values are the same, and the old objects for everything else.

    A changed claim touches its own page, the pages of the articles it quotes (before and
    after the edit) and of their outlets; a changed article its page and its outlet's (old and
    new). Claims moved among claims of the same review date renumber the articles' lists of
    claims, which this does not follow: then every article and outlet is planned again.
    """
    entries = views.by_id
    changed = views.made | (previous.entries.keys() - entries.keys())
    slugs = set(views.moved)
    outlets = {
        segmented.article.outlet_slug
        for slug in slugs
        for segmented in (previous.articles.get(slug), views.articles.get(slug))
        if segmented is not None
    }
    for claim_id in changed:
        for entry in (previous.entries.get(claim_id), entries.get(claim_id)):
            if entry is not None:
                slugs |= entry.quotes.keys()
                outlets |= entry.by_outlet.keys()
    kept_order = [i for i in views.order if i not in changed]
    if kept_order != [i for i in previous.order if i not in changed]:
        slugs, outlets = set(views.articles), {o.slug for o in views.wide.outlets}
    # A few pages: look up who quotes them one by one; many: build the whole indexes once.
    views.planning_all = len(slugs) + len(outlets) > _FEW_PAGES
    # The last build's plans, with those of what changed made again (copying a dict is cheap;
    # building one entry by entry for thousands of pages is not).
    claims = dict(previous.claims)
    for claim_id in changed:
        if claim_id in entries:
            claims[claim_id] = views.claim(entries[claim_id])
        else:
            claims.pop(claim_id, None)
    articles = dict(previous.articles_plans)
    for slug in slugs:
        if slug in views.articles:
            articles[slug] = views.article(views.articles[slug])
        else:
            articles.pop(slug, None)
    outlet_plans = {
        o.slug: previous.outlets[o.slug]
        if o.slug not in outlets and o.slug in previous.outlets
        else views.outlet(o)
        for o in views.wide.outlets
    }
    new = [claims[i] for i in changed if i in claims]
    new += [articles[s] for s in slugs if s in articles]
    new += [plan for slug, plan in outlet_plans.items() if previous.outlets.get(slug) is not plan]
    return _Replanned(claims, articles, outlet_plans, slugs & views.articles.keys(), new)


@dataclass(frozen=True)
class _Replanned:
    """What `_replan` gives: the plans by key, and which of them are new objects."""

    claims: dict[str, PagePlan]
    articles: dict[str, PagePlan]
    outlets: dict[str, PagePlan]
    slugs: set[str]  # the articles planned again
    new: list[PagePlan]  # the claim, article and outlet plans made this time


def _lists_unchanged(previous: _Planned, views: _Views) -> bool:
    """Whether the index, tag and rating pages (and content pages) would be what they were:
    the same claims in the same order, each listed as before, with the same site-wide values
    and content pages (the caller checked those two)."""
    if views.order != previous.order:
        return False
    before = previous.entries
    return all(before[i].listing is views.by_id[i].listing for i in views.made if i in before)


def build_pages(site: Site, diagnostics: Diagnostics) -> tuple[PagePlan, ...]:
    """The page plans of `site` for a one-off render."""
    return PagePlanner().plan(site, diagnostics)


def _report_clashes(site: Site, plans: Sequence[PagePlan], diagnostics: Diagnostics) -> None:
    """A content page whose slug is a built-in route would silently replace it; say so."""
    taken: set[str] = set()
    for plan in plans:
        if plan.path in taken:
            page = next((p for p in site.pages if f"{p.slug}/index.html" == plan.path), None)
            diagnostics.error(
                Location(page.path if page else plan.path),
                f"two pages would be written to {plan.path}",
                "rename the content page: its slug clashes with a page the site builds",
            )
        taken.add(plan.path)


def _route_path(route: str) -> str:
    """The output file for a pretty-URL route: "claims/x/" -> "claims/x/index.html"."""
    return unquote(route) + "index.html"


def _shorten(text: str, limit: int = _DESCRIPTION_LENGTH) -> str:
    """Collapse white space and cut at a word boundary with an ellipsis when too long."""
    words = " ".join(text.split())
    if len(words) <= limit:
        return words
    return words[: limit - 1].rsplit(" ", 1)[0] + "…"


def _agreement(segment: Segment) -> str:
    """A row of the alignment in words, so that no reader depends on its styling."""
    if segment.shared:
        return "all alike"
    if any(segment.variant(w) for w in range(len(segment.groups))):
        return "differs"
    return "only some"


def paginate(items: Sequence[ClaimEntry], size: int = PAGE_SIZE) -> list[tuple[ClaimEntry, ...]]:
    """`items` cut into pages of `size`; an empty list is one empty page."""
    pages = [tuple(items[i : i + size]) for i in range(0, len(items), size)]
    return pages or [()]


def page_route(route: str, number: int) -> str:
    """Page `number` of a list at `route`: the first is the route itself, then route/page/N/."""
    return route if number == 1 else f"{route}page/{number}/"


def pager(route: str, number: int, total: int, urls: Urls) -> Pager | None:
    """Links between the pages of a list; None when the list has one page."""
    if total <= 1:
        return None
    shown = sorted(
        {1, total, *range(max(1, number - _PAGER_WINDOW), min(total, number + _PAGER_WINDOW) + 1)}
    )
    links: list[PagerLink | None] = []
    for index, shown_number in enumerate(shown):
        if index and shown_number - shown[index - 1] > 1:
            links.append(None)  # a gap: the template shows an ellipsis
        url = urls.link(page_route(route, shown_number))
        links.append(PagerLink(shown_number, url, shown_number == number))
    return Pager(
        number=number,
        total=total,
        previous=urls.link(page_route(route, number - 1)) if number > 1 else None,
        next=urls.link(page_route(route, number + 1)) if number < total else None,
        links=tuple(links),
    )


class _Views:
    """Lookups over one Site, computed once per build, and a method per kind of page."""

    def __init__(self, site: Site, diagnostics: Diagnostics, planner: PagePlanner) -> None:
        self.site = site
        self.config = site.config
        self.urls = Urls.of(site.config)
        self.articles = planner.articles_by_slug(site)
        self.wide = planner.site_wide(site, self._site_wide)
        self.scope = planner.scope(_Scope(site.config, self.urls, self.wide))
        self.by_outlet = planner.by_outlet(site)
        self.verdicts = {verdict.key: verdict for verdict in self.wide.verdicts}
        for resolved in site.claims:
            if resolved.claim.verdict not in self.verdicts:
                diagnostics.error(
                    resolved.claim.location,
                    f"verdict {resolved.claim.verdict!r} is not on the rating scale",
                    "use one of: " + ", ".join(self.verdicts),
                )
        # claims.yaml order (open data), then newest review first (pages); sorted() is stable,
        # so equal dates keep claims.yaml order.
        self.moved = planner.moved_articles(site.articles, self.articles)
        self.made: set[str] = set()  # claims whose entries are new (or newly equal) objects
        entries = []
        held_entries, seen, moved = planner.claim_entries, planner.seen, self.moved
        for resolved in site.claims:
            # planner.entry's first check, spelled out: thousands of claims, most unchanged.
            held = held_entries.get(resolved.claim.id)
            if (
                held is None
                or seen.get(resolved.claim.id) is not resolved
                or (moved and not moved.isdisjoint(held.quotes))
            ):
                held = planner.entry(resolved, self.articles, moved, self._entry, self.made)
            entries.append(held)
        self.entries_in_file_order = tuple(entries)
        self.by_id = {entry.id: entry for entry in self.entries_in_file_order}
        planner.keep_only(self.by_id.keys())
        self.entries = planner.site_order(self.entries_in_file_order, self.by_id, self.made)
        self.order = tuple(entry.id for entry in self.entries)
        self.tagged: dict[str, list[ClaimEntry]] = {}
        self.rated: dict[str, list[ClaimEntry]] = {}
        for entry in self.entries:
            for tag in entry.resolved.claim.tags:
                self.tagged.setdefault(tag, []).append(entry)
            self.rated.setdefault(entry.resolved.claim.verdict, []).append(entry)
        self.tags = sorted(self.tagged)
        # Set when most article and outlet pages are planned: then whole indexes pay off.
        self.planning_all = True

    # --- who quotes what: whole indexes when planning everything, else a look per page ------

    @cached_property
    def _citing(self) -> dict[str, list[ClaimEntry]]:
        return _by_slug(self.entries, attrgetter("quotes"))

    @cached_property
    def _carried(self) -> dict[str, list[ClaimEntry]]:
        return _by_slug(self.entries, attrgetter("stances"))

    def citing(self, slug: str) -> tuple[ClaimEntry, ...]:
        """The claims that quote article `slug`, in site order."""
        if self.planning_all:
            return tuple(self._citing.get(slug, ()))
        return tuple(entry for entry in self.entries if slug in entry.quotes)

    def articles_of(self, outlet: str) -> tuple[SegmentedArticle, ...]:
        """The articles of `outlet`, by slug."""
        return tuple(self.by_outlet.get(outlet, ()))

    def carried(self, outlet: str) -> tuple[ClaimEntry, ...]:
        """The claims that quote an article of `outlet`, in site order."""
        if self.planning_all:
            return tuple(self._carried.get(outlet, ()))
        return tuple(entry for entry in self.entries if outlet in entry.stances)

    # --- shared pieces ------------------------------------------------------------------------

    def _site_wide(self) -> SiteWide:
        config, urls = self.config, self.urls
        names: dict[str, str] = {}
        for segmented in self.site.articles:
            names.setdefault(segmented.article.outlet_slug, segmented.article.outlet)
        # Only names and links: an article added to an outlet must not re-render every page.
        outlets = tuple(
            OutletSummary(slug, Link(name, urls.link(outlet_route(slug))))
            for slug, name in sorted(names.items())
        )
        verdicts = tuple(self._verdict(rating.key) for rating in config.ratings)
        methodology = next((p for p in self.site.pages if p.slug == "methodology"), None)
        site = SiteView(
            title=config.title,
            description=config.description,
            language=config.language,
            base_path=config.base_path,
            base_url=config.base_url,
            publisher_name=config.publisher.name,
            publisher_url=config.publisher.url,
            pages=tuple(Link(page.title, urls.link(f"{page.slug}/")) for page in self.site.pages),
            outlets=tuple(summary.outlet for summary in outlets),
            ratings=tuple(Link(v.label, v.url) for v in verdicts),
            stylesheet=urls.link("static/style.css"),
            icon=urls.link("static/icon.svg"),
            script=urls.link("static/site.js"),
            feed=urls.link("feed.xml"),
        )
        return SiteWide(
            config=config,
            site=site,
            verdicts=verdicts,
            methodology=Link(methodology.title, urls.link("methodology/")) if methodology else None,
            outlets=outlets,
        )

    def _verdict(self, key: str) -> VerdictView:
        rating = self.config.rating(key)
        best = len(self.config.ratings)
        value = rating_value(self.config, key)
        fraction = (value - 1) / (best - 1) if best > 1 else 1.0
        return VerdictView(
            key=key,
            label=rating.label if rating else key,
            description=rating.description if rating else "",
            value=value,
            best=best,
            tone=_TONES[round(fraction * (len(_TONES) - 1))] if value else "mid",
            url=self.urls.link(rating_route(key)),
        )

    def _entry(self, resolved: ResolvedClaim, articles: tuple[SegmentedArticle, ...]) -> ClaimEntry:
        claim, urls = resolved.claim, self.urls
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
            verdict=self.verdicts.get(claim.verdict) or self._verdict(claim.verdict),
            reviewed=date_view(claim.reviewed),
            tags=tuple(Link(tag, urls.link(tag_route(tag))) for tag in claim.tags),
            outlets=tuple(OutletStance(links[slug], tuple(s)) for slug, s in stances.items()),
        )
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
            ClaimListing(card, tuple((slug, tuple(s)) for slug, s in stances.items())),
            MappingProxyType({slug: tuple(q) for slug, q in quotes.items()}),
            MappingProxyType({slug: tuple(q) for slug, q in by_outlet.items()}),
        )

    def _plan(
        self,
        route: str,
        template: str,
        key: Hashable,
        context: Callable[[], Context],
        meta: Callable[[], PageMeta],
        lastmod: str | None = None,
    ) -> PagePlan:
        """A page at a pretty URL with its sitemap entry; the layout's context is added lazily.

        `context` and `meta` must hold only what they need (the scope, the page's own values),
        never these views: plans live on across builds, and so would every build's lookups.
        """
        return PagePlan(
            path=_route_path(route),
            template=template,
            key=(self.wide, key),
            context=partial(_layout_context, self.wide.site, meta, context),
            sitemap=SitemapEntry(self.urls.absolute(route), lastmod),
        )

    def _meta(
        self, route: str, title: str, description: str, og_type: str = "website"
    ) -> Callable[[], PageMeta]:
        return partial(_page_meta, self.scope, route, title, description, og_type)

    def _list_pages(
        self,
        route: str,
        template: str,
        entries: Sequence[ClaimEntry],
        key: Hashable,
        title: str,
        description: str,
        context: Callable[[tuple[ClaimEntry, ...], Pager | None], Context],
        key_first_only: bool = False,
    ) -> list[PagePlan]:
        """A list of claims cut into pages at route, route/page/2/, ...; `key` is what every
        page shows besides its own claims (only the first, with `key_first_only`)."""
        pages = paginate(entries)
        plans = []
        for number, chunk in enumerate(pages, start=1):
            here = page_route(route, number)
            paging = pager(route, number, len(pages), self.urls)
            page_title = f"{title}, page {number}" if number > 1 else title
            shown = key if number == 1 or not key_first_only else None
            plans.append(
                self._plan(
                    here,
                    template,
                    (template, route, shown, tuple(entry.listing for entry in chunk), paging),
                    partial(context, chunk, paging),
                    self._meta(here, page_title, description),
                )
            )
        return plans

    # --- pages --------------------------------------------------------------------------------

    def index_pages(self) -> list[PagePlan]:
        counts = {key: 0 for key in self.verdicts}
        for entry in self.entries:
            if entry.resolved.claim.verdict in counts:
                counts[entry.resolved.claim.verdict] += 1
        ratings = tuple(RatingSummary(v, counts[v.key]) for v in self.wide.verdicts)
        tags = tuple(Link(tag, self.urls.link(tag_route(tag))) for tag in self.tags)
        context = partial(_index_context, self.scope, ratings, tags)
        # Only the first page shows the counts by verdict and the topics: an edit that changes
        # a count renders that page again, not every page of a long index.
        return self._list_pages(
            "",
            "index.html",
            self.entries,
            (ratings, tags),
            "",
            self.config.description,
            context,
            key_first_only=True,
        )

    def claim(self, entry: ClaimEntry) -> PagePlan:
        claim = entry.resolved.claim
        route = claim_route(claim.id)
        return self._plan(
            route,
            "claim.html",
            entry,
            partial(_claim_context, self.scope, entry, route),
            self._meta(
                route,
                _shorten(claim.claim, 70),
                f"{entry.card.verdict.label}: {claim.claim}",
                og_type="article",
            ),
            lastmod=claim.reviewed.isoformat(),
        )

    def article(self, segmented: SegmentedArticle) -> PagePlan:
        article = segmented.article
        citing = self.citing(article.slug)
        description = article.standfirst or f"{article.title}, as published by {article.outlet}."
        route = article_route(article.slug)
        return self._plan(
            route,
            "article.html",
            ("article", segmented, tuple((e.card, e.quotes.get(article.slug, ())) for e in citing)),
            partial(_article_context, self.scope, segmented, citing),
            self._meta(route, article.title, description, og_type="article"),
            lastmod=article.published.isoformat() if article.published else None,
        )

    def outlet(self, summary: OutletSummary) -> PagePlan:
        route = outlet_route(summary.slug)
        articles = self.articles_of(summary.slug)
        carried = self.carried(summary.slug)
        label = summary.outlet.label
        return self._plan(
            route,
            "outlet.html",
            (
                "outlet",
                summary,
                articles,
                tuple((e.listing, e.by_outlet.get(summary.slug, ())) for e in carried),
            ),
            partial(_outlet_context, self.scope, summary, articles, carried),
            self._meta(
                route,
                label,
                f"Articles by {label} and the {len(carried)} fact-checked claim(s) that quote them.",
            ),
        )

    def tag_pages(self, tag: str) -> list[PagePlan]:
        return self._list_pages(
            tag_route(tag),
            "tag.html",
            self.tagged.get(tag, []),
            tag,
            f"Claims tagged “{tag}”",
            f"Fact-checked claims tagged “{tag}”.",
            partial(_tag_context, tag),
        )

    def rating_pages(self, verdict: VerdictView) -> list[PagePlan]:
        return self._list_pages(
            rating_route(verdict.key),
            "rating.html",
            self.rated.get(verdict.key, []),
            verdict,
            f"Claims rated {verdict.label}",
            f"{verdict.label}: {verdict.description}",
            partial(_rating_context, verdict, self.wide.verdicts),
        )

    def content_page(self, page: Page) -> PagePlan:
        route = f"{page.slug}/"
        return self._plan(
            route,
            "page.html",
            ("page", page),
            partial(_content_context, self.scope, page, route),
            self._meta(route, page.title, f"{page.title}: {self.config.description}"),
        )

    def not_found(self) -> PagePlan:
        return PagePlan(
            "404.html", "404.html", (self.wide, "404"), partial(_not_found_context, self.scope)
        )


@dataclass(frozen=True)
class _Scope:
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


# --- page contexts: what each template receives, built only when the page is rendered ----------


def _layout_context(
    site: SiteView, meta: Callable[[], PageMeta], context: Callable[[], Context]
) -> Context:
    return {"site": site, "meta": meta(), **context()}


def _page_meta(scope: _Scope, route: str, title: str, description: str, og_type: str) -> PageMeta:
    site_title = scope.config.title
    return PageMeta(
        title=f"{title} — {site_title}" if title else site_title,
        description=_shorten(description),
        canonical=scope.urls.absolute(route),
        path=scope.urls.link(route),
        og_type=og_type,
    )


def _citing(slug: str, entries: Sequence[ClaimEntry]) -> tuple[CitingClaim, ...]:
    """The claims among `entries` (site order) that quote article `slug`, numbered."""
    citing: list[CitingClaim] = []
    for entry in entries:
        quotes = entry.quotes.get(slug, ())
        if not quotes:
            continue
        stances = [stance_view(q.quote.stance) for q in quotes]
        first = min((q.sentences[0] for q in quotes if q.sentences), default=1)
        citing.append(
            CitingClaim(
                number=len(citing) + 1,
                card=entry.card,
                stances=tuple(dict.fromkeys(s for s in stances if s is not None)),
                first_anchor=f"s-{first}",
            )
        )
    return tuple(citing)


_NOT_MENTIONED = CoverageCell(False, ())


def _coverage(
    caption: str, entries: Sequence[ClaimEntry], scope: _Scope, first: str | None = None
) -> CoverageTable:
    """`entries` x every outlet (`first` leads), with each cell's stances."""
    outlets = sorted(scope.wide.outlets, key=lambda o: (o.slug != first, o.slug))
    memo = scope.rows
    rows = []
    for entry in entries:
        held = memo.get((entry.id, first))
        if held is None or held[0] is not entry.listing:
            stances = entry.stances
            cells = tuple(
                CoverageCell(True, stances[o.slug]) if o.slug in stances else _NOT_MENTIONED
                for o in outlets
            )
            row = CoverageRow(entry.card, cells, slot=(entry.id, first))
            held = memo[(entry.id, first)] = (entry.listing, row)
        rows.append(held[1])
    return CoverageTable(caption, tuple(o.outlet for o in outlets), tuple(rows))


def _what_differs(entry: ClaimEntry) -> WhatDiffers:
    comparison = compare_claim(entry.resolved, {s.article.slug: s for s in entry.articles})
    return WhatDiffers(
        outlets=tuple(w.outlet for w in comparison.witnesses),
        differences=tuple(d.sentence for d in comparison.differences),
        shared=comparison.shared,
        rows=tuple(
            AlignedRow(
                _agreement(segment),
                tuple(
                    AlignedCell(text, segment.variant(w)) for w, text in enumerate(segment.readings)
                ),
            )
            for segment in comparison.segments
        ),
    )


def _index_context(
    scope: _Scope,
    ratings: tuple[RatingSummary, ...],
    tags: tuple[Link, ...],
    chunk: tuple[ClaimEntry, ...],
    paging: Pager | None,
) -> Context:
    first = paging is None or paging.number == 1
    return {
        "claims": tuple(entry.card for entry in chunk),
        "ratings": ratings if first else (),
        "tags": tags if first else (),
        "coverage": _coverage("Which outlet reports which claim, and how", chunk, scope),
        "pager": paging,
    }


def _claim_context(scope: _Scope, entry: ClaimEntry, route: str) -> Context:
    config, urls = scope.config, scope.urls
    card = entry.card
    columns = []
    for segmented in entry.articles:
        view = article_view(segmented.article, urls)
        quotes = entry.quotes.get(segmented.article.slug, ())
        excerpts = (excerpt(segmented, q, view.url, config.base_path) for q in quotes)
        columns.append(Column(view, tuple(e for e in excerpts if e is not None)))
    articles = {s.article.slug: s.article for s in entry.articles}
    review = claim_review(entry.resolved, articles, config, urls.absolute(route))
    return {
        "claim": card,
        "differs": _what_differs(entry),
        "summary": markdown_block(entry.resolved.claim.summary, config.base_path),
        "columns": tuple(columns),
        "not_mentioned": tuple(o for o in scope.wide.outlets if o.slug not in entry.stances),
        "scale": scope.wide.verdicts,
        "methodology": scope.wide.methodology,
        "breadcrumbs": (Link("Home", urls.link("")), Link(card.verdict.label, card.verdict.url)),
        "jsonld": inert_json(review),
    }


def _article_context(
    scope: _Scope, segmented: SegmentedArticle, entries: tuple[ClaimEntry, ...]
) -> Context:
    article = segmented.article
    view = article_view(article, scope.urls)
    citing = _citing(article.slug, entries)
    marks: dict[int, list[Span]] = {}
    refs: dict[int, list[ClaimRef]] = {}
    for cited, entry in zip(citing, entries, strict=True):
        for quoted in entry.quotes.get(article.slug, ()):
            ref = ClaimRef(
                cited.number,
                Link(cited.card.statement, cited.card.url),
                stance_view(quoted.quote.stance),
            )
            for number in quoted.sentences:
                marks.setdefault(number, []).extend(quoted.spans)
                if ref not in refs.setdefault(number, []):
                    refs[number].append(ref)
    return {
        "article": view,
        "body": article_body(segmented, marks, {n: tuple(r) for n, r in refs.items()}),
        "citing": citing,
        "breadcrumbs": (Link("Home", scope.urls.link("")), view.outlet),
    }


def _outlet_context(
    scope: _Scope,
    summary: OutletSummary,
    articles: tuple[SegmentedArticle, ...],
    carried: tuple[ClaimEntry, ...],
) -> Context:
    label = summary.outlet.label
    by_article: dict[str, list[ClaimEntry]] = {}
    for entry in carried:
        for slug, _ in entry.by_outlet.get(summary.slug, ()):
            by_article.setdefault(slug, []).append(entry)
    return {
        "outlet": summary.outlet,
        "articles": tuple(
            OutletArticle(
                article_view(s.article, scope.urls),
                _citing(s.article.slug, by_article.get(s.article.slug, ())),
            )
            for s in articles
        ),
        "coverage": _coverage(
            f"The claims {label} reports, and how every outlet reports them",
            carried,
            scope,
            summary.slug,
        ),
    }


def _tag_context(tag: str, chunk: tuple[ClaimEntry, ...], paging: Pager | None) -> Context:
    return {"tag": tag, "claims": tuple(e.card for e in chunk), "pager": paging}


def _rating_context(
    verdict: VerdictView,
    scale: tuple[VerdictView, ...],
    chunk: tuple[ClaimEntry, ...],
    paging: Pager | None,
) -> Context:
    return {
        "verdict": verdict,
        "claims": tuple(e.card for e in chunk),
        "scale": scale,
        "pager": paging,
    }


def _content_context(scope: _Scope, page: Page, route: str) -> Context:
    return {
        "page": Link(page.title, scope.urls.link(route)),
        "body": markdown_block(page.body, scope.config.base_path),
    }


def _not_found_context(scope: _Scope) -> Context:
    urls = scope.urls
    meta = PageMeta(
        title=f"Page not found — {scope.config.title}",
        description="This page does not exist.",
        canonical=urls.absolute("404.html"),
        path=urls.link("404.html"),
        noindex=True,
    )
    return {"site": scope.wide.site, "meta": meta}


def _by_slug(
    entries: Iterable[ClaimEntry], slugs: Callable[[ClaimEntry], Iterable[str]]
) -> dict[str, list[ClaimEntry]]:
    """Slug -> the entries, in order, whose `slugs` name it."""
    index: dict[str, list[ClaimEntry]] = {}
    for entry in entries:
        for slug in slugs(entry):
            index.setdefault(slug, []).append(entry)
    return index
