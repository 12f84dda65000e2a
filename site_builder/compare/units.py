"""Quoted text -> units: words, punctuation, and the facts that must be compared whole.

In: an excerpt's text (and the words that are names across the site). Out: `Unit`s: a figure
such as "6,000" or "3.5", a date such as "June 2", a weekday, a time span or a name is one unit
with a normalised value, so that "6,000" and "6000" agree and "Monday" and "Tuesday" differ.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import spacy
from spacy.language import Language
from spacy.tokens import Token

from ..model import SegmentedArticle
from ..text.dates import MONTHS, WEEKDAYS

UnitKind = Literal["word", "punct", "number", "date", "day", "time", "name"]


ELLIPSIS = "…"


_MONTHS = tuple(month.lower() for month in MONTHS)  # tokens are compared lower-cased


_WEEKDAYS = tuple(day.lower() for day in WEEKDAYS)


TIME_UNITS = {
    "second": "second",
    "seconds": "second",
    "minute": "minute",
    "minutes": "minute",
    "hour": "hour",
    "hours": "hour",
    "day": "day",
    "days": "day",
    "week": "week",
    "weeks": "week",
    "month": "month",
    "months": "month",
    "year": "year",
    "years": "year",
}


_ORDINALS = {
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
}  # fmt: skip


_COUNT_WORDS = {"dozen", "dozens", "hundreds", "thousands", "millions", "billions"}


_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "thousand": 1000,
}  # fmt: skip


_RANGE_JOINERS = {"to", "or", "and", "-", "–", "—"}


_RELATIVE = {"next": "next", "following": "next", "coming": "next", "last": "last",
             "previous": "last", "past": "last", "this": "this"}  # fmt: skip


@dataclass(frozen=True)
class Unit:
    """A token or a multi-token unit ("6,000", "June 3, 2025") of one witness's text."""

    text: str  # the witness's characters
    norm: str  # what alignment compares: lower case, typography folded, numbers as values
    kind: UnitKind
    start: int  # offsets into Witness.text
    end: int


@functools.cache
def tokenizer() -> Language:
    return spacy.blank("en")


def fold(text: str) -> str:
    """Lower case with typographic variants folded: curly quotes, dashes."""
    table = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
    return text.translate(table).lower()


def _is_number(token: Token) -> bool:
    lower = token.lower_
    if lower in _ORDINALS:
        return False
    return bool(token.like_num) or lower in _COUNT_WORDS


def _number_value(text: str) -> str:
    """A figure as comparable text: "6,000" -> "6000", "two" -> "2"; other words as written."""
    lower = fold(text)
    if re.fullmatch(r"\d[\d,]*(\.\d+)?", lower):
        return lower.replace(",", "")
    return str(_NUMBER_WORDS[lower]) if lower in _NUMBER_WORDS else lower


def _is_month(tokens: Sequence[Token], i: int) -> bool:
    token = tokens[i]
    if token.lower_ not in _MONTHS or not token.is_title:
        return False
    if token.lower_ != "may":
        return True
    # "May" is a month only next to a day number, or after "in"/"of"/"early"/"late".
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    before = tokens[i - 1] if i > 0 else None
    return bool(
        (after is not None and after.like_num)
        or (before is not None and (before.like_num or before.lower_ in {"in", "of", "late"}))
    )


def _day_number(token: Token) -> bool:
    return token.text.isdigit() and 1 <= int(token.text) <= 31


def _year(token: Token) -> bool:
    return token.text.isdigit() and len(token.text) == 4


def _match_date(tokens: Sequence[Token], i: int) -> tuple[int, str] | None:
    """(units consumed, normalised form) of a date starting at tokens[i], if one does."""
    n = len(tokens)
    if _is_month(tokens, i):
        month = _MONTHS.index(tokens[i].lower_) + 1
        j = i + 1
        if j < n and _day_number(tokens[j]):
            day = int(tokens[j].text)
            j += 1
            if j + 1 < n and tokens[j].text == "," and _year(tokens[j + 1]):
                return j + 2 - i, f"{tokens[j + 1].text}-{month:02d}-{day:02d}"
            if j < n and _year(tokens[j]):
                return j + 1 - i, f"{tokens[j].text}-{month:02d}-{day:02d}"
            return j - i, f"{month:02d}-{day:02d}"
        if j < n and _year(tokens[j]):
            return j + 1 - i, f"{tokens[j].text}-{month:02d}"
        return 1, f"month-{month:02d}"
    if _day_number(tokens[i]) and i + 1 < n and _is_month(tokens, i + 1):
        month = _MONTHS.index(tokens[i + 1].lower_) + 1
        day = int(tokens[i].text)
        if i + 2 < n and _year(tokens[i + 2]):
            return 3, f"{tokens[i + 2].text}-{month:02d}-{day:02d}"
        return 2, f"{month:02d}-{day:02d}"
    return None


def _match_number(tokens: Sequence[Token], i: int) -> tuple[int, str] | None:
    """A figure at tokens[i]: "6,000", "two to three", "between two and three", "30-day"."""
    n = len(tokens)
    start = i
    if tokens[i].lower_ == "between" and i + 1 < n and _is_number(tokens[i + 1]):
        i += 1
    if not _is_number(tokens[i]):
        return None
    value = _number_value(tokens[i].text)
    j = i + 1
    if (
        j + 1 < n
        and tokens[j].lower_ in _RANGE_JOINERS
        and _is_number(tokens[j + 1])
        and (tokens[j].lower_ != "and" or start < i)  # "and" joins a range only after "between"
    ):
        value = f"{value}-{_number_value(tokens[j + 1].text)}"
        j += 2
    elif start < i:
        return None  # "between" without a range is an ordinary word
    # A figure hyphenated to its unit: "30-day", "25-year-old".
    if (
        j + 1 < n
        and tokens[j].text == "-"
        and not tokens[j - 1].whitespace_
        and tokens[j + 1].is_alpha
    ):
        unit = TIME_UNITS.get(tokens[j + 1].lower_, tokens[j + 1].lower_)
        value = f"{value} {unit}"
        j += 2
        while j + 1 < n and tokens[j].text == "-" and tokens[j + 1].is_alpha:
            value = f"{value}-{tokens[j + 1].lower_}"
            j += 2
    return j - start, value


def _is_capitalised(token: Token) -> bool:
    text = token.text
    return bool(text[:1].isupper() and token.is_alpha and (token.is_title or token.is_upper))


def tokenise(text: str, proper: frozenset[str] | None = None) -> tuple[Unit, ...]:
    """`text` as units; `proper` holds the lower-case forms that count as names when capitalised
    (None: every capitalised word not at the start of a sentence)."""
    tokens = [t for t in tokenizer()(text) if not t.is_space]
    units: list[Unit] = []

    def add(first: int, count: int, kind: UnitKind, norm: str) -> None:
        a, last = tokens[first], tokens[first + count - 1]
        units.append(
            Unit(text[a.idx : last.idx + len(last)], norm, kind, a.idx, last.idx + len(last))
        )

    i, n = 0, len(tokens)
    while i < n:
        token, lower = tokens[i], tokens[i].lower_
        date = _match_date(tokens, i)
        if date is not None:
            add(i, date[0], "date", date[1])
            i += date[0]
            continue
        if lower in _WEEKDAYS and token.is_title:
            add(i, 1, "day", lower)
            i += 1
            continue
        if lower in _RELATIVE and i + 1 < n and tokens[i + 1].lower_ in TIME_UNITS:
            add(i, 2, "time", f"{_RELATIVE[lower]} {TIME_UNITS[tokens[i + 1].lower_]}")
            i += 2
            continue
        number = _match_number(tokens, i)
        if number is not None:
            add(i, number[0], "number", number[1])
            i += number[0]
            continue
        if lower in {"a", "an"} and i + 1 < n and tokens[i + 1].lower_ in TIME_UNITS:
            add(i, 2, "number", f"1 {TIME_UNITS[tokens[i + 1].lower_]}")
            i += 2
            continue
        if _is_capitalised(token):
            j = i
            while j < n and _is_capitalised(tokens[j]) and tokens[j].lower_ not in _WEEKDAYS:
                if j > i and not tokens[j - 1].whitespace_:
                    break
                if _match_date(tokens, j) is not None:
                    break
                j += 1
            run = tokens[i:j]
            # A capitalised glue word ("In Istanbul") starts a sentence, not a name: it stays a
            # word, and the name starts after it.
            if len(run) > 1 and token.is_stop:
                run = []
            if run and _is_name(run, tokens, i, proper):
                add(i, len(run), "name", " ".join(t.text for t in run))
                i = j
                continue
        kind: UnitKind = (
            "punct" if token.is_punct or not any(c.isalnum() for c in token.text) else "word"
        )
        add(i, 1, kind, fold(token.text))
        i += 1
    return tuple(units)


def _is_name(
    run: Sequence[Token], tokens: Sequence[Token], i: int, proper: frozenset[str] | None
) -> bool:
    if proper is not None:
        return any(t.lower_ in proper for t in run)
    sentence_start = i == 0 or tokens[i - 1].text in {".", "!", "?", ELLIPSIS, '"', "“"}
    return len(run) > 1 or not sentence_start


def proper_words(articles: Sequence[SegmentedArticle]) -> frozenset[str]:
    """Lower-case forms of the words `articles` only ever write capitalised: names, not "The"."""
    capitalised: set[str] = set()
    lowercase: set[str] = set()
    for segmented in articles:
        upper, lower = _word_cases(segmented.article.body)
        capitalised |= upper
        lowercase |= lower
    return frozenset(capitalised - lowercase - set(_MONTHS) - set(_WEEKDAYS))


# Runs of letters, as spaCy's `is_alpha` tokens are ("Kyiv's" gives "Kyiv" and "s").
_WORD = re.compile(r"[^\W\d_]+")


@functools.lru_cache(maxsize=4096)
def _word_cases(body: str) -> tuple[frozenset[str], frozenset[str]]:
    """(capitalised, lower-case) word forms of one article body, lower-cased.

    Cached by the text: every claim that quotes an article needs them, and a regular expression
    gives the same words as the tokenizer at a fraction of the cost.
    """
    capitalised: set[str] = set()
    lowercase: set[str] = set()
    for word in _WORD.findall(body):
        (capitalised if word[0].isupper() else lowercase).add(word.lower())
    return frozenset(capitalised), frozenset(lowercase)
