"""Frozen values -> digests that are the same in every process.

In: the values a page's key is made of (frozen dataclasses, tuples, mappings, strings, numbers,
dates). Out: a hex digest that two values share exactly when they are equal as the build compares
them (`==`): a dataclass field with `compare=False`, such as the entry text a claim was read
from, takes no part, as it takes no part in equality. Python's own `hash` changes from process to
process; this does not, so a digest can be kept on disk and compared by the next build.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import struct
from collections.abc import Mapping
from enum import Enum
from pathlib import PurePath
from typing import Any

from ..model import SegmentedArticle

_INT = struct.Struct("<q")


class Digester:
    """Digests values, each object once: values shared by many pages (the site-wide values, an
    article quoted by many claims) are digested the first time they are met.

    It holds every object it digested (so that their ids stay theirs): use one per build.
    """

    def __init__(self) -> None:
        self._seen: dict[int, tuple[object, bytes]] = {}
        self._fields: dict[type, tuple[str, ...]] = {}

    def hexdigest(self, value: object) -> str:
        return self.digest(value).hex()

    def digest(self, value: object) -> bytes:
        """16 bytes that stand for `value` (see the module docstring); TypeError for a value
        of a kind it does not know, rather than a digest that could miss a difference."""
        kind = type(value)
        if kind is str:
            return _leaf(b"s", value.encode("utf-8", "surrogatepass"))  # type: ignore[attr-defined]
        if kind is int or kind is bool:
            return _leaf(b"i" if kind is int else b"b", repr(value).encode())
        if value is None:
            return _NONE
        held = self._seen.get(id(value))
        if held is not None and held[0] is value:
            return held[1]
        found = self._compound(value)
        self._seen[id(value)] = (value, found)
        return found

    def _compound(self, value: Any) -> bytes:
        hasher = hashlib.blake2b(digest_size=16)
        kind = type(value)
        # The type takes part: a Markup string renders unescaped where an equal str is escaped.
        hasher.update(f"{kind.__module__}.{kind.__qualname__}\0".encode())
        if isinstance(value, SegmentedArticle):
            # Blocks and sentences are numbers into the article's text: packed, not walked.
            hasher.update(self.digest(value.article))
            numbers = [n for b in value.blocks for n in (b.start, b.end, b.line, b.level)]
            numbers += [n for b in value.blocks for n in (b.group, int(b.ordered))]
            numbers += [n for s in value.sentences for n in (s.number, s.block, s.start, s.end)]
            numbers += [s.line for s in value.sentences]
            hasher.update(struct.pack(f"<{len(numbers)}q", *numbers))
            hasher.update("\0".join(b.kind for b in value.blocks).encode())
        elif dataclasses.is_dataclass(value):
            for name in self._compared_fields(kind):
                hasher.update(self.digest(getattr(value, name)))
        elif isinstance(value, str | bytes):
            hasher.update(
                value.encode("utf-8", "surrogatepass") if isinstance(value, str) else value
            )
        elif isinstance(value, tuple | list):
            hasher.update(_INT.pack(len(value)))
            for item in value:
                hasher.update(self.digest(item))
        elif isinstance(value, Mapping):
            items = sorted((self.digest(k), self.digest(v)) for k, v in value.items())
            hasher.update(_INT.pack(len(items)))
            for key, item in items:
                hasher.update(key + item)
        elif isinstance(value, frozenset | set):
            members = sorted(self.digest(item) for item in value)
            hasher.update(_INT.pack(len(members)) + b"".join(members))
        elif isinstance(value, int | float):
            hasher.update(repr(value).encode())
        elif isinstance(value, dt.date | dt.datetime):
            hasher.update(value.isoformat().encode())
        elif isinstance(value, Enum):
            hasher.update(self.digest(value.value))
        elif isinstance(value, PurePath):
            hasher.update(value.as_posix().encode())
        else:
            raise TypeError(f"no stable digest for a {kind.__qualname__}")
        return hasher.digest()

    def _compared_fields(self, kind: type) -> tuple[str, ...]:
        names = self._fields.get(kind)
        if names is None:
            names = tuple(f.name for f in dataclasses.fields(kind) if f.compare)
            self._fields[kind] = names
        return names


def _leaf(tag: bytes, data: bytes) -> bytes:
    return hashlib.blake2b(tag + data, digest_size=16).digest()


_NONE = _leaf(b"n", b"")
