"""Article text for pages: whole bodies for article pages, quoted excerpts for claim pages.

In: `SegmentedArticle`s, `ResolvedQuote`s and the site's URLs. Out: `BodyItem`s (an article's
blocks with every sentence and its marks and claim links), `Excerpt`s (a quote's sentences plus
one neighbour each side), and the small shared views (links, dates, stances) built from them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from ..model import (
    Article,
    Block,
    ResolvedQuote,
    SegmentedArticle,
    Sentence,
    Stance,
)
from ..text.dates import MONTHS
from .inline import Span, markdown_inline, sentence_inlines
from .routes import Urls, article_route, outlet_route
from .text_fragment import text_fragment_url
from .values import (
    ArticleView,
    BodyItem,
    ClaimRef,
    DateView,
    Excerpt,
    Link,
    SentenceView,
    StanceView,
)

_STANCES: Mapping[Stance, StanceView] = {
    "supports": StanceView("supports", "supports", "✓"),
    "contradicts": StanceView("contradicts", "contradicts", "✗"),
    "mixed": StanceView("mixed", "mixed", "±"),
    "context": StanceView("context", "context", "i"),
}


def date_view(date: dt.date) -> DateView:
    """A date for people ("4 June 2025", locale-independent) and machines (ISO)."""
    return DateView(date.isoformat(), f"{date.day} {MONTHS[date.month - 1]} {date.year}")


def stance_view(stance: Stance | None) -> StanceView | None:
    return _STANCES[stance] if stance else None


def article_view(article: Article, urls: Urls) -> ArticleView:
    """The facts about an article that pages show; missing ones stay None, never invented."""
    return ArticleView(
        slug=article.slug,
        url=urls.link(article_route(article.slug)),
        title=article.title,
        lang=article.language,
        outlet=Link(article.outlet, urls.link(outlet_route(article.outlet_slug))),
        standfirst=article.standfirst,
        published=date_view(article.published) if article.published else None,
        author=article.author,
        original_url=article.url,
    )


def sentence_view(
    segmented: SegmentedArticle,
    sentence: Sentence,
    marks: Iterable[Span] = (),
    refs: tuple[ClaimRef, ...] = (),
) -> SentenceView:
    """One sentence with `marks` inside <mark> and the claims that cite it."""
    block = _block(segmented, sentence.block)
    inlines = sentence_inlines(segmented.article.source, sentence.start, sentence.end, block, marks)
    return SentenceView(sentence.number, f"s-{sentence.number}", inlines, refs)


def article_body(
    segmented: SegmentedArticle,
    marks: Mapping[int, Sequence[Span]],
    refs: Mapping[int, tuple[ClaimRef, ...]],
) -> tuple[BodyItem, ...]:
    """The article's blocks in order; `marks` and `refs` are keyed by sentence number."""
    by_block: dict[int, list[SentenceView]] = {}
    for sentence in segmented.sentences:
        view = sentence_view(
            segmented,
            sentence,
            marks.get(sentence.number, ()),
            refs.get(sentence.number, ()),
        )
        by_block.setdefault(sentence.block, []).append(view)
    shift = _heading_shift(segmented.blocks)
    items: list[BodyItem] = []
    for block in segmented.blocks:
        sentences = tuple(by_block.get(block.index, ()))
        if block.kind == "list_item":
            item = BodyItem("list_item", sentences)
            previous = items[-1] if items else None
            if previous and previous.kind == "list" and previous.group == block.group:
                items[-1] = replace(previous, items=(*previous.items, item))
            else:
                items.append(
                    BodyItem("list", ordered=block.ordered, group=block.group, items=(item,))
                )
        elif block.kind == "heading":
            level = min(max(block.level + shift, 2), 6)
            items.append(BodyItem("heading", sentences, level=level))
        else:
            items.append(BodyItem(block.kind, sentences))
    return tuple(items)


def _heading_shift(blocks: Sequence[Block]) -> int:
    """How much to add to heading levels so the body's top level becomes h2 under the h1 title."""
    levels = [block.level for block in blocks if block.kind == "heading" and block.level > 0]
    return 2 - min(levels) if levels else 0


def excerpt(
    segmented: SegmentedArticle,
    resolved: ResolvedQuote,
    article_url: str,
    link_base: str,
) -> Excerpt | None:
    """A quote's sentences with its words marked, one muted sentence each side, and its note."""
    touched = [s for s in map(segmented.sentence, resolved.sentences) if s]
    if not touched:
        return None
    first, last = touched[0].number, touched[-1].number
    before, after = segmented.sentence(first - 1), segmented.sentence(last + 1)
    note = resolved.quote.note
    return Excerpt(
        stance=stance_view(resolved.quote.stance),
        before=sentence_view(segmented, before) if before else None,
        sentences=tuple(sentence_view(segmented, s, resolved.spans) for s in touched),
        after=sentence_view(segmented, after) if after else None,
        note=markdown_inline(note, link_base) if note else None,
        context_url=f"{article_url}#s-{first}",
        source_url=_at_the_source(segmented.article, resolved.spans),
    )


def _at_the_source(article: Article, spans: tuple[Span, ...]) -> str | None:
    """The outlet's page at the quoted words (a text fragment), if the article has a URL."""
    if article.url is None:
        return None
    body = article.body_start
    inside = tuple((start - body, end - body) for start, end in spans)
    return text_fragment_url(article.url, article.source[body:], inside)


def _block(segmented: SegmentedArticle, index: int) -> Block:
    """The block with `index`; blocks are in document order, so usually it is blocks[index]."""
    blocks = segmented.blocks
    if 0 <= index < len(blocks) and blocks[index].index == index:
        return blocks[index]
    found = next((block for block in blocks if block.index == index), None)
    # A sentence outside every block still renders; a paragraph hides no syntax.
    return found or Block(index, "paragraph", 0, 0, 1)
