"""A resolved `Site` -> one `PagePlan` per page, a method per kind of page.

In: a `Site` and the planner's kept values. Out: plans (path, template, key, lazy context) for the
index, claims, articles, outlets, tags, ratings, content pages and 404; long lists cut into pages.
Each claim, article and outlet page records in the planner's table the inputs it read
(pages/reads.py), and so do the lists, once planned.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from functools import cached_property, partial
from operator import attrgetter
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostics
from ..engine.cache import kept
from ..model import (
    Page,
    SegmentedArticle,
    Site,
)
from .contexts import (
    article_context,
    claim_context,
    content_context,
    corrections_context,
    index_context,
    layout_context,
    not_found_context,
    outlet_context,
    outlets_context,
    page_meta,
    rating_context,
    shorten,
    tag_context,
)
from .entries import ClaimEntry, Context, Scope, claim_entry, site_wide
from .paging import (
    pager,
    paginate,
)
from .reads import (
    ARTICLE,
    CARRIED,
    CITED,
    CLAIM,
    LISTING,
    LISTS,
    ORDER,
    OUTLET,
    RANKS,
)
from .routes import (
    CORRECTIONS_ROUTE,
    OUTLETS_ROUTE,
    Urls,
    article_route,
    claim_route,
    outlet_route,
    page_route,
    rating_route,
    route_path,
    tag_route,
)
from .values import (
    Link,
    OutletSummary,
    PageMeta,
    PagePlan,
    Pager,
    RatingSummary,
    SitemapEntry,
    VerdictView,
)

if TYPE_CHECKING:
    from .plan import PagePlanner


class Views:
    """Lookups over one Site, computed once per build, and a method per kind of page."""

    def __init__(self, site: Site, diagnostics: Diagnostics, planner: PagePlanner) -> None:
        self.site = site
        self.config = site.config
        self.urls = Urls.of(site.config)
        self.reads = planner.reads
        self.articles = planner.articles_by_slug(site)
        self.wide = planner.site_wide(site, partial(site_wide, site, self.urls))
        self.scope = planner.scope(Scope(site.config, self.urls, self.wide, planner.differs))
        self.by_outlet = planner.by_outlet(site)
        self.verdicts = {verdict.key: verdict for verdict in self.wide.verdicts}
        # claims.yaml order (open data), then newest review first (pages); sorted() is stable,
        # so equal dates keep claims.yaml order.
        self.moved = planner.moved_articles(site, self.articles)
        self.made: set[str] = set()  # claims whose entries are new (or newly equal) objects
        entries = []
        held_entries, seen, moved = planner.claim_entries, planner.seen, self.moved
        make_entry = partial(
            claim_entry,
            config=self.config,
            urls=self.urls,
            verdicts=self.verdicts,
            shared=site.shared,
        )
        verdicts = self.verdicts
        for resolved in site.claims:
            if resolved.claim.verdict not in verdicts:
                diagnostics.error(
                    resolved.claim.location,
                    f"verdict {resolved.claim.verdict!r} is not on the rating scale",
                    "use one of: " + ", ".join(verdicts),
                )
            # planner.entry's first check, spelled out: thousands of claims, most unchanged.
            held = held_entries.get(resolved.claim.id)
            if (
                held is None
                or not kept(seen.get(resolved.claim.id), resolved)
                or (moved and not moved.isdisjoint(held.quotes))
            ):
                held = planner.entry(
                    resolved, self.articles, moved, make_entry, self.made, site.shared
                )
            entries.append(held)
        self.entries_in_file_order = tuple(entries)
        self.by_id = {entry.id: entry for entry in self.entries_in_file_order}
        planner.keep_only(self.by_id.keys())
        self.entries = planner.site_order(self.entries_in_file_order, self.by_id, self.made)
        self.order = tuple(entry.id for entry in self.entries)
        # Set when most article and outlet pages are planned: then whole indexes pay off.
        self.planning_all = True

    # --- the lists' claims: only an edit that changes a list needs them -----------------------

    @cached_property
    def tagged(self) -> dict[str, list[ClaimEntry]]:
        """Tag -> its claims, in site order."""
        tagged: dict[str, list[ClaimEntry]] = {}
        for entry in self.entries:
            for tag in entry.resolved.claim.tags:
                tagged.setdefault(tag, []).append(entry)
        return tagged

    @cached_property
    def rated(self) -> dict[str, list[ClaimEntry]]:
        """Verdict -> its claims, in site order."""
        rated: dict[str, list[ClaimEntry]] = {}
        for entry in self.entries:
            rated.setdefault(entry.resolved.claim.verdict, []).append(entry)
        return rated

    @cached_property
    def tags(self) -> list[str]:
        return sorted(self.tagged)

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
            path=route_path(route),
            template=template,
            key=(self.wide, key),
            context=partial(layout_context, self.wide.site, meta, context),
            sitemap=SitemapEntry(self.urls.absolute(route), lastmod),
        )

    def _meta(
        self, route: str, title: str, description: str, og_type: str = "website"
    ) -> Callable[[], PageMeta]:
        return partial(page_meta, self.scope, route, title, description, og_type)

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
                    (
                        template,
                        route,
                        shown,
                        tuple(entry.listing for entry in chunk),
                        paging,
                    ),
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
        context = partial(index_context, self.scope, ratings, tags)
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

    def lists_planned(self) -> None:
        """Record what the lists read: the order of claims and what each shows of them."""
        self.reads.record((LISTS, ""), [ORDER, *((LISTING, claim_id) for claim_id in self.order)])

    def claim(self, entry: ClaimEntry) -> PagePlan:
        claim = entry.resolved.claim
        route = claim_route(claim.id)
        self.reads.record((CLAIM, claim.id), [(CLAIM, claim.id)])
        return self._plan(
            route,
            "claim.html",
            entry,
            partial(claim_context, self.scope, entry, route),
            self._meta(
                route,
                shorten(claim.claim, 70),
                f"{entry.card.verdict.label}: {claim.claim}",
                og_type="article",
            ),
            lastmod=claim.reviewed.isoformat(),
        )

    def article(self, segmented: SegmentedArticle) -> PagePlan:
        article = segmented.article
        citing = self.citing(article.slug)
        # The articles it shares copy with: their passages and titles are on this page.
        shared = tuple(
            (pair, self.articles[pair.other(article.slug)])
            for pair in self.site.shared.pairs_of(article.slug)
            if pair.other(article.slug) in self.articles
        )
        self.reads.record(
            (ARTICLE, article.slug),
            [
                (ARTICLE, article.slug),
                (CITED, article.slug),
                RANKS,
                *((CLAIM, e.id) for e in citing),
                *((ARTICLE, other.article.slug) for _, other in shared),
            ],
        )
        description = article.standfirst or f"{article.title}, as published by {article.outlet}."
        route = article_route(article.slug)
        return self._plan(
            route,
            "article.html",
            (
                "article",
                segmented,
                tuple((e.card, e.quotes.get(article.slug, ())) for e in citing),
                shared,
            ),
            partial(article_context, self.scope, segmented, citing, shared),
            self._meta(route, article.title, description, og_type="article"),
            lastmod=article.published.isoformat() if article.published else None,
        )

    def outlet(self, summary: OutletSummary) -> PagePlan:
        route = outlet_route(summary.slug)
        articles = self.articles_of(summary.slug)
        carried = self.carried(summary.slug)
        # Each article's partners in shared copy, named by outlet and linked to its list.
        partners = {
            s.article.slug: tuple(
                self.articles[pair.other(s.article.slug)].article
                for pair in self.site.shared.pairs_of(s.article.slug)
                if pair.other(s.article.slug) in self.articles
            )
            for s in articles
        }
        shares = {
            slug: tuple(
                Link(other.outlet, self.urls.link(article_route(slug)) + "#shared-copy")
                for other in others
            )
            for slug, others in partners.items()
            if others
        }
        self.reads.record(
            (OUTLET, summary.slug),
            [
                (OUTLET, summary.slug),
                (CARRIED, summary.slug),
                RANKS,
                *((ARTICLE, s.article.slug) for s in articles),
                *((CLAIM, e.id) for e in carried),
                *((ARTICLE, other.slug) for others in partners.values() for other in others),
            ],
        )
        label = summary.outlet.label
        return self._plan(
            route,
            "outlet.html",
            (
                "outlet",
                summary,
                articles,
                tuple((e.listing, e.by_outlet.get(summary.slug, ())) for e in carried),
                tuple(shares.items()),
            ),
            partial(outlet_context, self.scope, summary, articles, carried, shares),
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
            partial(tag_context, tag),
        )

    def rating_pages(self, verdict: VerdictView) -> list[PagePlan]:
        return self._list_pages(
            rating_route(verdict.key),
            "rating.html",
            self.rated.get(verdict.key, []),
            verdict,
            f"Claims rated {verdict.label}",
            f"{verdict.label}: {verdict.description}",
            partial(rating_context, verdict, self.wide.verdicts),
        )

    def content_page(self, page: Page) -> PagePlan:
        route = f"{page.slug}/"
        return self._plan(
            route,
            "page.html",
            ("page", page),
            partial(content_context, self.scope, page, route),
            self._meta(route, page.title, f"{page.title}: {self.config.description}"),
        )

    def outlets_page(self) -> PagePlan:
        """Every outlet, linked: what the footer stands for once outlets are many. It shows
        only what every page's key holds (`wide`), so it is planned with the lists."""
        count = len(self.wide.outlets)
        return self._plan(
            OUTLETS_ROUTE,
            "outlets.html",
            "outlets",
            partial(outlets_context, self.scope),
            self._meta(
                OUTLETS_ROUTE,
                "Outlets",
                f"{count} outlet{'s' if count != 1 else ''} whose articles this site holds.",
            ),
        )

    def corrections_page(self) -> PagePlan:
        """/corrections/: every correction on the record. Planned with the lists, which are
        planned again when a claim's listing (its updates among it) changes."""
        corrected = tuple(
            e for e in self.entries if any(u.kind == "correction" for u in e.listing.updates)
        )
        return self._plan(
            CORRECTIONS_ROUTE,
            "corrections.html",
            ("corrections", tuple((e.card, e.listing.updates) for e in corrected)),
            partial(corrections_context, self.scope, corrected),
            self._meta(
                CORRECTIONS_ROUTE,
                "Corrections",
                "Every correction of our reviews, newest first, with what changed and why.",
            ),
        )

    def not_found(self) -> PagePlan:
        return PagePlan(
            "404.html",
            "404.html",
            (self.wide, "404"),
            partial(not_found_context, self.scope),
        )


def _by_slug(
    entries: Iterable[ClaimEntry], slugs: Callable[[ClaimEntry], Iterable[str]]
) -> dict[str, list[ClaimEntry]]:
    """Slug -> the entries, in order, whose `slugs` name it."""
    index: dict[str, list[ClaimEntry]] = {}
    for entry in entries:
        for slug in slugs(entry):
            index.setdefault(slug, []).append(entry)
    return index
