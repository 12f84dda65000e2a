"""Routes and URLs, the one place that spells them.

In: a claim id, an article or outlet slug, a tag, a rating key, a list's page number. Out: its
site-relative route ("claims/remains-exchange/"), the output file a route is written to
("claims/remains-exchange/index.html"), and, with the site's `base_url`, the link pages use
(base path + route) or the absolute URL that feeds, the sitemap and structured data use.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, unquote

from ..model import SiteConfig


@dataclass(frozen=True)
class Urls:
    """Site-relative routes ("claims/x/") turned into links (base_path) or absolute URLs."""

    base_path: str
    base_url: str

    @classmethod
    def of(cls, config: SiteConfig) -> Urls:
        return cls(config.base_path, config.base_url)

    def link(self, route: str) -> str:
        return self.base_path + route

    def absolute(self, route: str) -> str:
        return self.base_url + route


def claim_route(claim_id: str) -> str:
    return f"claims/{quote(claim_id)}/"


def article_route(slug: str) -> str:
    return f"articles/{quote(slug)}/"


def outlet_route(outlet_slug: str) -> str:
    return f"outlets/{quote(outlet_slug)}/"


OUTLETS_ROUTE = "outlets/"  # every outlet, one link each
CORRECTIONS_ROUTE = "corrections/"  # every correction of every review, newest first


def tag_route(tag: str) -> str:
    return f"tags/{quote(tag, safe='')}/"


def rating_route(key: str) -> str:
    return f"ratings/{quote(key, safe='')}/"


def page_route(route: str, number: int) -> str:
    """Page `number` of a list at `route`: the first is the route itself, then route/page/N/."""
    return route if number == 1 else f"{route}page/{number}/"


def route_path(route: str) -> str:
    """The output file for a pretty-URL route: "claims/x/" -> "claims/x/index.html"."""
    return unquote(route) + "index.html"
