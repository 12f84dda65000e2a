"""Page kinds -> the values their templates see, computed only when a page is rendered.

In: the `Scope` and a page's own values (a claim's entry, an article, a chunk of a list). Out:
the template context: plain frozen values (pages/values.py), never the site model itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from ..engine.cache import same
from ..model import (
    Page,
    SegmentedArticle,
    SharedPair,
    Update,
)
from .article import (
    article_body,
    article_view,
    date_view,
    excerpt,
    sentence_view,
    stance_view,
)
from .entries import ClaimEntry, Context, Scope
from .inline import Span, markdown_block, markdown_inline
from .jsonld import claim_review, inert_json
from .routes import Urls
from .values import (
    CitingClaim,
    ClaimRef,
    Column,
    CoverageCell,
    CoverageRow,
    CoverageTable,
    Link,
    OutletArticle,
    OutletSummary,
    PageMeta,
    Pager,
    RatingSummary,
    SharedNotice,
    SharedPassage,
    SharedWith,
    SiteView,
    UpdateView,
    VerdictView,
)

_DESCRIPTION_LENGTH = 160


def shorten(text: str, limit: int = _DESCRIPTION_LENGTH) -> str:
    """Collapse white space and cut at a word boundary with an ellipsis when too long."""
    words = " ".join(text.split())
    if len(words) <= limit:
        return words
    return words[: limit - 1].rsplit(" ", 1)[0] + "…"


def layout_context(
    site: SiteView, meta: Callable[[], PageMeta], context: Callable[[], Context]
) -> Context:
    return {"site": site, "meta": meta(), **context()}


def page_meta(scope: Scope, route: str, title: str, description: str, og_type: str) -> PageMeta:
    site_title = scope.config.title
    return PageMeta(
        title=f"{title} — {site_title}" if title else site_title,
        description=shorten(description),
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
    caption: str, entries: Sequence[ClaimEntry], scope: Scope, first: str | None = None
) -> CoverageTable:
    """`entries` x the outlets that report at least one of them (`first` leads), with each
    cell's stances: a column that would say "not mentioned" all the way down tells a reader
    nothing, and would make every table as wide as the archive's list of outlets."""
    reporting = {slug for entry in entries for slug in entry.stances}
    outlets = sorted(
        (o for o in scope.wide.outlets if o.slug in reporting or o.slug == first),
        key=lambda o: (o.slug != first, o.slug),
    )
    columns = tuple(o.slug for o in outlets)
    memo = scope.rows
    rows = []
    for entry in entries:
        held = memo.get((entry.id, first))
        if held is None or not same(held[0], entry.listing) or held[1] != columns:
            stances = entry.stances
            cells = tuple(
                CoverageCell(True, stances[o.slug]) if o.slug in stances else _NOT_MENTIONED
                for o in outlets
            )
            row = CoverageRow(entry.card, cells, slot=(entry.id, first))
            held = memo[(entry.id, first)] = (entry.listing, columns, row)
        rows.append(held[2])
    return CoverageTable(caption, tuple(o.outlet for o in outlets), tuple(rows))


def index_context(
    scope: Scope,
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


def claim_context(scope: Scope, entry: ClaimEntry, route: str) -> Context:
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
    outlets = {s.article.slug: article_view(s.article, urls) for s in entry.articles}
    notices = tuple(
        SharedNotice(
            (outlets[pair.first].outlet, outlets[pair.second].outlet),
            len(pair.passages),
            outlets[pair.first].url + "#shared-copy",
        )
        for pair in entry.shared
        if outlets[pair.first].outlet != outlets[pair.second].outlet
    )
    return {
        "claim": card,
        "updates": update_views(entry.resolved.claim.updates, config.base_path),
        "shared": notices,
        "differs": scope.differs.of(entry),
        "summary": markdown_block(entry.resolved.claim.summary, config.base_path),
        "columns": tuple(columns),
        "not_mentioned": tuple(o for o in scope.wide.outlets if o.slug not in entry.stances),
        "scale": scope.wide.verdicts,
        "methodology": scope.wide.methodology,
        "breadcrumbs": (
            Link("Home", urls.link("")),
            Link(card.verdict.label, card.verdict.url),
        ),
        "jsonld": inert_json(review),
    }


def article_context(
    scope: Scope,
    segmented: SegmentedArticle,
    entries: tuple[ClaimEntry, ...],
    shared: tuple[tuple[SharedPair, SegmentedArticle], ...] = (),
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
        "shared": tuple(_shared_with(segmented, pair, other, scope.urls) for pair, other in shared),
        "breadcrumbs": (Link("Home", scope.urls.link("")), view.outlet),
    }


def _shared_with(
    segmented: SegmentedArticle, pair: SharedPair, other: SegmentedArticle, urls: Urls
) -> SharedWith:
    """What `segmented` shares with `other`: each passage's sentence on both sides, marked."""
    here_first = pair.first == segmented.article.slug
    view = article_view(other.article, urls)
    passages = []
    for passage in pair.passages:
        (here, here_span), (there, there_span) = (
            passage.side(here_first),
            passage.side(not here_first),
        )
        mine, theirs = segmented.sentence(here), other.sentence(there)
        if mine is None or theirs is None:
            continue
        passages.append(
            SharedPassage(
                sentence_view(segmented, mine, (here_span,)),
                sentence_view(other, theirs, (there_span,)),
                f"{view.url}#s-{there}",
                passage.words,
            )
        )
    return SharedWith(view, tuple(passages))


def outlet_context(
    scope: Scope,
    summary: OutletSummary,
    articles: tuple[SegmentedArticle, ...],
    carried: tuple[ClaimEntry, ...],
    shares: Mapping[str, tuple[Link, ...]] | None = None,
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
                (shares or {}).get(s.article.slug, ()),
                slot=s.article.slug,
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


def tag_context(tag: str, chunk: tuple[ClaimEntry, ...], paging: Pager | None) -> Context:
    return {"tag": tag, "claims": tuple(e.card for e in chunk), "pager": paging}


def rating_context(
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


def content_context(scope: Scope, page: Page, route: str) -> Context:
    return {
        "page": Link(page.title, scope.urls.link(route)),
        "body": markdown_block(page.body, scope.config.base_path),
    }


_UPDATE_LABELS = {"correction": "Correction", "update": "Update"}


def update_views(
    updates: Sequence[Update], link_base: str, claim: Link | None = None
) -> tuple[UpdateView, ...]:
    """`updates` newest first (equal dates: as claims.yaml lists them), for pages."""
    ordered = sorted(enumerate(updates), key=lambda item: (-item[1].date.toordinal(), item[0]))
    return tuple(
        UpdateView(
            date_view(update.date),
            update.kind,
            _UPDATE_LABELS[update.kind],
            markdown_inline(update.note, link_base),
            claim,
        )
        for _, update in ordered
    )


def corrections_context(scope: Scope, entries: Sequence[ClaimEntry]) -> Context:
    """Every correction of every review, newest first (a later correction above an earlier one
    of the same day keeps claims.yaml order among claims)."""
    found = [
        view
        for entry in entries
        for view in update_views(
            entry.listing.updates,
            scope.config.base_path,
            Link(entry.card.statement, entry.card.url),
        )
        if view.kind == "correction"
    ]
    found.sort(key=lambda view: view.date.iso, reverse=True)
    return {"corrections": tuple(found), "methodology": scope.wide.methodology}


def outlets_context(scope: Scope) -> Context:
    return {"outlets": scope.wide.site.outlets}


def not_found_context(scope: Scope) -> Context:
    urls = scope.urls
    meta = PageMeta(
        title=f"Page not found — {scope.config.title}",
        description="This page does not exist.",
        canonical=urls.absolute("404.html"),
        path=urls.link("404.html"),
        noindex=True,
    )
    return {"site": scope.wide.site, "meta": meta}
