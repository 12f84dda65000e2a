"""The machine-readable files: sitemap.xml, the Atom feed and robots.txt.

In: the HTML pages' specs (for the sitemap), the claims in site order with their cards (for the
feed), and the site's URLs. Out: `PageSpec`s for templates/sitemap.xml, feed.xml and robots.txt.
Dates come from the content, never the clock, so two builds of one site are identical.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .model import ResolvedClaim
from .render_text import markdown_block
from .views_article import Urls, claim_route
from .views_types import ClaimCard, FeedEntry, PageSpec, SiteView

# Atom requires <updated>; a site with no claims yet has no content date to use.
_NO_DATE = "1970-01-01T00:00:00Z"


def sitemap_page(pages: Sequence[PageSpec]) -> PageSpec:
    """Every page that asked to be listed, in build order."""
    entries = tuple(page.sitemap for page in pages if page.sitemap is not None)
    return PageSpec("sitemap.xml", "sitemap.xml", {"entries": entries})


def feed_page(
    site: SiteView,
    urls: Urls,
    claims: Sequence[ResolvedClaim],
    cards: Mapping[str, ClaimCard],
) -> PageSpec:
    """An Atom entry per claim, `claims` being newest review first; updated = newest review."""
    entries = tuple(
        FeedEntry(
            title=resolved.claim.claim,
            url=urls.absolute(claim_route(resolved.claim.id)),
            updated=f"{resolved.claim.reviewed.isoformat()}T00:00:00Z",
            verdict=cards[resolved.claim.id].verdict.label,
            content_html=str(markdown_block(resolved.claim.summary, urls.base_url)),
        )
        for resolved in claims
    )
    updated = max((entry.updated for entry in entries), default=_NO_DATE)
    context = {
        "site": site,
        "self_url": urls.absolute("feed.xml"),
        "updated": updated,
        "entries": entries,
    }
    return PageSpec("feed.xml", "feed.xml", context)


def robots_page(urls: Urls) -> PageSpec:
    """robots.txt: allow everything and point at the sitemap."""
    return PageSpec("robots.txt", "robots.txt", {"sitemap_url": urls.absolute("sitemap.xml")})
