"""Open data and structured data of the real site: claims.json against its schema, every Web
Annotation's selectors against the article text, and one complete ClaimReview per claim page."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from site_builder.build.builder import load_site
from site_builder.cli.main import main
from site_builder.diagnostics import Diagnostics
from site_builder.model import Site
from site_builder.pages.open_data import CONTEXT_CHARS

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "site_builder/schemas/claims-json.schema.json"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "output"
    assert main(["build", "--root", str(ROOT), "--out", str(out), "--strict"]) == 0
    return out


@pytest.fixture(scope="module")
def site() -> Site:
    loaded = load_site(ROOT, Diagnostics())
    assert loaded is not None
    return loaded


def test_claims_json_validates_against_its_schema(built: Path, site: Site) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    document = json.loads((built / "claims.json").read_bytes().decode("utf-8"))
    jsonschema.Draft202012Validator(schema).validate(document)
    assert [c["id"] for c in document["claims"]] == [c.claim.id for c in site.claims]
    sources = {a.article.slug: a.article.source for a in site.articles}
    for claim in document["claims"]:
        assert claim["url"] == f"{site.config.base_url}claims/{claim['id']}/"
        for quote in claim["quotes"]:
            text = sources[quote["article"]]
            for span in quote["spans"]:
                assert text[span["start"] : span["end"]] == span["exact"]
            for sentence in quote["sentences"]:
                assert text[sentence["start"] : sentence["end"]] == sentence["text"]


class _ElementText(HTMLParser):
    """The textContent of the element with a given id, as a browser's DOM would give it."""

    def __init__(self, element_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.element_id = element_id
        self.parts: list[str] = []
        self.found = False
        self._depth = 0  # open elements inside (and including) the one wanted

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._depth:
            self._depth += tag not in VOID
        elif dict(attrs).get("id") == self.element_id:
            self.found, self._depth = True, 1

    def handle_endtag(self, tag: str) -> None:
        if self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.parts.append(data)


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


def element_text(html: str, element_id: str) -> str:
    parser = _ElementText(element_id)
    parser.feed(html)
    parser.close()
    assert parser.found, f"no element with id {element_id!r}"
    return "".join(parser.parts)


def test_every_annotation_selects_its_exact_words_on_the_page_it_names(
    built: Path, site: Site
) -> None:
    """Selectors count in the #article-text of the article page (not in the Markdown file)."""
    document = json.loads((built / "annotations.jsonld").read_bytes().decode("utf-8"))
    assert document["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert document["type"] == "AnnotationCollection"
    assert '"article-text"' in document["dc:description"]
    items = document["first"]["items"]
    assert document["total"] == len(items) == sum(len(c.quotes) for c in site.claims)
    assert len({item["id"] for item in items}) == len(items)
    texts = {
        f"{site.config.base_url}articles/{a.article.slug}/": element_text(
            (built / "articles" / a.article.slug / "index.html").read_text(encoding="utf-8"),
            "article-text",
        )
        for a in site.articles
    }
    claims = json.loads((built / "claims.json").read_bytes().decode("utf-8"))
    quoted = [[span["exact"] for span in q["spans"]] for c in claims["claims"] for q in c["quotes"]]
    assert len(quoted) == len(items)
    for item, source_words in zip(items, quoted, strict=True):
        assert item["type"] == "Annotation"
        assert item["motivation"] in {"assessing", "commenting"}
        assert any(body.get("purpose") == "linking" for body in item["body"])
        assert len(item["target"]) == len(source_words)
        for target, words in zip(item["target"], source_words, strict=True):
            text = texts[target["source"]]
            quote, position = target["selector"]
            assert quote["type"] == "TextQuoteSelector"
            assert position["type"] == "TextPositionSelector"
            start, end = position["start"], position["end"]
            assert text[start:end] == quote["exact"] != ""
            # The page shows the words the editor quoted (the real articles have no inline
            # Markdown inside a quote; only line breaks may differ).
            assert quote["exact"].split() == words.split()
            assert len(quote["prefix"]) >= min(CONTEXT_CHARS, start)
            assert text[start - len(quote["prefix"]) : start] == quote["prefix"]
            assert text[end : end + len(quote["suffix"])] == quote["suffix"]
            whole = quote["prefix"] + quote["exact"] + quote["suffix"]
            assert sum(text.startswith(whole, at) for at in range(len(text))) == 1
            assert "quoted in" not in text and "claim 1" not in text


def test_open_data_is_deterministic_utf8_with_sorted_keys(built: Path) -> None:
    for name in ("claims.json", "annotations.jsonld"):
        raw = (built / name).read_bytes()
        value = json.loads(raw.decode("utf-8"))
        again = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
        assert raw == again.encode("utf-8"), name


class _JsonLd(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._inside = tag == "script" and dict(attrs).get("type") == "application/ld+json"
        if self._inside:
            self.blocks.append("")

    def handle_endtag(self, tag: str) -> None:
        self._inside = False

    def handle_data(self, data: str) -> None:
        if self._inside:
            self.blocks[-1] += data


def test_every_claim_page_has_one_complete_claim_review(built: Path, site: Site) -> None:
    config = site.config
    ratings = [r.key for r in config.ratings]
    articles = {a.article.slug: a.article for a in site.articles}
    assert site.claims
    for resolved in site.claims:
        claim = resolved.claim
        parser = _JsonLd()
        parser.feed((built / "claims" / claim.id / "index.html").read_text(encoding="utf-8"))
        reviews = [json.loads(block) for block in parser.blocks]
        reviews = [r for r in reviews if r.get("@type") == "ClaimReview"]
        assert len(reviews) == len(parser.blocks) == 1, claim.id
        review = reviews[0]
        assert review["@context"] == "https://schema.org"
        assert review["url"] == f"{config.base_url}claims/{claim.id}/"
        assert review["claimReviewed"] == claim.claim
        assert review["datePublished"] == claim.reviewed.isoformat()
        assert review["author"]["name"] == config.publisher.name
        assert review["author"].get("url") == config.publisher.url
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating"
        assert rating["ratingValue"] == len(ratings) - ratings.index(claim.verdict)
        assert rating["bestRating"] == len(ratings)
        assert rating["worstRating"] == 1
        assert rating["alternateName"] == config.rating(claim.verdict).label  # type: ignore[union-attr]
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        # Appearances are where the claim is made: the articles a quote of which supports it
        # (or in part), never those that only contradict it or give context.
        making = [
            articles[s]
            for s in dict.fromkeys(
                q.quote.article for q in resolved.quotes if q.quote.stance in ("supports", "mixed")
            )
        ]
        if not making:
            assert "appearance" not in item and "firstAppearance" not in item, claim.id
            continue
        appearance = item["appearance"]
        assert [a["headline"] for a in appearance] == [a.title for a in making], claim.id
        for work, article in zip(appearance, making, strict=True):
            assert work["author"]["name"] == article.outlet
            assert work.get("url") == article.url
            published = article.published.isoformat() if article.published else None
            assert work.get("datePublished") == published
        dated = [a for a in making if a.published]
        first = min(dated, key=lambda a: a.published) if dated else making[0]  # type: ignore[arg-type,return-value]
        assert item["firstAppearance"]["headline"] == first.title, claim.id


def test_open_data_put_together_from_pieces_is_what_one_dump_writes(site: Site) -> None:
    """OpenData serialises each claim once and splices the pieces; the bytes must be exactly
    those of serialising each whole document, for this site, a site with no claims, and again
    after a claim changed (the pieces of the others reused)."""
    from dataclasses import replace

    from site_builder.pages.open_data import OpenData, _dump, annotations_document, claims_document

    def whole(s: Site) -> dict[str, bytes]:
        return {
            "annotations.jsonld": _dump(annotations_document(s)),
            "claims.json": _dump(claims_document(s)),
        }

    data = OpenData()
    assert dict(data.files(site)) == whole(site)
    first = site.claims[0]
    edited = replace(
        site,
        claims=(replace(first, claim=replace(first.claim, claim="Edited.")), *site.claims[1:]),
    )
    assert dict(data.files(edited)) == whole(edited)
    empty = replace(site, claims=(), articles=())
    assert dict(OpenData().files(empty)) == whole(empty)
