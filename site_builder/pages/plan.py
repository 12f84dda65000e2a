"""Page plans: the resolved `Site` -> one `PagePlan` per file rendered from a template.

In: a `Site` and the run's `Diagnostics` (for problems only visible here: a verdict missing from
the scale, two pages wanting one path). Out: a `Planned`: the `PagePlan`s, each an output path, a
template name, a `key` made of exactly the values the page shows, and a function that builds the
page's context of plain frozen values (pages/values.py) when the page has to be rendered; and
which of them were planned anew since the last call.

The keys are how a rebuild knows what an edit touched: output/render.py renders a page again only
when its key differs from the last build's. Which pages to plan again is a lookup: each claim,
article and outlet page records the inputs it read while it is planned (pages/reads.py names
them; engine/depends.py keeps the table), and an edit's changed inputs name the pages to plan
again. This module decides what each page shows and in which order; all HTML lives in templates/.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import TypeVar

from ..diagnostics import Diagnostic, Diagnostics, Location
from ..engine.cache import kept, same
from ..engine.depends import Dependencies
from ..model import (
    Page,
    ResolvedClaim,
    SegmentedArticle,
    SharedCopy,
    Site,
    same_source,
    without_locations,
)
from .differs import DiffersCache
from .entries import ClaimEntry, EntryMaker, Scope, SiteWide
from .feeds import feed_plan, robots_plan, sitemap_plan
from .paging import FEW_PAGES
from .reads import ARTICLE, CLAIM, LISTS, OUTLET, PageName, Read, changed_inputs
from .values import (
    PagePlan,
)
from .views import Views


@dataclass(frozen=True)
class Planned:
    """What one `PagePlanner.plan` gives: every plan, in a fixed order, and what is new."""

    plans: tuple[PagePlan, ...]
    # The plans made this time (None: all of them may be); every other plan is the last call's.
    fresh: tuple[PagePlan, ...] | None
    gone: frozenset[str]  # paths of the last call's plans that this one no longer has


class PagePlanner:
    """Plans the pages of one site build after build, planning again only what an edit touched.

    Keeps the site-wide values and each claim's `ClaimEntry` from the last build while their
    inputs are equal, and which inputs each claim, article and outlet page read.
    """

    def __init__(self, differs: DiffersCache | None = None) -> None:
        # Where claim pages find their "what differs" (memory only unless given one on disk).
        self.differs = differs if differs is not None else DiffersCache(None)
        self._wide: SiteWide | None = None
        self.claim_entries: dict[str, ClaimEntry] = {}
        # The resolved claim each entry was last checked against (equal to the entry's own but
        # for locations), so that the next build's check of an unchanged claim is quick.
        self.seen: dict[str, ResolvedClaim] = {}
        self._previous: _Planned | None = None
        self._scope: Scope | None = None
        self.reads: Dependencies[PageName, Read] = Dependencies()

    def plan(self, site: Site, diagnostics: Diagnostics, extras: bool = True) -> Planned:
        """Every page of the site, plus sitemap.xml, feed.xml and robots.txt, in a fixed order.

        The plans of claim, article and outlet pages that read none of the inputs an edit
        changed are the last build's; the lists (index, tags, ratings) are planned again when
        the order of claims or what they show of one changed. Without `extras` the sitemap is
        the last build's (serve brings it up to date once edits pause).
        """
        previous = self._previous
        views = Views(site, diagnostics, self)
        new: list[PagePlan] | None = None  # None: every plan may be new
        if previous is None or previous.wide != views.wide or previous.pages != site.pages:
            self.reads.clear()  # every page is planned, and records what it reads, again
            claims = {entry.id: views.claim(entry) for entry in views.entries}
            articles = {s.article.slug: views.article(s) for s in site.articles}
            outlets = {o.slug: views.outlet(o) for o in views.wide.outlets}
            relist = True
        else:
            again = _replan(previous, views, self.reads)
            claims, articles, outlets, new = again.claims, again.articles, again.outlets, again.new
            relist = again.relist
        if relist or previous is None:
            index = views.index_pages()
            lists = [
                *(plan for tag in views.tags for plan in views.tag_pages(tag)),
                *(plan for verdict in views.wide.verdicts for plan in views.rating_pages(verdict)),
                views.outlets_page(),
                views.corrections_page(),
                *(views.content_page(page) for page in site.pages),
                views.not_found(),
            ]
            views.lists_planned()
        else:
            index, lists = previous.index, previous.lists
        if previous is not None and new is not None and previous.site_articles == site.articles:
            # The same articles in the same order: the last build's list, with the new plans
            # (looking up thousands of plans one by one costs more than the edit).
            article_plans = list(previous.article_plans)
            for plan in new:
                at = previous.article_at.get(plan.path)
                if at is not None:
                    article_plans[at] = plan
            article_at = previous.article_at
        else:
            article_plans = [articles[s.article.slug] for s in site.articles]
            article_at = {plan.path: at for at, plan in enumerate(article_plans)}
        html = [
            *index,
            *[claims[claim_id] for claim_id in views.order],
            *article_plans,
            *(outlets[o.slug] for o in views.wide.outlets),
            *lists,
        ]
        feed = feed_plan(views.wide.site, views.urls, [(e.resolved, e.card) for e in views.entries])
        # Without `extras` the sitemap's thousands of entries need not be gathered.
        sitemap = previous.sitemap if previous and not extras else sitemap_plan(html)
        robots = robots_plan(views.urls)
        plans = (*html, sitemap, feed, robots)
        paths = frozenset(plan.path for plan in plans)
        if new is None or previous is None:
            fresh, gone = None, frozenset[str]()
        else:
            fresh = (
                *new,
                *(index if relist else ()),
                *(lists if relist else ()),
                feed,
                robots,
                *([sitemap] if extras else []),
            )
            gone = previous.paths - paths
        if previous is None or previous.pages != site.pages or len(previous.paths) != len(paths):
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
            shared=site.shared,
            by_outlet=views.by_outlet,
            entries=views.by_id,
            articles=views.articles,
            order=views.order,
            file_order=tuple(entry.id for entry in views.entries_in_file_order),
            index=index,
            lists=lists,
            paths=paths,
            sitemap=sitemap,
            clashes=clashes,
            claims=claims,
            article_plans_by_slug=articles,
            article_plans=article_plans,
            article_at=article_at,
            outlets=outlets,
        )
        return Planned(plans, fresh, gone)

    def scope(self, scope: Scope) -> Scope:
        """The last build's scope while it is equal (it carries the coverage rows' memo)."""
        if self._scope is None or self._scope != scope:
            self._scope = scope
        return self._scope

    def site_wide(self, site: Site, make: Callable[[], SiteWide]) -> SiteWide:
        """`make()`, or the last build's value when that is equal: a changed value forgets
        every claim's entry, whose pages all show it."""
        previous = self._previous
        if (
            self._wide is not None
            and previous is not None
            and previous.site_articles == site.articles
            and previous.pages == site.pages
            and self._wide.config == site.config
        ):
            return self._wide  # made from equal inputs
        wide = make()
        if self._wide != wide:
            self._wide = wide
            self.claim_entries, self.seen = {}, {}
        assert self._wide is not None
        return self._wide

    def articles_by_slug(self, site: Site) -> dict[str, SegmentedArticle]:
        """Slug -> article; the last build's while the articles are equal."""
        previous = self._previous
        if previous is not None and previous.site_articles == site.articles:
            return previous.articles
        return {segmented.article.slug: segmented for segmented in site.articles}

    def by_outlet(self, site: Site) -> dict[str, list[SegmentedArticle]]:
        """Outlet slug -> its articles; the last build's while the articles are equal."""
        previous = self._previous
        if previous is not None and previous.site_articles == site.articles:
            return previous.by_outlet
        by_outlet: dict[str, list[SegmentedArticle]] = {}
        for segmented in site.articles:
            by_outlet.setdefault(segmented.article.outlet_slug, []).append(segmented)
        return by_outlet

    def moved_articles(self, site: Site, by_slug: Mapping[str, SegmentedArticle]) -> set[str]:
        """Slugs of the articles that differ from the last build's (new, changed, gone), and of
        those whose shared copy did: their pages show the passages they share."""
        previous = self._previous
        if previous is None:
            return set(by_slug)
        moved = _shared_moved(previous.shared, site.shared)
        if previous.site_articles == site.articles:
            return moved
        moved |= {slug for slug, s in by_slug.items() if not same(previous.articles.get(slug), s)}
        return moved | (previous.articles.keys() - by_slug.keys())

    def entry(
        self,
        resolved: ResolvedClaim,
        articles: Mapping[str, SegmentedArticle],
        moved: set[str],
        make: EntryMaker,
        made: set[str],
        shared: SharedCopy,
    ) -> ClaimEntry:
        """The claim's entry: the last build's while the claim (but for where it stands in
        claims.yaml) and its articles are equal.

        `moved` names the articles that differ from the last build's; the id of a claim whose
        entry is not the last build's is added to `made`. An entry holds the claim without its
        locations: no page shows them, and a claim that only moved must not change a page key.
        """
        claim_id = resolved.claim.id
        held = self.claim_entries.get(claim_id)
        seen = self.seen.get(claim_id)
        if held is not None and kept(seen, resolved) and moved.isdisjoint(held.quotes):
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
            and held.shared == shared.pairs_among({s.article.slug for s in quoted})
        ):
            if seen is not None and same_source(seen.claim, resolved.claim):
                return held  # read from the very same text in claims.yaml: it only moved
            if held.resolved == without_locations(resolved):
                return held
        made.add(claim_id)
        entry = make(without_locations(resolved), quoted)
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


def _shared_moved(before: SharedCopy, now: SharedCopy) -> set[str]:
    """The articles in a pair of shared copy that is new, gone or changed since `before`."""
    if before is now or before == now:
        return set()
    pairs = set(before.pairs) ^ set(now.pairs)
    return {slug for pair in pairs for slug in (pair.first, pair.second)}


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
    shared: SharedCopy
    by_outlet: dict[str, list[SegmentedArticle]]  # outlet slug -> its articles
    entries: Mapping[str, ClaimEntry]  # by claim id
    articles: dict[str, SegmentedArticle]  # by slug
    order: tuple[str, ...]  # claim ids, newest review first
    file_order: tuple[str, ...]  # claim ids, in claims.yaml order
    index: list[PagePlan]  # the index's pages
    lists: list[PagePlan]  # tag, rating and content pages, and 404.html
    paths: frozenset[str]  # of every plan
    sitemap: PagePlan
    clashes: tuple[Diagnostic, ...]  # what _report_clashes found
    claims: Mapping[str, PagePlan]  # by claim id
    article_plans_by_slug: Mapping[str, PagePlan]  # by article slug
    article_plans: Sequence[PagePlan]  # in site order
    article_at: Mapping[str, int]  # an article page's path -> its place in that order
    outlets: Mapping[str, PagePlan]  # by outlet slug


@dataclass(frozen=True)
class _Replanned:
    """What `_replan` gives: the plans by subject, the new ones, and whether lists changed."""

    claims: dict[str, PagePlan]
    articles: dict[str, PagePlan]
    outlets: dict[str, PagePlan]
    new: list[PagePlan]  # the claim, article and outlet plans made this time
    relist: bool  # the index, tag and rating pages read a changed input


def _replan(previous: _Planned, views: Views, reads: Dependencies[PageName, Read]) -> _Replanned:
    """Claim, article and outlet plans: new ones for the pages that read an input changed
    since `previous` (whose site-wide values are the same) or that are new, and the last
    build's plans for every other page."""
    changed = changed_inputs(previous.entries, previous.order, previous.articles, views)
    names = reads.readers(changed)
    names.update((CLAIM, i) for i in views.by_id.keys() - previous.claims.keys())
    names.update(
        (ARTICLE, s) for s in views.articles.keys() - previous.article_plans_by_slug.keys()
    )
    names.update((OUTLET, o.slug) for o in views.wide.outlets if o.slug not in previous.outlets)
    # A few pages: look up who quotes them one by one; many: build the whole indexes once.
    views.planning_all = sum(kind != CLAIM for kind, _ in names) > FEW_PAGES
    # The last build's plans, with those of what changed made again (copying a dict is cheap;
    # building one entry by entry for thousands of pages is not).
    claims, articles = dict(previous.claims), dict(previous.article_plans_by_slug)
    outlets = dict(previous.outlets)
    new: list[PagePlan] = []
    outlet_slugs = {o.slug: o for o in views.wide.outlets}
    for name in sorted(names):  # a fixed order: the renderer reports failures in it
        kind, subject = name
        if kind == CLAIM:
            plans, now = claims, views.by_id.get(subject)
            plan = views.claim(now) if now is not None else None
        elif kind == ARTICLE:
            plans, segmented = articles, views.articles.get(subject)
            plan = views.article(segmented) if segmented is not None else None
        elif kind == OUTLET:
            plans, summary = outlets, outlet_slugs.get(subject)
            plan = views.outlet(summary) if summary is not None else None
        else:
            continue  # LISTS: planned by the caller
        if plan is None:
            plans.pop(subject, None)
            reads.forget(name)
        else:
            plans[subject] = plan
            new.append(plan)
    return _Replanned(claims, articles, outlets, new, (LISTS, "") in names)


def build_pages(site: Site, diagnostics: Diagnostics) -> tuple[PagePlan, ...]:
    """The page plans of `site` for a one-off render."""
    return PagePlanner().plan(site, diagnostics).plans


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
