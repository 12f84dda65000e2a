"""Sentence-boundary rules for news text, and the spaCy component `news_sentences`.

In: a `Doc` whose tokenizer splits at white space (the blank English one does). Out: the same
`Doc` with a sentence start decided for every token (`Token.is_sent_start` is True or False).

The rules read the characters around each candidate boundary instead of token attributes: the
blank English tokenizer is inconsistent about abbreviations ("Gen." stays whole, "Lt." splits,
"p.m.." becomes "p.m" + "..") and load_pipeline drops its special cases for speed, while the
text is what it is. Regular expressions find the few candidates (terminal punctuation followed
by white space, and line breaks); only those are judged in Python, and the starts are written
to the `Doc` in one `from_array` call. Bullets and numbered items run into a line ("• 1.",
"2)") start a segment of their own wherever they stand, and so do the labels of a run of
consecutive items ("1. The first 2. The second", "a. One b. Two").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from typing import cast

import numpy as np
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc
from thinc.types import Ints2d


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Titles written before a name: a sentence never ends on them ("Gen. Smith", "Sen. Jones").
TITLES = _words(
    "Mr Mrs Ms Messrs Dr Prof Gen Lt Col Maj Capt Cmdr Adm Sgt Cpl Pvt Sen Rep Gov Pres Rev Hon"
    " Supt Insp Amb Atty"
)
# Abbreviations written before a number, which they never end a sentence before: "p. 55",
# "Art. 5", "1 hr. 10 min.", "N°. 1026". (Lowercase "no." is left out: "the answer was no. 40
# people left".) Before a sentence opener they end it like the others: "ten min. Then".
NUMBERED = _words(
    "p pp para paras Art Arts No Nos N° n° Fig Figs fig figs Vol Vols vol vols ch chap Ch"
    " hr hrs min mins sec secs approx est"
)
# Abbreviations that usually continue the sentence, but may also end it ("in the U.S. The next
# day"): they end a sentence only before a common sentence opener (see OPENERS).
ABBREVIATIONS = (
    _words(
        "No Nos St Jr Sr Inc Corp Ltd Co Bros Mt Ft Ave Blvd Dept Univ Fig Vol vs etc approx est"
        " Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mon Tue Tues Wed Thu Thur Thurs Fri Sat"
        " Sun"
    )
    | NUMBERED
)
# Courtesy titles start a new sentence after an abbreviation that ends one ("at 6 P.M. Mr.
# Smith", "in the U.S. Mrs. Lee"), where an office title goes on ("U.S. Sen. Warren").
COURTESY = _words("Mr Mrs Ms Messrs Mx Dr")
# Capitalised words that start sentences far more often than they follow an abbreviation.
# Names and nouns are deliberately absent: "U.S. President", "10 a.m. Monday", "John F. Kennedy".
OPENERS = _words(
    "The A An This That These Those There Their They He She It Its His Her Him We Our Us I My"
    " You Your But And Or So Yet Then Thus Still Also In On At As After Before When While Since"
    " Although Though If However Meanwhile Moreover Instead Both Some Many Most Several Such"
    " Each Every Neither Nor Not None What Why How Who Whom Whose Where Which Later Earlier"
    " According Despite During For From With Without Under Over Among Asked Speaking"
    " Did Do Does Is Are Was Were Will Would Can Could Should Has Have Had"
)

_CLOSERS = "\"'”’»)]*_"  # may follow the final punctuation and belong to the sentence it ends
_OPENING = "\"'“‘«([*_"  # may precede the first word of a sentence
# A candidate: the last of the terminal punctuation, any closers, then white space. "3.5",
# "6,000" and "U.S.-led" never match. (Kept this simple, the pattern scans 2-3x faster.)
_CANDIDATE = re.compile(r"[.!?…][" + re.escape(_CLOSERS) + r"]*\s")
# What follows a candidate: white space, opening quotes or brackets (group 1), a word (group 2).
_FOLLOWING = re.compile(r"\s*([" + re.escape(_OPENING) + r"]*)(\w*)")
_TERMINALS = frozenset(".!?…")
# A line break and the white space after it; those after punctuation are _CANDIDATE's.
_BREAK = re.compile(r"\n\s*")
_AFTER_PUNCT = frozenset(".!?…" + _CLOSERS)
# "U.S", "a.m", "e.g", "D.C", "Ph.D": letters joined by periods (the final period is the candidate).
_DOTTED = re.compile(r"(?:[A-Za-z]{1,2}\.)+[A-Za-z]{1,2}")
_NO_HEADLINE_END = ".!?…:;,-–—("
# Bullets and numbered items run into a line of text ("Points: • 1. The first • 2. The
# second", "Do this: 1) Check 2) Sign"): each starts a new segment.
_ENUMERATOR = re.compile(r"(?<=\s)(?:[•⁃](?=\s*\S)|\d{1,2}\.?\)(?=\s+\S))")
# An item label in a run of them ("1. The first 2. The second", "a. One b. Two"): a number or a
# lowercase letter and a period. Alone such a label is too common to trust ("ranked 1. The",
# "vitamin a. The"), so only consecutive labels count (_item_runs).
_RUN_OPENS = frozenset(("", ":", ";", ".", "!", "?", "…", "\n"))
_BULLETS = "•⁃"
_UNSET = np.uint64(2**64 - 1)  # SENT_START = -1 ("not a start") as Doc.from_array wants it
TEXT_KEY = "news_sentences.text"  # where TextKeepingTokenizer leaves the text in Doc.user_data


def is_abbreviation(word: str) -> bool:
    """True for a word (without its final period) that may end with an abbreviation period."""
    return (
        word in ABBREVIATIONS
        or (len(word) == 1 and word.isupper())  # an initial: "John F. Kennedy"
        or _DOTTED.fullmatch(word) is not None
    )


def _word_before(text: str, end: int) -> str:
    """The white-space delimited word ending at `end`, without opening quotes or brackets.

    Only the last 32 characters are searched: a longer word is no abbreviation either way.
    """
    lo = max(0, end - 32)
    start = max(text.rfind(" ", lo, end), text.rfind("\n", lo, end), text.rfind("\t", lo, end))
    return text[max(start + 1, lo) : end].lstrip(_OPENING)


def ends_sentence(
    text: str, candidate: re.Match[str], following: re.Match[str], sentence_start: int = 0
) -> bool:
    """Decide a `_CANDIDATE` match, given the `_FOLLOWING` match right after it and where the
    sentence it would end began."""
    punct = candidate.start()
    if text.count("\n", candidate.end() - 1, following.start(1)) > 1:
        return True  # a blank line is a paragraph break, whatever came before it
    nxt = following.group(2)
    if nxt[:1].islower():
        return False  # 'he said "no." then left', "at 10 a.m. on Monday", "wait… no"
    if not nxt and text.startswith(".", following.start(2)):
        return False  # a spaced ellipsis goes on: "less complex . . . but", "go. . . . Then"
    if nxt == "I" and _is_ellipsis(text, punct) and not text.startswith(".", following.end(2)):
        return False  # "the thing is . . . I didn't": the pronoun says nothing of a new sentence
    if text.startswith("[...]", max(0, punct - 3)) or text.startswith("[…]", max(0, punct - 1)):
        return False  # "[...]" marks words left out of a sentence, whatever follows it
    word = _word_before(text, punct)
    number = word.lstrip(_BULLETS)
    if number.isdigit() and len(number) <= 2 and _enumerates(text, punct - len(word), candidate):
        return False  # "• 9. The first item", "⁃10. The second", "1.) Check the list"
    if text[punct] != "." or text[punct - 1] in _TERMINALS or candidate.end() - punct > 2:
        return True  # ? ! … "..." end a sentence; so does a closing quote or parenthesis
    if word in TITLES:
        return False
    if word in NUMBERED and nxt[:1].isdigit():
        return False  # "p. 55", "1 hr. 10 min."
    if word == "I" and punct >= 2 and _word_before(text, punct - 2)[:1].islower():
        return True  # the pronoun: "you and I. Did you", not "Albert I. Jones"
    if is_abbreviation(word):
        # "U.S. President" continues, "in the U.S. The next day" ends. "A." is an initial
        # ("J. A. Smith"), not the article "A".
        if nxt in COURTESY:
            # "at 6 P.M. Mr. Smith then went" ends; "At 5 a.m. Mr. Smith went" does not: the
            # abbreviation closes a short opening phrase, not a sentence.
            return not _opening_phrase(text[sentence_start:punct])
        return nxt in OPENERS and not text.startswith(".", following.end(2))
    return True


def _is_ellipsis(text: str, punct: int) -> bool:
    """Whether the terminal punctuation at `punct` closes an ellipsis ("…", "...", ". . .")."""
    return (
        text[punct] == "…" or text[punct - 1 : punct + 1] == ".." or text[punct - 2 : punct] == ". "
    )


def _label(text: str, candidate: re.Match[str]) -> str:
    """The item label ("2", "b") a candidate's period closes, or "" when it closes a word."""
    period = candidate.start()
    if candidate.end() - period != 2 or text[period] != ".":
        return ""
    word = _word_before(text, period)
    start = period - len(word)
    if start and not text[start - 1].isspace():
        return ""  # "(1." or "“a.": the word had an opening mark, no label has
    if (word.isdigit() and len(word) <= 2) or (len(word) == 1 and word.islower()):
        return word
    return ""


def _item_runs(text: str, candidates: list[re.Match[str]]) -> tuple[list[int], set[int]]:
    """Where the items of each run of consecutive labels start ("1. The first 2. The second",
    "a. One b. Two c. Three"), and the offsets of their periods, which end no sentence.

    A run opens with "1." or "a." where a sentence or a list could begin (the text's start, after
    a colon or a sentence's end) and takes each next label in order; a blank line ends it. Only
    runs of two or more count. The labels are among the `_CANDIDATE` matches (a period, then
    white space), so no other scan of the text is needed.
    """
    starts: list[int] = []
    periods: set[int] = set()
    runs: dict[bool, list[tuple[str, int]]] = {}  # by kind (digits or not): (label, period)
    for candidate in candidates:
        label = _label(text, candidate)
        if not label:
            continue
        period = candidate.start()
        before = _char_before(text, period - len(label))
        if before and before in _BULLETS:
            continue  # "• 1. Prisoners": the bullet starts the segment (_ENUMERATOR)
        digits = label.isdigit()
        run = runs.get(digits)
        if run and "\n\n" not in text[run[-1][1] : period]:
            last = run[-1][0]
            if (int(label) == int(last) + 1) if digits else (ord(label) == ord(last) + 1):
                run.append((label, period))
                for counted, at in run if len(run) == 2 else run[-1:]:
                    starts.append(at - len(counted))
                    periods.add(at)
                continue
        if label in ("1", "a") and before in _RUN_OPENS:
            runs[digits] = [(label, period)]
        elif run:
            del runs[digits]
    return starts, periods


def _enumerates(text: str, word_start: int, candidate: re.Match[str]) -> bool:
    """Whether the number before a candidate's period numbers an item: right after a bullet
    or at the start of the text ("• 9. The"), or closed by a parenthesis ("1.) The")."""
    if candidate.group().startswith(".)") or text[word_start] in _BULLETS:
        return True
    return _char_before(text, word_start) in ("", *_BULLETS)


# Words that open a short phrase of time or place before a sentence's subject.
_PHRASE_OPENERS = _words("At By Around About Until Till Before After On From Since Shortly")


def _opening_phrase(words_so_far: str) -> bool:
    """True for "At 5 a.m": at most four words, the first of which opens a phrase of time."""
    words = words_so_far.lstrip(_OPENING).split()
    return 0 < len(words) <= 4 and words[0] in _PHRASE_OPENERS


def is_headline(line: str) -> bool:
    """A title-case line without final punctuation: 'Talks End Without Ceasefire'."""
    line = line.strip()
    if not line or line[-1] in _NO_HEADLINE_END or line[0].islower():
        return False
    words = (w.lstrip(_OPENING) for w in line.split())
    return all(w[:1].isupper() or not w[:1].isalpha() for w in words if len(w) >= 4)


def _line_break_ends_sentence(text: str, brk: int, nxt_pos: int, sent_start: int) -> bool:
    """A line break at `brk` ends a sentence only after a blank line or a headline line.

    The headline must be the whole sentence so far and the next line must read as prose, so a
    headline wrapped over two lines stays one sentence.
    """
    if text.count("\n", brk, nxt_pos) > 1:
        return True  # a blank line: a paragraph break
    line_start = text.rfind("\n", 0, brk) + 1
    if text[line_start:sent_start].strip() or text[nxt_pos].islower():
        return False
    next_end = text.find("\n", nxt_pos)
    next_line = text[nxt_pos : next_end if next_end >= 0 else len(text)]
    return is_headline(text[sent_start:brk]) and not is_headline(next_line)


def _char_before(text: str, pos: int) -> str:
    """The last character before `pos` that is not a space or tab ("" if none)."""
    pos -= 1
    while pos >= 0 and text[pos] in " \t":
        pos -= 1
    return text[pos] if pos >= 0 else ""


def sentence_starts(text: str) -> list[int]:
    """Character offsets where sentences start, in order; always includes the first word."""
    first = len(text) - len(text.lstrip())
    size = len(text)
    starts = [first]
    candidates = list(_CANDIDATE.finditer(text, first))
    items, item_periods = _item_runs(text, candidates)
    for candidate in candidates:
        if candidate.start() in item_periods:
            continue  # "2. The second item": the period belongs to the label
        following = _FOLLOWING.match(text, candidate.end())
        assert following is not None  # the pattern matches the empty string
        start = following.start(1)
        if start < size and ends_sentence(text, candidate, following, starts[-1]):
            starts.append(start)
    if "•" in text or "⁃" in text or ")" in text:
        items += (m.start() for m in _ENUMERATOR.finditer(text, first))
    if items:
        starts = sorted(set(starts).union(items))
    breaks = [
        m
        for m in _BREAK.finditer(text, first)
        if m.end() < size and _char_before(text, m.start()) not in _AFTER_PUNCT
    ]
    if not breaks:
        return starts
    # A line break needs the start of the sentence it is in, so merge in order.
    merged: list[int] = []
    pending = iter(starts)
    nxt = next(pending, size)
    for m in breaks:
        while nxt <= m.start():
            merged.append(nxt)
            nxt = next(pending, size)
        if _line_break_ends_sentence(text, m.start(), m.end(), merged[-1]):
            merged.append(m.end())
    merged += (s for s in itertools.chain([nxt], pending) if s < size)
    return merged


class TextKeepingTokenizer:
    """Wraps a tokenizer so that each `Doc` remembers its text in `user_data`.

    `Doc.text` rebuilds the text token by token in Python, which costs more than tokenizing and
    all the rules together; the component reads the remembered text instead.
    """

    def __init__(self, tokenizer: Callable[[str], Doc]) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        doc = self.tokenizer(text)
        doc.user_data[TEXT_KEY] = text
        return doc


@Language.component("news_sentences")
def news_sentences(doc: Doc) -> Doc:
    """Set `is_sent_start` on every token of `doc` by the news rules of this module."""
    if len(doc) == 0:
        return doc
    text = doc.user_data.get(TEXT_KEY)
    if not isinstance(text, str):
        text = doc.text  # made by another tokenizer
    token_starts = doc.to_array(IDX)
    starts = np.asarray(sentence_starts(text), dtype=np.uint64)
    # A start after white space is always a token start; keep only exact hits to be safe.
    positions = np.searchsorted(token_starts, starts)
    positions = positions[positions < len(token_starts)]
    positions = positions[token_starts[positions] == starts[: len(positions)]]
    flags = np.full((len(doc), 1), _UNSET, dtype=np.uint64)
    flags[positions, 0] = 1
    flags[0, 0] = 1
    doc.from_array([SENT_START], cast(Ints2d, flags))
    return doc
