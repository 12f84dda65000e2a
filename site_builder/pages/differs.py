"""A claim's quoted words and its articles -> the claim page's "what differs", kept between runs.

In: a `ClaimEntry` (its quotes' spans and the articles they point into). Out: its `WhatDiffers`
(compare/collate.py, made plain), from the cache when the words compared and the articles'
texts are the same as when it was made, else made anew and kept. One JSON file per site in the
user cache, for this exact code. Collating tokenises every quote with spaCy: a build that edits
only verdicts or analyses need not load spaCy at all.

The claim pages of a big build are rendered in forked workers: each worker keeps what it made
in `made`, and output/render.py sends it back to the build process with the pages (`take`,
`merge`), which saves it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..engine.cache import JsonEntries, site_cache_file
from ..engine.state import code_version_all
from ..workers import interrupts_held
from .entries import ClaimEntry
from .values import AlignedCell, AlignedRow, WhatDiffers

if TYPE_CHECKING:  # compare/ brings spaCy: imported when a comparison is made
    from ..compare.align import Segment


@dataclass
class DiffersCache(JsonEntries):
    """Each claim's `WhatDiffers` by the digest of what it was made from."""

    used: set[str] = field(default_factory=set)  # keys asked for since the last save
    made: dict[str, Any] = field(default_factory=dict)  # entries made since the last take
    _decoded: dict[str, WhatDiffers] = field(default_factory=dict)

    @classmethod
    def open(cls, root: Path | None) -> DiffersCache:
        """The cache for the site at `root` (None: memory only); an unreadable file is ignored."""
        if root is None:
            return cls(None)
        cache = cls(site_cache_file(root, f"differs-{{site}}-{code_version_all()}.json"))
        cache.read()
        return cache

    def of(self, entry: ClaimEntry) -> WhatDiffers:
        """The claim's `WhatDiffers`, kept or made now."""
        key = differs_key(entry)
        self.used.add(key)
        found = self._decoded.get(key)
        if found is None and key in self.stored:
            found = _decode(self.stored[key])
            if found is None:
                self.forget(key)
        if found is None:
            found = what_differs(entry)
            data = _encode(found)
            self.store(key, data)
            self.made[key] = data
        self._decoded[key] = found
        return found

    def forget(self, key: str) -> None:
        super().forget(key)
        self._decoded.pop(key, None)

    def take(self) -> dict[str, Any]:
        """The entries made since the last call (a worker's, to send back), forgotten here."""
        made, self.made = self.made, {}
        return made

    def merge(self, made: Mapping[str, Any]) -> None:
        """Keep the entries a worker made and used."""
        for key, data in made.items():
            self.store(key, data)
            self.used.add(key)

    def save_used(self, spare: int) -> None:
        """Write the entries used since the last save and the `spare` newest others: a build
        that renders one claim page asks for one entry, and must not drop the rest. What was
        made here is stored, so no worker needs to send it: `made` starts again too."""
        self.save(self.used, spare)
        self.used, self.made = set(), {}


def what_differs(entry: ClaimEntry) -> WhatDiffers:
    """The comparison of the claim's quoted words, made now (`DiffersCache.of` keeps it)."""
    with interrupts_held():  # spaCy comes with it: only when a comparison is made
        from ..compare.collate import compare_claim

    comparison = compare_claim(entry.resolved, {s.article.slug: s for s in entry.articles})
    return WhatDiffers(
        outlets=tuple(w.outlet for w in comparison.witnesses),
        differences=tuple(d.sentence for d in comparison.differences),
        shared=comparison.shared,
        rows=tuple(
            AlignedRow(
                _agreement(segment),
                tuple(
                    AlignedCell(text, segment.variant(w)) for w, text in enumerate(segment.readings)
                ),
            )
            for segment in comparison.segments
        ),
    )


def _agreement(segment: Segment) -> str:
    """A row of the alignment in words, so that no reader depends on its styling."""
    if segment.shared:
        return "all alike"
    if any(segment.variant(w) for w in range(len(segment.groups))):
        return "differs"
    return "only some"


def differs_key(entry: ClaimEntry) -> str:
    """The digest of what `compare_claim` reads: each quoted article's slug, outlet and
    Markdown body, and the spans quoted from it, in the order the claim first quotes them."""
    digest = hashlib.blake2b(digest_size=16)
    articles = {segmented.article.slug: segmented.article for segmented in entry.articles}
    spans: dict[str, list[tuple[int, int]]] = {}
    for quoted in entry.resolved.quotes:
        spans.setdefault(quoted.quote.article, []).extend(quoted.spans)
    for slug, pieces in spans.items():
        article = articles.get(slug)
        if article is None:
            continue
        digest.update(f"{slug}\0{article.outlet}\0{article.body_start}\0{pieces}\0".encode())
        digest.update(hashlib.blake2b(article.source.encode(), digest_size=16).digest())
    return digest.hexdigest()


def _encode(value: WhatDiffers) -> dict[str, Any]:
    return {
        "outlets": list(value.outlets),
        "differences": list(value.differences),
        "shared": list(value.shared),
        "rows": [
            [row.agreement, [[cell.text, cell.variant] for cell in row.cells]] for row in value.rows
        ],
    }


def _decode(data: Any) -> WhatDiffers | None:
    """The value `_encode` wrote, or None for anything else (the cache is never trusted)."""
    try:
        rows = tuple(
            AlignedRow(_text(agreement), tuple(AlignedCell(_text(t), _flag(v)) for t, v in cells))
            for agreement, cells in data["rows"]
        )
        return WhatDiffers(
            outlets=tuple(map(_text, data["outlets"])),
            differences=tuple(map(_text, data["differences"])),
            shared=tuple(map(_text, data["shared"])),
            rows=rows,
        )
    except (KeyError, TypeError, ValueError):
        return None


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(value)
    return value


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(value)
    return value
