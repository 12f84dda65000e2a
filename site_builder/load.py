"""Editors' files -> Article, Page and Claim values with their source locations.

In: the site root (content/articles/*.md, content/pages/*.md, claims.yaml) and the SiteConfig.
Out: tuples of frozen `Article`, `Page` and `Claim` values, sorted (articles and pages by slug,
claims in file order). Everything wrong with the input is reported as a located diagnostic; a
file or claim that cannot be used is left out so the rest can still be checked in the same run.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostics, Location
from .model import Article, Claim, Page, Quote, SiteConfig
from .source import read_source, relative_name
from .validate import validate_document
from .yamlsource import YamlDocument, parse_yaml

ARTICLES_DIR = "content/articles"
PAGES_DIR = "content/pages"
CLAIMS_FILE = "claims.yaml"
CLAIMS_MAX_BYTES = 50 * 1024 * 1024
MAX_CLAIM_LENGTH = 75  # Google's ClaimReview guideline for claimReviewed

SLUG = re.compile(r"^(?=.{1,100}$)[a-z0-9]+(?:-[a-z0-9]+)*$")  # at most 100 characters
# Top-level output folders a content page must not take over.
RESERVED_PAGE_SLUGS = frozenset(
    {"claims", "articles", "outlets", "tags", "ratings", "static", "index", "404", "pagefind"}
)


@dataclass(frozen=True)
class FrontMatter:
    """A Markdown file split into its YAML front matter and the offset where the body starts."""

    document: YamlDocument
    body_start: int


def slugify(text: str) -> str:
    """A URL slug for free text: lowercase ASCII words joined by hyphens."""
    ascii_text = text.lower().encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def parse_date(value: str, location: Location, diagnostics: Diagnostics) -> dt.date | None:
    """A YYYY-MM-DD string as a date, or a diagnostic when no such day exists."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        diagnostics.error(location, f"'{value}' is not a real date", "Check the month and day.")
        return None


def markdown_files(root: Path, folder: str, diagnostics: Diagnostics) -> tuple[Path, ...]:
    """The *.md files of `folder`, sorted; files reached through links leaving the root are refused."""
    directory = root / folder
    if not directory.is_dir():
        return ()
    files = []
    resolved_root = root.resolve()
    for path in sorted(directory.glob("*.md")):
        if not path.resolve().is_relative_to(resolved_root):
            diagnostics.error(
                Location(relative_name(path, root)),
                "file is a link to a place outside the site folder",
                "Copy the file into the site instead of linking to it.",
            )
            continue
        if path.is_file():
            files.append(path)
    return tuple(files)


def split_front_matter(
    text: str, name: str, diagnostics: Diagnostics, schema: str
) -> FrontMatter | None:
    """Parse and validate the `---` delimited YAML at the top of a Markdown file."""
    if not text.startswith("---\n"):
        diagnostics.error(
            Location(name, 1, 1),
            "no front matter: the file must begin with a line '---'",
            "Start the file with ---, then title: and outlet: lines, then --- and the text.",
        )
        return None
    closing = re.search(r"^(?:---|\.\.\.)[ \t]*$", text[4:], flags=re.MULTILINE)
    if closing is None:
        diagnostics.error(
            Location(name, 1, 1),
            "front matter is not closed: no second '---' line",
            "Add a line '---' after the last front matter field.",
        )
        return None
    yaml_text = text[4 : 4 + closing.start()]
    body_start = 4 + closing.end()
    if text[body_start : body_start + 1] == "\n":
        body_start += 1
    document = parse_yaml(yaml_text, name, diagnostics, line_offset=1)
    if document is None:
        return None
    if not isinstance(document.data, dict):
        diagnostics.error(Location(name, 2, 1), "front matter must be a mapping of keys to values")
        return None
    if validate_document(document, schema, diagnostics):
        return None
    return FrontMatter(document, body_start)


def load_articles(
    root: Path, config: SiteConfig | None, diagnostics: Diagnostics
) -> tuple[Article, ...]:
    """Every content/articles/*.md that parses and validates, sorted by slug."""
    articles = []
    for path in markdown_files(root, ARTICLES_DIR, diagnostics):
        article = load_article(path, root, config, diagnostics)
        if article is not None:
            articles.append(article)
    return tuple(articles)


def load_article(
    path: Path, root: Path, config: SiteConfig | None, diagnostics: Diagnostics
) -> Article | None:
    """One article file -> Article, or None with diagnostics."""
    name = relative_name(path, root)
    slug = path.stem
    if not SLUG.match(slug):
        diagnostics.error(
            Location(name),
            f"article file name '{path.name}' is not a slug",
            f"Rename it to '{slugify(slug)[:100].strip('-') or 'article'}.md': lowercase letters, digits and hyphens, at most 100 characters.",
        )
        return None
    text = read_source(path, root, diagnostics)
    if text is None:
        return None
    front = split_front_matter(text, name, diagnostics, "article")
    if front is None:
        return None
    data: dict[str, Any] = front.document.data
    published = None
    if "published" in data:
        published = parse_date(data["published"], front.document.location("published"), diagnostics)
        if published is None:
            return None
    if not text[front.body_start :].strip():
        diagnostics.warning(
            Location(name, text.count("\n", 0, front.body_start) + 1, 1), "article has no text"
        )
    return Article(
        slug=slug,
        path=name,
        source=text,
        body_start=front.body_start,
        title=data["title"].strip(),
        outlet=data["outlet"].strip(),
        outlet_slug=slugify(data["outlet"]),
        standfirst=(data.get("standfirst") or "").strip() or None,
        url=data.get("url"),
        published=published,
        author=data.get("author"),
        language=data.get("language") or (config.language if config else "en"),
    )


def load_pages(root: Path, diagnostics: Diagnostics) -> tuple[Page, ...]:
    """Every content/pages/*.md -> Page, sorted by slug."""
    pages = (
        load_page(path, root, diagnostics) for path in markdown_files(root, PAGES_DIR, diagnostics)
    )
    return tuple(page for page in pages if page is not None)


def load_page(path: Path, root: Path, diagnostics: Diagnostics) -> Page | None:
    """One content page file -> Page, or None with diagnostics."""
    name = relative_name(path, root)
    if not SLUG.match(path.stem) or path.stem in RESERVED_PAGE_SLUGS:
        diagnostics.error(
            Location(name),
            f"page file name '{path.name}' cannot be used",
            "Use a lowercase slug of at most 100 characters that is not one of: "
            + ", ".join(sorted(RESERVED_PAGE_SLUGS)),
        )
        return None
    text = read_source(path, root, diagnostics)
    if text is None:
        return None
    front = split_front_matter(text, name, diagnostics, "page")
    if front is None:
        return None
    title = front.document.data["title"].strip()
    return Page(path.stem, name, title, text[front.body_start :])


def load_claims(
    root: Path,
    config: SiteConfig | None,
    article_slugs: Iterable[str],
    diagnostics: Diagnostics,
) -> tuple[Claim, ...]:
    """claims.yaml -> the claims that are valid, in file order; problems become diagnostics."""
    path = root / CLAIMS_FILE
    if not path.is_file():
        diagnostics.error(
            Location(CLAIMS_FILE), "claims.yaml not found", "Create it with a 'claims:' list."
        )
        return ()
    text = read_source(path, root, diagnostics, max_bytes=CLAIMS_MAX_BYTES)
    if text is None:
        return ()
    doc = parse_yaml(text, CLAIMS_FILE, diagnostics)
    if doc is None:
        return ()
    if not isinstance(doc.data, dict):
        diagnostics.error(doc.location(), "claims.yaml must be a mapping with a 'claims:' list")
        return ()
    invalid = validate_document(doc, "claims", diagnostics)
    if not isinstance(doc.data.get("claims"), list):
        return ()
    broken = {path[1] for path in invalid if len(path) > 1}
    checker = _ClaimChecker(doc, config, tuple(sorted(set(article_slugs))), diagnostics)
    claims = []
    for index, entry in enumerate(doc.data["claims"]):
        if index in broken:
            checker.remember_id(index, entry)
            continue
        claim = checker.claim(index, entry)
        if claim is not None:
            claims.append(claim)
    return tuple(claims)


class _ClaimChecker:
    """The checks on claims.yaml that a JSON Schema cannot express (cross-references, dates)."""

    def __init__(
        self,
        doc: YamlDocument,
        config: SiteConfig | None,
        article_slugs: tuple[str, ...],
        diagnostics: Diagnostics,
    ) -> None:
        self.doc = doc
        self.config = config
        self.article_slugs = article_slugs
        self.diagnostics = diagnostics
        self.ids: dict[str, Location] = {}

    def remember_id(self, index: int, entry: Any) -> bool:
        """Record a claim id; False (with an error) when an earlier claim has it."""
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            return True
        claim_id, here = entry["id"], self.doc.location("claims", index, "id")
        if claim_id in self.ids:
            self.diagnostics.error(
                here,
                f"duplicate claim id '{claim_id}' (first used at line {self.ids[claim_id].line})",
                "Each claim needs its own id; it is the claim page's URL.",
            )
            return False
        self.ids[claim_id] = here
        return True

    def claim(self, index: int, entry: dict[str, Any]) -> Claim | None:
        ok = self.remember_id(index, entry)
        here = self.doc.location("claims", index)
        if self.config is not None and self.config.rating(entry["verdict"]) is None:
            keys = ", ".join(r.key for r in self.config.ratings)
            self.diagnostics.error(
                self.doc.location("claims", index, "verdict"),
                f"unknown verdict '{entry['verdict']}'",
                f"Use one of the ratings in content/site.yaml: {keys}",
            )
            ok = False
        reviewed = parse_date(
            entry["reviewed"], self.doc.location("claims", index, "reviewed"), self.diagnostics
        )
        quotes = [self.quote(index, q_index, q) for q_index, q in enumerate(entry["quotes"])]
        if reviewed is None or not ok or any(q is None for q in quotes):
            return None
        statement = " ".join(entry["claim"].split())
        if len(statement) > MAX_CLAIM_LENGTH:
            self.diagnostics.warning(
                self.doc.location("claims", index, "claim"),
                f"claim is {len(statement)} characters long, over {MAX_CLAIM_LENGTH}",
                "Search engines show at most 75 characters of a ClaimReview's claim; shorten it.",
            )
        outlets = {q.article for q in quotes if q is not None}
        if len(outlets) == 1:
            self.diagnostics.warning(
                here,
                f"claim '{entry['id']}' quotes only one article",
                "A claim page compares outlets; add a quote from another article.",
            )
        return Claim(
            id=entry["id"],
            claim=statement,
            verdict=entry["verdict"],
            reviewed=reviewed,
            tags=tuple(entry.get("tags", ())),
            summary=entry["summary"],
            quotes=tuple(q for q in quotes if q is not None),
            location=here,
        )

    def quote(self, claim_index: int, index: int, entry: dict[str, Any]) -> Quote | None:
        key = ("claims", claim_index, "quotes", index)
        here = self.doc.location(*key)
        ok = True
        if entry["article"] not in self.article_slugs:
            guess = difflib.get_close_matches(entry["article"], self.article_slugs, n=1, cutoff=0.5)
            hint = (
                f"did you mean '{guess[0]}'?"
                if guess
                else "Known articles: " + ", ".join(self.article_slugs)
            )
            self.diagnostics.error(
                self.doc.location(*key, "article"),
                f"unknown article '{entry['article']}': no {ARTICLES_DIR}/{entry['article']}.md",
                hint,
            )
            ok = False
        has_text, has_sentence = "text" in entry, "sentence" in entry
        if has_text == has_sentence:
            self.diagnostics.error(
                here,
                "a quote needs either 'text' or 'sentence'"
                if not has_text
                else "a quote has both 'text' and 'sentence'",
                "Give the article's exact words in 'text' (preferred) or a sentence number in 'sentence'.",
            )
            ok = False
        elif has_text and not entry["text"].strip(" \n\t.…"):
            self.diagnostics.error(
                self.doc.location(*key, "text"), "empty quote", "Copy the article's words here."
            )
            ok = False
        if has_sentence and "occurrence" in entry:
            self.diagnostics.error(
                self.doc.location(*key, "occurrence"), "'occurrence' only applies to a 'text' quote"
            )
            ok = False
        if not ok:
            return None
        return Quote(
            article=entry["article"],
            location=here,
            text=entry.get("text"),
            text_location=self.doc.location(*key, "text") if has_text else None,
            sentence=entry.get("sentence"),
            occurrence=entry.get("occurrence"),
            stance=entry.get("stance"),
            note=entry.get("note"),
        )
