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

from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import TypeVar

from ..diagnostics import Diagnostic, Diagnostics, Location
from ..model import (
    Page,
    ResolvedClaim,
    SegmentedArticle,
    Site,
    same_source,
)
from .entries import ClaimEntry, EntryMaker, Scope, SiteWide
from .feeds import feed_plan, robots_plan, sitemap_plan
from .paging import FEW_PAGES
from .values import (
    PagePlan,
)
from .views import Views


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
        self._scope: Scope | None = None
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
        views = Views(site, diagnostics, self)
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

    def scope(self, scope: Scope) -> Scope:
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
        self,
        articles: tuple[SegmentedArticle, ...],
        by_slug: Mapping[str, SegmentedArticle],
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


def _replan(previous: _Planned, views: Views) -> _Replanned:
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
    views.planning_all = len(slugs) + len(outlets) > FEW_PAGES
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


def _lists_unchanged(previous: _Planned, views: Views) -> bool:
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
