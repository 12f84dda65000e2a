"""Forked worker processes for the stages of a one-off build that split by article or page.

spaCy, our sentence rules and Jinja2 are pure Python, so threads would not help; forked
processes inherit what the build has loaded (the pipeline, the plans) instead of receiving it
through a pipe. Never for a process with other threads running (`serve`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import multiprocessing
import multiprocessing.pool
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["c_function", "chunks", "interrupts_held", "worker_pool"]


def chunks(count: int, workers: int) -> list[range]:
    """Split `count` items into ranges for `workers` to take turns at: small enough that
    every worker stays busy to the end, big enough that sending each costs little."""
    size = max(1, min(100, count // (workers * 8)))
    return [range(i, min(i + size, count)) for i in range(0, count, size)]


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Ctrl-C held back while the block runs, and delivered when it ends.

    For what must not be cut halfway: forking workers, and importing spaCy, whose import
    (pydantic building its schemas) turns an interrupt into an error of its own.
    """
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


@contextmanager
def worker_pool(workers: int) -> Iterator[multiprocessing.pool.Pool]:
    """A pool of `workers` forked processes, killed on leaving the block.

    Killed, not waited for: when the build stops early (Ctrl-C, an error) the workers must not
    go on with work nobody will read, nor keep the build from exiting.
    """
    # Ctrl-C while forking would land in the fork handlers (printed as an ignored traceback):
    # hold it until the workers exist, then it interrupts the build as anywhere else.
    with interrupts_held():
        pool = multiprocessing.get_context("fork").Pool(
            workers, initializer=_quiet, initargs=(os.getpid(),)
        )
    try:
        yield pool
    finally:
        pool.terminate()
        pool.join()


def _quiet(parent: int) -> None:
    """In a worker: die with the build, leave Ctrl-C to it (it kills the workers), and print
    nothing.

    A build killed outright (SIGKILL) cannot kill its workers, and they would wait for work
    forever: the kernel kills them instead (Linux's parent-death signal). A worker's own errors
    reach the build with its result and are raised there; what a worker could print is only the
    noise of being killed mid-send (a broken pipe).
    """
    _die_with_parent()
    if os.getppid() != parent:  # the build was killed before the line above took effect
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - for the rest of the worker's life


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _die_with_parent() -> None:
    """Ask the kernel for SIGKILL when the parent process ends (Linux; elsewhere nothing)."""
    prctl = c_function("prctl") if sys.platform.startswith("linux") else None
    if prctl is not None:  # without it, a killed build may leave idle workers behind
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


@functools.cache
def c_function(name: str) -> Callable[..., int] | None:
    """The C library's function `name` (prctl, malloc_trim), or None where there is none."""
    library = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(library), name, None) if library else None
    except OSError:
        return None
