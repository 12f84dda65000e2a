"""Text for the templates: editors' Markdown and article sentences.

In: Markdown strings (summaries, notes, content pages), or an article's source plus a sentence's
[start, end) offsets, its block, and the quote spans to mark. Out: `Markup` HTML for the editors'
Markdown, and for sentences a tuple of `Inline` nodes (text, mark, em, strong, code, link) that the
`inline` macro in templates/_macros.html turns into escaped HTML.

Sentences keep source offsets all the way down, so the `<mark>`s land on exactly the quoted
characters even when the sentence carries Markdown emphasis, code or links. Only a small, safe
subset of inline Markdown is understood; anything else is shown as the source's own characters.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.common.utils import unescapeAll
from markdown_it.token import Token
from markupsafe import Markup

from ..model import Block

# Raw HTML off: editors' tags are shown escaped. markdown-it's validateLink drops
# javascript:, vbscript:, file: and data: links.
_MARKDOWN = MarkdownIt("commonmark", {"html": False})


def markdown_block(text: str, link_base: str = "/") -> Markup:
    """Editors' Markdown (a summary, a content page) -> safe block HTML.

    Links written from the site root ("/claims/x/") are re-rooted at `link_base`, so they keep
    working when the site is published under a sub-path or read from the feed.
    """
    tokens = _MARKDOWN.parse(text)
    _reroot_links(tokens, link_base)
    return Markup(_MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {}))


def markdown_inline(text: str, link_base: str = "/") -> Markup:
    """Editors' inline Markdown (a quote's note) -> safe inline HTML, no wrapping <p>."""
    tokens = _MARKDOWN.parseInline(text)
    _reroot_links(tokens, link_base)
    return Markup(_MARKDOWN.renderer.render(tokens, _MARKDOWN.options, {}))


def _reroot_links(tokens: Sequence[Token], link_base: str) -> None:
    """Prefix root-relative hrefs and image sources with `link_base` (tokens are fresh per call)."""
    for token in tokens:
        if token.children:
            _reroot_links(token.children, link_base)
        for attribute in ("href", "src"):
            value = token.attrGet(attribute)
            if isinstance(value, str) and value.startswith("/") and not value.startswith("//"):
                token.attrSet(attribute, link_base + value[1:])


InlineKind = Literal["text", "mark", "em", "strong", "code", "link"]


@dataclass(frozen=True)
class Inline:
    """One node of a rendered sentence: `text`/`mark` carry `text`; the others wrap `children`."""

    kind: InlineKind
    text: str = ""
    href: str = ""
    children: tuple[Inline, ...] = ()


Span = tuple[int, int]


def sentence_inlines(
    source: str, start: int, end: int, block: Block, marks: Iterable[Span] = ()
) -> tuple[Inline, ...]:
    """The sentence `source[start:end]` as inline nodes, with every mark span inside `<mark>`.

    Block syntax (a heading's `#`s, a list marker, a blockquote's `>`) is hidden; `marks` may
    overlap each other and the sentence edges, only the parts inside [start, end) count.
    """
    clipped = sorted((max(a, start), min(b, end)) for a, b in marks if a < end and b > start)
    hidden = _block_syntax(source, start, end, block)
    return _convert(_parse(source, start, end), source, _union(clipped), hidden)


# --- block syntax ---------------------------------------------------------------------------

_QUOTE_MARKERS = re.compile(r"[ \t]{0,3}(?:>[ \t]?)+")
_LIST_MARKER = re.compile(r"[ \t]{0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+")
_ATX_OPEN = re.compile(r"[ \t]{0,3}#{1,6}(?:[ \t]+|$)", re.MULTILINE)
_ATX_CLOSE = re.compile(r"[ \t]+#+[ \t]*$", re.MULTILINE)
_SETEXT_LINE = re.compile(r"[ \t]{0,3}(?:=+|-+)[ \t]*$", re.MULTILINE)


def _block_syntax(source: str, start: int, end: int, block: Block) -> list[Span]:
    """Offsets of block markup inside [start, end) that is not the reader's text."""
    first_line = source.rfind("\n", 0, block.start) + 1
    hidden: list[Span] = []
    for line_start in _line_starts(source, start, end):
        line_end = source.find("\n", line_start, end)
        line_end = end if line_end < 0 else line_end
        patterns: list[re.Pattern[str]] = []
        if block.kind == "blockquote":
            patterns.append(_QUOTE_MARKERS)
        if block.kind == "list_item" and line_start == first_line:
            patterns.append(_LIST_MARKER)
        if block.kind == "heading" and line_start == first_line:
            patterns.append(_ATX_OPEN)
        if block.kind == "heading":
            patterns.append(_SETEXT_LINE)
        for pattern in patterns:
            found = pattern.match(source, line_start, line_end)
            if found and found.end() > found.start():
                hidden.append(found.span())
        if block.kind == "heading":
            closing = _ATX_CLOSE.search(source, line_start, line_end)
            if closing:
                hidden.append(closing.span())
    return hidden


def _line_starts(source: str, start: int, end: int) -> list[int]:
    """Offsets in [start, end) where a line of the source begins."""
    starts = [start] if start == 0 or source[start - 1] == "\n" else []
    position = source.find("\n", start, end)
    while position >= 0 and position + 1 < end:
        starts.append(position + 1)
        position = source.find("\n", position + 1, end)
    return starts


# --- inline Markdown, as source ranges -------------------------------------------------------


@dataclass(frozen=True)
class _Leaf:
    start: int
    end: int


@dataclass(frozen=True)
class _Box:
    kind: InlineKind
    href: str
    children: tuple[_Leaf | _Box, ...]


_Node = _Leaf | _Box
_PUNCTUATION = frozenset(string.punctuation)
_SPECIAL = re.compile(r"[\\`\[*_]")  # where _parse looks for markup
# `(url)` or `(url "title")` after a link's `]`; the title is not shown.
_LINK_TAIL = re.compile(
    r"""\(\s*(<[^<>\n]*>|[^\s()<>]*(?:\([^\s()<>]*\)[^\s()<>]*)*)"""
    r"""(?:\s+(?:"[^"]*"|'[^']*'|\([^()]*\)))?\s*\)"""
)


def _parse(src: str, start: int, end: int) -> list[_Node]:
    """A small inline Markdown parser over src[start:end]: escapes, code, links, emphasis."""
    nodes: list[_Node] = []
    text_from = i = start

    def take(node: _Node, at: int, resume: int) -> int:
        nonlocal text_from
        if at > text_from:
            nodes.append(_Leaf(text_from, at))
        nodes.append(node)
        text_from = resume
        return resume

    while i < end:
        char = src[i]
        if char == "\\" and i + 1 < end and src[i + 1] in _PUNCTUATION:
            i = take(_Leaf(i + 1, i + 2), i, i + 2)
        elif char == "`":
            run = _run(src, i, end)
            close = src.find("`" * run, i + run, end)
            while close >= 0 and _run(src, close, end) != run:
                close = src.find("`" * run, close + _run(src, close, end), end)
            if close < 0:
                i += run
                continue
            inner = _Leaf(*_strip_code_space(src, i + run, close))
            i = take(_Box("code", "", (inner,)), i, close + run)
        elif char == "[" and (link := _link(src, i, end)) is not None:
            text_end, href, after = link
            children = tuple(_parse(src, i + 1, text_end))
            node: _Node = _Box("link", href, children) if href else _Box("text", "", children)
            i = take(node, i, after)
        elif char in "*_" and (closer := _emphasis_close(src, start, i, end)) is not None:
            size = min(_run(src, i, end), 2)
            kind: InlineKind = "strong" if size == 2 else "em"
            i = take(_Box(kind, "", tuple(_parse(src, i + size, closer))), i, closer + size)
        else:
            i += _run(src, i, end) if char in "*_`" else 1
            # Only these characters can begin markup: most sentences have none of them.
            special = _SPECIAL.search(src, i, end)
            i = end if special is None else special.start()
    if end > text_from:
        nodes.append(_Leaf(text_from, end))
    return nodes


def _run(src: str, i: int, end: int) -> int:
    """Length of the run of src[i] starting at i."""
    j = i
    while j < end and src[j] == src[i]:
        j += 1
    return j - i


def _strip_code_space(src: str, start: int, end: int) -> Span:
    """CommonMark drops one space on each side of a code span when both are there."""
    inner = src[start:end]
    if len(inner) >= 2 and inner[0] in " \n" and inner[-1] in " \n" and inner.strip():
        return start + 1, end - 1
    return start, end


def _link(src: str, i: int, end: int) -> tuple[int, str, int] | None:
    """For `[text](url)` at i: (offset of `]`, safe href or "" when unsafe, offset after `)`)."""
    depth, j = 0, i
    while j < end:
        if src[j] == "\\":
            j += 2
            continue
        if src[j] == "[":
            depth += 1
        elif src[j] == "]":
            depth -= 1
            if depth == 0:
                break
        j += 1
    else:
        return None
    tail = _LINK_TAIL.match(src, j + 1, end)
    if tail is None:
        return None
    url = unescapeAll(tail.group(1).removeprefix("<").removesuffix(">"))
    href = _MARKDOWN.normalizeLink(url) if _MARKDOWN.validateLink(url) else ""
    return j, href, tail.end()


def _emphasis_close(src: str, start: int, i: int, end: int) -> int | None:
    """Where the emphasis opened at i closes (offset of the closing delimiter), if it does."""
    char, run = src[i], _run(src, i, end)
    size = min(run, 2)
    after_open = i + size
    if after_open >= end or src[after_open].isspace():
        return None
    if char == "_" and i > start and src[i - 1].isalnum():
        return None  # intra-word underscores are not emphasis (snake_case)
    j = after_open + 1
    while j < end:
        if src[j] == "\\":
            j += 2
            continue
        if src[j] != char:
            j += 1
            continue
        close_run = _run(src, j, end)
        after_close = j + close_run
        flanking = not src[j - 1].isspace() and not (
            char == "_" and after_close < end and src[after_close].isalnum()
        )
        if flanking and (close_run >= size if size == 2 else close_run == 1):
            # `***x***`: the strong closes on the last two, leaving `*x*` inside for <em>.
            return after_close - size if run > size else j
        j = after_close
    return None


# --- nodes with marks and hidden syntax -----------------------------------------------------


def _union(spans: Sequence[Span]) -> list[Span]:
    """Sorted spans merged where they overlap or touch, so marks never nest."""
    merged: list[Span] = []
    for a, b in spans:
        if b <= a:
            continue
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _convert(
    nodes: Sequence[_Node], source: str, marks: Sequence[Span], hidden: Sequence[Span]
) -> tuple[Inline, ...]:
    """Source-range nodes -> `Inline`s: cut text at mark edges, drop hidden syntax, merge runs."""
    pieces: list[tuple[int, Inline]] = []  # (mark index or -1, node)
    for node in nodes:
        if isinstance(node, _Leaf):
            pieces.extend(_split_leaf(node, source, marks, hidden))
            continue
        children = _convert(node.children, source, marks, hidden)
        if node.kind == "text":  # an unsafe link: keep its words, drop the link
            pieces.extend((-1, child) for child in children)
        elif children:
            pieces.append((-1, Inline(node.kind, href=node.href, children=children)))
    merged: list[tuple[int, Inline]] = []
    for mark, inline in pieces:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and inline.kind in ("text", "mark")
            and previous[1].kind == inline.kind
            and previous[0] == mark
        ):
            merged[-1] = (mark, Inline(inline.kind, previous[1].text + inline.text))
        else:
            merged.append((mark, inline))
    return tuple(inline for _, inline in merged)


def _split_leaf(
    leaf: _Leaf, source: str, marks: Sequence[Span], hidden: Sequence[Span]
) -> list[tuple[int, Inline]]:
    """A text range cut into text and mark pieces, with hidden ranges left out."""
    cuts = {leaf.start, leaf.end}
    for a, b in (*marks, *hidden):
        cuts.update(x for x in (a, b) if leaf.start < x < leaf.end)
    points = sorted(cuts)
    pieces: list[tuple[int, Inline]] = []
    for a, b in pairwise(points):
        if any(h0 <= a and b <= h1 for h0, h1 in hidden):
            continue
        mark = next((k for k, (m0, m1) in enumerate(marks) if m0 <= a and b <= m1), -1)
        pieces.append((mark, Inline("mark" if mark >= 0 else "text", source[a:b])))
    return pieces
