"""claims.yaml -> Claim values, re-reading only the entries that changed since the last call.

In: the site root (claims.yaml), the SiteConfig and the article slugs. Out: the valid claims in
file order; every problem becomes a located diagnostic, exactly as if the whole file were read
anew. A claim that cannot be used is left out so the rest can still be checked in the same run.

`ClaimsLoader` remembers, for each top-level entry's text, what reading it gave: its YAML, its
schema check and the checks that need nothing but the entry. When the file has the usual block
shape (`claims:` at column 0, each entry starting with `- ` at one indentation), a call splits
the text into entries, reuses what it remembers (moving the line numbers of entries that moved)
and reads only new entries. The checks that look across entries or at the articles and ratings
(duplicate ids, unknown articles, unknown verdicts) run on every call. A file of any other shape
(flow style, anchors, other top-level keys, tabs in the indentation, a YAML error) is read whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from ..diagnostics import Diagnostics, Location
from ..model import Claim, SiteConfig
from .claims_entry import MAX_CLAIM_LENGTH as MAX_CLAIM_LENGTH
from .claims_entry import EntryChecker, Known, load_whole, read_entry
from .claims_split import Split, split_again, split_text
from .source import CLAIMS_FILE, read_source
from .yamlsource import value_limit

CLAIMS_MAX_BYTES = 50 * 1024 * 1024


class ClaimsLoader:
    """Loads claims.yaml again and again, re-reading only the entries whose text changed.

    Each call's result equals a fresh `load_claims` of the same file with the same config and
    article slugs. Only entries of the file last read are remembered. With `by_entry=False` the
    file is always read whole (the reference that the entry-by-entry reading must equal).
    """

    def __init__(self, by_entry: bool = True) -> None:
        self._by_entry = by_entry
        self._known: dict[str, Known] = {}
        self._split: Split | None = None  # how the text last read was cut into entries
        # The article slugs of the last call, sorted and as a set (thousands, often the same).
        self._slugs: tuple[tuple[str, ...], tuple[str, ...], frozenset[str]] | None = None

    def load(
        self,
        root: Path,
        config: SiteConfig | None,
        article_slugs: Iterable[str],
        diagnostics: Diagnostics,
    ) -> tuple[Claim, ...]:
        """claims.yaml -> the claims that are valid, in file order; problems become diagnostics."""
        path = root / CLAIMS_FILE
        if not path.is_file():
            self._known = {}
            diagnostics.error(
                Location(CLAIMS_FILE), "claims.yaml not found", "Create it with a 'claims:' list."
            )
            return ()
        text = read_source(path, root, diagnostics, max_bytes=CLAIMS_MAX_BYTES)
        if text is None:
            self._known = {}
            return ()
        return self.load_text(text, config, article_slugs, diagnostics)

    def load_text(
        self,
        text: str,
        config: SiteConfig | None,
        article_slugs: Iterable[str],
        diagnostics: Diagnostics,
    ) -> tuple[Claim, ...]:
        """The claims of `text`, the normalised content of claims.yaml."""
        given = tuple(article_slugs)
        if self._slugs is None or self._slugs[0] != given:
            slugs = tuple(sorted(set(given)))
            self._slugs = (given, slugs, frozenset(slugs))
        checker = EntryChecker(config, self._slugs[1], self._slugs[2], diagnostics)
        split = None
        if self._by_entry:
            # After an edit, split only what changed: the other entries' texts are the same
            # string objects as before, which also makes looking them up cheap.
            self._split = split_again(self._split, text) if self._split else split_text(text)
            split = (self._split.first_line, self._split.texts) if self._split else None
        known = self._entries(*split) if split is not None else None
        if known is None:
            if split is None:
                self._known = {}
            return load_whole(text, checker)
        emit = diagnostics.items.extend
        for entry in known:
            if entry.check.found:
                emit(note.at(entry.start) for note in entry.check.found)
        if any(entry.check.schema for entry in known):
            # In the order jsonschema's errors for the whole file have: sorted by path, which
            # compares as text (claim 10 before claim 2).
            for index in sorted(range(len(known)), key=str):
                entry = known[index]
                emit(note.at(entry.start) for note in entry.check.schema)
        accepted = (checker.accept(entry.check.claim, entry.start, entry.claim) for entry in known)
        return tuple(claim for claim in accepted if claim is not None)

    def _entries(self, first_line: int, texts: Sequence[str]) -> list[Known] | None:
        """What each entry gave, or None when the file must be read whole."""
        known: dict[str, Known] = {}
        result: list[Known] = []
        whole = False
        start = first_line
        for index, text in enumerate(texts):
            entry = known.get(text) or self._known.get(text)
            if (
                entry is None
                or entry.check.only_at_index not in (None, index)
                or entry.check.only_at_line not in (None, start)
            ):
                check, claim = read_entry(text, start, index)
                if check is None:
                    whole = True  # keep going: the other entries are still worth remembering
                    start += text.count("\n")
                    continue
                entry = Known(check, start, claim)
            elif entry.start != start:
                entry = entry.moved_to(start)
            known.setdefault(text, entry)
            result.append(entry)
            start += entry.check.lines
        self._known = known
        # The whole file's limit is no lower (the entries are part of its text): whatever the
        # entries pass, the whole file would.
        limit = value_limit(sum(len(text) for text in texts))
        if whole or 2 + sum(entry.check.size for entry in result) > limit:
            return None
        return result


def load_claims(
    root: Path,
    config: SiteConfig | None,
    article_slugs: Iterable[str],
    diagnostics: Diagnostics,
) -> tuple[Claim, ...]:
    """claims.yaml -> the claims that are valid, in file order; problems become diagnostics."""
    return ClaimsLoader().load(root, config, article_slugs, diagnostics)
