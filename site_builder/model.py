"""The immutable values that pass between the stages of a build.

load/ produces `SiteConfig`, `Article`, `Claim` and `Page`; text/ turns an `Article` into a
`SegmentedArticle`; quotes/ turns each `Quote` into a `ResolvedQuote`; pages/ and output/ read a
`Site` and produce `OutputFile`s, which output/write.py puts on disk. Nothing here is mutated
after it is built.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Literal

from .diagnostics import Location

BlockKind = Literal["heading", "paragraph", "list_item", "blockquote"]
Stance = Literal["supports", "contradicts", "mixed", "context"]
STANCES: tuple[Stance, ...] = ("supports", "contradicts", "mixed", "context")


# The counts a verdict rule bounds, and what each counts: independent sources (outlets, with
# outlets that share copy counted once) with a quote of these stances.
RULE_COUNTS: dict[str, tuple[Stance, ...]] = {
    "supporting": ("supports",),
    "reporting": ("supports", "mixed"),
    "contradicting": ("contradicts",),
}


@dataclass(frozen=True)
class VerdictRule:
    """What a verdict asks of a claim's quotes: bounds on independent sources by stance.

    `bounds` maps "min_supporting", "max_contradicting"... (see RULE_COUNTS) to a number.
    """

    bounds: tuple[tuple[str, int], ...]

    def describe(self) -> str:
        """The rule in words: "at least 2 independent sources support it; no independent source
        contradicts it"; a count bounded to one number both ways is "exactly N"."""
        bounds = dict(self.bounds)
        words = []
        for name, value in self.bounds:
            side, count = name.split("_", 1)
            if side == "max" and bounds.get(f"min_{count}") == value:
                continue  # said with the minimum, as "exactly"
            if side == "min" and bounds.get(f"max_{count}") == value:
                one, many = _RULE_VERBS[count]
                noun = "source" if value == 1 else "sources"
                words.append(f"exactly {value} independent {noun} {one if value == 1 else many} it")
            else:
                words.append(_bound_words(name, value))
        return "; ".join(words)


_RULE_VERBS = {
    "supporting": ("supports", "support"),
    "reporting": ("reports", "report"),
    "contradicting": ("contradicts", "contradict"),
}


def _bound_words(name: str, value: int) -> str:
    side, count = name.split("_", 1)
    one, many = _RULE_VERBS[count]
    if side == "max" and value == 0:
        return f"no independent source {one} it"
    what = "at least" if side == "min" else "at most"
    noun = "source" if value == 1 else "sources"
    return f"{what} {value} independent {noun} {one if value == 1 else many} it"


@dataclass(frozen=True)
class Rating:
    """One level of the rating scale; `ratings` in site.yaml lists them best first."""

    key: str
    label: str
    description: str
    rule: VerdictRule | None = None  # what the verdict asks of the quotes' stances, if stated


@dataclass(frozen=True)
class Publisher:
    name: str
    url: str | None = None


@dataclass(frozen=True)
class SiteConfig:
    """content/site.yaml."""

    title: str
    description: str
    base_url: str  # always ends with "/"
    language: str
    publisher: Publisher
    ratings: tuple[Rating, ...]
    pipeline: str | None = None  # a spaCy package name; None means the blank pipeline + our rules

    def rating(self, key: str) -> Rating | None:
        return next((r for r in self.ratings if r.key == key), None)

    @property
    def base_path(self) -> str:
        """The path part of `base_url` ("/" or "/sub/path/"), prefixed to every internal link."""
        rest = self.base_url.split("://", 1)[-1]
        slash = rest.find("/")
        return rest[slash:] if slash >= 0 else "/"


@dataclass(frozen=True)
class Article:
    """A source article: front matter plus the Markdown body, kept verbatim.

    `source` is the whole file text with line endings normalised to "\\n" and any BOM removed;
    every offset in the build (sentences, quote spans) indexes into it.
    """

    slug: str
    path: str  # relative to the site root, e.g. "content/articles/outlet-a.md"
    source: str
    body_start: int  # offset of the first character of the Markdown body in `source`
    title: str
    outlet: str
    outlet_slug: str
    standfirst: str | None = None
    url: str | None = None
    published: dt.date | None = None
    author: str | None = None
    language: str = "en"
    # The original as imported (site-builder import), its SHA-256 and where the digest is
    # written in the front matter (check compares the two).
    source_file: str | None = None
    source_sha256: str | None = None
    digest_location: Location | None = None

    @property
    def body(self) -> str:
        return self.source[self.body_start :]


@dataclass(frozen=True)
class Block:
    """A Markdown block of an article body. `group` is shared by the items of one list."""

    index: int  # 0-based, in document order
    kind: BlockKind
    start: int  # offsets into Article.source; [start, end)
    end: int
    line: int  # 1-based line in the article file
    level: int = 0  # heading level (1-6); 0 for other blocks
    group: int = 0  # list items of one list share a group; ordered lists are marked by `ordered`
    ordered: bool = False


@dataclass(frozen=True)
class Sentence:
    """One sentence: 1-based `number` within its article, offsets into Article.source."""

    number: int
    block: int  # Block.index
    start: int
    end: int
    line: int  # 1-based line in the article file where the sentence starts
    text: str  # Article.source[start:end], the original characters


@dataclass(frozen=True)
class SegmentedArticle:
    article: Article
    blocks: tuple[Block, ...]
    sentences: tuple[Sentence, ...]

    def sentence(self, number: int) -> Sentence | None:
        """The sentence numbered `number`, if any. Sentences are numbered 1, 2, ... in order, so
        it is looked up by position: a page shows a few sentences of an article, and need not go
        through all of them."""
        sentences = self.sentences
        if 1 <= number <= len(sentences) and sentences[number - 1].number == number:
            return sentences[number - 1]
        return next((s for s in sentences if s.number == number), None)


@dataclass(frozen=True)
class Quote:
    """A quote as the editor wrote it in claims.yaml: `text` or `sentence`, never both.

    Its locations take part in equality like every other field: a quote that moved is not the
    one it was, for diagnostics point at it. Pages show no locations, so they are planned from
    `without_locations` copies, and a claim that only moved leaves every page key as it was.
    """

    article: str
    location: Location  # of the quote's mapping in claims.yaml
    text: str | None = None
    value_location: Location | None = None  # of the value of `text` or `sentence` itself
    sentence: int | None = None
    occurrence: int | None = None
    stance: Stance | None = None
    note: str | None = None


UpdateKind = Literal["correction", "update"]


@dataclass(frozen=True)
class Update:
    """A dated change to a published review: a correction (it was wrong) or an update."""

    date: dt.date
    kind: UpdateKind
    note: str  # Markdown: what changed and why


@dataclass(frozen=True)
class Claim:
    id: str
    claim: str
    verdict: str
    reviewed: dt.date
    tags: tuple[str, ...]
    summary: str
    quotes: tuple[Quote, ...]
    location: Location  # of the claim's mapping in claims.yaml
    verdict_location: Location | None = None  # of the value of `verdict`
    updates: tuple[Update, ...] = ()  # in claims.yaml order

    @property
    def modified(self) -> dt.date:
        """When the review last changed: its newest update, or the review itself."""
        return max((update.date for update in self.updates), default=self.reviewed)

    # The claim's own text in claims.yaml when it was read entry by entry: two claims read from
    # the same text are equal, which is cheaper to tell from it than field by field.
    source: str | None = field(default=None, compare=False, repr=False)


def same_source(one: Claim, other: Claim) -> bool:
    """True when both claims were read from the very same entry text in claims.yaml: then
    they are equal but for their locations (the entry may have moved)."""
    return one.source is not None and one.source == other.source


@dataclass(frozen=True)
class ResolvedQuote:
    """A quote anchored in its article.

    `spans` are the [start, end) offsets into Article.source of the quoted words (several pieces
    when the editor elided words with "…"); `sentences` are the numbers of every sentence the
    quote touches, in order and contiguous.
    """

    quote: Quote
    spans: tuple[tuple[int, int], ...]
    sentences: tuple[int, ...]


@dataclass(frozen=True)
class ResolvedClaim:
    claim: Claim
    quotes: tuple[ResolvedQuote, ...]


# Where a claim or quote stands once its locations are left out (`without_locations`).
NOWHERE = Location("")


def _unlocated(quote: Quote) -> Quote:
    value_location = None if quote.value_location is None else NOWHERE
    return replace(quote, location=NOWHERE, value_location=value_location)


def unlocated_claim(claim: Claim) -> Claim:
    """`claim` and its quotes with every location NOWHERE: equal to any claim that differs
    from it only in where it stands in claims.yaml."""
    quotes = tuple(map(_unlocated, claim.quotes))
    verdict_location = None if claim.verdict_location is None else NOWHERE
    return replace(claim, location=NOWHERE, verdict_location=verdict_location, quotes=quotes)


def without_locations(resolved: ResolvedClaim) -> ResolvedClaim:
    """`resolved` as pages show it: the claim and its quotes with every location NOWHERE."""
    unlocated = unlocated_claim(resolved.claim)
    quotes = tuple(
        ResolvedQuote(_unlocated(quoted.quote), quoted.spans, quoted.sentences)
        for quoted in resolved.quotes
    )
    return ResolvedClaim(unlocated, quotes)


@dataclass(frozen=True)
class Page:
    """A static page from content/pages/<slug>.md."""

    slug: str
    path: str
    title: str
    body: str  # Markdown


@dataclass(frozen=True)
class Passage:
    """A run of words two articles share: in each, its sentence and its [start, end) offsets
    into `Article.source`, and the run as the first article prints it."""

    first: int  # the sentence number in the pair's first article
    second: int  # the same in the second article
    first_span: tuple[int, int]
    second_span: tuple[int, int]
    words: int  # how many words the run has
    text: str

    def side(self, first: bool) -> tuple[int, tuple[int, int]]:
        """The sentence and the span of the passage in the pair's first article, or second."""
        return (self.first, self.first_span) if first else (self.second, self.second_span)


@dataclass(frozen=True)
class SharedPair:
    """Two articles (slugs in order) and the passages they share, in the first one's order."""

    first: str
    second: str
    passages: tuple[Passage, ...]

    def other(self, slug: str) -> str:
        return self.second if slug == self.first else self.first


@dataclass(frozen=True)
class SharedCopy:
    """Every pair of articles that shares copy, and the groups those pairs join."""

    pairs: tuple[SharedPair, ...]  # sorted by (first, second)
    groups: tuple[tuple[str, ...], ...]  # each sorted, groups sorted; only groups of 2 or more

    @cached_property
    def _by_slug(self) -> dict[str, tuple[SharedPair, ...]]:
        found: dict[str, list[SharedPair]] = {}
        for pair in self.pairs:
            found.setdefault(pair.first, []).append(pair)
            found.setdefault(pair.second, []).append(pair)
        return {slug: tuple(pairs) for slug, pairs in found.items()}

    def pairs_of(self, slug: str) -> tuple[SharedPair, ...]:
        """The pairs `slug` is in, by the other article's slug."""
        return self._by_slug.get(slug, ())

    def pairs_among(self, slugs: Collection[str]) -> tuple[SharedPair, ...]:
        """The pairs whose two articles are both in `slugs`, in order."""
        found = {p for slug in slugs for p in self.pairs_of(slug) if p.other(slug) in slugs}
        return tuple(sorted(found, key=lambda p: (p.first, p.second)))


NO_SHARED_COPY = SharedCopy((), ())


@dataclass(frozen=True)
class Site:
    """Everything output/render.py needs, fully validated."""

    config: SiteConfig
    articles: tuple[SegmentedArticle, ...]  # sorted by slug
    claims: tuple[ResolvedClaim, ...]  # in claims.yaml order
    pages: tuple[Page, ...]  # sorted by slug
    shared: SharedCopy = NO_SHARED_COPY  # which articles share copy (compare/shared_copy.py)


@dataclass(frozen=True)
class OutputFile:
    """One file of the built site: a POSIX path relative to output/ and its bytes."""

    path: str
    content: bytes


class SpooledFile(OutputFile):
    """A rendered page whose bytes a render worker wrote to `spool` instead of sending them
    back, so that no process of a big build holds every page (output/render.py).

    `digest` is engine.cache.bytes_digest of the bytes and `document` the page's search
    document (output/search.py), both made by the worker beside the page. The bytes are read
    from `spool` when asked for, until output/write.py moves the file into the output folder
    at the end of the build.
    """

    __slots__ = ("digest", "document", "spool")
    spool: Path
    digest: str
    document: bytes | None

    def __init__(self, path: str, spool: Path, digest: str, document: bytes | None) -> None:
        # Frozen like its base: set once, here.
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "spool", spool)
        object.__setattr__(self, "digest", digest)
        object.__setattr__(self, "document", document)

    @property
    def content(self) -> bytes:
        return self.spool.read_bytes()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SpooledFile):
            return (self.path, self.digest) == (other.path, other.digest)
        return isinstance(other, OutputFile) and (self.path, self.content) == (
            other.path,
            other.content,
        )

    def __hash__(self) -> int:
        return hash((self.path, self.digest))

    def __repr__(self) -> str:
        return f"SpooledFile({self.path!r}, {str(self.spool)!r}, {self.digest!r})"
