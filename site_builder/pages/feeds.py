"""The machine-readable files: sitemap.xml, the Atom feed and robots.txt.

In: the HTML pages' plans (for the sitemap), the claims newest first with their cards (for the
feed), and the site's URLs. Out: `PagePlan`s for templates/sitemap.xml, feed.xml and robots.txt.
Dates come from the content, never the clock, so two builds of one site are identical.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import ResolvedClaim
from .inline import markdown_block
from .routes import Urls, claim_route
from .values import ClaimCard, FeedEntry, PagePlan, SiteView

# Atom requires <updated>; a site with no claims yet has no content date to use.
_NO_DATE = "1970-01-01T00:00:00Z"
# Feed readers want what is new, not the archive (Hugo and Jekyll cap their feeds the same way).
FEED_LIMIT = 50


def sitemap_plan(pages: Sequence[PagePlan]) -> PagePlan:
    """Every page that asked to be listed, in build order."""
    entries = tuple(page.sitemap for page in pages if page.sitemap is not None)
    return PagePlan(
        "sitemap.xml",
        "sitemap.xml",
        entries,
        lambda: {"entries": entries},
        deferrable=True,
    )


def feed_plan(
    site: SiteView, urls: Urls, claims: Sequence[tuple[ResolvedClaim, ClaimCard]]
) -> PagePlan:
    """An Atom entry for each of the newest FEED_LIMIT claims (`claims` is newest review first);
    updated = the newest review."""
    newest = tuple(claims[:FEED_LIMIT])

    def context() -> dict[str, object]:
        entries = tuple(
            FeedEntry(
                title=resolved.claim.claim,
                url=urls.absolute(claim_route(resolved.claim.id)),
                published=f"{resolved.claim.reviewed.isoformat()}T00:00:00Z",
                updated=f"{resolved.claim.modified.isoformat()}T00:00:00Z",
                verdict=card.verdict.label,
                content_html=str(markdown_block(resolved.claim.summary, urls.base_url)),
            )
            for resolved, card in newest
        )
        return {
            "site": site,
            "self_url": urls.absolute("feed.xml"),
            "updated": max((entry.updated for entry in entries), default=_NO_DATE),
            "entries": entries,
        }

    return PagePlan("feed.xml", "feed.xml", (site, urls, newest), context)


def robots_plan(urls: Urls) -> PagePlan:
    """robots.txt: allow everything and point at the sitemap."""
    sitemap_url = urls.absolute("sitemap.xml")
    return PagePlan("robots.txt", "robots.txt", sitemap_url, lambda: {"sitemap_url": sitemap_url})
