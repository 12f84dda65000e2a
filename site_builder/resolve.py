"""Quotes -> spans of article text and the sentences they touch. All anchoring rules live here.

In: `Claim`s and the `SegmentedArticle`s they quote. Out: `ResolvedClaim`s whose quotes carry
[start, end) offsets into `Article.source` and the sentence numbers they cover; every quote that
cannot be anchored exactly is a located diagnostic.

The rules (GUIDE §2): matching ignores typography only (quote and dash variants, runs of white
space); "…" or "..." elides words whose pieces must appear in order within one block; a quote
found more than once is an error listing every place unless `occurrence` picks one; a quote that
is not found is never re-attached to similar words: the editor is shown the closest wording.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from .diagnostics import Diagnostics, Location
from .model import Claim, Quote, ResolvedClaim, ResolvedQuote, SegmentedArticle, Sentence

# One-character substitutions that only change typography, never a letter or digit.
_TYPOGRAPHY = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
    }
)
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
_ELISION = re.compile(r"\s*\.\.\.\s*")
# In a block quote, the "> " markers at the start of continuation lines are not text.
_BLOCKQUOTE_MARKERS = re.compile(r"\n[ \t]*(?:>[ \t]?)+")
_NUMBER = re.compile(r"\d")
SIMILARITY_FLOOR = 60.0


@dataclass(frozen=True)
class NormalizedText:
    """Text with typography folded, and for each of its characters the source offset it came from."""

    text: str
    origins: tuple[int, ...]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) range of `text` back to a [start, end) range of the source."""
        return self.origins[start], self.origins[end - 1] + 1


def fold_typography(text: str) -> str:
    """The matching form of an editor's quote: typography folded, white space collapsed."""
    return normalize(text, 0, len(text)).text.strip()


def normalize(source: str, start: int, end: int, blockquote: bool = False) -> NormalizedText:
    """Fold typography in source[start:end], remembering where each character came from."""
    chars: list[str] = []
    origins: list[int] = []
    index = start
    while index < end:
        char = source[index]
        if blockquote and char == "\n":
            marker = _BLOCKQUOTE_MARKERS.match(source, index, end)
            if marker:
                # The line break and the markers after it count as one white space.
                if not chars or chars[-1] != " ":
                    chars.append(" ")
                    origins.append(index)
                index = marker.end()
                continue
        if char.isspace():
            if not chars or chars[-1] != " ":
                chars.append(" ")
                origins.append(index)
        elif char == "\u2026":
            chars.extend("...")
            origins.extend((index, index, index))
        elif char not in _INVISIBLE:
            chars.append(char.translate(_TYPOGRAPHY))
            origins.append(index)
        index += 1
    return NormalizedText("".join(chars), tuple(origins))


def quote_pieces(text: str) -> tuple[str, ...]:
    """Split a quote at its elisions ("…" or "...") into the pieces that must appear in order."""
    return tuple(piece for piece in _ELISION.split(fold_typography(text)) if piece)


@dataclass(frozen=True)
class BlockText:
    """The searchable text of one Markdown block: from its first sentence to its last."""

    block: int
    normalized: NormalizedText


@dataclass(frozen=True)
class Match:
    block: int
    spans: tuple[tuple[int, int], ...]  # source offsets, one per quote piece


def block_texts(segmented: SegmentedArticle) -> tuple[BlockText, ...]:
    """Each block's sentences as one normalised text (headings' '#' and list bullets excluded)."""
    by_block: dict[int, list[Sentence]] = {}
    for sentence in segmented.sentences:
        by_block.setdefault(sentence.block, []).append(sentence)
    kinds = {block.index: block.kind for block in segmented.blocks}
    return tuple(
        BlockText(
            index,
            normalize(
                segmented.article.source,
                sentences[0].start,
                sentences[-1].end,
                blockquote=kinds.get(index) == "blockquote",
            ),
        )
        for index, sentences in by_block.items()
    )


def _word_bounded(text: str, start: int, end: int) -> bool:
    """True unless the match starts or ends in the middle of a word ("port" inside "support")."""
    if text[start].isalnum() and start > 0 and text[start - 1].isalnum():
        return False
    return not (text[end - 1].isalnum() and end < len(text) and text[end].isalnum())


def _find_all(text: str, piece: str, start: int = 0) -> Iterator[int]:
    position = text.find(piece, start)
    while position >= 0:
        if _word_bounded(text, position, position + len(piece)):
            yield position
        position = text.find(piece, position + 1)


def find_matches(blocks: Sequence[BlockText], pieces: Sequence[str]) -> tuple[Match, ...]:
    """Every place where the pieces occur in order within one block, in document order."""
    matches = []
    for block in blocks:
        text = block.normalized.text
        for first in _find_all(text, pieces[0]):
            ranges = [(first, first + len(pieces[0]))]
            for piece in pieces[1:]:
                following = next(_find_all(text, piece, ranges[-1][1]), None)
                if following is None:
                    break
                ranges.append((following, following + len(piece)))
            if len(ranges) == len(pieces):
                spans = tuple(block.normalized.source_span(s, e) for s, e in ranges)
                matches.append(Match(block.block, spans))
    return tuple(matches)


def sentences_touched(
    segmented: SegmentedArticle, spans: Sequence[tuple[int, int]]
) -> tuple[int, ...]:
    """Numbers of the sentences from the first to the last one that any span overlaps."""
    hit = [
        s.number
        for s in segmented.sentences
        if any(s.start < e and start < s.end for start, e in spans)
    ]
    return tuple(range(hit[0], hit[-1] + 1)) if hit else ()


def _sentence_at(segmented: SegmentedArticle, offset: int) -> Sentence:
    return next((s for s in segmented.sentences if s.end > offset), segmented.sentences[-1])


def _place(segmented: SegmentedArticle, offset: int) -> str:
    sentence = _sentence_at(segmented, offset)
    return f"sentence {sentence.number} (line {sentence.line})"


@dataclass(frozen=True)
class Closest:
    """The article wording nearest to a quote that was not found."""

    sentence: Sentence
    wording: str
    similarity: float


def closest_wording(segmented: SegmentedArticle, piece: str) -> Closest | None:
    """The sentence (or pair of neighbouring sentences) whose words best match `piece`."""
    best: Closest | None = None
    sentences = segmented.sentences
    source = segmented.article.source
    for index, sentence in enumerate(sentences):
        candidates = [sentence.end]
        if index + 1 < len(sentences) and sentences[index + 1].block == sentence.block:
            candidates.append(sentences[index + 1].end)
        for end in candidates:
            text = normalize(source, sentence.start, end)
            alignment = fuzz.partial_ratio_alignment(piece, text.text)
            if alignment is None or (best is not None and alignment.score <= best.similarity):
                continue
            start, stop = alignment.dest_start, alignment.dest_end
            # Widen the aligned window to whole words so the editor sees complete words.
            while start > 0 and text.text[start - 1].isalnum():
                start -= 1
            while stop < len(text.text) and text.text[stop].isalnum():
                stop += 1
            span = text.source_span(start, stop)
            best = Closest(sentence, source[span[0] : span[1]], alignment.score)
    return best if best is not None and best.similarity >= SIMILARITY_FLOOR else None


def describe_difference(quote: str, wording: str) -> str:
    """The words that differ between a quote and the article's wording, e.g. "'5,000' → '6,000'"."""
    quoted, found = quote.split(), fold_typography(wording).split()
    changes = []
    matcher = difflib.SequenceMatcher(a=quoted, b=found, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        before = " ".join(quoted[a1:a2]) or "(nothing)"
        after = " ".join(found[b1:b2]) or "(nothing)"
        changes.append(f"'{before}' → '{after}'")
    return "; ".join(changes)


class Resolver:
    """Anchors quotes in a fixed set of segmented articles, reporting into one collector."""

    def __init__(self, articles: Sequence[SegmentedArticle], diagnostics: Diagnostics) -> None:
        self.articles = {segmented.article.slug: segmented for segmented in articles}
        self.diagnostics = diagnostics
        self._blocks: dict[str, tuple[BlockText, ...]] = {}

    def blocks(self, slug: str) -> tuple[BlockText, ...]:
        if slug not in self._blocks:
            self._blocks[slug] = block_texts(self.articles[slug])
        return self._blocks[slug]

    def resolve_claim(self, claim: Claim) -> ResolvedClaim:
        """The claim with every quote that could be anchored; the others are diagnostics."""
        resolved = (self.resolve_quote(quote) for quote in claim.quotes)
        return ResolvedClaim(claim, tuple(q for q in resolved if q is not None))

    def resolve_quote(self, quote: Quote) -> ResolvedQuote | None:
        segmented = self.articles.get(quote.article)
        if segmented is None:
            return None  # load.py already reported the unknown article
        if not segmented.sentences:
            self.diagnostics.error(
                quote.location, f"article '{quote.article}' has no sentences to quote"
            )
            return None
        if quote.sentence is not None:
            return self._by_number(quote, segmented, quote.sentence)
        assert quote.text is not None
        return self._by_words(quote, segmented, quote.text)

    def _by_number(
        self, quote: Quote, segmented: SegmentedArticle, number: int
    ) -> ResolvedQuote | None:
        count = len(segmented.sentences)
        if not 1 <= number <= count:
            self.diagnostics.error(
                quote.location,
                f"sentence {number} is out of range: {quote.article} has {count} sentences",
                f"List them with: site-builder sentences {quote.article}",
            )
            return None
        sentence = segmented.sentences[number - 1]
        return ResolvedQuote(quote, ((sentence.start, sentence.end),), (number,))

    def _by_words(
        self, quote: Quote, segmented: SegmentedArticle, text: str
    ) -> ResolvedQuote | None:
        location = quote.text_location or quote.location
        pieces = quote_pieces(text)
        matches = find_matches(self.blocks(quote.article), pieces)
        if not matches:
            self._not_found(location, quote.article, segmented, pieces)
            return None
        if quote.occurrence is not None:
            if quote.occurrence > len(matches):
                self.diagnostics.error(
                    location,
                    f"occurrence {quote.occurrence} asked for, but the quote occurs {len(matches)} time(s) "
                    f"in {quote.article}",
                    "Lower 'occurrence' or quote different words.",
                )
                return None
            match = matches[quote.occurrence - 1]
        elif len(matches) > 1:
            places = ", ".join(_place(segmented, m.spans[0][0]) for m in matches)
            self.diagnostics.error(
                location,
                f"quote occurs {len(matches)} times in {quote.article}: {places}",
                "Quote more words so it is unique, or add 'occurrence: N' to pick one.",
            )
            return None
        else:
            match = matches[0]
        return ResolvedQuote(quote, match.spans, sentences_touched(segmented, match.spans))

    def _not_found(
        self, location: Location, slug: str, segmented: SegmentedArticle, pieces: Sequence[str]
    ) -> None:
        blocks = self.blocks(slug)
        missing = [piece for piece in pieces if not find_matches(blocks, (piece,))]
        if not missing:
            self.diagnostics.error(
                location,
                f"quote not found in {slug}: its pieces are not in this order within one paragraph",
                "The words around an elision (… or ...) must come in order in a single paragraph.",
            )
            return
        piece = missing[0]
        closest = closest_wording(segmented, piece)
        if closest is None:
            self.diagnostics.error(
                location,
                f"quote not found in {slug}, and no sentence there is close to it",
                f"Check the article name; list its sentences with: site-builder sentences {slug}",
            )
            return
        difference = describe_difference(piece, closest.wording)
        hint = f"differs: {difference}" if difference else "differs only in spacing or letter case"
        if _NUMBER.search(difference):
            hint += "\nnumbers differ: this may be a different fact, not a typo"
        hint += "\nCopy the article's current words into the quote if they still support the claim."
        sentence = closest.sentence
        self.diagnostics.error(
            location,
            f"quote not found in {slug}; closest wording is sentence {sentence.number} "
            f'(line {sentence.line}, {closest.similarity:.0f}% similar): "{closest.wording}"',
            hint,
        )


def resolve_claims(
    claims: Sequence[Claim], articles: Sequence[SegmentedArticle], diagnostics: Diagnostics
) -> tuple[ResolvedClaim, ...]:
    """Anchor every quote of every claim; unanchored quotes are left out and reported."""
    resolver = Resolver(articles, diagnostics)
    return tuple(resolver.resolve_claim(claim) for claim in claims)
