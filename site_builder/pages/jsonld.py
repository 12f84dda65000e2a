"""schema.org ClaimReview for a claim page.

In: a resolved claim, its articles, the site config and the claim's canonical URL. Out: the
ClaimReview as a plain dict, and `inert_json`, which serialises any value so that it can sit inside
a `<script type="application/ld+json">` element without ending it or opening a comment.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence

from markupsafe import Markup

from ..model import Article, ResolvedClaim, SiteConfig
from .scale import grade

JsonObject = dict[str, object]

# Characters that could end the script element, open an HTML comment, or (U+2028/9) break older
# JavaScript parsers; JSON allows all of them to be written as \u escapes.
_INERT = str.maketrans(
    {
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        "\u2028": "\\u2028",
        "\u2029": "\\u2029",
    }
)


def inert_json(value: object) -> Markup:
    """`value` as deterministic JSON, safe to place verbatim inside a script element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2)
    return Markup(text.translate(_INERT))


def claim_review(
    resolved: ResolvedClaim,
    articles: Mapping[str, Article],
    config: SiteConfig,
    url: str,
) -> JsonObject:
    """The ClaimReview for one claim; `url` is the claim page's canonical URL."""
    claim = resolved.claim
    verdict = grade(config, claim.verdict)
    making = _making_articles(resolved, articles)
    appearances = [_creative_work(article) for article in making]
    author: JsonObject = {"@type": "Organization", "name": config.publisher.name}
    if config.publisher.url:
        author["url"] = config.publisher.url
    item: JsonObject = {"@type": "Claim"}
    if appearances:  # a claim that no outlet makes (only contradicted) appears nowhere
        item["appearance"] = appearances
        item["firstAppearance"] = appearances[making.index(_first_appearance(making))]
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim.claim,
        "datePublished": claim.reviewed.isoformat(),
        **({"dateModified": claim.modified.isoformat()} if claim.updates else {}),
        "author": author,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": verdict.value,
            "bestRating": verdict.best,
            "worstRating": verdict.worst,
            "alternateName": verdict.label,
        },
        "itemReviewed": item,
    }


# The stances of a quote in which its article makes the claim: schema.org's `appearance` is
# where the claim is made, so an article that contradicts it or only gives context is not one.
MAKES_THE_CLAIM = frozenset({"supports", "mixed"})


def _making_articles(resolved: ResolvedClaim, articles: Mapping[str, Article]) -> list[Article]:
    """Each article that makes the claim (a quote of it supports it, or in part) once, in the
    order the claim first quotes it."""
    slugs = dict.fromkeys(
        quoted.quote.article for quoted in resolved.quotes if quoted.quote.stance in MAKES_THE_CLAIM
    )
    return [articles[slug] for slug in slugs if slug in articles]


def _first_appearance(quoted: Sequence[Article]) -> Article:
    """The earliest dated article; the first quoted one when none has a date."""
    dated = [article for article in quoted if article.published is not None]
    # min() keeps the first of equal dates, so ties go to the earlier quote.
    return min(dated, key=lambda article: article.published or dt.date.max) if dated else quoted[0]


def _creative_work(article: Article) -> JsonObject:
    """One appearance of the claim: what the source article tells us, nothing invented."""
    outlet: JsonObject = {"@type": "Organization", "name": article.outlet}
    work: JsonObject = {
        "@type": "CreativeWork",
        "headline": article.title,
        "author": outlet,
        "publisher": outlet,
    }
    if article.url:
        work["url"] = article.url
    if article.published:
        work["datePublished"] = article.published.isoformat()
    return work
