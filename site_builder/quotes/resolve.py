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
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from ..diagnostics import Diagnostics, Location
from ..model import Claim, Quote, ResolvedClaim, ResolvedQuote, SegmentedArticle, Sentence

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
    """Text with typography folded, and for each of its characters the source offset it came from.

    The offsets are kept as runs: `runs[k] = (text_index, source_index)` says that from
    `text_index` on, characters come from consecutive source offsets starting at `source_index`,
    until the next run. Most text maps one to one, so an article needs only a few runs.
    """

    text: str
    runs: tuple[tuple[int, int], ...]

    def origin(self, index: int) -> int:
        """The source offset of text[index]."""
        run = bisect_right(self.runs, (index, _AFTER_ANY)) - 1
        text_index, source_index = self.runs[run]
        return source_index + index - text_index

    @property
    def origins(self) -> tuple[int, ...]:
        """The source offset of every character of `text`."""
        return tuple(self.origin(i) for i in range(len(self.text)))

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) range of `text` back to a [start, end) range of the source."""
        return self.origin(start), self.origin(end - 1) + 1


_AFTER_ANY = 1 << 62  # sorts after every source offset, for bisecting runs by text index


def fold_typography(text: str) -> str:
    """The matching form of an editor's quote: typography folded, white space collapsed."""
    return normalize(text, 0, len(text)).text.strip()


def normalize(source: str, start: int, end: int, blockquote: bool = False) -> NormalizedText:
    """Fold typography in source[start:end], remembering where each character came from.

    Quote and dash variants become ASCII, every run of white space (a line break plus a block
    quote's "> " markers included) becomes one space, "…" becomes "...", and invisible characters
    (soft hyphens, zero-width spaces) disappear. Ordinary text is folded whole by `str.translate`;
    only the places where lengths change are looked at one by one.
    """
    special = _SPECIAL_IN_BLOCKQUOTE if blockquote else _SPECIAL
    pieces: list[str] = []
    runs: list[tuple[int, int]] = []
    length = 0  # of the text built so far
    index = start
    for found in special.finditer(source, start, end):
        at, token = found.start(), found.group()
        if at > index:
            runs.append((length, index))
            pieces.append(source[index:at].translate(_FOLD))
            length += at - index
        if token == "\u2026":
            runs.extend((length + k, at) for k in range(3))
            pieces.append("...")
            length += 3
        else:
            space = _WHITE_SPACE.search(token)
            if space is not None:  # else only invisible characters, which are dropped
                runs.append((length, at + space.start()))
                pieces.append(" ")
                length += 1
        index = found.end()
    if index < end:
        runs.append((length, index))
        pieces.append(source[index:end].translate(_FOLD))
    return NormalizedText("".join(pieces), tuple(runs))


_INVISIBLE_CLASS = "".join(sorted(_INVISIBLE))
_WHITE_SPACE = re.compile(r"\s")
# Where the folded text is not one character for one: runs of two or more white space or
# invisible characters, a lone invisible character, and "…".
_SPECIAL = re.compile(rf"[\s{_INVISIBLE_CLASS}]{{2,}}|[{_INVISIBLE_CLASS}]|\u2026")
# In a block quote a line break with the "> " markers after it is one unit of white space, taken
# whole (an atomic group) and never as a plain line break (the look-ahead).
_MARKERS = r"(?>\n[ \t]*(?:>[ \t]?)+)"
_SPECIAL_IN_BLOCKQUOTE = re.compile(
    rf"(?:{_MARKERS}|(?!\n[ \t]*>)[\s{_INVISIBLE_CLASS}]){{2,}}|{_MARKERS}"
    rf"|[{_INVISIBLE_CLASS}]|\u2026"
)
# One character for one: typography, and any single white space character as a space.
_FOLD = {
    **_TYPOGRAPHY,
    **{code: " " for code in range(0x110000) if chr(code).isspace()},
}


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
        self.among = articles
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
            return None  # load/articles.py already reported the unknown article
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
                quote.value_location or quote.location,
                f"sentence {number} is out of range: {quote.article} has {count} sentences",
                f"List them with: site-builder sentences {quote.article}",
            )
            return None
        sentence = segmented.sentences[number - 1]
        return ResolvedQuote(quote, ((sentence.start, sentence.end),), (number,))

    def _by_words(
        self, quote: Quote, segmented: SegmentedArticle, text: str
    ) -> ResolvedQuote | None:
        location = quote.value_location or quote.location
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
            f"(line {sentence.line}, {closest.similarity:.0f}% similar): "
            f'"{" ".join(closest.wording.split())}"',
            hint,
        )


def resolve_claims(
    claims: Sequence[Claim], articles: Sequence[SegmentedArticle], diagnostics: Diagnostics
) -> tuple[ResolvedClaim, ...]:
    """Anchor every quote of every claim; unanchored quotes are left out and reported."""
    resolver = Resolver(articles, diagnostics)
    return tuple(resolver.resolve_claim(claim) for claim in claims)
