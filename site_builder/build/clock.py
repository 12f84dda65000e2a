"""Wall time per stage of one build, for `build --timings` and the benchmarks."""

from __future__ import annotations

import time


class StageClock:
    """Wall time per stage of one build, for `--timings` and the benchmarks."""

    def __init__(self) -> None:
        self._laps: list[tuple[str, float]] = []
        self._last = time.perf_counter()

    def start(self) -> None:
        self._laps = []
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self._laps.append((stage, now - self._last))
        self._last = now

    def laps(self) -> tuple[tuple[str, float], ...]:
        return tuple(self._laps)
