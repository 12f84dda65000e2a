"""Open data: /claims.json and /annotations.jsonld.

In: a validated `Site`. Out: two `OutputFile`s, deterministic (keys sorted, claims in claims.yaml
order, quotes in the editor's order), UTF-8 JSON.

- claims.json: every claim with its verdict, tags and page URL, and each quote with its article,
  outlet, the words as the editor wrote them, stance, note, the sentences it resolved to and the
  offsets of the quoted words. Its JSON Schema is site_builder/schemas/claims-json.schema.json.
- annotations.jsonld: a W3C Web Annotation collection, one annotation per quote, whose targets
  select the quoted words with a TextQuoteSelector and a TextPositionSelector.

Every offset is into the *article text*: the article's Markdown file (front matter included)
decoded as UTF-8, without a byte-order mark and with line endings normalised to "\\n", counted
in Unicode code points (`Article.source`). So `text[start:end] == exact` in Python.
"""

from __future__ import annotations

import json

from .model import Article, ResolvedClaim, ResolvedQuote, SegmentedArticle, Site, SiteConfig
from .render_jsonld import rating_value
from .views_article import Urls, article_route, claim_route

JsonObject = dict[str, object]

SCHEMA_PATH = "site_builder/schemas/claims-json.schema.json"
CONTEXT_CHARS = 32  # characters of prefix and suffix in a TextQuoteSelector
TEXT_DEFINITION = (
    "Offsets (start, end) and TextPositionSelectors count Unicode code points into the article "
    "text: the article's Markdown source file (front matter included), decoded as UTF-8, without "
    "a byte-order mark, with every line ending normalised to a line feed (U+000A). end is "
    "exclusive, so text[start:end] is the exact quoted text."
)

__all__ = ["annotations_document", "claims_document", "export_files"]


def export_files(site: Site) -> tuple[tuple[str, bytes], ...]:
    """(path, bytes) of claims.json and annotations.jsonld."""
    return (
        ("annotations.jsonld", _dump(annotations_document(site))),
        ("claims.json", _dump(claims_document(site))),
    )


def _dump(document: JsonObject) -> bytes:
    return (json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()


def claims_document(site: Site) -> JsonObject:
    """The whole of claims.json."""
    urls = Urls.of(site.config)
    articles = {segmented.article.slug: segmented for segmented in site.articles}
    return {
        "site": {"title": site.config.title, "url": site.config.base_url},
        "text_offsets": TEXT_DEFINITION,
        "articles": [_article(s.article, urls) for s in site.articles],
        "claims": [_claim(resolved, articles, site.config, urls) for resolved in site.claims],
    }


def _article(article: Article, urls: Urls) -> JsonObject:
    return {
        "slug": article.slug,
        "title": article.title,
        "outlet": article.outlet,
        "url": urls.absolute(article_route(article.slug)),
        "original_url": article.url,
        "published": article.published.isoformat() if article.published else None,
        "source_path": article.path,
    }


def _claim(
    resolved: ResolvedClaim,
    articles: dict[str, SegmentedArticle],
    config: SiteConfig,
    urls: Urls,
) -> JsonObject:
    claim = resolved.claim
    rating = config.rating(claim.verdict)
    return {
        "id": claim.id,
        "claim": claim.claim,
        "verdict": {
            "key": claim.verdict,
            "label": rating.label if rating else claim.verdict,
            "value": rating_value(config, claim.verdict),
            "best": len(config.ratings),
            "worst": 1,
        },
        "reviewed": claim.reviewed.isoformat(),
        "tags": list(claim.tags),
        "url": urls.absolute(claim_route(claim.id)),
        "summary": claim.summary,
        "quotes": [
            _quote(quoted, articles[quoted.quote.article])
            for quoted in resolved.quotes
            if quoted.quote.article in articles
        ],
    }


def _quote(quoted: ResolvedQuote, segmented: SegmentedArticle) -> JsonObject:
    article = segmented.article
    by_number = {sentence.number: sentence for sentence in segmented.sentences}
    quote = quoted.quote
    return {
        "article": article.slug,
        "outlet": article.outlet,
        "text": quote.text,
        "sentence": quote.sentence,
        "occurrence": quote.occurrence,
        "stance": quote.stance,
        "note": quote.note,
        "sentences": [
            {
                "number": n,
                "text": by_number[n].text,
                "start": by_number[n].start,
                "end": by_number[n].end,
            }
            for n in quoted.sentences
            if n in by_number
        ],
        "spans": [
            {"start": start, "end": end, "exact": article.source[start:end]}
            for start, end in quoted.spans
        ],
    }


def annotations_document(site: Site) -> JsonObject:
    """The whole of annotations.jsonld: an AnnotationCollection with one page of annotations."""
    urls = Urls.of(site.config)
    articles = {segmented.article.slug: segmented.article for segmented in site.articles}
    items: list[JsonObject] = []
    for resolved in site.claims:
        for index, quoted in enumerate(resolved.quotes, start=1):
            article = articles.get(quoted.quote.article)
            if article is not None:
                items.append(_annotation(resolved, index, quoted, article, site.config, urls))
    collection_id = urls.absolute("annotations.jsonld")
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": f"{site.config.title}: every quote of every claim",
        "dc:description": TEXT_DEFINITION,
        "total": len(items),
        "first": {
            "id": f"{collection_id}#page-1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }


def _annotation(
    resolved: ResolvedClaim,
    index: int,
    quoted: ResolvedQuote,
    article: Article,
    config: SiteConfig,
    urls: Urls,
) -> JsonObject:
    claim = resolved.claim
    rating = config.rating(claim.verdict)
    label = rating.label if rating else claim.verdict
    claim_url = urls.absolute(claim_route(claim.id))
    stance = quoted.quote.stance
    assessment = f"Quoted for the claim “{claim.claim}” (verdict: {label})"
    if stance:
        assessment += f"; this passage {stance if stance != 'context' else 'gives context'}"
        if stance in {"supports", "contradicts"}:
            assessment += " the claim"
    body: list[JsonObject] = [
        {
            "type": "TextualBody",
            "purpose": "assessing",
            "format": "text/plain",
            "value": assessment + ".",
        },
        {"type": "SpecificResource", "purpose": "linking", "source": claim_url},
    ]
    if stance:
        body.append({"type": "TextualBody", "purpose": "tagging", "value": stance})
    if quoted.quote.note:
        body.append(
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "format": "text/markdown",
                "value": quoted.quote.note,
            }
        )
    source = urls.absolute(article_route(article.slug))
    return {
        "id": f"{urls.absolute('annotations.jsonld')}#{claim.id}-{index}",
        "type": "Annotation",
        "motivation": "assessing" if stance != "context" else "commenting",
        "body": body,
        "target": [
            {"source": source, "selector": _selectors(article.source, start, end)}
            for start, end in quoted.spans
        ],
    }


def _selectors(text: str, start: int, end: int) -> list[JsonObject]:
    return [
        {
            "type": "TextQuoteSelector",
            "exact": text[start:end],
            "prefix": text[max(0, start - CONTEXT_CHARS) : start],
            "suffix": text[end : end + CONTEXT_CHARS],
        },
        {"type": "TextPositionSelector", "start": start, "end": end},
    ]
