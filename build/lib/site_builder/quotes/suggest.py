"""Suggest quotes: the sentences of unquoted articles most likely to report a claim's fact.

In: a `ResolvedClaim` and the `SegmentedArticle`s of the site. Out: `Suggestion`s (article,
sentence, score in 0..1) for every article the claim does not quote yet, and the same as YAML an
editor can paste under the claim's `quotes:`.

The query is the claim statement plus the whole sentences its quotes resolve to: other outlets'
wording of the same fact is the best evidence of how this outlet may word it. The summary is left
out on purpose: it discusses what outlets do *not* say and quotes every outlet's words, so it
would both add noise and, in the benchmark, leak the answer.

The score needs no model and is deterministic:

- Text is folded (typography, case), split into words and numbers, function words are dropped
  and plural/verb endings are trimmed, so "soldiers'" and "soldier", "agreed" and "agree" meet.
  "6,000" is one token, "30-day" gives "30", and number words become digits ("two to three"
  and "2-3" both give 2 and 3).
- Each term is weighted by its rarity across all sentences of the site (IDF), numbers and names
  (capitalised words) count double: they are what makes a sentence about *this* fact.
- `lexical` is the cosine similarity of those TF-IDF vectors between the candidate and the
  whole query; `fuzzy` is rapidfuzz's token-sort ratio of the same terms against the closest
  single query text, which rewards a sentence that restates one outlet's wording. (Token-*set*
  ratio was tried: it gives 100 to any sentence whose few words all occur in the query, so
  short generic sentences rose to the top; on the benchmark both reach the same hit rate.)
- score = 0.7 * lexical + 0.3 * fuzzy; ties go to the earlier sentence.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import yaml
from rapidfuzz import fuzz

from ..model import STANCES, ResolvedClaim, SegmentedArticle, Sentence
from .resolve import fold_typography

LEXICAL_WEIGHT = 0.7
FUZZY_WEIGHT = 1.0 - LEXICAL_WEIGHT
# Numbers and names identify a fact; common words only describe it.
NUMBER_BOOST = 2.0
NAME_BOOST = 2.0
# The claim statement is the editor's own summary of the fact: it weighs as much as two quotes.
CLAIM_WEIGHT = 2.0

# Function words only. Words that spaCy's list drops but that carry facts in news text are kept:
# quantities and negation ("just over", "more than", "no", "not", "only", "all"), and content
# words ("full", "front", "under", "next", "first", number words).
_STOP_WORDS_TEXT = """
    a about after again against also am an and any are as at be been before being both but by can
    could did do does doing down during each for from further had has have having he her here
    hers herself him himself his how i if in into is it its itself me my myself nor now of off on
    once or other our ours ourselves out own same she should so some such than that the their
    theirs them themselves then there these they this those through to too until up very was we
    were what when where which while who whom why will with would you your yours yourself
    yourselves said says say told however
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

NUMBER_WORDS = {
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "fifteen": "15",
    "twenty": "20",
    "thirty": "30",
    "forty": "40",
    "fifty": "50",
    "hundred": "100",
    "thousand": "1000",
}

# A number keeps its thousands separators and decimals ("6,000", "2.5"); a word keeps inner
# apostrophes and hyphens are split, so "30-day" is "30" and "day".
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[A-Za-z]+(?:'[A-Za-z]+)*")


@dataclass(frozen=True)
class Suggestion:
    """A sentence of `article` that may report the claim's fact; `score` in 0..1, higher is better."""

    article: str
    sentence: Sentence
    score: float


@dataclass(frozen=True)
class Term:
    text: str
    boost: float  # NUMBER_BOOST, NAME_BOOST or 1.0


def _stem(word: str) -> str:
    """Trim common English endings so inflections meet; crude on purpose (no lemmatiser)."""
    if word.endswith("'s"):
        word = word[:-2]
    word = word.rstrip("'")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    for ending in ("ing", "ed", "es", "s", "e"):
        if len(word) - len(ending) >= 3 and word.endswith(ending) and not word.endswith("ss"):
            return word[: -len(ending)]
    return word


def terms(text: str) -> tuple[Term, ...]:
    """The scoring terms of `text`, in order: numbers, names and content words."""
    result: list[Term] = []
    for match in _TOKEN.finditer(fold_typography(text)):
        token = match.group()
        if token[0].isdigit():
            result.append(Term(token.replace(",", ""), NUMBER_BOOST))
            continue
        lower = token.lower()
        if lower in NUMBER_WORDS:
            result.append(Term(NUMBER_WORDS[lower], NUMBER_BOOST))
        elif lower not in STOP_WORDS and len(lower) > 1:
            # A capital letter marks a name, except on the sentence's first word.
            boost = NAME_BOOST if token[0].isupper() and match.start() > 0 else 1.0
            result.append(Term(_stem(lower), boost))
    return tuple(result)


Vector = dict[str, float]


class _Index:
    """Inverse document frequencies over every sentence of the site."""

    def __init__(self, documents: Iterable[Sequence[Term]]) -> None:
        frequency: Counter[str] = Counter()
        count = 0
        for document in documents:
            count += 1
            frequency.update({term.text for term in document})
        self._frequency = frequency
        self._count = count

    def idf(self, term: str) -> float:
        # Smoothed so a term found in every sentence still weighs a little, never zero.
        return math.log(1.0 + (self._count + 1) / (self._frequency[term] + 1))

    def vector(self, document: Sequence[Term], weight: float = 1.0) -> Vector:
        vector: Vector = {}
        for term in document:
            vector[term.text] = vector.get(term.text, 0.0) + weight * term.boost * self.idf(
                term.text
            )
        return vector


def _add(total: Vector, vector: Vector) -> None:
    for key, value in vector.items():
        total[key] = total.get(key, 0.0) + value


def _cosine(a: Vector, b: Vector) -> float:
    dot = sum(value * b[key] for key, value in a.items() if key in b)
    if dot == 0.0:
        return 0.0
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm


def _words(document: Sequence[Term]) -> str:
    return " ".join(term.text for term in document)


def query_texts(claim: ResolvedClaim, articles: Sequence[SegmentedArticle]) -> tuple[str, ...]:
    """The claim statement, then the whole sentences its quotes resolve to, in claims.yaml order."""
    by_slug = {segmented.article.slug: segmented for segmented in articles}
    texts = [claim.claim.claim]
    for resolved in claim.quotes:
        segmented = by_slug.get(resolved.quote.article)
        if segmented is None:
            continue
        numbers = set(resolved.sentences)
        texts.append(" ".join(s.text for s in segmented.sentences if s.number in numbers))
    return tuple(texts)


def suggest(
    claim: ResolvedClaim, articles: Sequence[SegmentedArticle], limit: int = 3
) -> tuple[Suggestion, ...]:
    """Up to `limit` best sentences of each article the claim does not quote, slug order, best first."""
    quoted = {resolved.quote.article for resolved in claim.quotes}
    documents = {
        (segmented.article.slug, sentence.number): terms(sentence.text)
        for segmented in articles
        for sentence in segmented.sentences
    }
    index = _Index(documents.values())

    texts = query_texts(claim, articles)
    query_terms = [terms(text) for text in texts]
    query: Vector = {}
    for position, document in enumerate(query_terms):
        _add(query, index.vector(document, CLAIM_WEIGHT if position == 0 else 1.0))
    query_words = [_words(document) for document in query_terms]

    suggestions: list[Suggestion] = []
    for segmented in sorted(articles, key=lambda s: s.article.slug):
        slug = segmented.article.slug
        if slug in quoted:
            continue
        scored: list[tuple[float, int, Sentence]] = []
        for sentence in segmented.sentences:
            document = documents[slug, sentence.number]
            lexical = _cosine(index.vector(document), query)
            words = _words(document)
            similar = max((fuzz.token_sort_ratio(words, q) for q in query_words), default=0.0)
            # Rounded before ranking, so float noise never overrides the tie-break on number.
            score = round(LEXICAL_WEIGHT * lexical + FUZZY_WEIGHT * similar / 100.0, 4)
            scored.append((-score, sentence.number, sentence))
        scored.sort(key=lambda item: (item[0], item[1]))
        suggestions.extend(
            Suggestion(slug, sentence, -negative)
            for negative, _, sentence in scored[: max(limit, 0)]
        )
    return tuple(suggestions)


def suggestions_yaml(suggestions: Sequence[Suggestion]) -> str:
    """YAML items to paste under a claim's `quotes:` in claims.yaml (6-space indent).

    The text is the whole sentence with runs of white space collapsed (quote matching ignores
    them, and a sentence may cross a line break), as a double-quoted YAML scalar written by
    PyYAML, so quotes, colons, "#" and even control characters survive the round trip. The
    stance is a placeholder the editor must check.
    """
    lines: list[str] = []
    for suggestion in suggestions:
        sentence = suggestion.sentence
        head = f"      - article: {suggestion.article}"
        where = f"score {suggestion.score:.2f}, sentence {sentence.number} (line {sentence.line})"
        lines.append(f"{head:<36} # {where}")
        lines.append(f"        text: {_quoted(' '.join(sentence.text.split()))}")
        lines.append(f"{'        stance: supports':<36} # check: {' | '.join(STANCES)}")
    return "".join(line + "\n" for line in lines)


def _quoted(text: str) -> str:
    """`text` as one double-quoted YAML scalar on one line."""
    dumped = yaml.safe_dump(text, default_style='"', allow_unicode=True, width=math.inf)
    return dumped.rstrip("\n")
