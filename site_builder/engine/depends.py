"""Which derived value read which inputs, so that what an edit invalidates is a lookup.

In: as each value is computed (a page planned), its name and the inputs it read (a claim, an
article, the site's order of claims...). Out: for the inputs an edit changed, the names of the
values computed from them. Like Sphinx's `note_dependency` and a Salsa query table's inputs:
nothing here knows what a page or an input is; pages/plan.py names both.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

Name = TypeVar("Name", bound=Hashable)
Input = TypeVar("Input", bound=Hashable)


class Dependencies(Generic[Name, Input]):
    """Each value's inputs as last recorded, and the reverse: each input's readers."""

    def __init__(self) -> None:
        self._inputs: dict[Name, frozenset[Input]] = {}
        self._readers: dict[Input, set[Name]] = {}

    def record(self, name: Name, inputs: Iterable[Input]) -> None:
        """`name` was computed (again) from exactly `inputs`; what it read before is forgotten."""
        read = frozenset(inputs)
        before = self._inputs.get(name)
        if before == read:
            return
        if before is not None:
            self._unlink(name, before - read)
            read_anew: Iterable[Input] = read - before
        else:
            read_anew = read
        for item in read_anew:
            self._readers.setdefault(item, set()).add(name)
        self._inputs[name] = read

    def clear(self) -> None:
        """Forget every record (everything is computed again)."""
        self._inputs.clear()
        self._readers.clear()

    def forget(self, name: Name) -> None:
        """`name` is no longer computed (its page is gone)."""
        before = self._inputs.pop(name, None)
        if before is not None:
            self._unlink(name, before)

    def readers(self, changed: Iterable[Input]) -> set[Name]:
        """The values computed from any of the `changed` inputs."""
        found: set[Name] = set()
        for item in changed:
            readers = self._readers.get(item)
            if readers is not None:
                found |= readers
        return found

    def inputs(self, name: Name) -> frozenset[Input]:
        """What `name` was last computed from (empty if it never was)."""
        return self._inputs.get(name, frozenset())

    def __contains__(self, name: object) -> bool:
        return name in self._inputs

    def __len__(self) -> int:
        return len(self._inputs)

    def _unlink(self, name: Name, inputs: Iterable[Input]) -> None:
        for item in inputs:
            readers = self._readers.get(item)
            if readers is not None:
                readers.discard(name)
                if not readers:
                    del self._readers[item]
