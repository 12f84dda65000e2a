"""The real site in this repository builds strictly, with every page and HTML hook readers rely on."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from site_builder.build.builder import load_site
from site_builder.cli.main import main
from site_builder.diagnostics import Diagnostics

ROOT = Path(__file__).resolve().parent.parent


class Hooks(HTMLParser):
    """Collects the attributes tests rely on: ids, data-article elements, marks, JSON-LD scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.articles: list[str] = []
        self.marks_in_article: dict[str, int] = {}
        self.ld_json = 0
        self._article_stack: list[tuple[str, int]] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag not in {"br", "img", "meta", "link", "input", "hr"}:
            self._depth += 1
        if attributes.get("id"):
            self.ids.append(str(attributes["id"]))
        if "data-article" in attributes:
            slug = str(attributes["data-article"])
            self.articles.append(slug)
            self._article_stack.append((slug, self._depth))
        if tag == "mark" and self._article_stack:
            slug = self._article_stack[-1][0]
            self.marks_in_article[slug] = self.marks_in_article.get(slug, 0) + 1
        if tag == "script" and attributes.get("type") == "application/ld+json":
            self.ld_json += 1

    def handle_endtag(self, tag: str) -> None:
        if self._article_stack and self._article_stack[-1][1] == self._depth:
            self._article_stack.pop()
        self._depth -= 1


def hooks(path: Path) -> Hooks:
    parser = Hooks()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("real") / "output"
    assert main(["build", "--root", str(ROOT), "--out", str(out), "--strict"]) == 0
    return out


@pytest.fixture(scope="module")
def site():  # type: ignore[no-untyped-def]
    diagnostics = Diagnostics()
    loaded = load_site(ROOT, diagnostics)
    assert loaded is not None and diagnostics.items == []
    return loaded


def test_every_claim_and_article_has_its_page(built: Path) -> None:
    claims = yaml.safe_load((ROOT / "claims.yaml").read_text(encoding="utf-8"))["claims"]
    articles = sorted(p.stem for p in (ROOT / "content/articles").glob("*.md"))
    assert len(articles) == 5
    assert (built / "index.html").is_file()
    for claim in claims:
        assert (built / "claims" / claim["id"] / "index.html").is_file(), claim["id"]
    for slug in articles:
        assert (built / "articles" / slug / "index.html").is_file(), slug


def test_claim_pages_show_each_quoted_article_once_with_marked_words(built: Path, site) -> None:  # type: ignore[no-untyped-def]
    for resolved in site.claims:
        page = hooks(built / "claims" / resolved.claim.id / "index.html")
        quoted = sorted({q.quote.article for q in resolved.quotes})
        assert sorted(page.articles) == quoted, resolved.claim.id
        for slug in quoted:
            assert page.marks_in_article.get(slug, 0) >= 1, (resolved.claim.id, slug)
        assert page.ld_json == 1


def test_article_pages_anchor_every_sentence(built: Path, site) -> None:  # type: ignore[no-untyped-def]
    for segmented in site.articles:
        ids = hooks(built / "articles" / segmented.article.slug / "index.html").ids
        expected = [f"s-{s.number}" for s in segmented.sentences]
        assert [i for i in ids if i.startswith("s-")] == expected


def test_the_real_content_meets_the_editorial_bar(site) -> None:  # type: ignore[no-untyped-def]
    quotes_per_article: dict[str, int] = {}
    for resolved in site.claims:
        for quote in resolved.quotes:
            quotes_per_article[quote.quote.article] = (
                quotes_per_article.get(quote.quote.article, 0) + 1
            )
    assert len(site.claims) >= 12
    assert all(count >= 2 for count in quotes_per_article.values()) and len(quotes_per_article) == 5
    wide = [c for c in site.claims if len({q.quote.article for q in c.quotes}) >= 3]
    assert len(wide) >= 4
