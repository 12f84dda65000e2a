"""Open data: /claims.json and /annotations.jsonld.

In: a validated `Site`. Out: two `OutputFile`s, deterministic (keys sorted, claims in claims.yaml
order, quotes in the editor's order), UTF-8 JSON.

- claims.json: every claim with its verdict, tags and page URL, and each quote with its article,
  outlet, the words as the editor wrote them, stance, note, the sentences it resolved to and the
  offsets of the quoted words. Its JSON Schema is site_builder/schemas/claims-json.schema.json.
- annotations.jsonld: a W3C Web Annotation collection, one annotation per quote, whose targets
  select the quoted words on the article's page with a TextQuoteSelector and a
  TextPositionSelector.

claims.json's offsets are into the *article text*: the article's Markdown file (front matter
included) decoded as UTF-8, without a byte-order mark and with line endings normalised to
"\\n", counted in Unicode code points (`Article.source`). So `text[start:end] == exact` in
Python. The annotations' selectors are into what their `source` names, the article's page: the
`textContent` of its `#article-text` element (pages/page_text.py), so a browser-side client
anchors them as they are.
"""

from __future__ import annotations

import json

import orjson

from ..compare.shared_copy import sources
from ..engine.cache import same
from ..model import (
    Article,
    ResolvedClaim,
    ResolvedQuote,
    SegmentedArticle,
    SharedCopy,
    SharedPair,
    Site,
    SiteConfig,
)
from .page_text import ELEMENT_ID, PageText, page_text
from .routes import Urls, article_route, claim_route
from .scale import grade

JsonObject = dict[str, object]

SCHEMA_PATH = "site_builder/schemas/claims-json.schema.json"
# Characters of prefix and suffix in a TextQuoteSelector, at least: more where the words and
# that much context occur twice in the text, so that every selector matches exactly once.
CONTEXT_CHARS = 32
TEXT_DEFINITION = (
    "Offsets (start, end) and TextPositionSelectors count Unicode code points into the article "
    "text: the article's Markdown source file (front matter included), decoded as UTF-8, without "
    "a byte-order mark, with every line ending normalised to a line feed (U+000A). end is "
    "exclusive, so text[start:end] is the exact quoted text."
)
SELECTOR_DEFINITION = (
    f"Each target's source is an article page. Its TextQuoteSelector and TextPositionSelector "
    f"are relative to the text of that page's element with id \"{ELEMENT_ID}\" (the article's "
    f"text below its header), as a browser exposes it: the element's textContent; positions count "
    f"Unicode code points, as the Web Annotation model says, and end is exclusive. Each TextQuoteSelector matches "
    f"exactly once in that text; its prefix and suffix stop at the element's edges."
)

__all__ = ["OpenData", "annotations_document", "claims_document", "export_files"]


def export_files(site: Site) -> tuple[tuple[str, bytes], ...]:
    """(path, bytes) of claims.json and annotations.jsonld."""
    return OpenData().files(site)


def _dump(document: JsonObject) -> bytes:
    return (_json(document) + "\n").encode()


def _json(value: object) -> str:
    """`value` as `json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2)` writes it.

    orjson writes the same bytes a dozen times faster (a site of thousands of claims has
    megabytes of open data); what it refuses (a lone surrogate from an undecodable byte, an
    integer beyond 64 bits) goes to the standard library's encoder. (The two write floats
    differently: these documents have none, their numbers are counts and offsets.)
    """
    try:
        return orjson.dumps(value, option=_ORJSON).decode()
    except (orjson.JSONEncodeError, TypeError):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2)


_ORJSON = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS


class OpenData:
    """claims.json and annotations.jsonld, build after build.

    Each claim's and each article's JSON is kept while its inputs are the same objects, and the
    documents are put together from those pieces, byte for byte as `_dump` would write the whole
    document: a claim edit on a site of thousands of claims serialises one claim, not all.
    """

    def __init__(self) -> None:
        self._claims: dict[str, tuple[tuple[object, ...], str, tuple[str, ...]]] = {}
        self._articles: dict[str, tuple[tuple[object, ...], str]] = {}
        self._texts: dict[str, PageText] = {}

    def files(self, site: Site) -> tuple[tuple[str, bytes], ...]:
        urls = Urls.of(site.config)
        segmented = {s.article.slug: s for s in site.articles}
        texts = self._page_texts(site.articles)
        claim_parts: list[str] = []
        annotation_parts: list[str] = []
        fresh_claims = {}
        for resolved in site.claims:
            quoted = tuple(segmented.get(q.quote.article) for q in resolved.quotes)
            slugs = {q.quote.article for q in resolved.quotes}
            inputs = (resolved, quoted, site.config, site.shared.pairs_among(slugs))
            held = self._claims.get(resolved.claim.id)
            if held is None or held[0] != inputs:
                claim = _json(_claim(resolved, segmented, site.config, urls, site.shared))
                annotations = tuple(
                    _json(
                        _annotation(
                            resolved,
                            index,
                            q,
                            texts[q.quote.article],
                            site.config,
                            urls,
                        )
                    )
                    for index, q in enumerate(resolved.quotes, start=1)
                    if q.quote.article in texts
                )
                held = (inputs, claim, annotations)
            fresh_claims[resolved.claim.id] = held
            claim_parts.append(held[1])
            annotation_parts.extend(held[2])
        self._claims = fresh_claims
        article_parts = []
        fresh_articles = {}
        for s in site.articles:
            pairs = site.shared.pairs_of(s.article.slug)
            inputs_a = (s.article, urls, pairs)
            held_a = self._articles.get(s.article.slug)
            if held_a is None or held_a[0] != inputs_a:
                held_a = (inputs_a, _json(_article(s.article, urls, pairs)))
            fresh_articles[s.article.slug] = held_a
            article_parts.append(held_a[1])
        self._articles = fresh_articles
        claims_json = _object(
            {
                "articles": _array(article_parts, 1),
                "claims": _array(claim_parts, 1),
                "site": _json({"title": site.config.title, "url": site.config.base_url}),
                "text_offsets": _json(TEXT_DEFINITION),
            },
            0,
        )
        collection_id = urls.absolute("annotations.jsonld")
        page = _object(
            {
                "id": _json(f"{collection_id}#page-1"),
                "items": _array(annotation_parts, 2),
                "startIndex": "0",
                "type": _json("AnnotationPage"),
            },
            1,
        )
        annotations_json = _object(
            {
                "@context": _json("http://www.w3.org/ns/anno.jsonld"),
                "dc:description": _json(SELECTOR_DEFINITION),
                "first": page,
                "id": _json(collection_id),
                "label": _json(f"{site.config.title}: every quote of every claim"),
                "total": str(len(annotation_parts)),
                "type": _json("AnnotationCollection"),
            },
            0,
        )
        return (
            ("annotations.jsonld", (annotations_json + "\n").encode()),
            ("claims.json", (claims_json + "\n").encode()),
        )

    def _page_texts(self, articles: tuple[SegmentedArticle, ...]) -> dict[str, PageText]:
        """Each article's page text, kept from the last build while the article is the same."""
        fresh = {}
        for segmented in articles:
            held = self._texts.get(segmented.article.slug)
            if held is None or not same(held.segmented, segmented):
                held = page_text(segmented)
            fresh[segmented.article.slug] = held
        self._texts = fresh
        return fresh


class _Placed(str):
    """JSON already written for the depth it goes to (an array or object built below)."""


def _indent(text: str, depth: int) -> str:
    """A value's JSON (written at depth 0) moved to `depth` levels of two spaces."""
    return text.replace("\n", "\n" + "  " * depth)


def _array(parts: list[str], depth: int) -> _Placed:
    """A JSON array at `depth` of items serialised at depth 0, as json.dumps(indent=2) would."""
    if not parts:
        return _Placed("[]")
    inner = "  " * (depth + 1)
    body = ",\n".join(inner + _indent(part, depth + 1) for part in parts)
    return _Placed("[\n" + body + "\n" + "  " * depth + "]")


def _object(members: dict[str, str], depth: int) -> _Placed:
    """A JSON object at `depth`, keys sorted; values are depth-0 JSON or `_Placed`."""
    inner = "  " * (depth + 1)
    body = ",\n".join(
        f"{inner}{json.dumps(key, ensure_ascii=False)}: "
        + (value if isinstance(value, _Placed) else _indent(value, depth + 1))
        for key, value in sorted(members.items())
    )
    return _Placed("{\n" + body + "\n" + "  " * depth + "}")


def claims_document(site: Site) -> JsonObject:
    """The whole of claims.json."""
    urls = Urls.of(site.config)
    articles = {segmented.article.slug: segmented for segmented in site.articles}
    return {
        "site": {"title": site.config.title, "url": site.config.base_url},
        "text_offsets": TEXT_DEFINITION,
        "articles": [
            _article(s.article, urls, site.shared.pairs_of(s.article.slug)) for s in site.articles
        ],
        "claims": [
            _claim(resolved, articles, site.config, urls, site.shared) for resolved in site.claims
        ],
    }


def _article(article: Article, urls: Urls, pairs: tuple[SharedPair, ...]) -> JsonObject:
    return {
        "slug": article.slug,
        "title": article.title,
        "outlet": article.outlet,
        "url": urls.absolute(article_route(article.slug)),
        "original_url": article.url,
        "published": article.published.isoformat() if article.published else None,
        "source_path": article.path,
        "shares_copy_with": [_shared(article, pair) for pair in pairs],
    }


def _shared(article: Article, pair: SharedPair) -> JsonObject:
    """What `article` shares with the other article of `pair`, from its side."""
    first = pair.first == article.slug
    passages = []
    for passage in pair.passages:
        sentence, (start, end) = passage.side(first)
        passages.append(
            {
                "sentence": sentence,
                "other_sentence": passage.side(not first)[0],
                "words": passage.words,
                "start": start,
                "end": end,
                "exact": article.source[start:end],
            }
        )
    return {"article": pair.other(article.slug), "passages": passages}


def _claim(
    resolved: ResolvedClaim,
    articles: dict[str, SegmentedArticle],
    config: SiteConfig,
    urls: Urls,
    shared: SharedCopy,
) -> JsonObject:
    claim = resolved.claim
    verdict = grade(config, claim.verdict)
    quoted = [
        articles[slug].article
        for slug in dict.fromkeys(q.quote.article for q in resolved.quotes)
        if slug in articles
    ]
    return {
        "id": claim.id,
        "claim": claim.claim,
        "verdict": {
            "key": claim.verdict,
            "label": verdict.label,
            "value": verdict.value,
            "best": verdict.best,
            "worst": verdict.worst,
        },
        "reviewed": claim.reviewed.isoformat(),
        "tags": list(claim.tags),
        "url": urls.absolute(claim_route(claim.id)),
        "summary": claim.summary,
        "outlets": len({article.outlet_slug for article in quoted}),
        "independent_sources": len(sources(quoted, shared)),
        "updates": [
            {"date": u.date.isoformat(), "kind": u.kind, "note": u.note} for u in claim.updates
        ],
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
    texts = {segmented.article.slug: page_text(segmented) for segmented in site.articles}
    items: list[JsonObject] = []
    for resolved in site.claims:
        for index, quoted in enumerate(resolved.quotes, start=1):
            text = texts.get(quoted.quote.article)
            if text is not None:
                items.append(_annotation(resolved, index, quoted, text, site.config, urls))
    collection_id = urls.absolute("annotations.jsonld")
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": f"{site.config.title}: every quote of every claim",
        "dc:description": SELECTOR_DEFINITION,
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
    text: PageText,
    config: SiteConfig,
    urls: Urls,
) -> JsonObject:
    claim = resolved.claim
    label = grade(config, claim.verdict).label
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
    source = urls.absolute(article_route(text.segmented.article.slug))
    shown = (text.locate(span) for span in quoted.spans)
    return {
        "id": f"{urls.absolute('annotations.jsonld')}#{claim.id}-{index}",
        "type": "Annotation",
        "motivation": "assessing" if stance != "context" else "commenting",
        "body": body,
        "target": [
            {"source": source, "selector": _selectors(text.text, *span)}
            for span in shown
            if span is not None
        ],
    }


def _selectors(text: str, start: int, end: int) -> list[JsonObject]:
    """The selectors of text[start:end], with context enough to match nowhere else in `text`."""
    exact = text[start:end]
    context = CONTEXT_CHARS
    while True:
        prefix, suffix = text[max(0, start - context) : start], text[end : end + context]
        whole = text[start - len(prefix) : end + len(suffix)]
        first = text.find(whole)
        unique = text.find(whole, first + 1) < 0
        if unique or (len(prefix) < context and len(suffix) < context):
            break
        context *= 2
    return [
        {"type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix},
        {"type": "TextPositionSelector", "start": start, "end": end},
    ]
