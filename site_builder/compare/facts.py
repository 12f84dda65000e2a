"""An alignment -> the differences worth saying in words.

In: the witnesses and their aligned columns. Out: `Difference`s: figures, ages, dates and days,
and names that the outlets give differently, each with every outlet's reading, and the facets
where they agree.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from .align import SUBSTITUTION_UNITS, Column, Witness, agreement_runs
from .units import ELLIPSIS, TIME_UNITS, Unit, fold, tokenizer

Facet = Literal["figures", "ages", "when", "names"]


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
    if not unit_name and after and after[0].norm in TIME_UNITS and not age:
        unit_name = TIME_UNITS[after[0].norm]
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


def fact_differences(witnesses: Sequence[Witness]) -> tuple[list[Difference], list[str]]:
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
        u is not None and u.kind != "punct" and u.norm not in tokenizer().Defaults.stop_words
        for column in run
        for u in column
    )


def name_differences(witnesses: Sequence[Witness], columns: Sequence[Column]) -> Difference | None:
    """Names that take each other's place between two witnesses: where one outlet says "the
    United States", another says "Washington" (a short variant with a name on both sides)."""
    label = _FACET_LABELS["names"][0]
    pairs: dict[tuple[str, str], list[tuple[str, str]]] = {}  # (name, name) -> outlets
    for first, second in itertools.combinations(range(len(witnesses)), 2):
        pair = [
            (c[first], c[second]) for c in columns if c[first] is not None or c[second] is not None
        ]
        runs = agreement_runs(pair)
        for k, (shared, run) in enumerate(runs):
            if shared or not any(
                _anchors(runs[j][1]) for j in (k - 1, k + 1) if 0 <= j < len(runs)
            ):
                continue
            if len(run) > SUBSTITUTION_UNITS:
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
            if fold(left)[:5] == fold(right)[:5]:
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
