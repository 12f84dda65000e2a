"""The text of an article page as a browser exposes it: what the annotations' selectors count in.

In: a `SegmentedArticle`. Out: `PageText`, the `textContent` of the page's `#article-text`
element (templates/article.html writes that element), and a way to map the quoted characters
of the Markdown source onto it.

Web annotation clients (Apache Annotator, Hypothesis) anchor a TextQuoteSelector or a
TextPositionSelector in the text of the page their `source` names, not in our Markdown: list
markers, emphasis asterisks and front matter are not there, and the template's own whitespace
is. So the text is rebuilt here from the same `BodyItem`s the template walks, with the same
whitespace. The template keeps its side of the bargain:

- a line feed before each block (heading, paragraph, list, blockquote) and before the element's
  closing tag, a line feed before each list item and before the list's closing tag, nothing
  else between tags;
- the sentences of one block joined by one space;
- the claim links after an annotated sentence carry no text (their labels are attributes that
  CSS shows), so the text between two sentences is only what the article says.

tests/test_render.py parses every article page and checks its `#article-text` against this
module, and the browser test anchors every selector with Apache Annotator in Chromium.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from ..model import SegmentedArticle
from .article import article_body, sentence_view
from .inline import Inline, Span
from .values import BodyItem, SentenceView

ELEMENT_ID = "article-text"  # the id of the element whose textContent the selectors count in

BLOCK_SEPARATOR = "\n"  # before each block, each list item, and each closing list/body tag
SENTENCE_SEPARATOR = " "


@dataclass(frozen=True)
class PageText:
    """`text` is the element's textContent; `starts[n]` where sentence n's text begins in it."""

    segmented: SegmentedArticle
    text: str
    starts: dict[int, int]

    def locate(self, span: Span) -> Span | None:
        """Where the source characters `span` show in `text`: [start, end) code points.

        Block syntax inside the span (a list marker, emphasis delimiters) is not in the page, so
        the result covers the shown characters from the first quoted one to the last. None when
        no quoted character is shown.
        """
        start, end = span
        sentences = self.segmented.sentences
        found: list[int] = []
        # Sentences are in source order: start at the first that ends after the span begins.
        first = bisect.bisect_right(sentences, start, key=lambda sentence: sentence.end)
        for sentence in sentences[first:]:
            if sentence.start >= end:
                break
            view = sentence_view(self.segmented, sentence, ((start, end),))
            offset = self.starts[sentence.number]
            for kind, at, length in _leaves(view.inlines, offset):
                if kind == "mark":
                    found.extend((at, at + length))
        return (min(found), max(found)) if found else None


def page_text(segmented: SegmentedArticle) -> PageText:
    """The `#article-text` textContent of `segmented`'s page, with each sentence's start."""
    parts: list[str] = []
    starts: dict[int, int] = {}
    length = 0

    def add(text: str) -> None:
        nonlocal length
        parts.append(text)
        length += len(text)

    def add_sentences(sentences: Sequence[SentenceView]) -> None:
        for index, sentence in enumerate(sentences):
            if index:
                add(SENTENCE_SEPARATOR)
            starts[sentence.number] = length
            add(_text(sentence.inlines))

    for item in _items(segmented):
        add(BLOCK_SEPARATOR)
        if item.kind == "list":
            for entry in item.items:
                add(BLOCK_SEPARATOR)
                add_sentences(entry.sentences)
            add(BLOCK_SEPARATOR)
        else:
            add_sentences(item.sentences)
    add(BLOCK_SEPARATOR)
    return PageText(segmented, "".join(parts), starts)


def _items(segmented: SegmentedArticle) -> tuple[BodyItem, ...]:
    return article_body(segmented, {}, {})


def _text(inlines: Sequence[Inline]) -> str:
    return "".join(
        inline.text if not inline.children else _text(inline.children) for inline in inlines
    )


def _leaves(inlines: Sequence[Inline], offset: int) -> Iterator[tuple[str, int, int]]:
    """(kind, offset, length) of each text-carrying node, in document order."""
    for inline in inlines:
        if inline.children:
            yield from _leaves(inline.children, offset)
            offset += len(_text(inline.children))
        else:
            yield inline.kind, offset, len(inline.text)
            offset += len(inline.text)
