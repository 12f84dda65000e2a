"""Several witnesses' units -> one alignment, column by column.

In: each outlet's `Unit`s. Out: columns (one unit or a gap per witness), and the `Segment`s
where all witnesses agree or differ, as CollateX aligns the witnesses of one text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .units import Unit, tokenizer

# A variant longer than this on either side is a different wording, not one name for another.
SUBSTITUTION_UNITS = 6


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


Column = tuple[Unit | None, ...]  # one entry per witness aligned so far


def _weight(unit: Unit) -> int:
    """Content counts more than glue, so alignment prefers to line up figures and names."""
    if unit.kind in {"number", "date", "day", "time", "name"}:
        return 4
    if unit.kind == "punct":
        return 1
    return 1 if unit.norm in tokenizer().Defaults.stop_words else 3


def align_units(columns: list[Column], units: Sequence[Unit]) -> list[Column]:
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


def agreement_runs(columns: Sequence[Column]) -> list[tuple[bool, list[Column]]]:
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


def segments_of(columns: Sequence[Column], texts: Sequence[str]) -> tuple[Segment, ...]:
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
