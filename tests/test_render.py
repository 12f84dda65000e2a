"""render_site: the pages, links, marks, JSON-LD and template errors a reader or editor relies on.

The Site is built by hand from dataclasses (no loader or segmenter involved), and pages are read
with the standard library's HTML parser rather than matched as strings where structure matters.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from site_builder.diagnostics import Diagnostics, Location
from site_builder.model import (
    Article,
    Block,
    BlockKind,
    Claim,
    Page,
    Publisher,
    Quote,
    Rating,
    ResolvedClaim,
    ResolvedQuote,
    SegmentedArticle,
    Sentence,
    Site,
    SiteConfig,
    Stance,
)
from site_builder.output.render import Renderer, render_site
from site_builder.pages.entries import FOOTER_OUTLETS
from site_builder.pages.feeds import FEED_LIMIT
from site_builder.pages.page_text import page_text
from site_builder.pages.paging import PAGE_SIZE
from site_builder.pages.plan import PagePlanner
from site_builder.pages.values import PagePlan

DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# --- a small HTML tree ---------------------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self) -> list[Element]:
        found = [self]
        for child in self.children:
            if isinstance(child, Element):
                found.extend(child.iter())
        return found

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Element]:
        return [
            e
            for e in self.iter()
            if (tag is None or e.tag == tag)
            and all(e.attrs.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())
        ]

    def with_attr(self, name: str) -> list[Element]:
        return [e for e in self.iter() if name in e.attrs]

    def has_class(self, name: str) -> bool:
        return name in self.attrs.get("class", "").split()


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


# --- building a Site by hand ---------------------------------------------------------------

RATINGS = (
    Rating("true", "True", "The claim is accurate."),
    Rating("mostly-true", "Mostly true", "Accurate, but needs context."),
    Rating("disputed", "Disputed", "The outlets disagree."),
    Rating("mostly-false", "Mostly false", "Mostly inaccurate."),
    Rating("false", "False", "The claim is inaccurate."),
)

BlockSpec = tuple[BlockKind, str, tuple[str, ...]]  # kind, Markdown prefix, sentences


def make_article(
    slug: str,
    outlet: str,
    blocks: list[BlockSpec],
    *,
    published: dt.date | None = None,
    url: str | None = None,
) -> SegmentedArticle:
    """An Article whose source is front matter plus `blocks`, with exact offsets."""
    source = f"---\ntitle: {slug} title\noutlet: {outlet}\n---\n"
    body_start = len(source)
    built_blocks: list[Block] = []
    sentences: list[Sentence] = []
    group = 0
    for index, (kind, prefix, texts) in enumerate(blocks):
        if kind == "list_item" and (index == 0 or blocks[index - 1][0] != "list_item"):
            group += 1
        start = len(source)
        source += prefix
        for position, text in enumerate(texts):
            if position:
                source += " "
            line = source.count("\n", 0, len(source)) + 1
            sentences.append(
                Sentence(
                    len(sentences) + 1, index, len(source), len(source) + len(text), line, text
                )
            )
            source += text
        level = prefix.count("#") if kind == "heading" else 0
        line = source.count("\n", 0, start) + 1
        built_blocks.append(
            Block(index, kind, start, len(source), line, level, group, prefix[:1].isdigit())
        )
        source += "\n\n"
    article = Article(
        slug=slug,
        path=f"content/articles/{slug}.md",
        source=source,
        body_start=body_start,
        title=f"{slug} title",
        outlet=outlet,
        outlet_slug=outlet.lower().replace(" ", "-"),
        url=url,
        published=published,
    )
    return SegmentedArticle(article, tuple(built_blocks), tuple(sentences))


def resolve(
    segmented: SegmentedArticle, *pieces: str, stance: Stance | None = None, note: str | None = None
) -> ResolvedQuote:
    """A quote of `pieces` (elided with …), anchored where each piece first occurs."""
    source = segmented.article.source
    spans = []
    cursor = segmented.article.body_start
    for piece in pieces:
        start = source.index(piece, cursor)
        spans.append((start, start + len(piece)))
        cursor = start + len(piece)
    touched = tuple(
        s.number for s in segmented.sentences if any(a < s.end and b > s.start for a, b in spans)
    )
    quote = Quote(
        article=segmented.article.slug,
        location=Location("claims.yaml", 1, 1),
        text=" … ".join(pieces),
        stance=stance,
        note=note,
    )
    return ResolvedQuote(quote, tuple(spans), touched)


def make_claim(
    claim_id: str,
    statement: str,
    verdict: str,
    reviewed: dt.date,
    quotes: tuple[ResolvedQuote, ...],
    summary: str = "Our analysis.",
    tags: tuple[str, ...] = ("talks",),
) -> ResolvedClaim:
    claim = Claim(
        id=claim_id,
        claim=statement,
        verdict=verdict,
        reviewed=reviewed,
        tags=tags,
        summary=summary,
        quotes=tuple(q.quote for q in quotes),
        location=Location("claims.yaml", 1, 1),
    )
    return ResolvedClaim(claim, quotes)


ICARO = make_article(
    "icaro-talks",
    "ICARO Media Group",
    [
        ("heading", "# ", ("Talks end without a ceasefire",)),
        (
            "paragraph",
            "",
            (
                "Ukraine and Russia agreed to swap prisoners.",
                "Both sides will return *6,000* bodies each.",
                "The talks lasted about an hour.",
            ),
        ),
        ("heading", "## ", ("Reactions",)),
        ("list_item", "- ", ("Kyiv called the memo an ultimatum.",)),
        ("list_item", "- ", ("Moscow said the talks were <b>useful</b>.",)),
        ("blockquote", "> ", ("We will continue, Umerov said.",)),
    ],
)
OUTLET_B = make_article(
    "b-report",
    "Outlet B",
    [
        (
            "paragraph",
            "",
            (
                "The delegations met in Istanbul.",
                "Russia said 6,000 Ukrainian soldier bodies would be handed over to Kyiv.",
                "No date was set.",
            ),
        ),
    ],
    published=dt.date(2025, 6, 2),
    url="https://b.example/report",
)

REMAINS = make_claim(
    "remains-exchange",
    "Both sides agreed to hand over 6,000 bodies each.",
    "disputed",
    dt.date(2025, 6, 4),
    (
        resolve(ICARO, "return *6,000* bodies each", stance="supports", note="Per **Umerov**."),
        resolve(OUTLET_B, "6,000 Ukrainian soldier bodies", "handed over", stance="contradicts"),
        resolve(ICARO, "swap prisoners. Both sides", stance="context"),
    ),
    tags=("remains", "talks"),
)
ULTIMATUM = make_claim(
    "memo-ultimatum",
    "Kyiv called the Russian memo an ultimatum.",
    "true",
    dt.date(2025, 6, 3),
    (resolve(ICARO, "memo an ultimatum", stance="supports"),),
    summary="See <script>alert(1)</script> and [this](javascript:alert(1)) and [ok](https://ok.example/).",
)

CONFIG = SiteConfig(
    title="Talks Check",
    description="Checking claims about the Istanbul talks.",
    base_url="https://example.org/",
    language="en",
    publisher=Publisher("Check Desk", "https://example.org/about/"),
    ratings=RATINGS,
)
SITE = Site(
    config=CONFIG,
    articles=(OUTLET_B, ICARO),
    claims=(ULTIMATUM, REMAINS),
    pages=(Page("methodology", "content/pages/methodology.md", "Methodology", "We *read*."),),
)


def render(site: Site = SITE, dirs: tuple[Path, ...] = ()) -> tuple[dict[str, bytes], Diagnostics]:
    diagnostics = Diagnostics()
    files = render_site(site, (*dirs, DEFAULT_TEMPLATES), diagnostics)
    return {f.path: f.content for f in files}, diagnostics


@pytest.fixture(scope="module")
def output() -> dict[str, bytes]:
    files, diagnostics = render()
    assert diagnostics.items == []
    return files


def page(output: dict[str, bytes], path: str) -> Element:
    return parse(output[path].decode("utf-8"))


def occurrences(text: str, words: str) -> int:
    """How many times `words` occur in `text`, overlapping ones included."""
    return sum(text.startswith(words, at) for at in range(len(text)))


def jsonld(html: str) -> list[object]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


# --- tests ---------------------------------------------------------------------------------


def test_every_expected_path_is_produced_in_order(output: dict[str, bytes]) -> None:
    expected = {
        "index.html",
        "404.html",
        "sitemap.xml",
        "feed.xml",
        "robots.txt",
        "static/style.css",
        "static/site.js",
        "static/icon.svg",
        "claims.json",
        "annotations.jsonld",
        "claims/remains-exchange/index.html",
        "claims/memo-ultimatum/index.html",
        "articles/icaro-talks/index.html",
        "articles/b-report/index.html",
        "outlets/index.html",
        "corrections/index.html",
        "outlets/icaro-media-group/index.html",
        "outlets/outlet-b/index.html",
        "tags/remains/index.html",
        "tags/talks/index.html",
        "methodology/index.html",
        *(f"ratings/{rating.key}/index.html" for rating in RATINGS),
    }
    assert set(output) == expected
    assert list(output) == sorted(output)


def test_every_html_page_has_head_essentials_and_landmarks(output: dict[str, bytes]) -> None:
    for path in (p for p in output if p.endswith(".html")):
        doc = page(output, path)
        assert doc.find_all("html")[0].attrs["lang"] == "en", path
        assert len(doc.find_all("title")) == 1, path
        assert doc.find_all("meta", name="description"), path
        assert len(doc.find_all("link", rel="canonical")) == 1, path
        canonical = doc.find_all("link", rel="canonical")[0].attrs["href"]
        og = {m.attrs["property"]: m.attrs["content"] for m in doc.with_attr("property")}
        twitter = {
            m.attrs["name"]: m.attrs["content"]
            for m in doc.find_all("meta")
            if m.attrs.get("name", "").startswith("twitter:")
        }
        assert og["og:url"] == canonical, path
        assert og["og:title"] == doc.find_all("title")[0].text(), path
        assert og["og:description"] == doc.find_all("meta", name="description")[0].attrs["content"]
        assert og["og:site_name"] == SITE.config.title, path
        assert og["og:type"] == (
            "article" if path.startswith(("claims/", "articles/")) else "website"
        )
        assert twitter == {
            "twitter:card": "summary",
            "twitter:title": og["og:title"],
            "twitter:description": og["og:description"],
        }, path
        for landmark in ("header", "nav", "main", "footer"):
            assert doc.find_all(landmark), (path, landmark)
        assert doc.find_all("a", class_="skip-link")[0].attrs["href"] == "#main"
        assert len(doc.find_all("h1")) == 1, path
        assert not doc.find_all("script", type="text/javascript"), path


def test_index_lists_claims_newest_first_with_verdicts_and_outlet_stances(
    output: dict[str, bytes],
) -> None:
    doc = page(output, "index.html")
    cards = [e for e in doc.iter() if e.has_class("claim-card")]
    titles = [card.find_all("a")[0].text() for card in cards]
    assert titles == [REMAINS.claim.claim, ULTIMATUM.claim.claim]
    first = " ".join(cards[0].text().split())
    assert "Disputed" in first
    assert "ICARO Media Group — ✓ supports, i context" in first
    assert "Outlet B — ✗ contradicts" in first
    hrefs = {a.attrs["href"] for a in doc.find_all("a")}
    assert {"/ratings/true/", "/ratings/false/", "/tags/remains/"} <= hrefs


def test_claim_page_has_one_column_per_quoted_article_with_marked_words(
    output: dict[str, bytes],
) -> None:
    doc = page(output, "claims/remains-exchange/index.html")
    columns = doc.with_attr("data-article")
    assert [c.attrs["data-article"] for c in columns] == ["icaro-talks", "b-report"]
    icaro, outlet_b = columns
    # Both ICARO quotes sit in its one column. Emphasis syntax is hidden (its <em> splits the
    # mark); the quote crossing a sentence boundary is marked in each sentence.
    first, second = icaro.find_all("figure")
    assert "".join(m.text() for m in first.find_all("mark")) == "return 6,000 bodies each"
    assert first.find_all("em")[0].text() == "6,000"
    assert [m.text() for m in second.find_all("mark")] == ["swap prisoners.", "Both sides"]
    assert len(second.find_all("span", class_="sentence quoted")) == 2
    assert [m.text() for m in outlet_b.find_all("mark")] == [
        "6,000 Ukrainian soldier bodies",
        "handed over",
    ]
    # Context: the neighbouring sentences by number, muted.
    context = [e.text() for e in outlet_b.iter() if e.has_class("context")]
    assert context == ["Context: The delegations met in Istanbul.", "Context: No date was set."]
    links = {a.text(): a.attrs["href"] for a in outlet_b.find_all("a")}
    assert links["Read in context: b-report title"] == "/articles/b-report/#s-2"
    # The outlet's page at the quoted words: a text fragment from the first quoted word to
    # the last (the quote elides words between them).
    assert links["Read at the source: these words on Outlet B\u2019s site"] == (
        "https://b.example/report"
        "#:~:text=6%2C000%20Ukrainian%20soldier%20bodies%20would%20be%20handed%20over"
    )
    assert "Published 2 June 2025" in outlet_b.text()
    # No date and no URL known for ICARO: nothing invented, nothing empty.
    assert "Published" not in icaro.text()
    assert not [a for a in icaro.find_all("a") if a.has_class("original")]
    assert icaro.find_all("strong")[0].text() == "Umerov"  # the note's inline Markdown


def test_claim_page_verdict_scale_and_methodology_link(output: dict[str, bytes]) -> None:
    doc = page(output, "claims/remains-exchange/index.html")
    panel = next(e for e in doc.iter() if e.has_class("verdict-panel"))
    text = " ".join(panel.text().split())
    assert "Disputed" in text and "The outlets disagree." in text
    assert "3 of 5 on our scale" in text
    assert panel.find_all("a")[0].attrs["href"] == "/methodology/"
    assert doc.find_all("time")[0].attrs["datetime"] == "2025-06-04"


def test_claim_page_carries_one_valid_claim_review(output: dict[str, bytes]) -> None:
    html = output["claims/remains-exchange/index.html"].decode()
    (review,) = jsonld(html)
    assert isinstance(review, dict)
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == REMAINS.claim.claim
    assert review["url"] == "https://example.org/claims/remains-exchange/"
    assert review["datePublished"] == "2025-06-04"
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 3,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "Disputed",
    }
    # Outlet B contradicts the claim: the claim appears only where it is made, at ICARO.
    appearances = review["itemReviewed"]["appearance"]
    assert [a["headline"] for a in appearances] == ["icaro-talks title"]
    assert "url" not in appearances[0] and "datePublished" not in appearances[0]
    assert review["itemReviewed"]["firstAppearance"] == appearances[0]
    (best,) = jsonld(output["claims/memo-ultimatum/index.html"].decode())
    assert isinstance(best, dict) and best["reviewRating"]["ratingValue"] == 5


def _review_of(claim: ResolvedClaim) -> dict[str, Any]:
    files, diagnostics = render(replace(SITE, claims=(claim,)))
    assert diagnostics.items == []
    (review,) = jsonld(files[f"claims/{claim.claim.id}/index.html"].decode())
    assert isinstance(review, dict)
    return review


def test_the_first_appearance_is_the_earliest_dated_article_that_makes_the_claim() -> None:
    both = make_claim(
        "remains-both",
        "Both sides agreed to hand over 6,000 bodies each.",
        "disputed",
        dt.date(2025, 6, 4),
        (
            resolve(ICARO, "return *6,000* bodies each", stance="mixed"),
            resolve(OUTLET_B, "6,000 Ukrainian soldier bodies", stance="supports"),
        ),
    )
    item = _review_of(both)["itemReviewed"]
    assert [a["headline"] for a in item["appearance"]] == ["icaro-talks title", "b-report title"]
    # The only dated article is the first appearance, even though it is quoted second.
    assert item["firstAppearance"]["url"] == "https://b.example/report"


def test_a_claim_no_outlet_makes_has_no_appearance() -> None:
    denied = make_claim(
        "remains-denied",
        "Both sides agreed to hand over 6,000 bodies each.",
        "false",
        dt.date(2025, 6, 4),
        (
            resolve(OUTLET_B, "6,000 Ukrainian soldier bodies", stance="contradicts"),
            resolve(ICARO, "swap prisoners. Both sides", stance="context"),
        ),
    )
    assert _review_of(denied)["itemReviewed"] == {"@type": "Claim"}


def test_hostile_claim_text_keeps_json_ld_inert_and_valid() -> None:
    hostile = "Bad </script><!-- <b>x</b> & more\u2028end"
    claim = replace(REMAINS, claim=replace(REMAINS.claim, claim=hostile))
    files, diagnostics = render(replace(SITE, claims=(claim,)))
    assert diagnostics.items == []
    html = files["claims/remains-exchange/index.html"].decode()
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert script is not None
    body = script.group(1)
    for dangerous in ("<", ">", "&", "\u2028"):
        assert dangerous not in body
    (review,) = jsonld(html)
    assert isinstance(review, dict) and review["claimReviewed"] == hostile
    assert html.count("<script") == 2  # the JSON-LD and static/site.js, nothing from the text
    doc = parse(html)
    assert doc.find_all("h1")[0].text() == hostile  # shown escaped, as text


def test_article_page_has_every_sentence_id_and_links_annotations(
    output: dict[str, bytes],
) -> None:
    doc = page(output, "articles/icaro-talks/index.html")
    spans = [e for e in doc.iter() if e.has_class("sentence")]
    assert [s.attrs["id"] for s in spans] == [f"s-{n}" for n in range(1, 9)]
    annotated = {s.attrs["id"] for s in spans if s.has_class("annotated")}
    assert annotated == {"s-2", "s-3", "s-6"}
    by_id = {s.attrs["id"]: s for s in spans}
    marks = [m.text() for m in by_id["s-3"].find_all("mark")]
    assert marks == ["Both sides", "return ", "6,000", " bodies each"]
    # The claims each annotated sentence is quoted in follow it, with their stance.
    # Their labels are attributes (read out, and shown by CSS), not text in the article's words.
    refs = [e for e in doc.iter() if e.has_class("claim-ref")]
    assert {(r.attrs["href"], r.attrs["data-label"], r.attrs["aria-label"]) for r in refs} == {
        (
            "/claims/remains-exchange/",
            "✓ supports claim 1",
            "Quoted in: supports claim 1: " + REMAINS.claim.claim,
        ),
        (
            "/claims/remains-exchange/",
            "i context claim 1",
            "Quoted in: context claim 1: " + REMAINS.claim.claim,
        ),
        (
            "/claims/memo-ultimatum/",
            "✓ supports claim 2",
            "Quoted in: supports claim 2: " + ULTIMATUM.claim.claim,
        ),
    }
    assert all(r.text() == "" for r in refs)
    # Body structure rebuilt from blocks: the source's h1 becomes h2 under the page title.
    assert doc.find_all("h1")[0].text() == "icaro-talks title"
    assert [h.text() for h in doc.find_all("h2") if h.find_all("span")] == [
        "Talks end without a ceasefire"
    ]
    assert doc.find_all("h3")[0].text() == "Reactions"
    (items,) = [ul for ul in doc.find_all("ul") if ul.find_all("span", id="s-6")]
    assert len(items.find_all("li")) == 2
    assert doc.find_all("blockquote")[0].text() == "We will continue, Umerov said."
    # Raw HTML in the source is text, never markup.
    assert not doc.find_all("b")
    assert "<b>useful</b>" in by_id["s-7"].text()


def test_page_text_is_the_article_text_element_a_browser_reads(output: dict[str, bytes]) -> None:
    """What annotations count in is exactly the page's #article-text textContent: headings,
    lists and blockquotes without their Markdown, emphasis without its asterisks, one space
    between sentences, and no claim links."""
    for segmented in SITE.articles:
        doc = page(output, f"articles/{segmented.article.slug}/index.html")
        (element,) = doc.find_all(id="article-text")
        assert element.text() == page_text(segmented).text
    text = page_text(ICARO)
    assert text.text == (
        "\nTalks end without a ceasefire"
        "\nUkraine and Russia agreed to swap prisoners. Both sides will return 6,000 bodies"
        " each. The talks lasted about an hour."
        "\nReactions"
        "\n\nKyiv called the memo an ultimatum.\nMoscow said the talks were <b>useful</b>.\n"
        "\nWe will continue, Umerov said."
        "\n"
    )
    shown = [
        [text.text[slice(*text.locate(span))] for span in quoted.spans]  # type: ignore[misc]
        for quoted in REMAINS.quotes
        if quoted.quote.article == ICARO.article.slug
    ]
    # Asterisks inside the quote are not on the page; a quote across two sentences keeps
    # the space the page has between them.
    assert shown == [["return 6,000 bodies each"], ["swap prisoners. Both sides"]]
    front_matter = (0, ICARO.article.body_start)
    assert text.locate(front_matter) is None


def test_annotation_selectors_anchor_in_the_page_text(output: dict[str, bytes]) -> None:
    items = json.loads(output["annotations.jsonld"])["first"]["items"]
    texts = {
        f"https://example.org/articles/{s.article.slug}/": page_text(s).text for s in SITE.articles
    }
    exact = []
    for item in items:
        for target in item["target"]:
            quote, position = target["selector"]
            text = texts[target["source"]]
            assert text[position["start"] : position["end"]] == quote["exact"]
            assert occurrences(text, quote["prefix"] + quote["exact"] + quote["suffix"]) == 1
            exact.append(quote["exact"])
    assert exact == [
        "memo an ultimatum",
        "return 6,000 bodies each",
        "6,000 Ukrainian soldier bodies",
        "handed over",
        "swap prisoners. Both sides",
    ]


def test_a_selector_for_repeated_words_takes_context_enough_to_match_once() -> None:
    said = "The talks ended without a deal, officials said."
    repeated = make_article("repeats", "Outlet R", [("paragraph", "", (said,))] * 3)
    source = repeated.article.source
    second = source.index("talks ended", source.index("talks ended") + 1)
    quote = replace(
        resolve(repeated, "talks ended"), spans=((second, second + 11),), sentences=(2,)
    )
    claim = make_claim("ended", "The talks ended.", "true", dt.date(2025, 6, 3), (quote,))
    files, _ = render(replace(SITE, articles=(repeated,), claims=(claim,)))
    (item,) = json.loads(files["annotations.jsonld"])["first"]["items"]
    (target,) = item["target"]
    selector, position = target["selector"]
    text = page_text(repeated).text
    # 32 characters each side are the same around the second and the third occurrence.
    assert occurrences(text, text[position["start"] - 32 : position["end"] + 32]) == 2
    whole = selector["prefix"] + selector["exact"] + selector["suffix"]
    assert occurrences(text, whole) == 1
    assert text.index(whole) + len(selector["prefix"]) == position["start"]


def test_outlets_not_quoted_are_listed_as_not_mentioning(output: dict[str, bytes]) -> None:
    doc = page(output, "claims/memo-ultimatum/index.html")
    section = next(s for s in doc.find_all("section") if "Not mentioned by" in s.text())
    # Outlets, not articles: a site with thousands of articles lists each silent outlet once.
    assert [a.attrs["href"] for a in section.find_all("a")] == ["/outlets/outlet-b/"]
    assert [c.attrs["data-article"] for c in doc.with_attr("data-article")] == ["icaro-talks"]
    remains = page(output, "claims/remains-exchange/index.html")
    assert "Not mentioned by" not in remains.text()


def test_summary_html_is_escaped_and_javascript_links_dropped(output: dict[str, bytes]) -> None:
    html = output["claims/memo-ultimatum/index.html"].decode()
    doc = parse(html)
    analysis = next(s for s in doc.find_all("section") if s.has_class("analysis"))
    assert "<script>alert(1)</script>" in analysis.text()
    assert not analysis.find_all("script")
    hrefs = [a.attrs["href"] for a in doc.find_all("a")]
    assert "https://ok.example/" in hrefs
    assert not [h for h in hrefs if h.lower().startswith("javascript:")]


def test_links_use_base_path_under_a_sub_path() -> None:
    config = replace(CONFIG, base_url="https://example.org/checks/")
    files, _ = render(replace(SITE, config=config))
    for path in (p for p in files if p.endswith(".html")):
        doc = parse(files[path].decode())
        for a in doc.find_all("a"):
            href = a.attrs["href"]
            if href.startswith("/"):
                assert href.startswith("/checks/"), (path, href)
        assert doc.find_all("link", rel="stylesheet")[0].attrs["href"] == "/checks/static/style.css"
    claim = parse(files["claims/remains-exchange/index.html"].decode())
    canonical = claim.find_all("link", rel="canonical")[0].attrs["href"]
    assert canonical == "https://example.org/checks/claims/remains-exchange/"
    assert b"<loc>https://example.org/checks/claims/remains-exchange/</loc>" in files["sitemap.xml"]
    assert files["robots.txt"].endswith(b"Sitemap: https://example.org/checks/sitemap.xml\n")


def test_two_renders_are_byte_identical() -> None:
    first, _ = render()
    second, _ = render()
    assert first == second


def test_feed_lists_claims_newest_first_and_updates_to_newest_review(
    output: dict[str, bytes],
) -> None:
    feed = output["feed.xml"].decode()
    assert "<updated>2025-06-04T00:00:00Z</updated>" in feed.split("<entry>")[0]
    ids = re.findall(r"<id>(.*?)</id>", feed)
    assert ids[1:] == [
        "https://example.org/claims/remains-exchange/",
        "https://example.org/claims/memo-ultimatum/",
    ]
    # The summary's HTML is escaped inside <content type="html">, not injected into the XML.
    assert "&lt;p&gt;" in feed and "<script>" not in feed


def test_rating_pages_exist_for_every_rating_even_without_claims(
    output: dict[str, bytes],
) -> None:
    empty = page(output, "ratings/false/index.html")
    assert "No claims have this rating yet." in empty.text()
    assert "The claim is inaccurate." in empty.text()
    true = page(output, "ratings/true/index.html")
    assert [a.attrs["href"] for a in true.find_all("a") if a.text() == ULTIMATUM.claim.claim] == [
        "/claims/memo-ultimatum/"
    ]


def test_outlet_and_tag_pages_list_their_claims(output: dict[str, bytes]) -> None:
    outlet = page(output, "outlets/icaro-media-group/index.html")
    text = " ".join(outlet.text().split())
    assert REMAINS.claim.claim in text and ULTIMATUM.claim.claim in text
    assert "✓ supports" in text and "i context" in text
    tag = page(output, "tags/remains/index.html")
    assert [a.text() for a in tag.find_all("a") if a.attrs["href"].startswith("/claims/")] == [
        REMAINS.claim.claim
    ]


def test_a_site_template_overrides_the_default_and_static_files(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("{{ page.label }} custom\n")
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "style.css").write_text("body{}\n")
    files, diagnostics = render(dirs=(tmp_path,))
    assert diagnostics.items == []
    assert files["methodology/index.html"] == b"Methodology custom\n"
    assert files["static/style.css"] == b"body{}\n"


def test_template_syntax_error_is_reported_at_its_file_and_line(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("<p>fine</p>\n<p>\n{% if page %}\n<p>never closed</p>\n")
    files, diagnostics = render(dirs=(templates,))
    (error,) = diagnostics.items
    assert error.severity == "error"
    assert error.location.path == "templates/page.html"
    assert error.location.line == 4
    assert "methodology/index.html" not in files
    assert "claims/remains-exchange/index.html" in files  # the rest still rendered


def test_undefined_variable_is_reported_at_its_template_line(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "tag.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n<h1>{{ tag }}</h1>\n{{ no_such_name }}\n'
        "{% endblock %}\n"
    )
    files, diagnostics = render(dirs=(templates,))
    # Two tag pages fail the same way: reported once.
    (error,) = diagnostics.items
    assert error.location == Location("templates/tag.html", 4, 1)
    assert "no_such_name" in error.message
    assert "tags/talks/index.html" not in files


def test_missing_included_template_is_reported(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "404.html").write_text('<p>x</p>\n{% include "nope.html" %}\n')
    _, diagnostics = render(dirs=(templates,))
    (error,) = diagnostics.items
    assert error.location == Location("templates/404.html", 2, 1)
    assert "nope.html" in error.message


def test_files_are_utf8_and_sentences_are_escaped_text(output: dict[str, bytes]) -> None:
    html = output["articles/icaro-talks/index.html"]
    assert b"Moscow said the talks were &lt;b&gt;useful&lt;/b&gt;." in html
    assert "✓".encode() in html


def test_other_template_runtime_errors_are_reported_not_raised(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "robots.txt").write_text("ok\n{{ 1 + sitemap_url }}\n")
    files, diagnostics = render(dirs=(templates,))
    (error,) = diagnostics.items
    assert error.location == Location("templates/robots.txt", 2, 1)
    assert "robots.txt" not in files


def test_sentence_markdown_links_are_kept_only_when_safe() -> None:
    article = make_article(
        "links",
        "Outlet L",
        [
            (
                "paragraph",
                "",
                ("See [the memo](https://m.example/) and [this](javascript:alert(1)).",),
            )
        ],
    )
    claim = make_claim(
        "links-claim", "A claim.", "true", dt.date(2025, 6, 1), (resolve(article, "the memo"),)
    )
    files, diagnostics = render(replace(SITE, articles=(article,), claims=(claim,)))
    assert diagnostics.items == []
    doc = parse(files["articles/links/index.html"].decode())
    sentence = doc.find_all("span", id="s-1")[0]
    assert sentence.text() == "See the memo and this."
    (link,) = sentence.find_all("a")
    assert link.attrs["href"] == "https://m.example/"
    assert [m.text() for m in link.find_all("mark")] == ["the memo"]


def test_root_relative_links_in_editors_markdown_follow_the_base_path() -> None:
    from site_builder.pages.inline import markdown_block, markdown_inline

    html = markdown_block(
        "See [the method](/methodology/) and [elsewhere](//cdn.example/x).", "/sub/"
    )
    assert 'href="/sub/methodology/"' in html
    assert 'href="//cdn.example/x"' in html
    assert 'href="https://x.example/sub/claims/a/"' in markdown_inline(
        "[a](/claims/a/)", "https://x.example/sub/"
    )


def _coverage(doc: Element) -> Element:
    tables = [t for t in doc.find_all("table") if t.has_class("coverage-table")]
    assert len(tables) == 1
    return tables[0]


def test_index_and_outlet_pages_have_an_accessible_coverage_table(
    output: dict[str, bytes],
) -> None:
    for path in (
        "index.html",
        "outlets/outlet-b/index.html",
        "outlets/icaro-media-group/index.html",
    ):
        doc = page(output, path)
        table = _coverage(doc)
        region = next(e for e in doc.iter() if e.has_class("table-scroll") and table in e.iter())
        assert region.attrs["tabindex"] == "0" and region.attrs["role"] == "region"
        caption = table.find_all("caption")[0]
        assert region.attrs["aria-labelledby"] == caption.attrs["id"]
        heads = [th.text().strip() for th in table.find_all("th", scope="col")]
        rows = {
            " ".join(tr.find_all("th", scope="row")[0].text().split()): [
                " ".join(td.text().split()) for td in tr.find_all("td")
            ]
            for tr in table.find_all("tbody")[0].find_all("tr")
        }
        assert heads[0] == "Claim"
        for cells in rows.values():
            assert len(cells) == len(heads) - 1 and all(cells), path  # text in every cell
        outlets = heads[1:]
        remains = rows[f"{REMAINS.claim.claim} Verdict: Disputed"]
        by_outlet = dict(zip(outlets, remains, strict=True))
        assert by_outlet["ICARO Media Group"] == "✓ supports, i context"
        assert by_outlet["Outlet B"] == "✗ contradicts"
    outlet_heads = [
        th.text()
        for th in _coverage(page(output, "outlets/outlet-b/index.html")).find_all("th", scope="col")
    ]
    assert outlet_heads[1] == "Outlet B"  # the outlet's own column comes first


def _outlet_article(number: int) -> SegmentedArticle:
    return make_article(
        f"wire-{number:02}",
        f"Wire {number:02}",
        [("paragraph", "", ("Both sides will return 6,000 bodies each.",))],
    )


def test_many_outlets_are_listed_on_their_own_page_and_not_in_every_footer() -> None:
    """The footer lists the outlets while they are few; past that, every page links to the
    page of all outlets instead, so that a page does not grow with the archive."""
    many = tuple(_outlet_article(n) for n in range(FOOTER_OUTLETS))
    for articles, listed in (
        (SITE.articles, ["ICARO Media Group", "Outlet B"]),
        ((*SITE.articles, *many), []),
    ):
        files, diagnostics = render(replace(SITE, articles=articles))
        assert diagnostics.items == []
        footer = parse(files["claims/memo-ultimatum/index.html"].decode()).find_all("footer")[0]
        section = next(
            s
            for s in footer.find_all("section")
            if s.attrs.get("aria-labelledby") == "site-outlets"
        )
        links = [a.text() for a in section.find_all("a")]
        assert links == [*listed, "All outlets"]
        assert section.find_all("a")[-1].attrs["href"] == "/outlets/"
        index = parse(files["outlets/index.html"].decode())
        main = index.find_all("main")[0]
        names = [a.text() for a in main.find_all("a")]
        assert names == sorted({s.article.outlet for s in articles})
        assert f"{len(names)} outlets whose articles this site holds" in " ".join(
            main.text().split()
        )


def test_a_coverage_table_has_a_column_only_for_outlets_that_report_its_claims() -> None:
    lone = make_claim(
        "wire-only",
        "Both sides will return 6,000 bodies each.",
        "true",
        dt.date(2025, 6, 1),
        (resolve(_outlet_article(1), "return 6,000 bodies each", stance="supports"),),
    )
    site = replace(
        SITE, articles=(*SITE.articles, _outlet_article(1), _outlet_article(2)), claims=(lone,)
    )
    files, _ = render(site)
    heads = [
        th.text()
        for th in _coverage(parse(files["index.html"].decode())).find_all("th", scope="col")
    ]
    assert heads == ["Claim", "Wire 01"]  # not the three outlets that report none of its claims
    outlet = _coverage(parse(files["outlets/wire-01/index.html"].decode()))
    assert [th.text() for th in outlet.find_all("th", scope="col")] == ["Claim", "Wire 01"]


def test_coverage_says_not_mentioned_in_words() -> None:
    other = make_claim(
        "icaro-only",
        "Only ICARO reports this.",
        "true",
        dt.date(2025, 6, 1),
        (resolve(ICARO, "The talks lasted about an hour."),),
    )
    files, _ = render(replace(SITE, claims=(*SITE.claims, other)))
    table = _coverage(parse(files["index.html"].decode()))
    row = next(tr for tr in table.find_all("tr") if "Only ICARO" in tr.text())
    assert [" ".join(td.text().split()) for td in row.find_all("td")] == [
        "quoted",
        "– not mentioned",
    ]


def test_claim_page_says_what_differs_and_aligns_the_words(output: dict[str, bytes]) -> None:
    doc = page(output, "claims/remains-exchange/index.html")
    section = next(e for e in doc.find_all("section") if e.has_class("what-differs"))
    items = [" ".join(li.text().split()) for li in section.find_all("ul")[0].find_all("li")]
    figures = next(item for item in items if item.startswith("Figures:"))
    assert "ICARO Media Group says “6,000 … each”" in figures
    assert "Outlet B says “6,000 Ukrainian”" in figures
    table = section.find_all("table")[0]
    assert table.find_all("caption")
    labels = {th.text() for th in table.find_all("th", scope="row")}
    assert labels <= {"all alike", "only some", "differs"} and "differs" in labels
    for tr in table.find_all("tbody")[0].find_all("tr"):
        label = tr.find_all("th")[0].text()
        cells = tr.find_all("td")
        assert len(cells) == 2
        # Variants are bold, and only in rows that say so in words.
        assert bool(tr.find_all("strong")) == (label == "differs")
        for cell in cells:
            assert cell.text().strip(), "every cell has text, a gap included"


def _many_claims(count: int) -> Site:
    """SITE with `count` claims, reviewed on successive days (the last one newest)."""
    claims = tuple(
        replace(
            REMAINS,
            claim=replace(
                REMAINS.claim,
                id=f"claim-{n:03d}",
                claim=f"Claim number {n}.",
                reviewed=dt.date(2025, 1, 1) + dt.timedelta(days=n),
            ),
        )
        for n in range(count)
    )
    return replace(SITE, claims=claims)


def test_long_lists_are_cut_into_pages_that_link_to_each_other() -> None:
    files, diagnostics = render(_many_claims(PAGE_SIZE * 2 + 1))
    assert diagnostics.items == []
    first, second, third = (
        page(files, path) for path in ("index.html", "page/2/index.html", "page/3/index.html")
    )
    assert "page/4/index.html" not in files
    # Newest first, every claim on exactly one page.
    listed = [
        [a.text() for a in doc.find_all("h3") if a.has_class("claim-card-title")]
        for doc in (first, second, third)
    ]
    assert [len(names) for names in listed] == [PAGE_SIZE, PAGE_SIZE, 1]
    assert listed[0][0] == f"Claim number {PAGE_SIZE * 2}." and listed[2] == ["Claim number 0."]
    pager = next(n for n in second.find_all("nav") if n.attrs.get("aria-label") == "Pages")
    links = {a.text(): a.attrs["href"] for a in pager.find_all("a")}
    assert links["Newer claims"] == "/" and links["Older claims"] == "/page/3/"
    current = [a for a in pager.find_all("a") if a.attrs.get("aria-current") == "page"]
    assert [a.attrs["href"] for a in current] == ["/page/2/"]
    # Filtering one page of many would mislead: the archive pages are the filter then.
    assert not any(d.has_class("claim-filter") for d in first.find_all("div"))
    # The counts by verdict and the topics are on the first page only.
    assert "Browse by verdict" in first.text() and "Browse by topic" in first.text()
    assert "Browse by verdict" not in second.text() and "Browse by topic" not in second.text()
    assert "page/2/index.html" in files and "tags/talks/page/3/index.html" in files
    assert "ratings/disputed/page/2/index.html" in files
    sitemap = files["sitemap.xml"].decode()
    assert "<loc>https://example.org/page/2/</loc>" in sitemap
    assert "<loc>https://example.org/tags/talks/page/3/</loc>" in sitemap
    # The feed carries the newest claims only.
    assert files["feed.xml"].decode().count("<entry>") == FEED_LIMIT


def test_a_short_list_has_no_pager_and_keeps_the_filter(output: dict[str, bytes]) -> None:
    index = page(output, "index.html")
    assert not [n for n in index.find_all("nav") if n.attrs.get("aria-label") == "Pages"]
    assert any(d.has_class("claim-filter") for d in index.find_all("div"))


def test_a_rebuild_renders_only_the_pages_an_edit_touches() -> None:
    renderer = Renderer((DEFAULT_TEMPLATES,))
    site = _many_claims(3)
    first = {f.path: f for f in renderer.render(site, Diagnostics())}
    again = {f.path: f for f in renderer.render(site, Diagnostics())}
    assert renderer.rendered == ()
    assert all(again[path] is first[path] for path in first)
    edited_claim = replace(site.claims[1], claim=replace(site.claims[1].claim, summary="New."))
    edited = replace(site, claims=(site.claims[0], edited_claim, site.claims[2]))
    after = {f.path: f for f in renderer.render(edited, Diagnostics())}
    # The claim's own page and the feed (which carries its summary); the lists only show
    # its card, which did not change.
    assert set(renderer.rendered) == {"claims/claim-001/index.html", "feed.xml"}
    assert b"New." in after["claims/claim-001/index.html"].content
    verdict = replace(edited_claim, claim=replace(edited_claim.claim, verdict="true"))
    renderer.render(
        replace(edited, claims=(site.claims[0], verdict, site.claims[2])), Diagnostics()
    )
    assert set(renderer.rendered) == {
        "claims/claim-001/index.html",
        "feed.xml",
        "index.html",
        "ratings/disputed/index.html",
        "ratings/true/index.html",
        "tags/remains/index.html",
        "tags/talks/index.html",
        "articles/icaro-talks/index.html",
        "articles/b-report/index.html",
        "outlets/icaro-media-group/index.html",
        "outlets/outlet-b/index.html",
    }


def _moved_down(resolved: ResolvedClaim, lines: int) -> ResolvedClaim:
    """`resolved` as read after `lines` more lines were written above it in claims.yaml."""

    def down(at: Location) -> Location:
        return Location(at.path, at.line + lines, at.column)

    quotes = tuple(
        replace(q, quote=replace(q.quote, location=down(q.quote.location))) for q in resolved.quotes
    )
    claim = replace(
        resolved.claim,
        location=down(resolved.claim.location),
        quotes=tuple(q.quote for q in quotes),
    )
    return ResolvedClaim(claim, quotes)


def test_a_claim_that_only_moved_in_claims_yaml_renders_no_page() -> None:
    renderer = Renderer((DEFAULT_TEMPLATES,))
    renderer.render(SITE, Diagnostics())
    moved = replace(SITE, claims=tuple(_moved_down(c, 7) for c in SITE.claims))
    assert moved.claims != SITE.claims  # where a claim stands is part of what it is
    files = {f.path: f.content for f in renderer.render(moved, Diagnostics())}
    assert renderer.rendered == ()  # but no page shows it
    assert files == render(moved)[0]


def _paths(plans: tuple[PagePlan, ...] | None) -> set[str]:
    assert plans is not None, "a rebuild after one edit plans some pages, not all"
    return {plan.path for plan in plans}


def test_an_edit_plans_again_only_the_pages_that_read_what_it_changed() -> None:
    planner = PagePlanner()
    first = planner.plan(SITE, Diagnostics())
    assert first.fresh is None  # the first build plans every page
    summary = replace(REMAINS, claim=replace(REMAINS.claim, summary="A new analysis."))
    planned = planner.plan(replace(SITE, claims=(ULTIMATUM, summary)), Diagnostics())
    # The claim's page and the pages that show its quotes; the machine-read files are always
    # planned again. The lists only show the claim's card, which is as it was.
    assert _paths(planned.fresh) == {
        "claims/remains-exchange/index.html",
        "articles/icaro-talks/index.html",
        "articles/b-report/index.html",
        "outlets/icaro-media-group/index.html",
        "outlets/outlet-b/index.html",
        "feed.xml",
        "robots.txt",
        "sitemap.xml",
    }
    assert planned.gone == frozenset()
    # Every other plan is the last build's.
    before = {plan.path: plan for plan in first.plans}
    assert all(
        before[plan.path] is plan
        for plan in planned.plans
        if plan.path not in _paths(planned.fresh)
    )


def test_a_claim_that_starts_quoting_an_article_is_shown_on_its_page() -> None:
    """The article's page never read the claim before the edit: the edit's changed inputs
    (who quotes the article) must name it all the same."""
    renderer = Renderer((DEFAULT_TEMPLATES,))
    renderer.render(SITE, Diagnostics())
    quotes = (*ULTIMATUM.quotes, resolve(OUTLET_B, "No date was set.", stance="context"))
    widened = ResolvedClaim(replace(ULTIMATUM.claim, quotes=tuple(q.quote for q in quotes)), quotes)
    site = replace(SITE, claims=(widened, REMAINS))
    files = {f.path: f.content for f in renderer.render(site, Diagnostics())}
    assert {"articles/b-report/index.html", "outlets/outlet-b/index.html"} <= set(renderer.rendered)
    assert b"/claims/memo-ultimatum/" in files["articles/b-report/index.html"]
    assert files == render(site)[0]
    # And back: the claim no longer quotes it, so the page no longer lists it.
    files = {f.path: f.content for f in renderer.render(SITE, Diagnostics())}
    assert b"/claims/memo-ultimatum/" not in files["articles/b-report/index.html"]
    assert files == render(SITE)[0]


def test_a_claim_removed_and_a_claim_added_plan_their_pages() -> None:
    planner = PagePlanner()
    planner.plan(SITE, Diagnostics())
    planned = planner.plan(replace(SITE, claims=(REMAINS,)), Diagnostics())
    assert "claims/memo-ultimatum/index.html" in planned.gone
    assert "articles/icaro-talks/index.html" in _paths(planned.fresh)
    assert "index.html" in _paths(planned.fresh)  # the lists lost a claim
    planned = planner.plan(SITE, Diagnostics())
    assert planned.gone == frozenset()
    assert "claims/memo-ultimatum/index.html" in _paths(planned.fresh)


def render_in_workers(
    monkeypatch: pytest.MonkeyPatch, dirs: tuple[Path, ...] = ()
) -> tuple[dict[str, bytes], Diagnostics]:
    """`render` as a one-off build of a large site does it: in two forked processes."""
    monkeypatch.setattr("site_builder.output.render.PARALLEL_FROM", 1)
    diagnostics = Diagnostics()
    files = Renderer((*dirs, DEFAULT_TEMPLATES), workers=2).render(SITE, diagnostics)
    return {f.path: f.content for f in files}, diagnostics


def test_pages_rendered_in_worker_processes_are_the_same_bytes(
    output: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    files, diagnostics = render_in_workers(monkeypatch)
    assert diagnostics.items == []
    assert files == output


def test_a_template_error_in_a_worker_is_reported_as_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "tag.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n{{ 1 + tag }}\n{{ no_such_name }}\n'
        "{% endblock %}\n"
    )
    alone, found_alone = render(dirs=(templates,))
    together, found_together = render_in_workers(monkeypatch, (templates,))
    assert found_together.items == found_alone.items
    assert found_together.items[0].location == Location("templates/tag.html", 3, 1)
    assert together == alone
