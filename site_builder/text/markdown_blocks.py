"""Markdown blocks of an article body, and the body with Markdown syntax masked.

In: an `Article`. Out: a `MaskedBody`: the `Block`s (headings, paragraphs, list items, block
quotes) with offsets into `Article.source` and 1-based file lines, and a copy of the body of the
same length in which container syntax (`>` markers, list bullets, `#` and setext underlines) and
everything outside a block (code, HTML, rules) are spaces. Segmenting the masked text therefore
gives offsets that are exact in the source. Inline Markdown (emphasis, links) is kept.

markdown-it does the parsing, but its block parser costs about 25 µs per block in Python, more
than all the rest of segmentation. Most of a news article is plain paragraphs, whose structure is
certain without it: a stretch of lines between blank lines, each starting at column 0 with a
character that cannot begin any other block, is a paragraph (unless a fenced code or HTML block
is still open, see `_RAW`). Only the other stretches go through markdown-it.
"""

from __future__ import annotations

import functools
import itertools
import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..model import Article, Block, BlockKind

# First characters of a line that may start something other than a paragraph line: indentation,
# block quotes, bullets and rules, setext underlines, fences, HTML, link references, headings,
# ordered list markers.
_SPECIAL = re.compile(r"[ \t>*+\-_=`~<\[#]|\d{1,9}[.)](?:[ \t]|$)")
_ATX = re.compile(r"(#{1,6})(?:[ \t]|$)")
_ATX_CLOSE = re.compile(r"[ \t]#+[ \t]*$")
# Blocks that may run on across blank lines (fenced code, HTML comments and scripts): after one,
# the rest of the body goes to markdown-it.
_RAW = re.compile(r"[ \t]{0,3}(?:```|~~~|<)")
_NOT_NEWLINE = re.compile(r"[^\n]")
_LEADING_SPACE = re.compile(r"\s*")


@functools.lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # Only block tokens and their line maps are used, so inline parsing is skipped (3x faster).
    return MarkdownIt("commonmark").disable(["inline", "text_join"])


@dataclass(frozen=True)
class _Container:
    """A block quote (`marker` ">") or a list item (`marker` "-", "1." ...) starting at `line`."""

    marker: str
    line: int


@dataclass(frozen=True)
class _Leaf:
    """A paragraph or heading: body lines [first, last] and the containers (outermost first)."""

    first: int
    last: int
    kind: BlockKind
    markup: str = ""  # "#"*level for ATX headings, "=" or "-" for setext ones
    level: int = 0
    containers: tuple[_Container, ...] = ()
    group: int = 0
    ordered: bool = False


@dataclass(frozen=True)
class MaskedBody:
    text: str  # the masked body, as long as Article.body
    blocks: tuple[Block, ...]


def _is_blank(line: str) -> bool:
    return not line.strip(" \t")


def _chunks(lines: Sequence[str]) -> Iterator[tuple[int, int]]:
    """[first, end) line ranges of the stretches between blank lines."""
    first = None
    for i, line in enumerate(lines):
        if _is_blank(line):
            if first is not None:
                yield first, i
                first = None
        elif first is None:
            first = i
    if first is not None:
        yield first, len(lines)


_NOT_LISTS = frozenset("ph>")  # chunk kinds: paragraph, heading, block quote; others are lists
_ITEM = re.compile(r"(?:([-*+])|\d{1,9}([.)])) ")


def _content_is_plain(line: str, pos: int) -> bool:
    """True when line[pos:] is non-empty text that cannot start a block of its own."""
    return pos < len(line.rstrip()) and not _SPECIAL.match(line, pos)


def _chunk_kind(lines: Sequence[str], first: int, end: int) -> str | None:
    """What a chunk certainly is: "p", "h", ">" or a list key ("-", "*", "+", "1.", "1)").

    None when markdown-it must decide. A list chunk is one tight list of one-line items.
    """
    if not any(_SPECIAL.match(lines[i]) for i in range(first, end)):
        return "p"
    if end == first + 1 and _ATX.match(lines[first]):
        return "h"
    if all(lines[i].startswith("> ") and _content_is_plain(lines[i], 2) for i in range(first, end)):
        return ">"
    keys = set()
    for i in range(first, end):
        item = _ITEM.match(lines[i])
        if item is None or not _content_is_plain(lines[i], item.end()):
            return None
        keys.add(item.group(1) or "1" + item.group(2))
    return keys.pop() if len(keys) == 1 else None


def _chunk_kinds(lines: Sequence[str], chunks: Sequence[tuple[int, int]]) -> list[str | None]:
    """`_chunk_kind` of each chunk, with list chunks next to undecided chunks made undecided.

    An undecided chunk before a list may end with an open list that this one continues, and one
    after it may be a continuation (indented) or a list item that continues it.
    """
    kinds = [_chunk_kind(lines, first, end) for first, end in chunks]
    changed = True
    while changed:
        changed = False
        for i, kind in enumerate(kinds):
            if kind is None or kind in _NOT_LISTS:
                continue
            after = lines[chunks[i + 1][0]] if i + 1 < len(chunks) else ""
            next_undecided = i + 1 < len(chunks) and kinds[i + 1] is None
            if (i > 0 and kinds[i - 1] is None) or (
                next_undecided and (after[:1] in (" ", "\t") or _ITEM.match(after))
            ):
                kinds[i] = None
                changed = True
    return kinds


def _plain_leaves(
    lines: Sequence[str], first: int, end: int, kind: str, group: int
) -> Iterator[_Leaf]:
    """The leaves of a chunk whose `kind` is known."""
    if kind == "p":
        yield _Leaf(first, end - 1, "paragraph")
    elif kind == "h":
        level = len(lines[first]) - len(lines[first].lstrip("#"))
        yield _Leaf(first, first, "heading", "#" * level, level)
    elif kind == ">":
        yield _Leaf(first, end - 1, "blockquote", containers=(_Container(">", first),))
    else:
        for i in range(first, end):
            item = _ITEM.match(lines[i])
            assert item is not None
            marker = item.group(0)[:-1]
            ordered = item.group(1) is None
            yield _Leaf(i, i, "list_item", "", 0, (_Container(marker, i),), group, ordered)


def _token_leaves(tokens: Sequence[Token], offset: int, groups: Iterator[int]) -> Iterator[_Leaf]:
    """Leaves of markdown-it block tokens whose line maps start at body line `offset`."""
    containers: list[_Container] = []
    lists: list[tuple[int, bool]] = []  # (group, ordered) of each open list
    for tok in tokens:
        kind = tok.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            lists.append((next(groups), kind == "ordered_list_open"))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind in ("list_item_open", "blockquote_open") and tok.map:
            containers.append(_Container(tok.info + tok.markup, offset + tok.map[0]))
        elif kind in ("list_item_close", "blockquote_close"):
            containers.pop()
        elif kind in ("paragraph_open", "heading_open") and tok.map:
            inner = containers[-1].marker if containers else ""
            leaf_kind: BlockKind = (
                "heading"
                if kind == "heading_open"
                else "blockquote"
                if inner == ">"
                else "list_item"
                if inner
                else "paragraph"
            )
            group, ordered = lists[-1] if leaf_kind == "list_item" else (0, False)
            first, end = offset + tok.map[0], offset + tok.map[1]
            level = int(tok.tag[1]) if leaf_kind == "heading" else 0
            yield _Leaf(
                first, end - 1, leaf_kind, tok.markup, level, tuple(containers), group, ordered
            )


def _leaves(
    body: str, lines: Sequence[str], line_starts: Sequence[int], fast: bool
) -> Iterator[_Leaf]:
    """All leaves in order: plain chunks directly, the other stretches through markdown-it."""
    groups = itertools.count(1)  # list groups are numbered from 1; 0 means "not in a list"
    if not fast:
        yield from _token_leaves(_markdown().parse(body), 0, groups)
        return
    chunks = list(_chunks(lines))
    kinds = _chunk_kinds(lines, chunks)
    i, group, last_list = 0, 0, ""
    while i < len(chunks):
        first, end = chunks[i]
        kind = kinds[i]
        if kind is not None:
            if kind not in _NOT_LISTS and kind != last_list:
                group = next(groups)  # a new list; one with the same marker continues it
            last_list = kind if kind not in _NOT_LISTS else ""
            yield from _plain_leaves(lines, first, end, kind, group)
            i += 1
            continue
        # Gather the following undecided chunks: a loose list or a list item with several
        # paragraphs spans blank lines and must be parsed as a whole.
        j, last_list = i, ""
        while j < len(chunks) and (j == i or kinds[j] is None):
            if any(_RAW.match(lines[k]) for k in range(*chunks[j])):
                j = len(chunks)  # a fence or raw HTML may still be open: parse to the end
                break
            j += 1
        last_end = chunks[j - 1][1]
        text = body[line_starts[first] : line_starts[last_end] - 1]
        yield from _token_leaves(_markdown().parse(text), first, groups)
        i = j


def _skip_spaces(body: str, pos: int, end: int) -> int:
    while pos < end and body[pos] in " \t":
        pos += 1
    return pos


def _container_marks(
    body: str, line: int, pos: int, end: int, containers: tuple[_Container, ...]
) -> tuple[int, list[tuple[int, int]]]:
    """Spans of container syntax at the start of one line; returns where the content starts."""
    marks: list[tuple[int, int]] = []
    for container in containers:
        pos = _skip_spaces(body, pos, end)
        if container.marker == ">":
            if not body.startswith(">", pos):
                break  # a lazy continuation line: no more markers on it
            marks.append((pos, pos + 1))
            pos += 1
        elif container.line == line and body.startswith(container.marker, pos):
            marks.append((pos, pos + len(container.marker)))  # a list bullet or number
            pos += len(container.marker)
    return _skip_spaces(body, pos, end), marks


def _leaf_marks(body: str, leaf: _Leaf, line_starts: Sequence[int]) -> list[tuple[int, int]]:
    """The spans of Markdown syntax to mask on the lines of one leaf."""
    marks: list[tuple[int, int]] = []
    for line in range(leaf.first, leaf.last + 1):
        end = line_starts[line + 1] - 1
        pos, line_marks = _container_marks(body, line, line_starts[line], end, leaf.containers)
        marks += line_marks
        if leaf.markup in ("=", "-") and line == leaf.last:
            marks.append((pos, end))  # a setext underline
        elif leaf.markup.startswith("#") and line == leaf.first:
            marks.append((pos, pos + len(leaf.markup)))
            close = _ATX_CLOSE.search(body, pos + len(leaf.markup), end)
            if close:
                marks.append((close.start(), end))
    return marks


def _blank(text: str) -> str:
    """`text` with every character but line breaks replaced by a space."""
    return _NOT_NEWLINE.sub(" ", text)


def _masked_slice(body: str, start: int, end: int, marks: list[tuple[int, int]]) -> str:
    """body[start:end] with the spans in `marks` (sorted, inside the range) blanked."""
    pieces: list[str] = []
    for mark_start, mark_end in marks:
        pieces += (body[start:mark_start], " " * (mark_end - mark_start))
        start = mark_end
    pieces.append(body[start:end])
    return "".join(pieces)


def first_body_line(article: Article) -> int:
    """The 1-based file line of the first body line."""
    return article.source.count("\n", 0, article.body_start) + 1


@functools.lru_cache(maxsize=16)
def mask_body(article: Article, fast: bool = True) -> MaskedBody:
    """The blocks of `article` and its masked body; `fast=False` parses it all with markdown-it.

    The few latest results are kept, so `find_blocks` then `segment_article` parses once.
    """
    body = article.body
    lines = body.split("\n")
    # Offsets of each line's first character, plus one past the end of the body.
    line_starts = [0, *accumulate(len(line) + 1 for line in lines)]
    first_line, base = first_body_line(article), article.body_start
    pieces: list[str] = []
    blocks: list[Block] = []
    done = 0  # body offset up to which `pieces` is built
    for leaf in _leaves(body, lines, line_starts, fast):
        start, end = line_starts[leaf.first], line_starts[leaf.last + 1] - 1
        if leaf.containers or leaf.markup:
            text = _masked_slice(body, start, end, _leaf_marks(body, leaf, line_starts))
        else:
            text = body[start:end]  # a plain paragraph: nothing to mask
        gap = body[done:start]
        pieces += (gap if gap.isspace() else _blank(gap), text)
        done = end
        leading = _LEADING_SPACE.match(text)
        content_start = start + (leading.end() if leading else 0)
        content_end = start + len(text.rstrip())
        if content_start >= content_end:
            continue  # an empty heading or list item
        blocks.append(
            Block(
                index=len(blocks),
                kind=leaf.kind,
                start=base + content_start,
                end=base + content_end,
                line=first_line + bisect_right(line_starts, content_start) - 1,
                level=leaf.level,
                group=leaf.group,
                ordered=leaf.ordered,
            )
        )
    pieces.append(_blank(body[done:]))
    return MaskedBody("".join(pieces), tuple(blocks))
