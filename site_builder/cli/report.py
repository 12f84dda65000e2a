"""Diagnostics and progress -> what the terminal shows.

In: diagnostics (and `--strict`), a long build's progress. Out: text on a stream: one
`path:line:col: severity: message` line per problem with its hint, as JSON, or as GitHub
workflow annotations; a summary line; a progress bar on terminals.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TextIO

from ..diagnostics import Diagnostic

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2  # clean; problems in the input; a usage mistake


def print_diagnostics(items: Sequence[Diagnostic], strict: bool, stream: TextIO) -> None:
    for item in items:
        print(item.format(strict), file=stream)


def summary(items: Sequence[Diagnostic], strict: bool) -> str:
    errors = sum(1 for d in items if d.severity == "error" or strict)
    warnings = len(items) - errors
    return f"{errors} error(s), {warnings} warning(s)"


class ProgressBar:
    """One line on a terminal that says how a long build is getting on, cleared at the end.

    Shown only after the build has run for `delay` seconds (a quick build prints nothing
    extra), and redrawn at most ten times a second. Only for terminals: run_build does not
    make one when stderr is a pipe or a file (CI logs).
    """

    def __init__(self, stream: TextIO, delay: float = 1.0) -> None:
        self.stream = stream
        self.started = time.perf_counter()
        self.delay = delay
        self.drawn = 0.0
        self.shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if now - self.started < self.delay or now - self.drawn < 0.1:
            return
        self.drawn = now
        if total:
            width = 24
            filled = width * done // total
            line = f"{stage} [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}"
        else:
            line = f"{stage} ..."
        self.stream.write("\r\x1b[K" + line)
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def as_json(item: Diagnostic, strict: bool) -> dict[str, object]:
    return {
        "severity": "error" if strict else item.severity,
        "file": item.location.path,
        "line": item.location.line,
        "column": item.location.column,
        "message": item.message,
        "hint": item.hint,
    }


def _github_escape(text: str, property_value: bool = False) -> str:
    # The workflow-command escaping GitHub documents for data and for property values.
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def as_github(item: Diagnostic, strict: bool) -> str:
    severity = "error" if strict else item.severity
    location = item.location
    message = item.message + (f"\n{item.hint}" if item.hint else "")
    return (
        f"::{severity} file={_github_escape(location.path, True)},line={location.line},"
        f"col={location.column}::{_github_escape(message)}"
    )
