"""Quote changes on the record: a reminder when a claim's quotes changed since the last build
and no correction or update says so.

In: this build's claims and the last build's claims.json (the output folder's, if any). Out: a
warning for each claim whose quotes (article, words or sentence, stance) differ from those of
the last build while its list of updates is the same. Published reviews change in public: when
an outlet corrected an article and a quote had to follow, the claim's `updates` says what
changed and why. The last build's file is read again only when its size or time changed.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import orjson

from ..diagnostics import Diagnostic
from ..model import ResolvedClaim

Quoted = tuple[tuple[str, str | None, int | None, str | None], ...]


class LastBuild:
    """The quotes and updates of each claim in the last build's claims.json."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stat: tuple[int, int] | None = None
        self._claims: dict[str, tuple[Quoted, tuple[tuple[str, str, str], ...]]] = {}

    def claims(self) -> dict[str, tuple[Quoted, tuple[tuple[str, str, str], ...]]]:
        try:
            stat = os.stat(self.path)
        except OSError:
            self._stat, self._claims = None, {}
            return self._claims
        key = (stat.st_size, stat.st_mtime_ns)
        if key != self._stat:
            self._stat, self._claims = key, _read(self.path)
        return self._claims


def _read(path: Path) -> dict[str, tuple[Quoted, tuple[tuple[str, str, str], ...]]]:
    """claim id -> (quotes, updates) from a claims.json; {} for a file that is not one."""
    try:
        document = orjson.loads(path.read_bytes())
        return {
            claim["id"]: (
                tuple(
                    (q["article"], q.get("text"), q.get("sentence"), q.get("stance"))
                    for q in claim["quotes"]
                ),
                tuple((u["date"], u["kind"], u["note"]) for u in claim.get("updates", ())),
            )
            for claim in document["claims"]
        }
    except (OSError, orjson.JSONDecodeError, KeyError, TypeError):
        return {}  # a damaged or foreign file is no record: nothing to compare with


def unrecorded_changes(claims: Sequence[ResolvedClaim], last: LastBuild) -> list[Diagnostic]:
    """A warning for each claim whose quotes changed since the last build and whose updates
    did not (see the module docstring), located at the claim."""
    before = last.claims()
    if not before:
        return []
    found = []
    for resolved in claims:
        claim = resolved.claim
        held = before.get(claim.id)
        if held is None:
            continue  # a new claim: nothing published to correct
        quoted = tuple((q.article, q.text, q.sentence, q.stance) for q in claim.quotes)
        updates = tuple((u.date.isoformat(), u.kind, u.note) for u in claim.updates)
        if quoted != held[0] and updates == held[1]:
            found.append(
                Diagnostic(
                    "warning",
                    claim.location,
                    f"the quotes of claim '{claim.id}' changed since the last build, and no "
                    "correction or update says so",
                    "add an entry to its `updates` (date, kind: correction or update, note: "
                    "what changed and why): a published review changes on the record",
                )
            )
    return found
