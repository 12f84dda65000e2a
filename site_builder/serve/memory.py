"""serve's long-lived build: a `Builder` with deferral and the memory policy of a process that
runs for hours wrapped around it.

In: a `Builder` made with one worker (serve has threads running: it must not fork). Out: `build`
(every build but the first leaves what only machines read for `finish`), `finish`, `close`,
and `tidy`, which the server calls once the browser has been told of a build. A build creates
millions of small objects and frees almost all of them by reference counting; Python's
collector would walk the whole, large, long-lived site model again and again meanwhile. So a
build runs with the collector off, `tidy` collects the youngest generation afterwards and
freezes what the build kept, a full collection runs when edits pause (after `finish`) or when
resident memory has grown by `RESIDENT_GROWTH`, and the C allocator's free memory is given back
now and then.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Collection

from ..build.builder import Builder, FinishResult
from ..build.options import BuildResult
from ..workers import c_function

# The C allocator's free memory is given back to the system every this many builds.
TRIM_EVERY = 32
# A full collection once resident memory grew by this factor since the last one.
RESIDENT_GROWTH = 1.05
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


class LiveSite:
    """The site `serve` keeps built: its builder, and the garbage collector kept off its path."""

    def __init__(self, builder: Builder) -> None:
        self.builder = builder
        self.untidy = False  # the collector is off until tidy()
        self.tidied = 0
        self.resident_after_collect = 0  # resident bytes after the last full collection

    def build(self, changed: Collection[str] | None = None) -> BuildResult:
        """The builder's build, with the collector off until `tidy`."""
        with self.builder.lock:
            if self.untidy:
                self.tidy()  # the caller did not: do it now, or garbage piles up
            enabled = gc.isenabled()
            gc.disable()
            try:
                return self.builder.build(changed, defer=True)
            finally:
                self.untidy = enabled

    def tidy(self) -> None:
        """Collect what the last build left for the garbage collector, freeze what it kept,
        and turn the collector on again.

        serve calls this once the browser has been told, so that it costs the reader nothing:
        the build's cycles are all in the youngest generation, so this is quick, and later
        collections skip the frozen site model.
        """
        with self.builder.lock:
            if not self.untidy:
                return
            self.untidy = False
            self.tidied += 1
            gc.collect(0)
            gc.freeze()
            resident = resident_bytes()
            if not self.resident_after_collect:
                self.resident_after_collect = resident
            elif resident > self.resident_after_collect * RESIDENT_GROWTH:
                # Cycles among what earlier builds froze (a Jinja environment or site model
                # since replaced) are collected only once unfrozen. A full collection takes
                # a second on a large site, so it waits for serve to finish, unless edits
                # never pause and memory keeps growing. (Counting the frozen objects instead
                # would walk them all: a tenth of a second per build.)
                collect_all()
                self.resident_after_collect = resident_bytes()
            elif self.tidied % TRIM_EVERY == 0:
                release_free_memory()
            gc.enable()

    def finish(self) -> FinishResult | None:
        """The builder's `finish`; once it is done, everything the builds froze is collected."""
        result = self.builder.finish()
        if result is not None and result.done:
            self.tidy()
            collect_all()
            self.resident_after_collect = resident_bytes()
        return result

    def close(self) -> None:
        self.builder.close()


def collect_all() -> None:
    """Collect every generation, frozen ones included, freeze what is left, and give the freed
    heap back to the system."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    release_free_memory()


def resident_bytes() -> int:
    """This process's resident memory (Linux); 0 where it cannot be read."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return 0


def release_free_memory() -> None:
    """Give memory the C allocator holds free back to the system.

    A dev server frees and allocates the large strings of its pages again and again; glibc
    keeps what was freed in holes of its heaps, and the process's resident memory would creep up
    though the live data does not. Freeing it now and then keeps the figure honest.
    """
    trim = c_function("malloc_trim")  # glibc's (Linux)
    if trim is not None:
        trim(0)
