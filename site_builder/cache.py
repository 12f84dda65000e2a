"""What one build keeps for the next: per-file results and segmentations.

In: the keys that decide whether earlier work still holds (a file's stat, an article's text).
Out: the earlier result, or None. Nothing here decides *what* to compute; build.py does.

Per-file results are keyed by (mtime, size, inode) so an atomic save (new inode) always counts
as a change. Segmentations are keyed by the article's text and the pipeline's version, so they
survive renames and are shared between builds through a file in `.site-builder-cache/`.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import pickle
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from .diagnostics import Diagnostic, Diagnostics
from .model import Block, Sentence

T = TypeVar("T")
CACHE_DIR = ".site-builder-cache"


# A file modified this recently may be modified again within the same timestamp tick with the
# same size (git's "racy clean" problem): its stat is not trusted as a cache key.
RACY_NS = 2_000_000_000
_fresh = itertools.count()


def stat_key(path: Path) -> Hashable:
    """What changes when a file is edited, replaced or deleted; None if it is gone."""
    try:
        st = path.stat()
    except OSError:
        return None
    if time.time_ns() - st.st_mtime_ns < RACY_NS:
        return ("racy", next(_fresh))  # equal to no earlier key: always recomputed
    return st.st_mtime_ns, st.st_size, st.st_ino


def code_version(*modules: str) -> str:
    """A digest of the named modules' source, so a cache never outlives the code that made it."""
    package = Path(__file__).parent
    digest = hashlib.blake2b(digest_size=8)
    for module in modules:
        digest.update((package / f"{module}.py").read_bytes())
    return digest.hexdigest()


def text_digest(text: str) -> str:
    return bytes_digest(text.encode("utf-8"))


def bytes_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass
class Memo(Generic[T]):
    """Remembers a value and the diagnostics it produced, for as long as its key is unchanged."""

    entries: dict[Hashable, tuple[Hashable, T, tuple[Diagnostic, ...]]] = field(
        default_factory=dict
    )

    def get(
        self, name: Hashable, key: Hashable, compute: Callable[[Diagnostics], T], into: Diagnostics
    ) -> T:
        """`compute`'s value for `name`, recomputed only when `key` differs from last time."""
        held = self.entries.get(name)
        if held is not None and held[0] == key:
            into.items.extend(held[2])
            return held[1]
        local = Diagnostics()
        value = compute(local)
        self.entries[name] = (key, value, tuple(local.items))
        into.items.extend(local.items)
        return value

    def keep_only(self, names: set[Hashable]) -> None:
        """Forget entries of files that no longer exist, so memory stays bounded."""
        for name in set(self.entries) - names:
            del self.entries[name]


Segmentation = tuple[tuple[Block, ...], tuple[Sentence, ...]]


@dataclass
class SegmentCache:
    """Blocks and sentences by article text, in memory and in one file on disk."""

    path: Path | None
    version: str
    entries: dict[str, Segmentation] = field(default_factory=dict)
    dirty: bool = False
    used: set[str] = field(default_factory=set)

    @classmethod
    def open(cls, root: Path | None, version: str) -> SegmentCache:
        """The cache for `root` (None: memory only); an unreadable cache file is ignored."""
        path = root / CACHE_DIR / f"segments-{version}.pickle" if root is not None else None
        cache = cls(path, version)
        if path is not None and path.is_file():
            try:
                with path.open("rb") as handle:
                    loaded = pickle.load(handle)
                if isinstance(loaded, dict):
                    cache.entries = loaded
            except Exception:  # a corrupt or foreign cache only costs a cold build
                cache.entries = {}
        return cache

    def key(self, source: str, body_start: int, pipeline: str | None) -> str:
        return f"{text_digest(source)}:{body_start}:{pipeline or ''}"

    def get(self, key: str) -> Segmentation | None:
        self.used.add(key)
        return self.entries.get(key)

    def put(self, key: str, value: Segmentation) -> None:
        self.used.add(key)
        self.entries[key] = value
        self.dirty = True

    def save(self) -> None:
        """Write the entries used by this build (older ones are dropped) atomically."""
        stale = set(self.entries) - self.used
        if self.path is None or not (self.dirty or stale):
            self.used = set()
            return
        for key in stale:
            del self.entries[key]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            staging = self.path.with_name(f".{self.path.name}.{os.getpid()}")
            with staging.open("wb") as handle:
                pickle.dump(self.entries, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(staging, self.path)
        except OSError:
            pass  # a read-only checkout still builds; it just stays cold
        self.dirty = False
        self.used = set()
