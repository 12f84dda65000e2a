"""One entry of claims.yaml -> a checked `Claim`, with its problems located in the file.

In: an entry's text and where it starts in claims.yaml, and what the entry is checked against
(the site's ratings and article slugs). Out: the `Claim` (or None when it cannot be used) and
its diagnostics, as notes relative to the entry so that an entry that only moved keeps them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, NamedTuple

from ..diagnostics import Diagnostic, Diagnostics, Location, Severity
from ..model import Claim, Quote, SiteConfig, Update
from .claims_split import MAYBE_ANCHOR
from .schemas import parse_date, validate_document, validate_value
from .source import ARTICLES_DIR, CLAIMS_FILE
from .yamlsource import PathKey, YamlDocument, parse_with_libyaml, parse_yaml

MAX_CLAIM_LENGTH = 75  # Google's ClaimReview guideline for claimReviewed


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


class Known(NamedTuple):
    """An entry as last seen: its checks, the line it started on, and its claim for that line."""

    check: _EntryCheck
    start: int
    claim: Claim | None

    def moved_to(self, start: int) -> Known:
        claim = self.claim and _moved(self.claim, start - self.start)
        return Known(self.check, start, claim)


def read_entry(text: str, start: int, index: int) -> tuple[_EntryCheck | None, Claim | None]:
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
    if MAYBE_ANCHOR.search(text):
        return None, False  # anchors are shared by the whole file (and a repeated one is an error)
    return parse_with_libyaml(document, CLAIMS_FILE, found, offset), False


def load_whole(text: str, checker: EntryChecker) -> tuple[Claim, ...]:
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
    updates = _updates(doc, at, entry.get("updates", ()), found)
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

    if reviewed is None or updates is None or any(quote is None for quote in built):
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
        verdict_location=doc.location(*at, "verdict"),
        updates=updates,
    )


def _updates(
    doc: YamlDocument, at: PathKey, entries: Sequence[dict[str, Any]], found: Diagnostics
) -> tuple[Update, ...] | None:
    """The claim's `updates` (valid by the schema); None when a date is not a real one."""
    updates = []
    for index, item in enumerate(entries):
        try:
            when: dt.date | None = dt.date.fromisoformat(item["date"])
        except ValueError:
            when = parse_date(item["date"], doc.location(*at, "updates", index, "date"), found)
        if when is None:
            return None
        updates.append(Update(when, item["kind"], item["note"].strip()))
    return tuple(updates)


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
        doc.location(*key, "text" if has_text else "sentence"),
        get("sentence"),
        get("occurrence"),
        get("stance"),
        get("note"),
    )


class EntryChecker:
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
        at, text_at = quote.location, quote.value_location
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
    at, verdict = claim.location, claim.verdict_location
    return Claim(
        claim.id,
        claim.claim,
        claim.verdict,
        claim.reviewed,
        claim.tags,
        claim.summary,
        tuple(quotes),
        Location(at.path, at.line + delta, at.column),
        None if verdict is None else Location(verdict.path, verdict.line + delta, verdict.column),
        claim.updates,
        claim.source,
    )
