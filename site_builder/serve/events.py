"""What the server tells the terminal and the open pages.

In: what happened (a build started, finished, crashed; the search index caught up; a problem).
Out: `ServeEvent`s for the terminal (cli/ prints them) and the JSON and server-sent-event text
that live-reload pages receive.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..build.builder import FinishResult
from ..build.options import BuildResult
from ..diagnostics import Diagnostic
from .watch import Changes


@dataclass(frozen=True)
class Serving:
    """The server is up at `url`; `polling` says whether files are polled instead of watched."""

    url: str
    polling: bool


@dataclass(frozen=True)
class RebuildStarted:
    changes: Changes


@dataclass(frozen=True)
class RebuildFinished:
    """A build ran; `result.failed` says whether the site was updated or the old one kept."""

    changes: Changes
    result: BuildResult
    seconds: float


@dataclass(frozen=True)
class RebuildCrashed:
    """The build hook raised: a bug, not bad input. `details` is the traceback."""

    changes: Changes
    error: str
    details: str
    seconds: float


@dataclass(frozen=True)
class FinishedLater:
    """Once edits paused, the files builds had left for later were brought up to date."""

    result: FinishResult


@dataclass(frozen=True)
class ServerProblem:
    """Something the user should know that is not a build result (watcher fallback, I/O)."""

    message: str


ServeEvent = (
    Serving | RebuildStarted | RebuildFinished | RebuildCrashed | FinishedLater | ServerProblem
)


def diagnostic_json(item: Diagnostic) -> dict[str, object]:
    """One diagnostic as the browser overlay receives it."""
    return {
        "file": item.location.path,
        "line": item.location.line,
        "column": item.location.column,
        "severity": item.severity,
        "message": item.message,
        "hint": item.hint,
    }


def crash_json(error: str) -> dict[str, object]:
    """A crash of the build hook, shaped like a diagnostic for the overlay."""
    return {
        "file": "",
        "line": 0,
        "column": 0,
        "severity": "error",
        "message": f"the build crashed: {error}",
        "hint": "This is a bug in site-builder, not in your files; the terminal has the details.",
    }


def sse_message(event: str, data: object) -> str:
    """One server-sent event. `json.dumps` escapes newlines, so `data` stays on one line."""
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
