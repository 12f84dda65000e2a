"""The plain values templates read: links, dates, badges, claim cards, article bodies.

In: nothing; pages/views.py, pages/contexts.py and pages/article.py build these. Out: frozen dataclasses that templates
read by attribute. They hold text, URLs and `Markup` that was made safe before it got here, never
HTML assembled by hand.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field

from markupsafe import Markup

from .inline import Inline


@dataclass(frozen=True, eq=False)
class PagePlan:
    """One output file to render: its path under output/, its template, and what it is made of.

    Two plans for one path with equal `key`s render to the same bytes (with the same templates),
    so a rebuild renders a page again only when its key changed. `context` builds the template's
    values; it runs only when the page is rendered.
    """

    path: str
    template: str
    key: Hashable
    context: Callable[[], Mapping[str, object]]
    sitemap: SitemapEntry | None = None  # set for the pages search engines should list
    deferrable: bool = False  # only machines read it: `serve` may bring it up to date later


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class DateView:
    iso: str  # for <time datetime> and machine-readable output
    text: str  # "4 June 2025", the same in every locale


@dataclass(frozen=True)
class StanceView:
    """How a quote relates to a claim; `glyph` lets the badge work without colour."""

    key: str
    label: str
    glyph: str


@dataclass(frozen=True)
class VerdictView:
    """A rating as shown: `value` of `best` on the scale, `tone` picks the badge style."""

    key: str
    label: str
    description: str
    value: int
    best: int
    tone: str  # best | good | mid | poor | worst
    url: str
    rule: str = ""  # what the verdict asks of the quotes, in words, when the site states it


@dataclass(frozen=True)
class OutletStance:
    """An outlet that carries a claim, with the stances of its quotes (possibly none)."""

    outlet: Link
    stances: tuple[StanceView, ...]


def _hash_once(value: object, fields: tuple[object, ...]) -> int:
    """The hash of a frozen value's `fields`, computed on first use and kept on the value."""
    found: int | None = value.__dict__.get("_hash")
    if found is None:
        found = hash(fields)
        object.__setattr__(value, "_hash", found)
    return found


@dataclass(frozen=True)
class ClaimCard:
    """A claim as listed on the index, archive and outlet pages."""

    id: str
    statement: str
    url: str
    verdict: VerdictView
    reviewed: DateView
    tags: tuple[Link, ...]
    outlets: tuple[OutletStance, ...]
    # Independent sources among the outlets (outlets that share copy are one): set only when
    # fewer than the outlets, so that a card says so only when it matters.
    sources: int | None = None

    def __hash__(self) -> int:
        # Looked up by value on every list that shows it (templates' `cached`): hashed once.
        return _hash_once(
            self,
            (
                self.id,
                self.statement,
                self.url,
                self.verdict,
                self.reviewed,
                self.tags,
                self.outlets,
            ),
        )

    @property
    def slot(self) -> str:
        """One cached rendering per claim (templates' `cached`): a new card replaces the old."""
        return self.id


@dataclass(frozen=True)
class ClaimRef:
    """A sentence's link back to a claim: `number` is the claim's place in the article's list."""

    number: int
    claim: Link
    stance: StanceView | None


@dataclass(frozen=True)
class SentenceView:
    number: int
    anchor: str  # "s-<number>", the stable hook other tools link to
    inlines: tuple[Inline, ...]
    refs: tuple[ClaimRef, ...] = ()

    @property
    def annotated(self) -> bool:
        return bool(self.refs)


@dataclass(frozen=True)
class BodyItem:
    """A block of an article body; a `list` item holds its `list_item`s in `items`."""

    kind: str  # heading | paragraph | blockquote | list | list_item
    sentences: tuple[SentenceView, ...] = ()
    level: int = 0  # the HTML heading level (2-6)
    ordered: bool = False
    group: int = 0  # list items with the same group form one list
    items: tuple[BodyItem, ...] = ()


@dataclass(frozen=True)
class ArticleView:
    slug: str
    url: str
    title: str
    lang: str
    outlet: Link
    standfirst: str | None
    published: DateView | None
    author: str | None
    original_url: str | None


@dataclass(frozen=True)
class Excerpt:
    """One quote on a claim page: the sentences it touches, with neighbours for context."""

    stance: StanceView | None
    before: SentenceView | None
    sentences: tuple[SentenceView, ...]
    after: SentenceView | None
    note: Markup | None
    context_url: str  # the first quoted sentence on the article page
    # The quoted words on the outlet's own page (a text fragment), when its URL is known.
    source_url: str | None = None


@dataclass(frozen=True)
class UpdateView:
    """A correction or update of a review, as its claim page and /corrections/ show it."""

    date: DateView
    kind: str  # "correction" | "update"
    label: str  # "Correction" | "Update"
    note: Markup
    claim: Link | None = None  # on /corrections/: the claim it corrects


@dataclass(frozen=True)
class SharedPassage:
    """One passage two articles share: the sentence it is in on each side, the run marked."""

    here: SentenceView
    there: SentenceView
    there_url: str  # the other article's page, at that sentence
    words: int


@dataclass(frozen=True)
class SharedWith:
    """Another article this one shares copy with, and the passages they share."""

    article: ArticleView
    passages: tuple[SharedPassage, ...]


@dataclass(frozen=True)
class SharedNotice:
    """On a claim page: two quoted outlets whose articles share copy, so are one source."""

    outlets: tuple[Link, Link]
    passages: int
    url: str  # the first article's page, at its list of shared passages


@dataclass(frozen=True)
class Column:
    """Everything one quoted article says about a claim, shown side by side with the others."""

    article: ArticleView
    excerpts: tuple[Excerpt, ...]


@dataclass(frozen=True)
class CitingClaim:
    """A claim on an article's page: its card, its number, and this article's stances."""

    number: int
    card: ClaimCard
    stances: tuple[StanceView, ...]
    first_anchor: str


@dataclass(frozen=True)
class OutletArticle:
    article: ArticleView
    claims: tuple[CitingClaim, ...]
    shares: tuple[Link, ...] = ()  # the articles it shares copy with (linked to its list)
    # Which article it is: templates/_macros.html's `cached` keeps one rendered entry each.
    slot: str = field(default="", compare=False)


@dataclass(frozen=True)
class OutletSummary:
    """An outlet as every page may list it: its slug and the link to its page."""

    slug: str
    outlet: Link


@dataclass(frozen=True)
class PagerLink:
    number: int
    url: str
    current: bool


@dataclass(frozen=True)
class Pager:
    """The links between the pages of a long list; `links` has None where numbers are left out."""

    number: int
    total: int
    previous: str | None
    next: str | None
    links: tuple[PagerLink | None, ...]


@dataclass(frozen=True)
class RatingSummary:
    verdict: VerdictView
    count: int


@dataclass(frozen=True)
class PageMeta:
    """The head of a page: <title>, meta description, canonical URL, and the page's own path.

    `og_type` is the Open Graph type ("article" for claims and articles, else "website")."""

    title: str
    description: str
    canonical: str
    path: str
    noindex: bool = False
    og_type: str = "website"


@dataclass(frozen=True)
class CoverageCell:
    """How one outlet reports one claim: its stances, or `mentioned` False when it does not."""

    mentioned: bool
    stances: tuple[StanceView, ...]


@dataclass(frozen=True)
class CoverageRow:
    claim: ClaimCard
    cells: tuple[CoverageCell, ...]  # one per CoverageTable.outlets
    # Which table the row is for (the claim, and the outlet whose column comes first): one
    # cached rendering per slot (templates' `cached`).
    slot: Hashable = field(default=None, compare=False)

    def __hash__(self) -> int:
        # Looked up by value on every page that shows it (templates' `cached`): hashed once.
        return _hash_once(self, (self.claim, self.cells))


@dataclass(frozen=True)
class CoverageTable:
    """Claims x outlets: which outlet reports which claim, with what stance."""

    caption: str
    outlets: tuple[Link, ...]
    rows: tuple[CoverageRow, ...]


@dataclass(frozen=True)
class AlignedCell:
    """One outlet's words in a row of the alignment ("" for none); `variant` when another
    outlet has different words in the same place."""

    text: str
    variant: bool


@dataclass(frozen=True)
class AlignedRow:
    """A stretch of the word-by-word alignment. `agreement` is the row's label in words:
    "all alike", "only some" (the others have no words here) or "differs"."""

    agreement: str
    cells: tuple[AlignedCell, ...]


@dataclass(frozen=True)
class WhatDiffers:
    """The claim page's comparison of the outlets' quoted words (compare/collate.py, made plain)."""

    outlets: tuple[str, ...]
    differences: tuple[str, ...]  # sentences: "Figures: Outlet B and Outlet D say 6,000 each; …"
    shared: tuple[str, ...]  # sentences about what every outlet says alike
    rows: tuple[AlignedRow, ...]


@dataclass(frozen=True)
class SiteView:
    """What every page's layout needs: names, links for nav and footer, asset URLs."""

    title: str
    description: str
    language: str
    base_path: str
    base_url: str
    publisher_name: str
    publisher_url: str | None
    pages: tuple[Link, ...]
    outlets: tuple[Link, ...]  # every outlet, by name
    # The footer lists the outlets while they are few (FOOTER_OUTLETS), and links to the page
    # of all of them: every page carries the footer, and an archive's outlets keep growing.
    footer_outlets: tuple[Link, ...]
    all_outlets: Link
    ratings: tuple[Link, ...]
    stylesheet: str
    icon: str
    script: str  # progressive enhancement only: search and the index filter
    feed: str


@dataclass(frozen=True)
class SitemapEntry:
    loc: str
    lastmod: str | None


@dataclass(frozen=True)
class FeedEntry:
    title: str
    url: str
    published: str  # the review's date
    updated: str  # its newest update's, or the review's
    verdict: str
    content_html: str  # plain str on purpose: the template escapes it for <content type="html">
