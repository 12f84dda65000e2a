"""What differs: the outlets' quoted words for one claim, collated word by word.

In: a `ResolvedClaim` and its `SegmentedArticle`s by slug. Out: a `Comparison`: one `Witness` per
quoted article (its quoted words, "…" between elided pieces), an alignment of the witnesses as
`Segment`s that every witness shares or where they differ (CollateX-style: tokenise, align,
mark agreement and variance), and the differences that matter to a reader called out in words:
figures, ages, dates and days, and names.

Only the blank spaCy tokenizer is used, never a trained model: units are built from token shapes,
`like_num`, number words, month and weekday names and capitalisation, so "6,000", "30-day",
"two to three", "June 3, 2025" and "Vladimir Medinsky" are each one unit. A capitalised word is a
name when its articles never write it in lower case (so "Held" at a sentence start is not one).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import spacy
from spacy.language import Language
from spacy.tokens import Token

from ..model import ResolvedClaim, SegmentedArticle
from ..text.dates import MONTHS, WEEKDAYS

UnitKind = Literal["word", "punct", "number", "date", "day", "time", "name"]
Facet = Literal["figures", "ages", "when", "names"]

ELLIPSIS = "…"

_MONTHS = tuple(month.lower() for month in MONTHS)  # tokens are compared lower-cased
_WEEKDAYS = tuple(day.lower() for day in WEEKDAYS)
_TIME_UNITS = {
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
_MONTH_QUALIFIERS = ("later in", "early in", "late", "early", "mid", "end of", "start of",
                     "beginning of", "by the end of", "in late", "in early")  # fmt: skip
# Words before a figure that change what it means, and the form they are reported in.
_COMPARATIVES = (
    ("slightly more than", "more than"),
    ("just over", "more than"),
    ("more than", "more than"),
    ("at least", "at least"),
    ("at most", "at most"),
    ("up to", "up to"),
    ("less than", "less than"),
    ("fewer than", "less than"),
    ("about", "about"),
    ("around", "about"),
    ("nearly", "nearly"),
    ("almost", "nearly"),
    ("approximately", "about"),
    ("over", "more than"),
    ("under", "under"),
)
# A variant longer than this on either side is a different wording, not one name for another.
_SUBSTITUTION_UNITS = 6
_AGE_WORDS = {"age", "aged", "ages"}
# Verbs whose "over" is a particle ("hand over"), not "more than".
_OVER_PARTICLE_VERBS = {"hand", "hands", "handed", "handing", "turn", "turns", "turned",
                        "turning", "take", "takes", "took", "taken", "pass", "passed", "give",
                        "gave", "given", "carry", "carried", "sign", "signed"}  # fmt: skip
_CLAUSE_END = {".", ";", ":", "!", "?", ",", ELLIPSIS, "while", "but", "whereas"}
_FACET_LABELS: Mapping[Facet, tuple[str, str]] = {
    # facet -> (label, what a witness without one "gives no ...")
    "figures": ("Figures", "figure"),
    "ages": ("Ages", "age"),
    "when": ("When", "day or date"),
    "names": ("Names", "names"),
}


@dataclass(frozen=True)
class Unit:
    """A token or a multi-token unit ("6,000", "June 3, 2025") of one witness's text."""

    text: str  # the witness's characters
    norm: str  # what alignment compares: lower case, typography folded, numbers as values
    kind: UnitKind
    start: int  # offsets into Witness.text
    end: int


@dataclass(frozen=True)
class Witness:
    """One quoted article: its outlet and the words the claim quotes from it."""

    slug: str
    outlet: str
    text: str
    units: tuple[Unit, ...]


@dataclass(frozen=True)
class Segment:
    """A stretch of the alignment; `readings` has one entry per witness ("" = no words here).

    `groups` says who agrees: witnesses with the same number have the same words here (the
    number is the first such witness's index); -1 marks a witness with no words here."""

    shared: bool  # every witness has the same words here
    readings: tuple[str, ...]
    groups: tuple[int, ...]

    def variant(self, witness: int) -> bool:
        """True when `witness` has words here and another witness has different words."""
        mine = self.groups[witness]
        return mine >= 0 and any(g >= 0 and g != mine for g in self.groups)


@dataclass(frozen=True)
class Reading:
    """What some witnesses say on one facet, e.g. "6,000 … each"; `outlets` in witness order."""

    text: str
    outlets: tuple[str, ...]


@dataclass(frozen=True)
class Difference:
    """One facet the witnesses disagree on, with the sentence that says so."""

    facet: Facet
    label: str  # "Figures"
    readings: tuple[Reading, ...]
    silent: tuple[str, ...]  # outlets that give nothing on this facet
    sentence: str


@dataclass(frozen=True)
class Comparison:
    witnesses: tuple[Witness, ...]
    segments: tuple[Segment, ...]
    differences: tuple[Difference, ...]
    shared: tuple[str, ...]  # sentences about what every witness says alike

    @property
    def shared_words(self) -> tuple[str, ...]:
        return tuple(s.readings[0] for s in self.segments if s.shared)


# --- tokenising into units -----------------------------------------------------------------------


@functools.cache
def _tokenizer() -> Language:
    return spacy.blank("en")


def _fold(text: str) -> str:
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
    lower = _fold(text)
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
        unit = _TIME_UNITS.get(tokens[j + 1].lower_, tokens[j + 1].lower_)
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
    tokens = [t for t in _tokenizer()(text) if not t.is_space]
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
        if lower in _RELATIVE and i + 1 < n and tokens[i + 1].lower_ in _TIME_UNITS:
            add(i, 2, "time", f"{_RELATIVE[lower]} {_TIME_UNITS[tokens[i + 1].lower_]}")
            i += 2
            continue
        number = _match_number(tokens, i)
        if number is not None:
            add(i, number[0], "number", number[1])
            i += number[0]
            continue
        if lower in {"a", "an"} and i + 1 < n and tokens[i + 1].lower_ in _TIME_UNITS:
            add(i, 2, "number", f"1 {_TIME_UNITS[tokens[i + 1].lower_]}")
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
        add(i, 1, kind, _fold(token.text))
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


# --- alignment -----------------------------------------------------------------------------------

Column = tuple[Unit | None, ...]  # one entry per witness aligned so far


def _weight(unit: Unit) -> int:
    """Content counts more than glue, so alignment prefers to line up figures and names."""
    if unit.kind in {"number", "date", "day", "time", "name"}:
        return 4
    if unit.kind == "punct":
        return 1
    return 1 if unit.norm in _tokenizer().Defaults.stop_words else 3


def _align(columns: list[Column], units: Sequence[Unit]) -> list[Column]:
    """Add one witness to the alignment: the heaviest common subsequence of its units and the
    columns (a unit matches a column that holds the same norm), the rest as new columns."""
    rows, cols = len(columns), len(units)
    norms = [{u.norm for u in column if u is not None} for column in columns]
    score = [[0] * (cols + 1) for _ in range(rows + 1)]
    for r in range(rows - 1, -1, -1):
        for c in range(cols - 1, -1, -1):
            best = max(score[r + 1][c], score[r][c + 1])
            if units[c].norm in norms[r]:
                best = max(best, score[r + 1][c + 1] + _weight(units[c]))
            score[r][c] = best
    width = len(columns[0]) if columns else 0
    merged: list[Column] = []
    # Between two matches, the table's unmatched columns and the witness's unmatched units are
    # a substitution: they share columns, in order, as collation tables show variants side by side.
    old: list[Column] = []
    new: list[Unit] = []

    def flush() -> None:
        for k in range(max(len(old), len(new))):
            base = old[k] if k < len(old) else (None,) * width
            merged.append((*base, new[k] if k < len(new) else None))
        old.clear()
        new.clear()

    r = c = 0
    while r < rows or c < cols:
        if (
            r < rows
            and c < cols
            and units[c].norm in norms[r]
            and score[r][c] == score[r + 1][c + 1] + _weight(units[c])
        ):
            flush()
            merged.append((*columns[r], units[c]))
            r += 1
            c += 1
            continue
        if r < rows and (c == cols or score[r][c] == score[r + 1][c]):
            old.append(columns[r])
            r += 1
        else:
            new.append(units[c])
            c += 1
    flush()
    return merged


def _runs(columns: Sequence[Column]) -> list[tuple[bool, list[Column]]]:
    """Consecutive columns grouped into (shared by every witness alike, columns) runs."""
    runs: list[tuple[bool, list[Column]]] = []
    for column in columns:
        shared = set(_pattern(column)) == {0}
        if runs and runs[-1][0] == shared:
            runs[-1][1].append(column)
        else:
            runs.append((shared, [column]))
    return runs


def _pattern(column: Column) -> tuple[int, ...]:
    """Who agrees with whom in a column: each witness's first witness with the same words, or
    -1 where it has none. (0, 0, 0) means all three alike; (0, -1, 2) two readings and a gap."""
    norms = [u.norm if u is not None else None for u in column]
    return tuple(-1 if n is None else norms.index(n) for n in norms)


def _segments(columns: Sequence[Column], texts: Sequence[str]) -> tuple[Segment, ...]:
    """Runs of columns with the same pattern of agreement, each with every witness's words."""
    runs: list[tuple[tuple[int, ...], list[Column]]] = []
    for column in columns:
        pattern = _pattern(column)
        if runs and runs[-1][0] == pattern:
            runs[-1][1].append(column)
        else:
            runs.append((pattern, [column]))
    return tuple(
        Segment(
            shared=set(pattern) == {0},
            readings=tuple(
                _span_text(text, [column[w] for column in run]) for w, text in enumerate(texts)
            ),
            groups=pattern,
        )
        for pattern, run in runs
    )


def _span_text(text: str, units: Sequence[Unit | None]) -> str:
    """The witness's own characters for `units`, with single spaces where units were apart."""
    parts: list[str] = []
    previous: Unit | None = None
    for unit in units:
        if unit is None:
            continue
        if previous is not None:
            parts.append(
                "" if previous.end == unit.start else (" " if unit.start > previous.end else " … ")
            )
        parts.append(" ".join(unit.text.split()))
        previous = unit
    return "".join(parts)


# --- facts: figures, ages, dates and names -----------------------------------------------------


@dataclass(frozen=True)
class _Fact:
    facet: Facet
    key: str  # what is compared
    text: str  # the witness's own words: "6,000 … from each nation"
    plain: str  # the same fact in the site's words, for a group of witnesses: "6,000 each"


def _preceding(units: Sequence[Unit], i: int, count: int) -> list[Unit]:
    return list(units[max(0, i - count) : i])


def _clause_after(units: Sequence[Unit], i: int, limit: int) -> list[Unit]:
    """Up to `limit` units after units[i], stopping at the end of the clause."""
    found: list[Unit] = []
    for unit in units[i + 1 : i + 1 + limit]:
        if unit.norm in _CLAUSE_END:
            break
        found.append(unit)
    return found


def _comparative(units: Sequence[Unit], i: int, anywhere: bool = False) -> tuple[str, str] | None:
    """(normalised, as written) of "at least", "just over", "under" … right before units[i]
    (or, with `anywhere`, among the few words before it: "under the age of 25")."""
    before = _preceding(units, i, 4)
    norms = [u.norm for u in before]
    for phrase, normal in _COMPARATIVES:
        words = phrase.split()
        ends = [len(norms)] if not anywhere else range(len(norms), len(words) - 1, -1)
        for end in ends:
            if norms[end - len(words) : end] != words or end < len(words):
                continue
            previous = norms[end - len(words) - 1] if end - len(words) > 0 else ""
            if phrase == "over" and previous in _OVER_PARTICLE_VERBS:
                continue  # "hand over 6,000" is a transfer, not "more than 6,000"
            return normal, " ".join(u.text for u in before[end - len(words) : end])
    return None


def _is_age(units: Sequence[Unit], i: int) -> bool:
    before: set[str] = set()
    for unit in reversed(_preceding(units, i, 4)):
        if unit.norm in _CLAUSE_END:
            break
        before.add(unit.norm)
    after = [u.norm for u in units[i + 1 : i + 4]]
    if units[i].norm.endswith("-year-old") or before & _AGE_WORDS:
        return True
    return after[:3] == ["years", "of", "age"] or after[:2] == ["years", "old"]


def _show_value(value: str) -> str:
    """A figure's value for people: "6000" -> "6,000", "2-3" -> "2–3"."""
    shown = [f"{int(part):,}" if part.isdigit() else part for part in value.split("-", 1)]
    return "–".join(shown) if len(shown) == 2 and shown[1][:1].isdigit() else "-".join(shown)


def _figure(units: Sequence[Unit], i: int) -> _Fact:
    """A figure with the words that qualify it: "at least 30 days", "6,000 Ukrainian … to Kyiv"."""
    unit = units[i]
    age = _is_age(units, i)
    comparative = _comparative(units, i, anywhere=age)
    key: list[str] = []
    text: list[str] = [unit.text]
    plain: list[str] = []
    if comparative:
        key.append(comparative[0])
        plain.append(comparative[0])
        text.insert(0, comparative[1])
    number, _, unit_name = unit.norm.partition(" ")
    after = _clause_after(units, i, 10)
    if not unit_name and after and after[0].norm in _TIME_UNITS and not age:
        unit_name = _TIME_UNITS[after[0].norm]
        text.append(after[0].text)
        after = after[1:]
    if age:
        unit_name = ""
    key.append(f"{number} {unit_name}".strip())
    plain.append(_show_value(number) + (f" {unit_name}s" if unit_name and number != "1" else ""))
    if unit_name and number == "1":
        plain[-1] = f"one {unit_name}"
    if not age:
        # Whose figure: a name right after it ("6,000 Ukrainian soldiers").
        modifier = next((u for u in after[:2] if u.kind == "name"), None)
        if modifier is not None:
            key.append(modifier.norm.lower())
            text.append(modifier.text)
            plain.append(modifier.text)
        spread = _distribution(after)
        if spread is not None:
            key.append(spread[0])
            text.append(f"{ELLIPSIS} {spread[1]}" if spread[2] else spread[1])
            plain.append(spread[0] if spread[0] == "each" else spread[1])
    return _Fact("ages" if age else "figures", " ".join(key), " ".join(text), " ".join(plain))


def _distribution(after: Sequence[Unit]) -> tuple[str, str, bool] | None:
    """(key, words, are there words between) for "each", "from both sides", "to Kyiv"."""
    norms = [u.norm for u in after]
    for k, norm in enumerate(norms):
        if norm in {"each", "apiece"} and (k == 0 or norms[k - 1] != "from"):
            return "each", after[k].text, k > 0
        if norm == "from" and k + 1 < len(norms) and norms[k + 1] in {"each", "both", "either"}:
            words = " ".join(u.text for u in after[k : k + 3])
            key = "each" if norms[k + 1] == "each" else words.lower()
            return key, words, k > 0
        if norm == "to" and k + 1 < len(after) and after[k + 1].kind == "name":
            words = f"{after[k].text} {after[k + 1].text}"
            return f"to {after[k + 1].norm.lower()}", words, k > 0
    return None


def _when(units: Sequence[Unit], i: int) -> _Fact:
    """A date, a day or a time: "June 3, 2025", "Monday", "the following week", "later in June"."""
    unit = units[i]
    before = _preceding(units, i, 3)
    if unit.norm.startswith("month-"):
        # A month alone: keep how the witness places it ("later in June", "the end of June").
        norms = [u.norm for u in before]
        for phrase in sorted(_MONTH_QUALIFIERS, key=len, reverse=True):
            words = phrase.split()
            if norms[-len(words) :] == words:
                shown = " ".join(u.text for u in before[-len(words) :]) + f" {unit.text}"
                return _Fact("when", f"{phrase} {unit.norm}", shown, shown)
    if unit.kind == "number":  # "a month ago"
        shown = f"{unit.text} {units[i + 1].text}"
        return _Fact("when", f"{unit.norm} ago", shown, shown)
    plain = unit.text if unit.kind != "time" else unit.norm
    return _Fact("when", unit.norm, unit.text, plain)


def _facts(units: Sequence[Unit]) -> list[_Fact]:
    """The figures, ages and times of one witness, in its order."""
    facts: list[_Fact] = []
    for i, unit in enumerate(units):
        if unit.kind == "number":
            if i + 1 < len(units) and units[i + 1].norm == "ago":
                facts.append(_when(units, i))
            else:
                facts.append(_figure(units, i))
        elif unit.kind in {"date", "day", "time"}:
            facts.append(_when(units, i))
    return facts


def _join(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _verb(names: Sequence[str], one: str, many: str) -> str:
    return f"{_join(names)} {one if len(names) == 1 else many}"


def _differences(witnesses: Sequence[Witness]) -> tuple[list[Difference], list[str]]:
    """The facets on which the witnesses differ, and sentences about those they share."""
    facts = [_facts(w.units) for w in witnesses]
    differences: list[Difference] = []
    shared: list[str] = []
    facets: tuple[Facet, ...] = ("figures", "ages", "when")
    for facet in facets:
        label, noun = _FACET_LABELS[facet]
        groups: dict[tuple[str, ...], list[int]] = {}
        said: dict[tuple[str, ...], list[tuple[str, str]]] = {}
        silent: list[str] = []
        for w, found in enumerate(facts):
            mine = list(dict.fromkeys((f.key, f.text, f.plain) for f in found if f.facet == facet))
            if not mine:
                silent.append(witnesses[w].outlet)
                continue
            key = tuple(dict.fromkeys(k for k, _, _ in mine))
            groups.setdefault(key, []).append(w)
            said.setdefault(key, []).append(
                (
                    " and ".join(dict.fromkeys(t for _, t, _ in mine)),
                    " and ".join(dict.fromkeys(p for _, _, p in mine)),
                )
            )
        if not groups:
            continue
        readings = []
        for key, members in groups.items():
            texts = {text for text, _ in said[key]}
            # The witness's own words when they all word it alike; else the site's wording.
            shown = f"“{next(iter(texts))}”" if len(texts) == 1 else said[key][0][1]
            readings.append(Reading(shown, tuple(witnesses[w].outlet for w in members)))
        if len(readings) == 1 and not silent:
            shared.append(f"{label}: all say {readings[0].text}.")
            continue
        parts = [f"{_verb(r.outlets, 'says', 'say')} {r.text}" for r in readings]
        if silent:
            parts.append(f"{_verb(silent, 'gives', 'give')} no {noun}")
        sentence = f"{label}: " + "; ".join(parts) + "."
        differences.append(Difference(facet, label, tuple(readings), tuple(silent), sentence))
    return differences, shared


def _anchors(run: Sequence[tuple[Unit | None, ...]]) -> bool:
    """True when a shared run holds a content word, so what sits next to it is in one place."""
    return any(
        u is not None and u.kind != "punct" and u.norm not in _tokenizer().Defaults.stop_words
        for column in run
        for u in column
    )


def _name_differences(witnesses: Sequence[Witness], columns: Sequence[Column]) -> Difference | None:
    """Names that take each other's place between two witnesses: where one outlet says "the
    United States", another says "Washington" (a short variant with a name on both sides)."""
    label = _FACET_LABELS["names"][0]
    pairs: dict[tuple[str, str], list[tuple[str, str]]] = {}  # (name, name) -> outlets
    for first, second in itertools.combinations(range(len(witnesses)), 2):
        pair = [
            (c[first], c[second]) for c in columns if c[first] is not None or c[second] is not None
        ]
        runs = _runs(pair)
        for k, (shared, run) in enumerate(runs):
            if shared or not any(
                _anchors(runs[j][1]) for j in (k - 1, k + 1) if 0 <= j < len(runs)
            ):
                continue
            if len(run) > _SUBSTITUTION_UNITS:
                continue
            # Names in one column of the alignment: one took the other's place.
            swapped = [
                (x, y)
                for x, y in run
                if x is not None and y is not None and x.kind == y.kind == "name"
            ]
            if not swapped:
                continue
            left = _join([x.text for x, _ in swapped])
            right = _join([y.text for _, y in swapped])
            if _fold(left)[:5] == _fold(right)[:5]:
                continue  # one name and its adjective ("Russia", "Russian") are not a difference
            by = (witnesses[first].outlet, witnesses[second].outlet)
            pairs.setdefault((left, right), []).append(by)
    if not pairs:
        return None
    readings: list[Reading] = []
    clauses: list[str] = []
    for (left, right), said_by in pairs.items():
        firsts = tuple(dict.fromkeys(o[0] for o in said_by))
        seconds = tuple(dict.fromkeys(o[1] for o in said_by))
        readings += [Reading(left, firsts), Reading(right, seconds)]
        clauses.append(
            f"{_verb(firsts, 'says', 'say')} “{left}” where {_verb(seconds, 'says', 'say')} “{right}”"
        )
    sentence = f"{label}: " + "; ".join(clauses) + "."
    return Difference("names", label, tuple(readings), (), sentence)


# --- the whole comparison ----------------------------------------------------------------------


def witness_text(segmented: SegmentedArticle, spans: Sequence[tuple[int, int]]) -> str:
    """The quoted words of `spans`, white space collapsed, "…" between elided pieces."""
    source = segmented.article.source
    return f" {ELLIPSIS} ".join(" ".join(source[a:b].split()) for a, b in spans)


def compare_claim(resolved: ResolvedClaim, articles: Mapping[str, SegmentedArticle]) -> Comparison:
    """Collate the words `resolved` quotes from each article (one witness per article)."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for quoted in resolved.quotes:
        if quoted.quote.article in articles:
            spans.setdefault(quoted.quote.article, []).extend(quoted.spans)
    used = [articles[slug] for slug in spans]
    proper = proper_words(used)
    witnesses = []
    for slug, pieces in spans.items():
        segmented = articles[slug]
        text = witness_text(segmented, sorted(pieces))
        witnesses.append(Witness(slug, segmented.article.outlet, text, tokenise(text, proper)))
    return collate(witnesses)


def collate(witnesses: Sequence[Witness]) -> Comparison:
    """Align `witnesses` progressively (each against the columns so far) and compare them."""
    columns: list[Column] = []
    for witness in witnesses:
        columns = _align(columns, witness.units)
    segments = _segments(columns, [w.text for w in witnesses])
    differences: list[Difference] = []
    shared: list[str] = []
    if len(witnesses) > 1:
        differences, shared = _differences(witnesses)
        names = _name_differences(witnesses, columns)
        if names is not None:
            differences.append(names)
    return Comparison(tuple(witnesses), segments, tuple(differences), tuple(shared))


def witness(slug: str, outlet: str, text: str, proper: frozenset[str] | None = None) -> Witness:
    """A witness from plain text (for tests and tools that have no articles)."""
    return Witness(slug, outlet, text, tokenise(text, proper))
