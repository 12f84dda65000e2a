"""A saved web page -> `Found`: the article text by trafilatura, the front matter from the page's
own metadata.

trafilatura is the extraction library of choice (README: why): it keeps the headline, paragraphs,
lists and block quotes of the article and drops navigation, cookie banners, share bars, "Read
more" and "Related Articles" boxes, comments, footers and image captions, and it changes no word.
What it may leave, a byline or a dateline as a paragraph of its own, is dropped here, and so is a
heading that repeats the headline.

Front matter comes only from what the page declares: the headline from `og:title`, JSON-LD
`headline`, the `<h1>` or the `<title>`; the outlet from `og:site_name` or the JSON-LD publisher;
`url` from the canonical link (or `og:url`); `published` from `article:published_time` or JSON-LD
`datePublished` (the date as the page writes it); `author` from JSON-LD or the author meta tags.
Nothing is guessed from the text: what the page does not say is left out.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any

import lxml.etree
import lxml.html

from .found import Found, ImportProblem
from .text import block_markdown

_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)""", re.I)
_ARTICLE_TYPES = {"Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle",
                  "BlogPosting", "OpinionNewsArticle", "BackgroundNewsArticle"}  # fmt: skip
_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})")
_BYLINE = re.compile(r"^(?:by|von|par|por)\s+[^.!?]{2,80}$", re.I)
_DATE_WORDS = (
    "january february march april may june july august september october november december"
    " jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday"
    " saturday sunday mon tue wed thu fri sat sun am pm gmt utc bst cet cest est edt pst pdt"
    " updated published posted last modified on at"
)
_DATELINE_WORD = re.compile(r"[A-Za-z]+")
_MIN_TEXT = 80  # characters of article text below which the page holds no article


def from_html(name: str, raw: bytes) -> Found:
    """The article in the saved page `raw` (from the file `name`)."""
    text = _decode(name, raw)
    try:
        tree = lxml.html.fromstring(text)
    except (lxml.etree.ParserError, ValueError):
        raise ImportProblem(
            name, "is not a web page that can be read", "import a .txt copy"
        ) from None
    meta = _metadata(tree)
    title = meta.get("title") or ""
    body = _body(name, text, title)
    if not title:
        raise ImportProblem(
            name, "has no headline (no og:title, JSON-LD headline, <h1> or <title>)"
        )
    published = None
    if meta.get("published"):
        found = _ISO_DATE.match(meta["published"])
        if found:
            try:
                published = dt.date.fromisoformat(found.group(1))
            except ValueError:
                published = None
    return Found(
        title=title,
        body=body,
        outlet=meta.get("outlet"),
        url=meta.get("url"),
        published=published,
        author=meta.get("author"),
    )


def _decode(name: str, raw: bytes) -> str:
    """The page's text in the charset it declares (UTF-8 when it declares none)."""
    found = _CHARSET.search(raw[:4096])
    charset = found.group(1).decode("ascii").lower() if found else "utf-8"
    try:
        return raw.decode(charset)
    except LookupError:
        return _decode_utf8(name, raw)
    except UnicodeDecodeError as error:
        raise _undecodable(name, raw, error.start, charset) from None


def _decode_utf8(name: str, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _undecodable(name, raw, error.start, "utf-8") from None


def _undecodable(name: str, raw: bytes, at: int, charset: str) -> ImportProblem:
    line = raw.count(b"\n", 0, at) + 1
    column = at - (raw.rfind(b"\n", 0, at) + 1) + 1
    return ImportProblem(
        name,
        f"byte 0x{raw[at]:02x} is not {charset} text",
        "save the page again as UTF-8, or copy its text into a .txt file saved as UTF-8",
        line,
        column,
    )


# --- metadata -----------------------------------------------------------------------------


def _metadata(tree: Any) -> dict[str, str]:
    """title, outlet, url, published, author: each only if the page declares it."""
    metas: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or "").strip().lower()
        value = (element.get("content") or "").strip()
        if key and value and key not in metas:
            metas[key] = value
    ld = _json_ld(tree)
    found: dict[str, str] = {}
    title = metas.get("og:title") or _text(ld.get("headline"))
    if not title:
        h1 = next(iter(tree.iter("h1")), None)
        title = _clean(h1.text_content()) if h1 is not None else ""
    outlet = metas.get("og:site_name") or _name(ld.get("publisher"))
    if not title:
        page_title = next(iter(tree.iter("title")), None)
        title = _clean(page_title.text_content()) if page_title is not None else ""
        if outlet:  # "Headline | Outlet" or "Headline - Outlet"
            title = re.sub(rf"\s*[|\-–—]\s*{re.escape(outlet)}\s*$", "", title)
    found["title"] = _clean(title)
    if outlet:
        found["outlet"] = _clean(outlet)
    canonical = next(
        (link.get("href") for link in tree.iter("link") if "canonical" in (link.get("rel") or "")),
        None,
    )
    url = canonical or metas.get("og:url")
    if url and re.match(r"^https?://", url.strip()):
        found["url"] = url.strip()
    published = metas.get("article:published_time") or _text(ld.get("datePublished"))
    if published:
        found["published"] = published
    author = _name(ld.get("author")) or metas.get("author")
    if author and not re.match(r"^https?://", author):
        found["author"] = _clean(author)
    return found


def _json_ld(tree: Any) -> dict[str, Any]:
    """The page's first JSON-LD object of an article type (through lists and @graph), or {}."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text_content() or "")
        except json.JSONDecodeError:
            continue
        for item in _objects(data):
            kinds = item.get("@type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if _ARTICLE_TYPES.intersection(k for k in kinds if isinstance(k, str)):
                return item
    return {}


def _objects(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _objects(item)
    elif isinstance(data, dict):
        yield data
        yield from _objects(data.get("@graph", []))


def _name(value: Any) -> str:
    """A JSON-LD person or organisation's name; several: joined with " and "."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _text(value.get("name"))
    if isinstance(value, list):
        return " and ".join(name for name in map(_name, value) if name)
    return ""


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _clean(text: str) -> str:
    return " ".join(text.split())


# --- the article text -----------------------------------------------------------------------


def _body(name: str, text: str, title: str) -> str:
    import trafilatura  # imported when a page is imported: it takes a while to load

    extracted = trafilatura.extract(
        text,
        output_format="xml",
        favor_precision=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        deduplicate=False,
    )
    blocks = []
    if extracted:
        main = lxml.etree.fromstring(extracted.encode("utf-8")).find("main")
        if main is not None:
            blocks = list(_blocks(main, title))
    if sum(len(block) for block in blocks) < _MIN_TEXT:
        raise ImportProblem(
            name,
            "holds no article text that can be told from the rest of the page",
            "save the article's own page, or copy its text into a .txt file and import that",
        )
    return "\n\n".join(blocks) + "\n"


def _blocks(main: Any, title: str) -> Iterator[str]:
    """trafilatura's elements as Markdown blocks, furniture lines left out."""
    for element in main:
        tag = element.tag
        if tag == "head":
            heading = _inline(element)
            if heading and heading != title:
                yield "## " + heading
        elif tag == "p":
            paragraph = _inline(element)
            if paragraph and not _furniture(paragraph):
                yield block_markdown(paragraph)
        elif tag == "quote":
            lines = [_inline(p) for p in element.iter("p")] or [_inline(element)]
            quoted = [line for line in lines if line]
            if quoted:
                yield "\n>\n".join("> " + line.replace("\n", "\n> ") for line in quoted)
        elif tag == "list":
            ordered = element.get("rend") == "ol"
            items = [_inline(item) for item in element.iter("item")]
            yield "\n".join(
                (f"{n}. " if ordered else "- ") + item
                for n, item in enumerate((i for i in items if i), start=1)
            )


def _inline(element: Any) -> str:
    """An element's text: line breaks (<lb/>) kept as line breaks, runs of spaces as one."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if child.tag == "lb":
                parts.append("\n")
            else:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    lines = ("".join(parts)).split("\n")
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


def _furniture(paragraph: str) -> bool:
    """A byline ("By Mara Lindqvist") or a dateline ("3 June 2025, 07:45") on a line of its own."""
    if "\n" in paragraph:
        return False
    if _BYLINE.match(paragraph) and len(paragraph.split()) <= 8:
        return True
    words = _DATELINE_WORD.findall(paragraph)
    rest = _DATELINE_WORD.sub("", paragraph)
    return (
        all(word.lower() in _DATE_WORDS.split() for word in words)
        and bool(re.search(r"\d", paragraph))
        and not re.search(r"[^\d\s,.:/\-–]", rest)
    )
