"""Page plans: the resolved `Site` -> one `PagePlan` per file rendered from a template.

In: a `Site` and the run's `Diagnostics` (for problems only visible here: a verdict missing from
the scale, two pages wanting one path). Out: `PagePlan`s, each an output path, a template name, a
`key` made of exactly the values the page is built from, and a function that builds the page's
context of plain frozen values (views_types.py) when the page has to be rendered.

The keys are how a rebuild knows what an edit touched: render.py renders a page again only when
its key differs from the last build's. A claim's key parts are reused from one build to the next
while the claim and its articles are unchanged (`PagePlanner` keeps them), so comparing keys is
mostly comparing identical objects. This module decides what each page shows and in which order;
all HTML lives in templates/.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property, partial
from typing import TypeVar
from types import MappingProxyType
from urllib.parse import unquote

from .compare import Segment, compare_claim
from .diagnostics import Diagnostics, Location
from .model import Page, ResolvedClaim, ResolvedQuote, SegmentedArticle, Site, SiteConfig
from .render_jsonld import claim_review, inert_json, rating_value
from .render_text import Span, markdown_block
from .views_article import (
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
from .views_feeds import feed_plan, robots_plan, sitemap_plan
from .views_types import (
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

    resolved: ResolvedClaim
    articles: tuple[SegmentedArticle, ...]  # quoted and present, in first-quoted order
    listing: ClaimListing
    quotes: Mapping[str, tuple[ResolvedQuote, ...]]  # article slug -> its quotes, in order
    # outlet slug -> (article slug, quotes) for each of that outlet's articles it quotes
    by_outlet: Mapping[str, tuple[tuple[str, tuple[ResolvedQuote, ...]], ...]]

    @property
    def id(self) -> str:
        return self.resolved.claim.id

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
        self._entries: dict[str, ClaimEntry] = {}

    def plan(self, site: Site, diagnostics: Diagnostics) -> tuple[PagePlan, ...]:
        """Every page of the site, plus sitemap.xml, feed.xml and robots.txt, in a fixed order."""
        views = _Views(site, diagnostics, self)
        html = [
            *views.index_pages(),
            *(views.claim(entry) for entry in views.entries),
            *(views.article(segmented) for segmented in site.articles),
            *(views.outlet(summary) for summary in views.wide.outlets),
            *(plan for tag in views.tags for plan in views.tag_pages(tag)),
            *(plan for verdict in views.wide.verdicts for plan in views.rating_pages(verdict)),
            *(views.content_page(page) for page in site.pages),
            views.not_found(),
        ]
        feed = feed_plan(views.wide.site, views.urls, [(e.resolved, e.card) for e in views.entries])
        plans = [*html, sitemap_plan(html), feed, robots_plan(views.urls)]
        _report_clashes(site, plans, diagnostics)
        return tuple(plans)

    def site_wide(self, wide: SiteWide) -> SiteWide:
        """The last build's equal value if there is one (identity makes key comparison cheap)."""
        if self._wide != wide:
            self._wide = wide
            self._entries = {}
        return self._wide

    def entry(
        self, resolved: ResolvedClaim, articles: tuple[SegmentedArticle, ...], make: EntryMaker
    ) -> ClaimEntry:
        held = self._entries.get(resolved.claim.id)
        if held is not None and held.resolved == resolved and held.articles == articles:
            return held
        made = make(resolved, articles)
        if held is not None:
            made = replace(
                made,
                listing=held.listing if held.listing == made.listing else made.listing,
                quotes=_same_values(held.quotes, made.quotes),
                by_outlet=_same_values(held.by_outlet, made.by_outlet),
            )
        self._entries[resolved.claim.id] = made
        return made

    def keep_only(self, ids: set[str]) -> None:
        for claim_id in set(self._entries) - ids:
            del self._entries[claim_id]


EntryMaker = Callable[[ResolvedClaim, tuple[SegmentedArticle, ...]], ClaimEntry]
V = TypeVar("V")


def _same_values(old: Mapping[str, V], new: Mapping[str, V]) -> Mapping[str, V]:
    """`new`, with each value that equals `old`'s replaced by the old object itself."""
    return MappingProxyType({k: old[k] if old.get(k) == v else v for k, v in new.items()})


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
        self.articles = {segmented.article.slug: segmented for segmented in site.articles}
        self.wide = planner.site_wide(self._site_wide())
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
        self.entries_in_file_order = tuple(
            planner.entry(resolved, self._quoted(resolved), self._entry) for resolved in site.claims
        )
        planner.keep_only({entry.id for entry in self.entries_in_file_order})
        self.entries = tuple(
            sorted(
                self.entries_in_file_order,
                key=lambda e: -e.resolved.claim.reviewed.toordinal(),
            )
        )
        self.tags = sorted({tag for entry in self.entries for tag in entry.resolved.claim.tags})
        self.citing: dict[str, list[ClaimEntry]] = {}
        for entry in self.entries:
            for slug in dict.fromkeys(q.quote.article for q in entry.resolved.quotes):
                self.citing.setdefault(slug, []).append(entry)
        self.by_outlet: dict[str, list[SegmentedArticle]] = {}
        for segmented in site.articles:
            self.by_outlet.setdefault(segmented.article.outlet_slug, []).append(segmented)
        self.carried: dict[str, list[ClaimEntry]] = {}  # outlet slug -> claims quoting it
        for entry in self.entries:
            for slug in entry.stances:
                self.carried.setdefault(slug, []).append(entry)

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

    def _quoted(self, resolved: ResolvedClaim) -> tuple[SegmentedArticle, ...]:
        slugs = dict.fromkeys(q.quote.article for q in resolved.quotes)
        return tuple(self.articles[slug] for slug in slugs if slug in self.articles)

    def _entry(
        self, resolved: ResolvedClaim, articles: tuple[SegmentedArticle, ...]
    ) -> ClaimEntry:
        claim, urls = resolved.claim, self.urls
        by_slug = {segmented.article.slug: segmented.article for segmented in articles}
        links: dict[str, Link] = {}
        stances: dict[str, list[StanceView]] = {}  # outlets in first-quoted order
        for quoted in resolved.quotes:
            article = by_slug.get(quoted.quote.article)
            if article is None:
                continue
            links.setdefault(
                article.outlet_slug, Link(article.outlet, urls.link(outlet_route(article.outlet_slug)))
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
        """A page at a pretty URL with its sitemap entry; the layout's context is added lazily."""
        wide = self.wide

        def full_context() -> Context:
            return {"site": wide.site, "meta": meta(), **context()}

        return PagePlan(
            path=_route_path(route),
            template=template,
            key=(wide, key),
            context=full_context,
            sitemap=SitemapEntry(self.urls.absolute(route), lastmod),
        )

    def _meta(
        self, route: str, title: str, description: str, og_type: str = "website"
    ) -> Callable[[], PageMeta]:
        def meta() -> PageMeta:
            return PageMeta(
                title=f"{title} — {self.config.title}" if title else self.config.title,
                description=_shorten(description),
                canonical=self.urls.absolute(route),
                path=self.urls.link(route),
                og_type=og_type,
            )

        return meta

    def _citing(self, slug: str) -> tuple[CitingClaim, ...]:
        """The claims that quote article `slug`, numbered in site order."""
        citing: list[CitingClaim] = []
        for entry in self.citing.get(slug, ()):
            quotes = [q for q in entry.resolved.quotes if q.quote.article == slug]
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

    def _coverage(
        self, caption: str, entries: Sequence[ClaimEntry], first: str | None = None
    ) -> CoverageTable:
        """`entries` x every outlet (`first` leads), with each cell's stances."""
        outlets = sorted(self.wide.outlets, key=lambda o: (o.slug != first, o.slug))
        rows = tuple(
            CoverageRow(
                entry.card,
                tuple(
                    CoverageCell(o.slug in entry.stances, entry.stances.get(o.slug, ()))
                    for o in outlets
                ),
            )
            for entry in entries
        )
        return CoverageTable(caption, tuple(o.outlet for o in outlets), rows)

    def _what_differs(self, entry: ClaimEntry) -> WhatDiffers:
        comparison = compare_claim(entry.resolved, self.articles)
        return WhatDiffers(
            outlets=tuple(w.outlet for w in comparison.witnesses),
            differences=tuple(d.sentence for d in comparison.differences),
            shared=comparison.shared,
            rows=tuple(
                AlignedRow(
                    _agreement(segment),
                    tuple(
                        AlignedCell(text, segment.variant(w))
                        for w, text in enumerate(segment.readings)
                    ),
                )
                for segment in comparison.segments
            ),
        )

    def _list_pages(
        self,
        route: str,
        template: str,
        entries: Sequence[ClaimEntry],
        key: Hashable,
        title: str,
        description: str,
        context: Callable[[tuple[ClaimEntry, ...], Pager | None], Context],
    ) -> list[PagePlan]:
        """A list of claims cut into pages at route, route/page/2/, ...; `key` is what every
        page shows besides its own claims."""
        pages = paginate(entries)
        plans = []
        for number, chunk in enumerate(pages, start=1):
            here = page_route(route, number)
            paging = pager(route, number, len(pages), self.urls)
            page_title = f"{title}, page {number}" if number > 1 else title
            plans.append(
                self._plan(
                    here,
                    template,
                    (template, route, key, tuple(entry.listing for entry in chunk), paging),
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

        def context(chunk: tuple[ClaimEntry, ...], paging: Pager | None) -> Context:
            return {
                "claims": tuple(entry.card for entry in chunk),
                "ratings": ratings,
                "tags": tags,
                "coverage": self._coverage("Which outlet reports which claim, and how", chunk),
                "pager": paging,
            }

        return self._list_pages(
            "", "index.html", self.entries, (ratings, tags), "", self.config.description, context
        )

    def claim(self, entry: ClaimEntry) -> PagePlan:
        claim, urls = entry.resolved.claim, self.urls
        route = claim_route(claim.id)

        def context() -> Context:
            card = entry.card
            columns = []
            for segmented in entry.articles:
                view = article_view(segmented.article, urls)
                slug = segmented.article.slug
                quotes = [q for q in entry.resolved.quotes if q.quote.article == slug]
                excerpts = (excerpt(segmented, q, view.url, self.config.base_path) for q in quotes)
                columns.append(Column(view, tuple(e for e in excerpts if e is not None)))
            articles = {s.article.slug: s.article for s in entry.articles}
            review = claim_review(entry.resolved, articles, self.config, urls.absolute(route))
            return {
                "claim": card,
                "differs": self._what_differs(entry),
                "summary": markdown_block(claim.summary, self.config.base_path),
                "columns": tuple(columns),
                "not_mentioned": tuple(
                    outlet for outlet in self.wide.outlets if outlet.slug not in entry.stances
                ),
                "scale": self.wide.verdicts,
                "methodology": self.wide.methodology,
                "breadcrumbs": (
                    Link("Home", urls.link("")),
                    Link(card.verdict.label, card.verdict.url),
                ),
                "jsonld": inert_json(review),
            }

        return self._plan(
            route,
            "claim.html",
            entry,
            context,
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
        citing_entries = tuple(self.citing.get(article.slug, ()))

        def context() -> Context:
            view = article_view(article, self.urls)
            citing = self._citing(article.slug)
            marks: dict[int, list[Span]] = {}
            refs: dict[int, list[ClaimRef]] = {}
            for cited in citing:
                entry = citing_entries[cited.number - 1]
                for quoted in entry.resolved.quotes:
                    if quoted.quote.article != article.slug:
                        continue
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
                "breadcrumbs": (Link("Home", self.urls.link("")), view.outlet),
            }

        description = article.standfirst or f"{article.title}, as published by {article.outlet}."
        route = article_route(article.slug)
        return self._plan(
            route,
            "article.html",
            (
                "article",
                segmented,
                tuple((e.card, e.quotes.get(article.slug, ())) for e in citing_entries),
            ),
            context,
            self._meta(route, article.title, description, og_type="article"),
            lastmod=article.published.isoformat() if article.published else None,
        )

    def outlet(self, summary: OutletSummary) -> PagePlan:
        route = outlet_route(summary.slug)
        articles = tuple(self.by_outlet.get(summary.slug, ()))
        carried = tuple(self.carried.get(summary.slug, ()))

        def context() -> Context:
            listed = tuple(
                OutletArticle(article_view(s.article, self.urls), self._citing(s.article.slug))
                for s in articles
            )
            return {
                "outlet": summary.outlet,
                "articles": listed,
                "coverage": self._coverage(
                    f"The claims {summary.outlet.label} reports, and how every outlet reports them",
                    carried,
                    summary.slug,
                ),
            }

        count = len(carried)
        return self._plan(
            route,
            "outlet.html",
            (
                "outlet",
                summary,
                articles,
                tuple((e.listing, e.by_outlet.get(summary.slug, ())) for e in carried),
            ),
            context,
            self._meta(
                route,
                summary.outlet.label,
                f"Articles by {summary.outlet.label} and the {count} fact-checked claim(s) "
                "that quote them.",
            ),
        )

    def tag_pages(self, tag: str) -> list[PagePlan]:
        entries = [e for e in self.entries if tag in e.resolved.claim.tags]

        def context(chunk: tuple[ClaimEntry, ...], paging: Pager | None) -> Context:
            return {"tag": tag, "claims": tuple(e.card for e in chunk), "pager": paging}

        return self._list_pages(
            tag_route(tag),
            "tag.html",
            entries,
            tag,
            f"Claims tagged “{tag}”",
            f"Fact-checked claims tagged “{tag}”.",
            context,
        )

    def rating_pages(self, verdict: VerdictView) -> list[PagePlan]:
        entries = [e for e in self.entries if e.resolved.claim.verdict == verdict.key]

        def context(chunk: tuple[ClaimEntry, ...], paging: Pager | None) -> Context:
            return {
                "verdict": verdict,
                "claims": tuple(e.card for e in chunk),
                "scale": self.wide.verdicts,
                "pager": paging,
            }

        return self._list_pages(
            rating_route(verdict.key),
            "rating.html",
            entries,
            verdict,
            f"Claims rated {verdict.label}",
            f"{verdict.label}: {verdict.description}",
            context,
        )

    def content_page(self, page: Page) -> PagePlan:
        route = f"{page.slug}/"

        def context() -> Context:
            return {
                "page": Link(page.title, self.urls.link(route)),
                "body": markdown_block(page.body, self.config.base_path),
            }

        return self._plan(
            route,
            "page.html",
            ("page", page),
            context,
            self._meta(route, page.title, f"{page.title}: {self.config.description}"),
        )

    def not_found(self) -> PagePlan:
        wide, urls = self.wide, self.urls

        def context() -> Context:
            meta = PageMeta(
                title=f"Page not found — {self.config.title}",
                description="This page does not exist.",
                canonical=urls.absolute("404.html"),
                path=urls.link("404.html"),
                noindex=True,
            )
            return {"site": wide.site, "meta": meta}

        return PagePlan("404.html", "404.html", (wide, "404"), context)
