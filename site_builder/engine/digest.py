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
        self._kinds: dict[type, tuple[bytes, str, tuple[str, ...]]] = {}

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
        kind = type(value)
        held = self._kinds.get(kind)
        if held is None:
            held = self._kinds[kind] = self._kind_of(kind)
        # The type takes part: a Markup string renders unescaped where an equal str is escaped.
        prefix, how, names = held
        hasher = hashlib.blake2b(prefix, digest_size=16)
        feed = self._feed
        if how is _TUPLE:
            hasher.update(_INT.pack(len(value)))
            for item in value:
                feed(hasher, item)
        elif how is _FIELDS:
            for name in names:
                feed(hasher, getattr(value, name))
        elif how is _SEGMENTED:
            # Blocks and sentences are numbers into the article's text: packed, not walked.
            hasher.update(self.digest(value.article))
            numbers = [n for b in value.blocks for n in (b.start, b.end, b.line, b.level)]
            numbers += [n for b in value.blocks for n in (b.group, int(b.ordered))]
            numbers += [n for s in value.sentences for n in (s.number, s.block, s.start, s.end)]
            numbers += [s.line for s in value.sentences]
            hasher.update(struct.pack(f"<{len(numbers)}q", *numbers))
            hasher.update("\0".join(b.kind for b in value.blocks).encode())
        elif how is _TEXT:
            hasher.update(
                value.encode("utf-8", "surrogatepass") if isinstance(value, str) else value
            )
        elif how is _MAPPING:
            items = sorted((self.digest(k), self.digest(v)) for k, v in value.items())
            hasher.update(_INT.pack(len(items)))
            for key, item in items:
                hasher.update(key + item)
        elif how is _SET:
            members = sorted(self.digest(item) for item in value)
            hasher.update(_INT.pack(len(members)) + b"".join(members))
        elif how is _NUMBER:
            hasher.update(repr(value).encode())
        elif how is _DATE:
            hasher.update(value.isoformat().encode())
        elif how is _ENUM:
            hasher.update(self.digest(value.value))
        else:  # _PATH
            hasher.update(value.as_posix().encode())
        return hasher.digest()

    @staticmethod
    def _kind_of(kind: type) -> tuple[bytes, str, tuple[str, ...]]:
        """How values of `kind` are digested: the type's name, which way, and for a dataclass
        the fields that take part in equality (once per type: it is asked for every value)."""
        prefix = f"{kind.__module__}.{kind.__qualname__}\0".encode()
        if issubclass(kind, SegmentedArticle):
            return prefix, _SEGMENTED, ()
        if dataclasses.is_dataclass(kind):
            return prefix, _FIELDS, tuple(f.name for f in dataclasses.fields(kind) if f.compare)
        for how, kinds in _KINDS:
            if issubclass(kind, kinds):
                return prefix, how, ()
        raise TypeError(f"no stable digest for a {kind.__qualname__}")

    def _feed(self, hasher: Any, value: object) -> None:
        """Add `value` to a compound's `hasher`. Strings, numbers and None go in as they are,
        tagged and with their length, so that their sequence reads one way only; they are most
        of a page key's parts, and a hash of each would cost more than the rest. Anything else
        goes in as its own (memoised) digest."""
        kind = type(value)
        if kind is str:
            data = value.encode("utf-8", "surrogatepass")  # type: ignore[attr-defined]
            hasher.update(b"s" + _INT.pack(len(data)) + data)
        elif kind is int:
            data = repr(value).encode()
            hasher.update(b"i" + _INT.pack(len(data)) + data)
        elif kind is bool:
            hasher.update(b"b1" if value else b"b0")
        elif value is None:
            hasher.update(b"n")
        else:
            hasher.update(b"c" + self.digest(value))


# The ways of digesting a compound value, and the types each is for (tried in this order).
_TUPLE, _FIELDS, _SEGMENTED, _TEXT, _MAPPING = "tuple", "fields", "segmented", "text", "mapping"
_SET, _NUMBER, _DATE, _ENUM, _PATH = "set", "number", "date", "enum", "path"
_KINDS: tuple[tuple[str, type | tuple[type, ...]], ...] = (
    (_TEXT, (str, bytes)),
    (_TUPLE, (tuple, list)),
    (_MAPPING, Mapping),
    (_SET, (frozenset, set)),
    (_NUMBER, (int, float)),
    (_DATE, (dt.date, dt.datetime)),
    (_ENUM, Enum),
    (_PATH, PurePath),
)


def _leaf(tag: bytes, data: bytes) -> bytes:
    return hashlib.blake2b(tag + data, digest_size=16).digest()


_NONE = _leaf(b"n", b"")
