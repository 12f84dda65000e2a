"""Editors' files -> Article, Page and Claim values with their source locations.

In: the site root (content/articles/*.md, content/pages/*.md, claims.yaml) and the SiteConfig.
Out: tuples of frozen `Article`, `Page` and `Claim` values, sorted (articles and pages by slug,
claims in file order). Everything wrong with the input is reported as a located diagnostic; a
file or claim that cannot be used is left out so the rest can still be checked in the same run.
claims.yaml is read by load/claims.py (`load_claims`, and `ClaimsLoader` for reading it again and
again); its names are available here too.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostics, Location
from ..model import Article, Page, SiteConfig
from .claims import CLAIMS_MAX_BYTES as CLAIMS_MAX_BYTES
from .claims import MAX_CLAIM_LENGTH as MAX_CLAIM_LENGTH
from .claims import ClaimsLoader as ClaimsLoader
from .claims import load_claims as load_claims
from .schemas import parse_date as parse_date
from .schemas import validate_document
from .source import ARTICLES_DIR as ARTICLES_DIR
from .source import CLAIMS_FILE as CLAIMS_FILE
from .source import PAGES_DIR as PAGES_DIR
from .source import no_links_below, read_source, relative_name, resolves_inside
from .yamlsource import YamlDocument, parse_yaml

_CLOSING_LINE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
SLUG = re.compile(r"^(?=.{1,100}$)[a-z0-9]+(?:-[a-z0-9]+)*$")  # at most 100 characters
# Top-level output folders a content page must not take over.
RESERVED_PAGE_SLUGS = frozenset(
    {
        "claims",
        "articles",
        "outlets",
        "tags",
        "ratings",
        "static",
        "index",
        "404",
        "pagefind",
        "page",  # the index's later pages: page/2/, page/3/, ...
    }
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


def markdown_files(root: Path, folder: str, diagnostics: Diagnostics) -> tuple[Path, ...]:
    """The *.md files of `folder`, sorted; files reached through links leaving the root are refused."""
    directory = root / folder
    if not directory.is_dir():
        return ()
    # Directory entries know whether they are links or files without more system calls, which
    # counts with thousands of articles (the dev server lists them on every rebuild).
    plain_folder = no_links_below(directory, root)
    with os.scandir(directory) as scan:
        entries = sorted((e for e in scan if e.name.endswith(".md")), key=lambda e: e.name)
    files = []
    for entry in entries:
        path = directory / entry.name
        if not (plain_folder and not entry.is_symlink()) and not resolves_inside(path, root):
            diagnostics.error(
                Location(relative_name(path, root)),
                "file is a link to a place outside the site folder",
                "Copy the file into the site instead of linking to it.",
            )
            continue
        if entry.is_file():
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
    closing = _CLOSING_LINE.search(text, 4)
    if closing is None:
        diagnostics.error(
            Location(name, 1, 1),
            "front matter is not closed: no second '---' line",
            "Add a line '---' after the last front matter field.",
        )
        return None
    yaml_text = text[4 : closing.start()]
    body_start = closing.end()
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
    if (
        "retrieved" in data
        and parse_date(data["retrieved"], front.document.location("retrieved"), diagnostics) is None
    ):
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
        source_file=data.get("source_file"),
        source_sha256=data.get("source_sha256"),
        digest_location=(
            front.document.location("source_sha256") if "source_sha256" in data else None
        ),
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
