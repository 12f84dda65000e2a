"""Located problems with user input.

In: every stage reports into a `Diagnostics` collector instead of raising, so one run finds all
problems. Out: immutable `Diagnostic` values that `cli/` prints as
``path:line:col: severity: message`` followed by an indented hint.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file: `path` relative to the site root, 1-based `line` and `column`."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Diagnostic:
    """One problem: where it is, what is wrong, and what to do about it."""

    severity: Severity
    location: Location
    message: str
    hint: str = ""

    def format(self, strict: bool = False) -> str:
        """Render as ``path:line:col: severity: message`` plus an indented ``hint:`` line."""
        severity = "error" if strict else self.severity
        # One line per problem, whatever the message quotes (editors and CI grep for them).
        message = " ".join(self.message.splitlines())
        text = f"{self.location}: {severity}: {message}"
        if self.hint:
            text += "\n    hint: " + self.hint.replace("\n", "\n          ")
        return text


@dataclass
class Diagnostics:
    """Collects diagnostics from every stage of one run, in the order they were found."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, location: Location, message: str, hint: str = "") -> None:
        self.items.append(Diagnostic("error", location, message, hint))

    def warning(self, location: Location, message: str, hint: str = "") -> None:
        self.items.append(Diagnostic("warning", location, message, hint))

    def extend(self, other: Diagnostics) -> None:
        self.items.extend(other.items)

    def failed(self, strict: bool = False) -> bool:
        """True when the run must not write output: any error, or any warning under `strict`."""
        return any(d.severity == "error" or strict for d in self.items)

    def sorted(self) -> tuple[Diagnostic, ...]:
        """The diagnostics ordered by file, line and column, stable for equal places."""
        return tuple(sorted(self.items, key=lambda d: d.location))


def offset_to_line_col(text: str, offset: int) -> tuple[int, int]:
    """Convert a 0-based character offset in `text` to a 1-based (line, column)."""
    line = text.count("\n", 0, offset) + 1
    line_start = text.rfind("\n", 0, offset) + 1
    return line, offset - line_start + 1
