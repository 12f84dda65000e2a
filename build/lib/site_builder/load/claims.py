"""claims.yaml -> Claim values, re-reading only the entries that changed since the last call.

In: the site root (claims.yaml), the SiteConfig and the article slugs. Out: the valid claims in
file order; every problem becomes a located diagnostic, exactly as if the whole file were read
anew. A claim that cannot be used is left out so the rest can still be checked in the same run.

`ClaimsLoader` remembers, for each top-level entry's text, what reading it gave: its YAML, its
schema check and the checks that need nothing but the entry. When the file has the usual block
shape (`claims:` at column 0, each entry starting with `- ` at one indentation), a call splits
the text into entries, reuses what it remembers (moving the line numbers of entries that moved)
and reads only new entries. The checks that look across entries or at the articles and ratings
(duplicate ids, unknown articles, unknown verdicts) run on every call. A file of any other shape
(flow style, anchors, other top-level keys, tabs in the indentation, a YAML error) is read whole.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

from ..diagnostics import Diagnostic, Diagnostics, Location, Severity
from ..model import Claim, Quote, SiteConfig
from .schemas import parse_date, validate_document, validate_value
from .source import ARTICLES_DIR, CLAIMS_FILE, read_source
from .yamlsource import PathKey, YamlDocument, parse_with_libyaml, parse_yaml, value_limit

CLAIMS_MAX_BYTES = 50 * 1024 * 1024
MAX_CLAIM_LENGTH = 75  # Google's ClaimReview guideline for claimReviewed

_CLAIMS_KEY = re.compile(r"claims:(?: +(?:#.*)?)?")
_TAB_INDENT = re.compile(r"^ *\t", re.MULTILINE)
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")
# An anchor or alias could be here (or these are just words, such as Markdown's *emphasis*).
_MAYBE_ANCHOR = re.compile(r"(?:^|[ \[{,])[&*][A-Za-z0-9_-]", re.MULTILINE)

Spot = tuple[int, int]  # (lines below the entry's first line, column)


class _Note(NamedTuple):
    """A diagnostic placed relative to its entry's first line, so that it moves with the entry."""

    severity: Severity
    spot: Spot
    message: str
    hint: str

    def at(self, start: int) -> Diagnostic:
        location = Location(CLAIMS_FILE, start + self.spot[0], self.spot[1])
        return Diagnostic(self.severity, location, self.message, self.hint)


class _QuoteCheck(NamedTuple):
    """What one quote's own text gave; whether its article exists is asked on every call."""

    article: str
    article_spot: Spot
    problems: tuple[_Note, ...]


class _ClaimCheck(NamedTuple):
    """What the checks of one entry that need nothing else gave; places relative to its start."""

    claim_id: str | None
    id_spot: Spot
    valid: bool  # False: the schema check failed and only the id counts
    verdict: str = ""
    verdict_spot: Spot = (0, 0)
    date_problems: tuple[_Note, ...] = ()
    quotes: tuple[_QuoteCheck, ...] = ()
    warnings: tuple[_Note, ...] = ()
    articles: tuple[str, ...] = ()  # the quotes' articles


class _EntryCheck(NamedTuple):
    """What reading one entry gave, with places relative to its first line.

    `only_at_index` is set when the diagnostics name the entry by its position ("claim 3"),
    `only_at_line` when they name a line ("first at line 12"): they hold only there.
    """

    lines: int  # line breaks in the entry's text
    size: int  # YAML values, for the document-wide limit
    only_at_index: int | None
    only_at_line: int | None
    found: tuple[_Note, ...]  # from reading the YAML
    schema: tuple[_Note, ...]
    claim: _ClaimCheck


class _Known(NamedTuple):
    """An entry as last seen: its checks, the line it started on, and its claim for that line."""

    check: _EntryCheck
    start: int
    claim: Claim | None

    def moved_to(self, start: int) -> _Known:
        claim = self.claim and _moved(self.claim, start - self.start)
        return _Known(self.check, start, claim)


class ClaimsLoader:
    """Loads claims.yaml again and again, re-reading only the entries whose text changed.

    Each call's result equals a fresh `load_claims` of the same file with the same config and
    article slugs. Only entries of the file last read are remembered. With `by_entry=False` the
    file is always read whole (the reference that the entry-by-entry reading must equal).
    """

    def __init__(self, by_entry: bool = True) -> None:
        self._by_entry = by_entry
        self._known: dict[str, _Known] = {}
        self._split: Split | None = None  # how the text last read was cut into entries
        # The article slugs of the last call, sorted and as a set (thousands, often the same).
        self._slugs: tuple[Iterable[str], tuple[str, ...], frozenset[str]] | None = None

    def load(
        self,
        root: Path,
        config: SiteConfig | None,
        article_slugs: Iterable[str],
        diagnostics: Diagnostics,
    ) -> tuple[Claim, ...]:
        """claims.yaml -> the claims that are valid, in file order; problems become diagnostics."""
        path = root / CLAIMS_FILE
        if not path.is_file():
            self._known = {}
            diagnostics.error(
                Location(CLAIMS_FILE), "claims.yaml not found", "Create it with a 'claims:' list."
            )
            return ()
        text = read_source(path, root, diagnostics, max_bytes=CLAIMS_MAX_BYTES)
        if text is None:
            self._known = {}
            return ()
        return self.load_text(text, config, article_slugs, diagnostics)

    def load_text(
        self,
        text: str,
        config: SiteConfig | None,
        article_slugs: Iterable[str],
        diagnostics: Diagnostics,
    ) -> tuple[Claim, ...]:
        """The claims of `text`, the normalised content of claims.yaml."""
        if self._slugs is None or self._slugs[0] is not article_slugs:
            slugs = tuple(sorted(set(article_slugs)))
            self._slugs = (article_slugs, slugs, frozenset(slugs))
        checker = _Checker(config, self._slugs[1], self._slugs[2], diagnostics)
        split = None
        if self._by_entry:
            # After an edit, split only what changed: the other entries' texts are the same
            # string objects as before, which also makes looking them up cheap.
            self._split = split_again(self._split, text) if self._split else split_text(text)
            split = (self._split.first_line, self._split.texts) if self._split else None
        known = self._entries(*split) if split is not None else None
        if known is None:
            if split is None:
                self._known = {}
            return _load_whole(text, checker)
        emit = diagnostics.items.extend
        for entry in known:
            if entry.check.found:
                emit(note.at(entry.start) for note in entry.check.found)
        if any(entry.check.schema for entry in known):
            # In the order jsonschema's errors for the whole file have: sorted by path, which
            # compares as text (claim 10 before claim 2).
            for index in sorted(range(len(known)), key=str):
                entry = known[index]
                emit(note.at(entry.start) for note in entry.check.schema)
        accepted = (checker.accept(entry.check.claim, entry.start, entry.claim) for entry in known)
        return tuple(claim for claim in accepted if claim is not None)

    def _entries(self, first_line: int, texts: Sequence[str]) -> list[_Known] | None:
        """What each entry gave, or None when the file must be read whole."""
        known: dict[str, _Known] = {}
        result: list[_Known] = []
        whole = False
        start = first_line
        for index, text in enumerate(texts):
            entry = known.get(text) or self._known.get(text)
            if (
                entry is None
                or entry.check.only_at_index not in (None, index)
                or entry.check.only_at_line not in (None, start)
            ):
                check, claim = _read_entry(text, start, index)
                if check is None:
                    whole = True  # keep going: the other entries are still worth remembering
                    start += text.count("\n")
                    continue
                entry = _Known(check, start, claim)
            elif entry.start != start:
                entry = entry.moved_to(start)
            known.setdefault(text, entry)
            result.append(entry)
            start += entry.check.lines
        self._known = known
        # The whole file's limit is no lower (the entries are part of its text): whatever the
        # entries pass, the whole file would.
        limit = value_limit(sum(len(text) for text in texts))
        if whole or 2 + sum(entry.check.size for entry in result) > limit:
            return None
        return result


def load_claims(
    root: Path,
    config: SiteConfig | None,
    article_slugs: Iterable[str],
    diagnostics: Diagnostics,
) -> tuple[Claim, ...]:
    """claims.yaml -> the claims that are valid, in file order; problems become diagnostics."""
    return ClaimsLoader().load(root, config, article_slugs, diagnostics)


class Split(NamedTuple):
    """claims.yaml cut into its top-level entries (`split_text`)."""

    text: str
    first_line: int  # the line the first entry starts on
    indent: int  # of the entries' "- "
    starts: tuple[int, ...]  # where each entry starts in `text`, then len(text)
    texts: tuple[str, ...]  # each entry's text


def split_entries(text: str) -> tuple[int, tuple[str, ...]] | None:
    """`split_text`'s first line and entry texts."""
    split = split_text(text)
    return (split.first_line, split.texts) if split else None


def split_again(previous: Split, text: str) -> Split | None:
    """`split_text(text)` for a text that was `previous.text` before an edit.

    Only the entries around what changed are looked for again; the others keep their places
    (shifted when the edit changed the length) and their very text objects. Gives the same
    result as `split_text(text)` (tests/test_load_incremental.py holds it to that).
    """
    old = previous.text
    if text == old:
        return previous
    if not _usual_characters(text):
        return None
    starts = previous.starts
    prefix = _common_prefix(old, text)
    if prefix <= starts[0]:
        return split_text(text)  # the lines before the first entry changed
    suffix = _common_suffix(old, text, min(len(old), len(text)) - prefix)
    first = bisect_right(starts, prefix) - 1  # the entry the change begins in
    # The first entry after the change whose line break before it is untouched; the end of the
    # text when there is none.
    after = bisect_left(starts, len(old) - suffix + 1, lo=first + 1)
    if after >= len(starts) - 1:
        after = len(starts) - 1
    delta = len(text) - len(old)
    begin, end = starts[first], starts[after] + delta
    line_end = text.find("\n", begin)
    line = text[begin:] if line_end < 0 else text[begin:line_end]
    if not (line.startswith(" " * previous.indent) and _is_entry_start(line[previous.indent :])):
        return split_text(text)  # the entry no longer starts where it did
    found = [m.start() + 1 for m in _entry_start(previous.indent).finditer(text, begin, end)]
    middle = [begin, *found]
    new_starts = (*starts[:first], *middle, *(start + delta for start in starts[after:]))
    texts = (
        *previous.texts[:first],
        *(text[a:b] for a, b in itertools.pairwise([*middle, end])),
        *previous.texts[after:],
    )
    return Split(text, previous.first_line, previous.indent, new_starts, texts)


def _common_prefix(one: str, other: str) -> int:
    """The length of the longest common prefix, compared a block at a time (in C)."""
    block, at, limit = 4096, 0, min(len(one), len(other))
    while at < limit and one[at : at + block] == other[at : at + block]:
        at += block
    while at < limit and one[at] == other[at]:
        at += 1
    return min(at, limit)


def _common_suffix(one: str, other: str, limit: int) -> int:
    """The length of the longest common suffix, at most `limit`."""
    block, size = 4096, 0
    while size + block <= limit and (
        one[len(one) - size - block : len(one) - size]
        == other[len(other) - size - block : len(other) - size]
    ):
        size += block
    while size < limit and one[len(one) - size - 1] == other[len(other) - size - 1]:
        size += 1
    return size


def _usual_characters(text: str) -> bool:
    """No tab in an indentation and no line break YAML counts that "\n" does not."""
    if "\t" in text and _TAB_INDENT.search(text):
        return False
    return not any(mark in text for mark in _OTHER_BREAKS)


def split_text(text: str) -> Split | None:
    """The top-level entries of claims.yaml: the first one's line, and each one's text.

    None unless the file has the usual block shape: only blank and comment lines before
    `claims:` at column 0, then entries that each start with `- ` at one indentation, every
    other line of an entry being blank, a comment or indented deeper, and no tab in any line's
    indentation. Each entry's text runs to the next entry (comments between entries included).
    """
    if not _usual_characters(text):
        return None  # YAML counts other line breaks too, so "\n" would not number the lines
    pos, line = 0, 1
    seen_key = False
    while True:  # the header: blank and comment lines, `claims:`, more of them, the first entry
        end = text.find("\n", pos)
        current = text[pos:] if end < 0 else text[pos:end]
        if not _is_blank_or_comment(current):
            if seen_key:
                break
            if not _CLAIMS_KEY.fullmatch(current):
                return None
            seen_key = True
        if end < 0:
            return None
        pos, line = end + 1, line + 1
    indent = len(current) - len(current.lstrip(" "))
    if not _is_entry_start(current[indent:]):
        return None
    starts = [pos, *(m.start() + 1 for m in _entry_start(indent).finditer(text, pos)), len(text)]
    texts = tuple(text[start:end] for start, end in itertools.pairwise(starts))
    return Split(text, line, indent, tuple(starts), texts)


def _is_blank_or_comment(line: str) -> bool:
    content = line.lstrip(" ")
    return not content or content[0] == "#"


def _is_entry_start(rest: str) -> bool:
    return rest == "-" or rest.startswith("- ")


def _entry_start(indent: int) -> re.Pattern[str]:
    """Finds the line break before each entry at `indent` (re keeps the compiled pattern)."""
    return re.compile("\n" + " " * indent + r"-(?=[ \n]|\Z)")


def _read_entry(text: str, start: int, index: int) -> tuple[_EntryCheck | None, Claim | None]:
    """Read one entry that starts on line `start`: (None, None) when the file must be read whole."""
    indent = len(text) - len(text.lstrip(" "))
    if re.search(f"\n {{0,{indent}}}[^ \n#]", text):
        return None, None  # a line that is neither inside the entry nor another entry
    found, schema = Diagnostics(), Diagnostics()
    doc, valid = _parse_entry(text, start, found)
    if doc is None or _only_entry(doc.data) is _NOT_ONE:
        return None, None
    invalid: tuple[PathKey, ...] = ()
    if not valid:
        named = ("claims", index)
        invalid = validate_value(doc, ("claims", 0), "claims", "claim", schema, named)
    check, claim = _check_entry(doc, ("claims", 0), start, bool(invalid))
    if claim is not None:
        claim = replace(claim, source=text)
    return _EntryCheck(
        lines=text.count("\n"),
        size=doc.size - 2,  # less the `claims:` mapping and list, which the whole file has once
        only_at_index=index if () in invalid else None,
        # What reading the YAML reports (duplicate keys, control characters) is rare, and a
        # duplicate key's message names the line of the first one.
        only_at_line=start if found.items else None,
        found=_notes(found.items, start),
        schema=_notes(schema.items, start),
        claim=check,
    ), claim


def _parse_entry(text: str, start: int, found: Diagnostics) -> tuple[YamlDocument | None, bool]:
    """The entry as a claims document of its own, and whether it is already known to be valid.

    Under a `claims:` line of its own the entry has the paths, depth and (given the offset)
    lines that it has in the whole file. None when the file must be read whole.
    """
    document, offset = "claims:\n" + text, start - 2
    if _MAYBE_ANCHOR.search(text):
        return None, False  # anchors are shared by the whole file (and a repeated one is an error)
    return parse_with_libyaml(document, CLAIMS_FILE, found, offset), False


def _load_whole(text: str, checker: _Checker) -> tuple[Claim, ...]:
    """Read claims.yaml in one piece (any shape of file)."""
    diagnostics = checker.diagnostics
    doc = parse_yaml(text, CLAIMS_FILE, diagnostics)
    if doc is None:
        return ()
    if not isinstance(doc.data, dict):
        diagnostics.error(doc.location(), "claims.yaml must be a mapping with a 'claims:' list")
        return ()
    invalid = validate_document(doc, "claims", diagnostics)
    if not isinstance(doc.data.get("claims"), list):
        return ()
    broken = {path[1] for path in invalid if len(path) > 1}
    claims = []
    for index in range(len(doc.data["claims"])):
        check, claim = _check_entry(doc, ("claims", index), 1, index in broken)
        accepted = checker.accept(check, 1, claim)
        if accepted is not None:
            claims.append(accepted)
    return tuple(claims)


def _check_entry(
    doc: YamlDocument, at: PathKey, start: int, invalid: bool
) -> tuple[_ClaimCheck, Claim | None]:
    """The checks of the entry at `at` that need nothing but the entry itself.

    Places are relative to line `start`. The claim comes with them when these checks pass.
    """
    entry = _value(doc, at)

    def spot(*key: str | int) -> Spot:
        location = doc.location(*at, *key)
        return (location.line - start, location.column)

    claim_id = entry.get("id") if isinstance(entry, dict) else None
    if not isinstance(claim_id, str):
        claim_id = None
    if invalid:
        return _ClaimCheck(claim_id, spot("id"), valid=False), None
    here = doc.location(*at)
    found = Diagnostics()  # each check's share of it becomes notes
    try:
        reviewed: dt.date | None = dt.date.fromisoformat(entry["reviewed"])
    except ValueError:  # the place is looked up only for the message
        reviewed = parse_date(entry["reviewed"], doc.location(*at, "reviewed"), found)
    date_problems = _notes(found.items, start)
    quotes: list[_QuoteCheck] = []
    built: list[Quote | None] = []
    for index, item in enumerate(entry["quotes"]):
        so_far = len(found.items)
        built.append(_quote(doc, (*at, "quotes", index), item, found))
        problems = _notes(found.items[so_far:], start)
        quotes.append(_QuoteCheck(item["article"], spot("quotes", index, "article"), problems))

    def check(warnings: tuple[_Note, ...] = ()) -> _ClaimCheck:
        return _ClaimCheck(
            claim_id,
            spot("id"),
            True,
            entry["verdict"],
            spot("verdict"),
            date_problems,
            tuple(quotes),
            warnings,
            tuple(quote.article for quote in quotes),
        )

    if reviewed is None or any(quote is None for quote in built):
        return check(), None
    found.items.clear()
    statement = " ".join(entry["claim"].split())
    if len(statement) > MAX_CLAIM_LENGTH:
        found.warning(
            doc.location(*at, "claim"),
            f"claim is {len(statement)} characters long, over {MAX_CLAIM_LENGTH}",
            "Search engines show at most 75 characters of a ClaimReview's claim; shorten it.",
        )
    if len({quote.article for quote in built if quote is not None}) == 1:
        found.warning(
            here,
            f"claim '{entry['id']}' quotes only one article",
            "A claim page compares outlets; add a quote from another article.",
        )
    return check(_notes(found.items, start)), Claim(
        id=entry["id"],
        claim=statement,
        verdict=entry["verdict"],
        reviewed=reviewed,
        tags=tuple(entry.get("tags", ())),
        summary=entry["summary"],
        quotes=tuple(quote for quote in built if quote is not None),
        location=here,
    )


def _quote(
    doc: YamlDocument, key: PathKey, entry: dict[str, Any], found: Diagnostics
) -> Quote | None:
    """The checks of one quote that need nothing but its own text (not whether its article exists)."""
    here = doc.location(*key)
    ok = True
    has_text, has_sentence = "text" in entry, "sentence" in entry
    if has_text == has_sentence:
        found.error(
            here,
            "a quote needs either 'text' or 'sentence'"
            if not has_text
            else "a quote has both 'text' and 'sentence'",
            "Give the article's exact words in 'text' (preferred) or a sentence number in 'sentence'.",
        )
        ok = False
    elif has_text and not entry["text"].strip(" \n\t.…"):
        found.error(doc.location(*key, "text"), "empty quote", "Copy the article's words here.")
        ok = False
    if has_sentence and "occurrence" in entry:
        found.error(doc.location(*key, "occurrence"), "'occurrence' only applies to a 'text' quote")
        ok = False
    if not ok:
        return None
    get = entry.get
    return Quote(
        entry["article"],
        here,
        get("text"),
        doc.location(*key, "text") if has_text else None,
        get("sentence"),
        get("occurrence"),
        get("stance"),
        get("note"),
    )


class _Checker:
    """The checks that look across entries or at the articles and ratings; one per call."""

    def __init__(
        self,
        config: SiteConfig | None,
        article_slugs: tuple[str, ...],
        known_slugs: frozenset[str],
        diagnostics: Diagnostics,
    ) -> None:
        self.config = config
        self.verdicts = frozenset(r.key for r in config.ratings) if config else frozenset()
        self.article_slugs = article_slugs  # sorted
        self.known_slugs = known_slugs
        self.diagnostics = diagnostics
        self.ids: dict[str, int] = {}  # claim id -> line where it was first used

    def accept(self, check: _ClaimCheck, start: int, claim: Claim | None) -> Claim | None:
        """Report what the entry at line `start` gave; its claim if nothing is wrong with it."""
        ok = self.remember_id(check, start)
        if not check.valid:
            return None
        if (
            ok
            and claim is not None
            and not check.warnings
            and (self.config is None or check.verdict in self.verdicts)
            and self.known_slugs.issuperset(check.articles)
        ):
            return claim  # nothing to report: the usual case, kept cheap for thousands of claims
        emit = self.diagnostics.items.extend
        if self.config is not None and check.verdict not in self.verdicts:
            keys = ", ".join(r.key for r in self.config.ratings)
            self.diagnostics.error(
                _place(start, check.verdict_spot),
                f"unknown verdict '{check.verdict}'",
                f"Use one of the ratings in content/site.yaml: {keys}",
            )
            ok = False
        if check.date_problems:
            emit(note.at(start) for note in check.date_problems)
        for quote in check.quotes:
            if quote.article not in self.known_slugs:
                self.unknown_article(quote, start)
                ok = False
            if quote.problems:
                emit(note.at(start) for note in quote.problems)
        if not ok or claim is None:
            return None
        if check.warnings:
            emit(note.at(start) for note in check.warnings)
        return claim

    def remember_id(self, check: _ClaimCheck, start: int) -> bool:
        """Record a claim id; False (with an error) when an earlier claim has it."""
        if check.claim_id is None:
            return True
        first = self.ids.get(check.claim_id)
        if first is None:
            self.ids[check.claim_id] = start + check.id_spot[0]
            return True
        self.diagnostics.error(
            _place(start, check.id_spot),
            f"duplicate claim id '{check.claim_id}' (first used at line {first})",
            "Each claim needs its own id; it is the claim page's URL.",
        )
        return False

    def unknown_article(self, quote: _QuoteCheck, start: int) -> None:
        guess = difflib.get_close_matches(quote.article, self.article_slugs, n=1, cutoff=0.5)
        hint = (
            f"did you mean '{guess[0]}'?"
            if guess
            else "Known articles: " + ", ".join(self.article_slugs)
        )
        self.diagnostics.error(
            _place(start, quote.article_spot),
            f"unknown article '{quote.article}': no {ARTICLES_DIR}/{quote.article}.md",
            hint,
        )


_NOT_ONE = object()


def _only_entry(data: Any) -> Any:
    """The one entry of `claims:` in `data`, or _NOT_ONE."""
    if isinstance(data, dict) and isinstance(data.get("claims"), list) and len(data["claims"]) == 1:
        return data["claims"][0]
    return _NOT_ONE


def _value(doc: YamlDocument, at: PathKey) -> Any:
    value = doc.data
    for step in at:
        value = value[step]
    return value


def _place(start: int, spot: Spot) -> Location:
    return Location(CLAIMS_FILE, start + spot[0], spot[1])


def _notes(found: Sequence[Diagnostic], start: int) -> tuple[_Note, ...]:
    if not found:
        return ()
    return tuple(
        _Note(d.severity, (d.location.line - start, d.location.column), d.message, d.hint)
        for d in found
    )


def _moved(claim: Claim, delta: int) -> Claim:
    """`claim` with every location `delta` lines further down."""
    # Thousands of claims move when an early one grows: this is the hot loop of such an edit.
    quotes = []
    for quote in claim.quotes:
        at, text_at = quote.location, quote.text_location
        quotes.append(
            Quote(
                quote.article,
                Location(at.path, at.line + delta, at.column),
                quote.text,
                text_at and Location(text_at.path, text_at.line + delta, text_at.column),
                quote.sentence,
                quote.occurrence,
                quote.stance,
                quote.note,
            )
        )
    at = claim.location
    return Claim(
        claim.id,
        claim.claim,
        claim.verdict,
        claim.reviewed,
        claim.tags,
        claim.summary,
        tuple(quotes),
        Location(at.path, at.line + delta, at.column),
        claim.source,
    )
