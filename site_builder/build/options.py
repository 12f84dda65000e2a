"""What a build is asked to do, and what it reports.

In: the command line's choices. Out: `BuildOptions` for a build run and the `BuildResult` it
returns (every diagnostic, whether it wrote, how many files changed, seconds per stage).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic

# How a long build is getting on: (stage, done, total), for a progress bar.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class BuildOptions:
    root: Path
    out: Path
    strict: bool = False
    base_url: str | None = None


@dataclass(frozen=True)
class BuildResult:
    diagnostics: tuple[Diagnostic, ...]
    failed: bool
    pages: int = 0  # files rendered
    written: bool = False
    changed: int = 0  # files whose bytes differ from the previous build's
    timings: tuple[tuple[str, float], ...] = ()  # seconds per stage, in pipeline order
    rendered: tuple[str, ...] = ()  # the pages rendered; the others were reused as they were
