"""Forked worker processes for the stages of a one-off build that split by article or page.

spaCy, our sentence rules and Jinja2 are pure Python, so threads would not help; forked
processes inherit what the build has loaded (the pipeline, the plans) instead of receiving it
through a pipe. Never for a process with other threads running (`serve`).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["worker_pool"]


@contextmanager
def worker_pool(workers: int) -> Iterator[multiprocessing.pool.Pool]:
    """A pool of `workers` forked processes, killed on leaving the block.

    Killed, not waited for: when the build stops early (Ctrl-C, an error) the workers must not
    go on with work nobody will read, nor keep the build from exiting.
    """
    pool = multiprocessing.get_context("fork").Pool(workers, initializer=_quiet)
    try:
        yield pool
    finally:
        pool.terminate()
        pool.join()


def _quiet() -> None:
    """In a worker: leave Ctrl-C to the build, which kills the workers, and print nothing.

    A worker's own errors reach the build with its result and are raised there; what a worker
    could print is only the noise of being killed mid-send (a broken pipe).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - for the rest of the worker's life
