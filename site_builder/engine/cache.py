"""What one build keeps for the next: per-file results, segmentations, the last search bundle.

In: the keys that decide whether earlier work still holds (a file's stat, an article's text).
Out: the earlier result, or None. Nothing here decides *what* to compute; build/ does.

Per-file results are keyed by (mtime, size, inode) so an atomic save (new inode) always counts
as a change. Segmentations are keyed by the article's text and the pipeline's version, so they
survive renames and are shared between builds through a JSON file in the user's cache folder
(`JsonEntries`, which engine/resolved.py's cache uses too). `same` (equality with identity as
its shortcut) and `kept` (a fast path's test) are where identity is looked at; the loop over
every output file in build/builder.py spells `same` out.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import time
import zipfile
from collections.abc import Callable, Hashable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

import orjson

from ..diagnostics import Diagnostic, Diagnostics
from ..model import Block, Sentence

T = TypeVar("T")


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
    """A digest of the named modules' source (paths under site_builder/, no suffix), so a cache never outlives the code that made it."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.blake2b(digest_size=8)
    for module in modules:
        digest.update((package / f"{module}.py").read_bytes())
    return digest.hexdigest()


def text_digest(text: str) -> str:
    return bytes_digest(text.encode("utf-8"))


def bytes_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def same(one: object, other: object) -> bool:
    """`one == other`, answered at once when both are the very same object.

    Equality decides whether a value changed. A frozen dataclass's `==` compares field by field
    even with itself, and a rebuild asks it of thousands of unchanged articles, claims and files:
    most of a rebuild's bookkeeping. Identity is only the shortcut, never the verdict: equal
    objects count as the same.
    """
    return one is other or one == other


def kept(held: object, value: object) -> bool:
    """Whether `value` is the very object a build kept from the last one: a fast path that
    skips work. False never means "changed": the caller then compares properly (by `same`,
    or by what the value was read from)."""
    return held is value


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
        if held is not None and held[1] == value:
            # Touched but not changed (a save without edits, a checkout): the old object keeps
            # everything built from it valid, and comparing it later stays an identity check.
            value = held[1]
        self.entries[name] = (key, value, tuple(local.items))
        into.items.extend(local.items)
        return value

    def keep_only(self, names: AbstractSet[Hashable]) -> None:
        """Forget entries of files that no longer exist, so memory stays bounded."""
        for name in set(self.entries) - names:
            del self.entries[name]


Segmentation = tuple[tuple[Block, ...], tuple[Sentence, ...]]


def user_cache_dir() -> Path:
    """Where caches live: $XDG_CACHE_HOME/site-builder, else ~/.cache/site-builder.

    Never inside the site: a cache file committed or planted in the site folder (a pull request
    can add any file) must not be able to change what the build produces.
    """
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "site-builder"


def site_cache_file(root: Path, pattern: str) -> Path:
    """The cache file `pattern` (with `{site}` standing for the site) of the site at `root`."""
    site = hashlib.blake2b(str(root.resolve()).encode(), digest_size=8).hexdigest()
    return user_cache_dir() / pattern.format(site=site)


@dataclass
class JsonEntries:
    """JSON values by key in one file of the user cache: read whole, written atomically.

    What is read is never trusted: the subclass decodes and checks each entry when it is used,
    and a missing, unreadable or malformed file is an empty cache (a slower build, no other
    harm)."""

    path: Path | None
    stored: dict[str, Any] = field(default_factory=dict)
    dirty: bool = False

    def read(self) -> None:
        """Load the file's entries (none when it is missing, unreadable or not a JSON object)."""
        try:
            loaded = read_json(self.path) if self.path else {}
        except (OSError, ValueError):
            loaded = {}
        self.stored = loaded if isinstance(loaded, dict) else {}

    def store(self, key: str, data: object) -> None:
        self.stored[key] = data
        self.dirty = True

    def forget(self, key: str) -> None:
        """Drop one entry (a subclass also drops what it decoded from it)."""
        self.stored.pop(key, None)

    def trim(self, current: AbstractSet[str], spare: int) -> None:
        """Forget every entry but those of `current` and the `spare` most recently added
        others, here and in what `save` will write."""
        others = [key for key in self.stored if key not in current]
        if len(others) <= spare:
            return
        for key in others[: len(others) - spare]:
            self.forget(key)
        self.dirty = True

    def save(self, current: AbstractSet[str], spare: int = 0) -> None:
        """Keep what `trim` keeps and write it atomically (when anything changed)."""
        self.trim(current, spare)
        if self.path is None or not self.dirty:
            return
        write_json(self.path, self.stored)  # unwritable: every build is cold, no worse
        self.dirty = False


@dataclass
class SegmentCache(JsonEntries):
    """Blocks and sentences by article text, in memory and in one JSON file per site."""

    version: str = ""
    entries: dict[str, Segmentation] = field(default_factory=dict)

    @classmethod
    def open(cls, root: Path | None, version: str) -> SegmentCache:
        """The cache for the site at `root` (None: memory only); an unreadable file is ignored."""
        if root is None:
            return cls(None, version=version)
        cache = cls(site_cache_file(root, f"segments-{{site}}-{version}.json"), version=version)
        cache.read()
        return cache

    def key(self, source: str, body_start: int, pipeline: str | None) -> str:
        return f"{text_digest(source)}:{body_start}:{pipeline or ''}"

    def get(self, key: str, source: str) -> Segmentation | None:
        """The segmentation of `source` if cached and consistent with it."""
        if key not in self.entries and key in self.stored:
            decoded = _decode(self.stored[key], source)
            if decoded is None:
                del self.stored[key]
                return None
            self.entries[key] = decoded
        return self.entries.get(key)

    def put(self, key: str, value: Segmentation) -> None:
        self.entries[key] = value
        self.store(key, _encode(value))

    def forget(self, key: str) -> None:
        super().forget(key)
        self.entries.pop(key, None)


def read_json(path: Path) -> Any:
    """The JSON value in the file at `path`; OSError or ValueError when it has none.

    orjson parses a kept state of megabytes a few times faster than the standard library,
    which takes what orjson refuses (a lone surrogate, escaped, from an undecodable byte).
    """
    data = path.read_bytes()
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data.decode("utf-8"))


def write_json(path: Path, data: object) -> None:
    """Write `data` as compact JSON to `path` atomically (a sibling file renamed over it).

    A cache that cannot be written is only a slower next build: an OSError is swallowed.
    """
    staging = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        encoded = orjson.dumps(data)
    except TypeError:  # what orjson refuses (a lone surrogate, an integer beyond 64 bits)
        encoded = json.dumps(data, separators=(",", ":")).encode()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        staging.write_bytes(encoded)
        os.replace(staging, path)
    except OSError:
        staging.unlink(missing_ok=True)


def _encode(value: Segmentation) -> list[list[list[int | str]]]:
    blocks, sentences = value
    return [
        [
            [b.index, b.kind, b.start, b.end, b.line, b.level, b.group, int(b.ordered)]
            for b in blocks
        ],
        [[s.number, s.block, s.start, s.end, s.line] for s in sentences],
    ]


def _decode(data: object, source: str) -> Segmentation | None:
    """Rebuild a cached segmentation; None when it is malformed or does not fit `source`."""
    raw_blocks: Any
    raw_sentences: Any
    try:
        raw_blocks, raw_sentences = data  # type: ignore[misc]
        blocks = tuple(
            Block(int(i), kind, int(a), int(b), int(line), int(level), int(group), bool(ordered))
            for i, kind, a, b, line, level, group, ordered in raw_blocks
        )
        sentences = tuple(
            Sentence(int(n), int(block), int(a), int(b), int(line), source[int(a) : int(b)])
            for n, block, a, b, line in raw_sentences
        )
    except (TypeError, ValueError):
        return None
    limit = len(source)
    if any(not 0 <= b.start <= b.end <= limit or b.kind not in _KINDS for b in blocks) or any(
        not 0 <= s.start < s.end <= limit for s in sentences
    ):
        return None
    return blocks, sentences


_KINDS = frozenset({"heading", "paragraph", "list_item", "blockquote"})


@dataclass(frozen=True)
class FilesCache:
    """One set of files (path -> bytes) and the key it was made for, in one zip file.

    For output that is slow to make and depends only on a key the caller computes (the search
    index: the digest of the pages and of Pagefind's binary). Only the last set is kept, so the
    cache stays the size of one site's output.
    """

    path: Path | None

    def get(self, key: str) -> dict[str, bytes] | None:
        """The files stored for `key`; None when there are none or the file is unreadable."""
        if self.path is None:
            return None
        try:
            with zipfile.ZipFile(self.path) as archive:
                if archive.comment != key.encode():
                    return None
                return {name: archive.read(name) for name in archive.namelist()}
        except (OSError, zipfile.BadZipFile, KeyError, ValueError, EOFError):
            return None  # a missing or damaged cache only costs making the files again

    def put(self, key: str, files: dict[str, bytes]) -> None:
        """Store `files` for `key` in place of what was there (atomically)."""
        if self.path is None:
            return
        staging = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Stored, not deflated: Pagefind's files are compressed already.
            with zipfile.ZipFile(staging, "w", zipfile.ZIP_STORED) as archive:
                archive.comment = key.encode()
                for name, content in files.items():
                    archive.writestr(name, content)
            os.replace(staging, self.path)
        except OSError:
            staging.unlink(missing_ok=True)  # an unwritable cache folder: no cache, same site
