"""Page contexts: the resolved `Site` -> one `PageSpec` per file rendered from a template.

In: a `Site` and the run's `Diagnostics` (for problems only visible here: a verdict missing from
the scale, two pages wanting one path). Out: `PageSpec`s, each an output path, a template name and
a context of plain frozen values (views_types.py). This module decides what each page shows and in
which order; all HTML lives in templates/.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import unquote

from .compare import Segment, compare_claim
from .diagnostics import Diagnostics, Location
from .model import Article, ResolvedClaim, SegmentedArticle, Site
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
from .views_feeds import feed_page, robots_page, sitemap_page
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
    PageMeta,
    PageSpec,
    RatingSummary,
    SitemapEntry,
    SiteView,
    StanceView,
    VerdictView,
    WhatDiffers,
)

_TONES = ("worst", "poor", "mid", "good", "best")
_DESCRIPTION_LENGTH = 160


def build_pages(site: Site, diagnostics: Diagnostics) -> tuple[PageSpec, ...]:
    """Every page of the site, plus sitemap.xml, feed.xml and robots.txt, in a fixed order."""
    views = _Views(site, diagnostics)
    html = [
        views.index(),
        *(views.claim(resolved) for resolved in views.claims),
        *(views.article(segmented) for segmented in site.articles),
        *(views.outlet(slug) for slug in views.outlets),
        *(views.tag(tag) for tag in views.tags),
        *(views.rating(key) for key in views.verdicts),
        *(views.content_page(index) for index in range(len(site.pages))),
        views.not_found(),
    ]
    feed = feed_page(views.site_view, views.urls, views.claims, views.cards)
    specs = [*html, sitemap_page(html), feed, robots_page(views.urls)]
    _report_clashes(site, specs, diagnostics)
    return tuple(specs)


def _report_clashes(site: Site, specs: Sequence[PageSpec], diagnostics: Diagnostics) -> None:
    """A content page whose slug is a built-in route would silently replace it; say so."""
    taken: set[str] = set()
    for spec in specs:
        if spec.path in taken:
            page = next((p for p in site.pages if f"{p.slug}/index.html" == spec.path), None)
            diagnostics.error(
                Location(page.path if page else spec.path),
                f"two pages would be written to {spec.path}",
                "rename the content page: its slug clashes with a page the site builds",
            )
        taken.add(spec.path)


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


@dataclass(frozen=True)
class _Outlet:
    name: str
    articles: tuple[SegmentedArticle, ...]


class _Views:
    """Lookups over one Site, computed once, and a method per kind of page."""

    def __init__(self, site: Site, diagnostics: Diagnostics) -> None:
        self.site = site
        self.config = site.config
        self.urls = Urls.of(site.config)
        self.articles = {segmented.article.slug: segmented for segmented in site.articles}
        # Newest review first; sorted() is stable, so equal dates keep claims.yaml order.
        self.claims = tuple(sorted(site.claims, key=lambda c: -c.claim.reviewed.toordinal()))
        self.verdicts = {rating.key: self._verdict(rating.key) for rating in self.config.ratings}
        for resolved in self.claims:
            if resolved.claim.verdict not in self.verdicts:
                diagnostics.error(
                    resolved.claim.location,
                    f"verdict {resolved.claim.verdict!r} is not on the rating scale",
                    "use one of: " + ", ".join(self.verdicts),
                )
        self.cards = {resolved.claim.id: self._card(resolved) for resolved in self.claims}
        self.tags = sorted({tag for resolved in self.claims for tag in resolved.claim.tags})
        outlets: dict[str, list[SegmentedArticle]] = {}
        for segmented in site.articles:
            outlets.setdefault(segmented.article.outlet_slug, []).append(segmented)
        self.outlets = {
            slug: _Outlet(group[0].article.outlet, tuple(group))
            for slug, group in sorted(outlets.items())
        }
        self.site_view = self._site_view()

    # --- shared pieces ------------------------------------------------------------------------

    def _site_view(self) -> SiteView:
        config, urls = self.config, self.urls
        return SiteView(
            title=config.title,
            description=config.description,
            language=config.language,
            base_path=config.base_path,
            base_url=config.base_url,
            publisher_name=config.publisher.name,
            publisher_url=config.publisher.url,
            pages=tuple(Link(page.title, urls.link(f"{page.slug}/")) for page in self.site.pages),
            outlets=tuple(
                Link(outlet.name, urls.link(outlet_route(slug)))
                for slug, outlet in self.outlets.items()
            ),
            ratings=tuple(Link(v.label, v.url) for v in self.verdicts.values()),
            stylesheet=urls.link("static/style.css"),
            icon=urls.link("static/icon.svg"),
            script=urls.link("static/site.js"),
            feed=urls.link("feed.xml"),
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

    def _card(self, resolved: ResolvedClaim) -> ClaimCard:
        claim, urls = resolved.claim, self.urls
        stances: dict[Link, list[StanceView]] = {}  # outlets in first-quoted order
        for quoted in resolved.quotes:
            article = self._article(quoted.quote.article)
            if article is None:
                continue
            link = Link(article.outlet, urls.link(outlet_route(article.outlet_slug)))
            found = stances.setdefault(link, [])
            stance = stance_view(quoted.quote.stance)
            if stance is not None and stance not in found:
                found.append(stance)
        return ClaimCard(
            id=claim.id,
            statement=claim.claim,
            url=urls.link(claim_route(claim.id)),
            verdict=self.verdicts.get(claim.verdict) or self._verdict(claim.verdict),
            reviewed=date_view(claim.reviewed),
            tags=tuple(Link(tag, urls.link(tag_route(tag))) for tag in claim.tags),
            outlets=tuple(OutletStance(link, tuple(s)) for link, s in stances.items()),
        )

    def _article(self, slug: str) -> Article | None:
        segmented = self.articles.get(slug)
        return segmented.article if segmented else None

    def _html(
        self,
        route: str,
        template: str,
        title: str,
        description: str,
        lastmod: str | None = None,
        og_type: str = "website",
        **context: object,
    ) -> PageSpec:
        """A page at a pretty URL, with the layout's context and its sitemap entry."""
        full_title = f"{title} — {self.config.title}" if title else self.config.title
        meta = PageMeta(
            title=full_title,
            description=_shorten(description),
            canonical=self.urls.absolute(route),
            path=self.urls.link(route),
            og_type=og_type,
        )
        return PageSpec(
            path=_route_path(route),
            template=template,
            context={"site": self.site_view, "meta": meta, **context},
            sitemap=SitemapEntry(meta.canonical, lastmod),
        )

    def _citing(self, slug: str) -> tuple[CitingClaim, ...]:
        """The claims that quote article `slug`, numbered in site order."""
        citing: list[CitingClaim] = []
        for resolved in self.claims:
            quotes = [q for q in resolved.quotes if q.quote.article == slug]
            if not quotes:
                continue
            stances = [stance_view(q.quote.stance) for q in quotes]
            first = min((q.sentences[0] for q in quotes if q.sentences), default=1)
            citing.append(
                CitingClaim(
                    number=len(citing) + 1,
                    card=self.cards[resolved.claim.id],
                    stances=tuple(dict.fromkeys(s for s in stances if s is not None)),
                    first_anchor=f"s-{first}",
                )
            )
        return tuple(citing)

    def _coverage(self, caption: str, first: str | None = None) -> CoverageTable:
        """Every claim (site order) x every outlet (`first` leads), with each cell's stances."""
        slugs = sorted(self.outlets, key=lambda slug: (slug != first, slug))
        rows = []
        for resolved in self.claims:
            stances: dict[str, list[StanceView]] = {slug: [] for slug in slugs}
            mentioned: set[str] = set()
            for quoted in resolved.quotes:
                article = self._article(quoted.quote.article)
                if article is None or article.outlet_slug not in stances:
                    continue
                mentioned.add(article.outlet_slug)
                stance = stance_view(quoted.quote.stance)
                if stance is not None and stance not in stances[article.outlet_slug]:
                    stances[article.outlet_slug].append(stance)
            cells = tuple(CoverageCell(slug in mentioned, tuple(stances[slug])) for slug in slugs)
            rows.append(CoverageRow(self.cards[resolved.claim.id], cells))
        outlets = tuple(
            Link(self.outlets[slug].name, self.urls.link(outlet_route(slug))) for slug in slugs
        )
        return CoverageTable(caption, outlets, tuple(rows))

    def _what_differs(self, resolved: ResolvedClaim) -> WhatDiffers:
        comparison = compare_claim(resolved, self.articles)
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

    # --- pages --------------------------------------------------------------------------------

    def index(self) -> PageSpec:
        counts = {key: 0 for key in self.verdicts}
        for resolved in self.claims:
            if resolved.claim.verdict in counts:
                counts[resolved.claim.verdict] += 1
        return self._html(
            "",
            "index.html",
            "",
            self.config.description,
            claims=tuple(self.cards[r.claim.id] for r in self.claims),
            ratings=tuple(RatingSummary(v, counts[k]) for k, v in self.verdicts.items()),
            tags=tuple(Link(tag, self.urls.link(tag_route(tag))) for tag in self.tags),
            coverage=self._coverage("Which outlet reports which claim, and how"),
        )

    def claim(self, resolved: ResolvedClaim) -> PageSpec:
        claim, urls = resolved.claim, self.urls
        card = self.cards[claim.id]
        route = claim_route(claim.id)
        quoted = list(dict.fromkeys(q.quote.article for q in resolved.quotes))
        columns = []
        for slug in quoted:
            segmented = self.articles.get(slug)
            if segmented is None:
                continue
            view = article_view(segmented.article, urls)
            quotes = [q for q in resolved.quotes if q.quote.article == slug]
            excerpts = (excerpt(segmented, q, view.url, self.config.base_path) for q in quotes)
            columns.append(Column(view, tuple(e for e in excerpts if e is not None)))
        methodology = next((p for p in self.site.pages if p.slug == "methodology"), None)
        articles = {slug: segmented.article for slug, segmented in self.articles.items()}
        review = claim_review(resolved, articles, self.config, urls.absolute(route))
        return self._html(
            route,
            "claim.html",
            _shorten(claim.claim, 70),
            f"{card.verdict.label}: {claim.claim}",
            lastmod=claim.reviewed.isoformat(),
            og_type="article",
            claim=card,
            differs=self._what_differs(resolved),
            summary=markdown_block(claim.summary, self.config.base_path),
            columns=tuple(columns),
            not_mentioned=tuple(
                article_view(s.article, urls)
                for slug, s in self.articles.items()
                if slug not in quoted
            ),
            scale=tuple(self.verdicts.values()),
            methodology=Link(methodology.title, urls.link("methodology/")) if methodology else None,
            breadcrumbs=(
                Link("Home", urls.link("")),
                Link(card.verdict.label, card.verdict.url),
            ),
            jsonld=inert_json(review),
        )

    def article(self, segmented: SegmentedArticle) -> PageSpec:
        article = segmented.article
        view = article_view(article, self.urls)
        citing = self._citing(article.slug)
        numbers = {c.card.id: c.number for c in citing}
        marks: dict[int, list[Span]] = {}
        refs: dict[int, list[ClaimRef]] = {}
        for resolved in self.claims:
            card = self.cards[resolved.claim.id]
            for quoted in resolved.quotes:
                if quoted.quote.article != article.slug:
                    continue
                ref = ClaimRef(
                    numbers[card.id],
                    Link(card.statement, card.url),
                    stance_view(quoted.quote.stance),
                )
                for number in quoted.sentences:
                    marks.setdefault(number, []).extend(quoted.spans)
                    if ref not in refs.setdefault(number, []):
                        refs[number].append(ref)
        description = article.standfirst or f"{article.title}, as published by {article.outlet}."
        return self._html(
            article_route(article.slug),
            "article.html",
            article.title,
            description,
            lastmod=article.published.isoformat() if article.published else None,
            og_type="article",
            article=view,
            body=article_body(segmented, marks, {n: tuple(r) for n, r in refs.items()}),
            citing=citing,
            breadcrumbs=(Link("Home", self.urls.link("")), view.outlet),
        )

    def outlet(self, slug: str) -> PageSpec:
        outlet = self.outlets[slug]
        articles = tuple(
            OutletArticle(article_view(s.article, self.urls), self._citing(s.article.slug))
            for s in outlet.articles
        )
        count = sum(len(a.claims) for a in articles)
        return self._html(
            outlet_route(slug),
            "outlet.html",
            outlet.name,
            f"Articles by {outlet.name} and the {count} fact-checked claim(s) that quote them.",
            outlet=Link(outlet.name, self.urls.link(outlet_route(slug))),
            articles=articles,
            coverage=self._coverage(
                f"How {outlet.name} and the other outlets report each claim", slug
            ),
        )

    def tag(self, tag: str) -> PageSpec:
        claims = tuple(self.cards[r.claim.id] for r in self.claims if tag in r.claim.tags)
        return self._html(
            tag_route(tag),
            "tag.html",
            f"Claims tagged “{tag}”",
            f"Fact-checked claims tagged “{tag}”.",
            tag=tag,
            claims=claims,
        )

    def rating(self, key: str) -> PageSpec:
        verdict = self.verdicts[key]
        claims = tuple(self.cards[r.claim.id] for r in self.claims if r.claim.verdict == key)
        return self._html(
            rating_route(key),
            "rating.html",
            f"Claims rated {verdict.label}",
            f"{verdict.label}: {verdict.description}",
            verdict=verdict,
            claims=claims,
            scale=tuple(self.verdicts.values()),
        )

    def content_page(self, index: int) -> PageSpec:
        page = self.site.pages[index]
        return self._html(
            f"{page.slug}/",
            "page.html",
            page.title,
            f"{page.title}: {self.config.description}",
            page=Link(page.title, self.urls.link(f"{page.slug}/")),
            body=markdown_block(page.body, self.config.base_path),
        )

    def not_found(self) -> PageSpec:
        meta = PageMeta(
            title=f"Page not found — {self.config.title}",
            description="This page does not exist.",
            canonical=self.urls.absolute("404.html"),
            path=self.urls.link("404.html"),
            noindex=True,
        )
        context = {"site": self.site_view, "meta": meta}
        return PageSpec("404.html", "404.html", context)
