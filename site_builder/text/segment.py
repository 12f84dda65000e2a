"""Split an article into Markdown blocks and sentences.

In: an `Article` (its whole `source` and where the Markdown body starts) and a spaCy pipeline from
`load_pipeline`. Out: a `SegmentedArticle` whose `Block`s and `Sentence`s carry offsets into
`Article.source` and 1-based file lines, with `source[s.start:s.end] == s.text`.

text/markdown_blocks.py finds the blocks and masks the Markdown syntax (same length, so offsets stay
exact); spaCy splits the masked body into sentences, by default with the rules of
text/sentence_rules.py; no sentence crosses a block.
"""

from __future__ import annotations

import functools
import itertools
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
import spacy
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from ..model import Article, Block, SegmentedArticle, Sentence
from ..workers import chunks, worker_pool
from .markdown_blocks import MaskedBody, first_body_line, mask_body
from .sentence_rules import TextKeepingTokenizer, news_sentences

_COMPONENT = "news_sentences"
assert news_sentences  # importing sentence_rules registers the component with spaCy

Offsets = npt.NDArray[np.uint64]


@functools.cache
def load_pipeline(name: str | None) -> Language:
    """The installed pipeline `name`, or for None a blank English one with our sentence rules."""
    if name is not None:
        return spacy.load(name)
    nlp = spacy.blank("en")
    # Our rules read characters, so the tokenizer's special cases ("U.S.", "don't") are not
    # needed, and they are costly: after the first special case in a Doc, spaCy stops caching
    # that Doc's tokens (tokenizer.pyx `_save_cached`, issue #1250), which makes news text about
    # ten times slower to tokenize. A larger cache keeps a big corpus on the fast path.
    tokenizer = nlp.tokenizer
    assert isinstance(tokenizer, Tokenizer)
    tokenizer.rules = {}
    tokenizer.max_cache_size = 200_000
    nlp.tokenizer = TextKeepingTokenizer(tokenizer)
    nlp.add_pipe(_COMPONENT)
    return nlp


def find_blocks(article: Article) -> tuple[Block, ...]:
    """The Markdown blocks of the article body, in document order."""
    return mask_body(article).blocks


def _doc_starts(doc: Doc) -> Offsets:
    """Character offsets (into the Doc's text) of the sentence starts the pipeline set."""
    arr = doc.to_array([SENT_START, IDX])
    starts: Offsets = arr[arr[:, 0] == 1, 1]
    return starts


def _sentence_starts(masked: MaskedBody, base: int, nlp: Language) -> list[int]:
    """Sorted body offsets of the sentence starts, every block start included."""
    block_starts = np.array([b.start - base for b in masked.blocks], dtype=np.uint64)
    if _COMPONENT in nlp.pipe_names:
        # Our rules treat a blank line as a boundary and never look further than the next
        # word, so the whole masked body can be one Doc (much faster than one per block).
        starts = np.union1d(_doc_starts(nlp(masked.text)), block_starts)
    else:
        # A trained parser uses context: give it one block at a time.
        texts = (masked.text[b.start - base : b.end - base] for b in masked.blocks)
        per_block = [
            d + s for d, s in zip(map(_doc_starts, nlp.pipe(texts)), block_starts, strict=True)
        ]
        starts = np.unique(np.concatenate([block_starts, *per_block]))
    offsets: list[int] = starts.tolist()
    return offsets


def segment_article(article: Article, nlp: Language) -> SegmentedArticle:
    """Blocks and sentences of `article`; sentence numbers are 1-based across the article."""
    masked = mask_body(article)
    text, source, base = masked.text, article.source, article.body_start
    block_starts = [b.start for b in masked.blocks]
    first_line = first_body_line(article)
    newlines = [m.start() for m in re.finditer("\n", text)]
    bounds = [*_sentence_starts(masked, base, nlp), len(text)]
    sentences: list[Sentence] = []
    for a, b in itertools.pairwise(bounds):
        # Trim the white space (and masked syntax) between one sentence and the next.
        piece = text[a:b]
        start, end = a + len(piece) - len(piece.lstrip()), a + len(piece.rstrip())
        if start >= end:
            continue  # white space only: the tail of a block
        sentences.append(
            Sentence(
                number=len(sentences) + 1,
                block=bisect_right(block_starts, base + start) - 1,
                start=base + start,
                end=base + end,
                line=first_line + bisect_right(newlines, start),
                text=source[base + start : base + end],
            )
        )
    return SegmentedArticle(article, masked.blocks, tuple(sentences))


# Below this many articles to segment, one process does it: starting workers costs more.
PARALLEL_FROM = 200


def segment_many(
    articles: Sequence[Article],
    pipeline: str | None,
    workers: int = 1,
    on_progress: Callable[[int], None] | None = None,
) -> list[SegmentedArticle]:
    """`segment_article` for each of `articles`, in order, with the pipeline named `pipeline`.

    With `workers` > 1 and many articles, forked worker processes share the work (spaCy and
    our rules are pure Python, so threads would not help); each sends back only offsets, and
    the sentences are built here from the article's text. `on_progress` is told how many are
    done. Forking is for one-off builds: a process with other threads running must use 1.
    """
    nlp = load_pipeline(pipeline)  # loaded before forking, so workers inherit it
    done = 0
    if workers <= 1 or len(articles) < PARALLEL_FROM:
        results = []
        for article in articles:
            results.append(segment_article(article, nlp))
            done += 1
            if on_progress is not None and done % 50 == 0:
                on_progress(done)
        return results
    parts = [articles[r.start : r.stop] for r in chunks(len(articles), workers)]
    segmented: list[SegmentedArticle] = []
    with worker_pool(workers) as pool:
        chunk_results = pool.imap(functools.partial(_segment_chunk, pipeline=pipeline), parts)
        for chunk, encoded in zip(parts, chunk_results, strict=True):
            for article, (blocks, bounds) in zip(chunk, encoded, strict=True):
                segmented.append(_rebuild(article, blocks, bounds))
            done += len(chunk)
            if on_progress is not None:
                on_progress(done)
    return segmented


_SentenceBounds = tuple[tuple[int, int, int, int], ...]  # (block, start, end, line) each


def _segment_chunk(
    articles: Sequence[Article], pipeline: str | None
) -> list[tuple[tuple[Block, ...], _SentenceBounds]]:
    """In a worker: each article's blocks and its sentences' offsets (no texts, to send less)."""
    nlp = load_pipeline(pipeline)
    encoded = []
    for article in articles:
        segmented = segment_article(article, nlp)
        bounds = tuple((s.block, s.start, s.end, s.line) for s in segmented.sentences)
        encoded.append((segmented.blocks, bounds))
    return encoded


def _rebuild(
    article: Article, blocks: tuple[Block, ...], bounds: _SentenceBounds
) -> SegmentedArticle:
    source = article.source
    sentences = tuple(
        Sentence(number, block, start, end, line, source[start:end])
        for number, (block, start, end, line) in enumerate(bounds, start=1)
    )
    return SegmentedArticle(article, blocks, sentences)
