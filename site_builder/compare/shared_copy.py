"""Shared copy: which articles print the same passages, word for word.

In: `SegmentedArticle`s. Out: `SharedCopy`, the pairs of articles that share at least one
passage (with the passages, as sentence pairs), and the groups they form.

Two outlets that print the same agency report are one source, not two. What gives them away is
wording, not facts: independent reports of one event share names, numbers and short phrases
("U.S. President Donald Trump", "an unconditional ceasefire"), copies share runs of ordinary
words in the same order ("pressure from U.S. President Donald Trump, who"). So a passage is a
run of at least `SHINGLE_WORDS` consecutive words (case and punctuation ignored) inside one
sentence of each article, and a pair shares copy when its passages add up to `MIN_WORDS`. This
is the shingling of text-reuse detection (Broder's w-shingles; 7 words is where the five real
articles separate: the outlets that share copy have runs of 7 and more, the others at most 6).
A run found in more than `COMMON_LIMIT` articles is a stock phrase, not copy, and what two
articles of one outlet share is not looked for: an outlet is one source anyway.

The matching is exact and linear: each article's words become integer ids, each window of
`SHINGLE_WORDS` ids one 64-bit hash (numpy), and one sort of all hashes finds the windows that
two articles share, whatever the number of articles. Every hash match is checked word for word,
so a collision never makes a passage.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..diagnostics import Diagnostic
from ..engine.cache import same
from ..model import (
    NO_SHARED_COPY,
    Article,
    Passage,
    ResolvedClaim,
    SegmentedArticle,
    SharedCopy,
    SharedPair,
)

SHINGLE_WORDS = 7
_WORD = re.compile(r"\w+")
# A run found in more articles than this is a stock phrase, not copy. A fixed number, not a
# share of the site, so that adding articles never changes what two others share; an agency
# report printed by a handful of outlets stays well under it.
COMMON_LIMIT = 10
# Words two articles must share, over all their passages, to count as sharing copy: more than
# one window's worth, so that one stock phrase with a name in it ("Mr. Smith did not respond
# to a request") is not enough.
MIN_WORDS = SHINGLE_WORDS + 1
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # odd: the window hash mixes every word's id


@dataclass(frozen=True)
class _Words:
    """An article's words as ids, each word's sentence number, and its windows' hashes."""

    article: SegmentedArticle
    ids: NDArray[np.uint64]
    sentences: NDArray[np.int32]
    windows: NDArray[np.uint64]  # the hash of each window that lies inside one sentence
    starts: NDArray[np.int32]  # where each of those windows starts (a word index)

    @property
    def slug(self) -> str:
        return self.article.article.slug

    def span(self, start: int, words: int) -> tuple[int, int]:
        """The [start, end) offsets in the article's source of `words` words from word `start`
        (found again in their sentence: only passages need them, and a run lies in one)."""
        number = int(self.sentences[start])
        sentence = self.article.sentence(number)
        assert sentence is not None  # the number came from the article's own sentences
        first = int(np.searchsorted(self.sentences, number, side="left"))
        found = list(_WORD.finditer(sentence.text))
        begin, end = found[start - first], found[start - first + words - 1]
        return sentence.start + begin.start(), sentence.start + end.end()


class SharedCopyFinder:
    """`find_shared_copy`, build after build, for the same answer at the cost of the edit.

    Each article's words and windows are kept while the article is the same, and so are the
    sorted windows of the whole site and the pairs. When a few articles changed, their windows
    are taken out of the index and put in again, and only the pairs of those articles are
    found again, with those of any article that shares a window whose count of articles
    crossed `COMMON_LIMIT` (so it became, or stopped being, a stock phrase). Many changes at
    once: everything is found again, as `find_shared_copy` does.
    """

    def __init__(self) -> None:
        self._words: dict[str, _Words] = {}
        self._articles: tuple[SegmentedArticle, ...] | None = None
        self._found = NO_SHARED_COPY
        self._index: _Index | None = None
        self._pairs: dict[tuple[str, str], SharedPair] = {}
        self._of: dict[str, set[tuple[str, str]]] = {}  # slug -> the keys of its pairs

    def find(self, articles: tuple[SegmentedArticle, ...]) -> SharedCopy:
        if self._articles is not None and self._articles == articles:
            return self._found
        kept = self._words
        words: dict[str, _Words] = {}
        for segmented in articles:
            held = kept.get(segmented.article.slug)
            if held is None or not same(held.article, segmented):
                held = _words(segmented)
            words[segmented.article.slug] = held
        changed = {slug for slug, text in words.items() if kept.get(slug) is not text}
        gone = kept.keys() - words.keys()
        few = max(INCREMENTAL_ARTICLES, len(articles) // 100)
        if self._index is None or len(changed) + len(gone) > few:
            self._index, pairs = _search(list(words.values()))
            self._pairs, self._of = pairs, _keys_by_slug(pairs)
            self._found = _shared(pairs)
        else:
            self._update(words, changed, gone)
        self._words, self._articles = words, articles
        return self._found

    def _update(self, words: dict[str, _Words], changed: set[str], gone: set[str]) -> None:
        """Bring the index and the pairs up to date with a few `changed` and `gone` articles;
        the answer stays the same object when their pairs are what they were (most edits)."""
        assert self._index is not None
        before = self._index
        after = before.replaced(changed | gone, [words[slug] for slug in sorted(changed)])
        moved = {*changed, *gone}
        # Windows whose count of articles crossed the limit change the pairs of every article
        # that holds them, changed or not.
        touched = np.union1d(before.windows_of(moved), after.windows_of(changed))
        again = set(changed)
        for window in touched.tolist():
            if before.countable(window, COMMON_LIMIT) != after.countable(window, COMMON_LIMIT):
                again.update(after.holders(window) | before.holders(window))
        again -= gone
        stale = {key for slug in moved | again for key in self._of.get(slug, ())}
        fresh = _pairs(after, after.matches_of(again, COMMON_LIMIT))
        self._index = after
        if fresh == {key: self._pairs[key] for key in stale}:
            return  # the same pairs: the same answer
        pairs = {key: pair for key, pair in self._pairs.items() if key not in stale}
        pairs.update(fresh)
        self._pairs, self._of = pairs, _keys_by_slug(pairs)
        self._found = _shared(pairs)


def _keys_by_slug(pairs: dict[tuple[str, str], SharedPair]) -> dict[str, set[tuple[str, str]]]:
    found: dict[str, set[tuple[str, str]]] = {}
    for key in pairs:
        for slug in key:
            found.setdefault(slug, set()).add(key)
    return found


def _shared(pairs: dict[tuple[str, str], SharedPair]) -> SharedCopy:
    return SharedCopy(tuple(pairs[key] for key in sorted(pairs)), _groups(list(pairs.values())))


INCREMENTAL_ARTICLES = 20  # or 1% of the articles, whichever is more, changed at once


@dataclass(frozen=True)
class _Index:
    """Every window of the site, sorted by hash: its article (an id into `texts`) and where."""

    texts: tuple[_Words, ...]  # by id (a gone article keeps its place; it has no windows here)
    ids: dict[str, int]
    every: NDArray[np.uint64]
    owner: NDArray[np.int64]
    position: NDArray[np.int64]

    @classmethod
    def of(cls, texts: list[_Words]) -> _Index:
        ids = {text.slug: i for i, text in enumerate(texts)}
        every, owner, position = _rows(texts, range(len(texts)))
        return cls(tuple(texts), ids, every, owner, position)

    def replaced(self, slugs: set[str], texts: list[_Words]) -> _Index:
        """This index without the windows of `slugs`, with those of `texts` (new or changed)."""
        ids = dict(self.ids)
        table = list(self.texts)
        for text in texts:
            if text.slug in ids:
                table[ids[text.slug]] = text
            else:
                ids[text.slug] = len(table)
                table.append(text)
        out = [ids[slug] for slug in slugs if slug in self.ids]
        keep = ~np.isin(self.owner, out)
        every, owner, position = self.every[keep], self.owner[keep], self.position[keep]
        new_every, new_owner, new_position = _rows(texts, [ids[text.slug] for text in texts])
        at = np.searchsorted(every, new_every, side="right")
        for slug in slugs - {text.slug for text in texts}:
            del ids[slug]  # gone: its id is never used again in this index
        return _Index(
            tuple(table),
            ids,
            np.insert(every, at, new_every),
            np.insert(owner, at, new_owner),
            np.insert(position, at, new_position),
        )

    def windows_of(self, slugs: set[str]) -> NDArray[np.uint64]:
        out = [self.ids[slug] for slug in slugs if slug in self.ids]
        return np.unique(self.every[np.isin(self.owner, out)])

    def _range(self, window: int) -> tuple[int, int]:
        value = np.uint64(window)
        left = int(np.searchsorted(self.every, value, side="left"))
        return left, int(np.searchsorted(self.every, value, side="right"))

    def holders(self, window: int) -> set[str]:
        start, end = self._range(window)
        return {self.texts[i].slug for i in np.unique(self.owner[start:end]).tolist()}

    def countable(self, window: int, limit: int) -> bool:
        start, end = self._range(window)
        return 2 <= len(np.unique(self.owner[start:end])) <= limit

    def matches_of(self, slugs: set[str], limit: int) -> NDArray[np.int64]:
        """The rows of `_matches` for the pairs that have an article of `slugs` in them."""
        wanted = {self.ids[slug] for slug in slugs if slug in self.ids}
        found: set[tuple[int, int, int, int]] = set()
        for window in np.unique(self.every[np.isin(self.owner, list(wanted))]).tolist():
            start, end = self._range(window)
            if not 2 <= len(np.unique(self.owner[start:end])) <= limit:
                continue  # a stock phrase (or in one article only): no members listed
            members = list(
                zip(self.owner[start:end].tolist(), self.position[start:end].tolist(), strict=True)
            )
            found.update(
                (i, at_i, j, at_j)
                for (i, at_i), (j, at_j) in _cross(members)
                if i in wanted or j in wanted
            )
        rows = np.asarray(sorted(found), dtype=np.int64).reshape(-1, 4)
        return _checked(self, rows)


def _rows(
    texts: Sequence[_Words], ids: Iterable[int]
) -> tuple[NDArray[np.uint64], NDArray[np.int64], NDArray[np.int64]]:
    """The windows of `texts` (with their ids) sorted by hash, the same hashes in id order."""
    ids = list(ids)
    if not texts:
        empty = np.zeros(0, dtype=np.int64)
        return np.zeros(0, dtype=np.uint64), empty, empty
    every = np.concatenate([text.windows for text in texts])
    owner = np.concatenate(
        [np.full(len(text.windows), i, dtype=np.int64) for i, text in zip(ids, texts, strict=True)]
    )
    position = np.concatenate([text.starts for text in texts]).astype(np.int64)
    order = np.lexsort((owner, every))
    return every[order], owner[order], position[order]


def find_shared_copy(articles: Sequence[SegmentedArticle]) -> SharedCopy:
    """The pairs and groups of `articles` that share passages of `SHINGLE_WORDS` words or more."""
    return _shared(_search([_words(segmented) for segmented in articles])[1])


def _search(texts: list[_Words]) -> tuple[_Index, dict[tuple[str, str], SharedPair]]:
    """The index of `texts`, and every pair that shares copy among them."""
    index = _Index.of(texts)
    return index, _pairs(index, _matches(index, COMMON_LIMIT))


def _pairs(index: _Index, matches: NDArray[np.int64]) -> dict[tuple[str, str], SharedPair]:
    """The pairs that `matches` (rows of `_matches`) make, by their slugs in order."""
    pairs = {}
    for (a, b), found in _runs(matches).items():
        one, other = index.texts[a], index.texts[b]
        first, second = (one, other) if one.slug < other.slug else (other, one)
        passages = [
            _passage(first, second, (x, y) if first is one else (y, x), words)
            for x, y, words in found
        ]
        passages.sort(key=_order)
        pairs[(first.slug, second.slug)] = SharedPair(first.slug, second.slug, tuple(passages))
    return pairs


def _order(passage: Passage) -> tuple[int, int]:
    return passage.first_span


def _words(segmented: SegmentedArticle) -> _Words:
    words: list[str] = []
    counts: list[int] = []
    for sentence in segmented.sentences:
        found = _WORD.findall(sentence.text)
        words.extend(found)
        counts.append(len(found))
    # A word's id is its hash, the same for the same word in every article of a run (map, not
    # a loop: millions of words on an archive).
    hashes = map(hash, map(str.casefold, words))
    ids = np.fromiter(hashes, dtype=np.int64, count=len(words)).view(np.uint64)
    numbers = np.repeat(np.asarray([s.number for s in segmented.sentences], dtype=np.int32), counts)
    inside = _within_sentences(numbers)  # a run across a full stop is two sentences' edges
    return _Words(segmented, ids, numbers, _window_hashes(ids)[inside], inside)


def _window_hashes(ids: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """One hash per window of SHINGLE_WORDS ids (wrapping 64-bit arithmetic)."""
    count = len(ids) - SHINGLE_WORDS + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64)
    hashes = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(SHINGLE_WORDS):
            hashes = hashes * _MULTIPLIER + ids[offset : offset + count]
    return hashes


def _within_sentences(sentences: NDArray[np.int32]) -> NDArray[np.int32]:
    """The start of every window of SHINGLE_WORDS words that lies inside one sentence, given
    each word's sentence number."""
    count = len(sentences) - SHINGLE_WORDS + 1
    if count <= 0:
        return np.zeros(0, dtype=np.int32)
    return np.flatnonzero(sentences[:count] == sentences[SHINGLE_WORDS - 1 :]).astype(np.int32)


def _matches(index: _Index, limit: int) -> NDArray[np.int64]:
    """Every window two articles share, as rows (article, word, other article, its word),
    article ids ascending; windows found in more than `limit` articles are left out."""
    every, owner, position = index.every, index.owner, index.position
    if not len(every):
        return np.zeros((0, 4), dtype=np.int64)
    starts = np.flatnonzero(np.concatenate(([True], every[1:] != every[:-1])))
    sizes = np.diff(np.append(starts, len(every)))
    # How many articles hold each window: 1 + the owner changes inside its run of equals
    # (owners ascend within a run: the index is sorted by hash, then owner).
    changes = np.concatenate(([0], np.cumsum(owner[1:] != owner[:-1])))
    holders = changes[starts + sizes - 1] - changes[starts] + 1
    # The usual case, a window in exactly two places of two articles, without a Python loop.
    two = starts[(sizes == 2) & (holders == 2)]
    rows = [np.stack([owner[two], position[two], owner[two + 1], position[two + 1]], axis=1)]
    several = (sizes > 2) & (holders >= 2) & (holders <= limit)
    extra: list[tuple[int, int, int, int]] = []
    for start, size in zip(starts[several].tolist(), sizes[several].tolist(), strict=True):
        members = list(
            zip(
                owner[start : start + size].tolist(),
                position[start : start + size].tolist(),
                strict=True,
            )
        )
        extra.extend((i, at_i, j, at_j) for (i, at_i), (j, at_j) in _cross(members))
    if extra:
        rows.append(np.asarray(extra, dtype=np.int64))
    return _checked(index, np.concatenate(rows).astype(np.int64))


def _checked(index: _Index, found: NDArray[np.int64]) -> NDArray[np.int64]:
    """`found` without the windows whose words differ (hashes can collide), and without those
    two articles of one outlet share: an outlet is one source whatever it repeats (its own
    boilerplate, "told the Courier")."""
    if not len(found):
        return found
    outlets: dict[str, int] = {}
    outlet = np.asarray(
        [outlets.setdefault(t.article.article.outlet_slug, len(outlets)) for t in index.texts]
    )
    found = found[outlet[found[:, 0]] != outlet[found[:, 2]]]
    if not len(found):
        return found
    ids = np.concatenate([text.ids for text in index.texts])
    offsets = np.cumsum([0, *(len(text.ids) for text in index.texts)])[:-1]
    left, right = offsets[found[:, 0]] + found[:, 1], offsets[found[:, 2]] + found[:, 3]
    same = np.ones(len(found), dtype=bool)
    for k in range(SHINGLE_WORDS):
        same &= ids[left + k] == ids[right + k]
    return found[same]


def _cross(members: list[tuple[int, int]]) -> Iterable[tuple[tuple[int, int], tuple[int, int]]]:
    """Every two members from different articles, the lower article index first."""
    for i, one in enumerate(members):
        for two in members[i + 1 :]:
            if one[0] != two[0]:
                yield (one, two) if one[0] < two[0] else (two, one)


def _runs(matches: NDArray[np.int64]) -> dict[tuple[int, int], list[tuple[int, int, int]]]:
    """Shared windows joined into runs of words, by pair of articles: (word in the first, word
    in the second, words), for the pairs that share at least `MIN_WORDS` words.

    Windows of a pair on one diagonal (the same offset between the two articles) that overlap
    are one run; windows lie inside a sentence, so a run is inside one sentence of each.
    """
    if not len(matches):
        return {}
    a, pa, b, pb = matches.T
    diagonal = pa - pb
    order = np.lexsort((pa, diagonal, b, a))
    a, pa, b, pb, diagonal = a[order], pa[order], b[order], pb[order], diagonal[order]
    same_line = (a[1:] == a[:-1]) & (b[1:] == b[:-1]) & (diagonal[1:] == diagonal[:-1])
    new = np.concatenate(([True], ~(same_line & (pa[1:] - pa[:-1] < SHINGLE_WORDS))))
    first = np.flatnonzero(new)
    last = np.append(first[1:], len(pa)) - 1
    words = pa[last] - pa[first] + SHINGLE_WORDS
    # Words shared by each pair, over all its runs.
    pair_start = np.concatenate(
        ([True], (a[first][1:] != a[first][:-1]) | (b[first][1:] != b[first][:-1]))
    )
    pair_id = np.cumsum(pair_start) - 1
    total = np.bincount(pair_id, weights=words)
    keep = total[pair_id] >= MIN_WORDS
    runs: dict[tuple[int, int], list[tuple[int, int, int]]] = {}
    for x, at_x, y, at_y, count in zip(
        a[first][keep].tolist(),
        pa[first][keep].tolist(),
        b[first][keep].tolist(),
        pb[first][keep].tolist(),
        words[keep].tolist(),
        strict=True,
    ):
        runs.setdefault((x, y), []).append((at_x, at_y, count))
    return runs


def _passage(a: _Words, b: _Words, at: tuple[int, int], words: int) -> Passage:
    """The run of `words` words from word `at[0]` of `a` and `at[1]` of `b`."""
    span_a, span_b = a.span(at[0], words), b.span(at[1], words)
    text = a.article.article.source[span_a[0] : span_a[1]]
    sentences = (int(a.sentences[at[0]]), int(b.sentences[at[1]]))
    return Passage(*sentences, span_a, span_b, words, text)


def _groups(pairs: Sequence[SharedPair]) -> tuple[tuple[str, ...], ...]:
    """The connected groups of articles that `pairs` join (union-find)."""
    parent: dict[str, str] = {}

    def root(slug: str) -> str:
        parent.setdefault(slug, slug)
        while parent[slug] != slug:
            parent[slug] = parent[parent[slug]]
            slug = parent[slug]
        return slug

    for pair in pairs:
        parent[root(pair.first)] = root(pair.second)
    members: dict[str, list[str]] = {}
    for slug in parent:
        members.setdefault(root(slug), []).append(slug)
    return tuple(sorted(tuple(sorted(group)) for group in members.values()))


def sources(articles: Sequence[Article], shared: SharedCopy) -> list[list[Article]]:
    """`articles` (distinct, in order) as independent sources: the articles of one outlet, and
    articles that share copy with each other, are one source, and so is any chain of such links
    among `articles`. Sources and their articles keep that order."""
    parent = list(range(len(articles)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, article in enumerate(articles):
        # Linked only through these articles: a chain of pairs through articles the claim
        # does not quote would join sources that share nothing.
        partners = {pair.other(article.slug) for pair in shared.pairs_of(article.slug)}
        for j in range(i):
            if articles[j].outlet_slug == article.outlet_slug or articles[j].slug in partners:
                parent[root(i)] = root(j)
    found: dict[int, list[Article]] = {}
    for i, article in enumerate(articles):
        found.setdefault(root(i), []).append(article)
    return list(found.values())


def support_warnings(
    claims: Sequence[ResolvedClaim],
    by_slug: Mapping[str, Article],
    shared: SharedCopy,
    checked: Collection[str] = (),
) -> list[Diagnostic]:
    """A warning for each claim whose supporting quotes come from two or more outlets that are
    one source (their articles share copy), located at the first quote that adds no source.

    Claims whose verdict is in `checked` are left out: the rule of their verdict counts
    independent sources itself (compare/verdict_rules.py), and says so when they fall short.
    """
    if not shared.pairs:
        return []
    found = []
    for resolved in claims:
        if resolved.claim.verdict in checked:
            continue
        supporting = [q.quote for q in resolved.quotes if q.quote.stance == "supports"]
        quoted = [by_slug[q.article] for q in supporting if q.article in by_slug]
        outlets = dict.fromkeys(article.outlet for article in quoted)
        if len(outlets) < 2 or len(sources(list(dict.fromkeys(quoted)), shared)) > 1:
            continue
        first = quoted[0]
        second = next(q for q in supporting if by_slug[q.article].outlet != first.outlet)
        names = " and ".join(outlets) if len(outlets) == 2 else ", ".join(outlets)
        passages = sum(len(p.passages) for p in shared.pairs_among({a.slug for a in quoted}))
        found.append(
            Diagnostic(
                "warning",
                second.location,
                f"claim {resolved.claim.id!r}: its support rests on one source: {names} share "
                f"copy ({passages} passage{'' if passages == 1 else 's'} word for word)",
                "outlets that print the same report are not independent confirmations: find an "
                "independent source, or say so in the summary and weigh the verdict",
            )
        )
    return found


__all__ = ["SHINGLE_WORDS", "SharedCopyFinder", "find_shared_copy", "sources", "support_warnings"]
