"""Bringing articles in: `site-builder import FILE...`.

In: saved web pages (.html, .htm) and plain text copies (.txt), with what the editor gives on the
command line. Out: `content/articles/<slug>.md` (front matter and the reporting, verbatim) and the
original kept unchanged as `content/sources/<slug>.<ext>`, its SHA-256 and the import date in the
front matter; or an `ImportProblem` located in the file.

The article text of a page is found by trafilatura (html.py); its front matter comes from the
page's own metadata, never guessed. A text file's first line is its headline (text.py). Nothing
is fetched: a URL is refused with the advice to save the page first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..diagnostics import Diagnostic, Location
from ..layout import ARTICLES_DIR
from ..model import Article
from .found import Found, ImportProblem
from .html import from_html
from .text import from_text

SOURCES_DIR = "content/sources"
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")
SLUG_WORDS = 8  # a slug from a headline keeps at most this many words
KINDS = {".html": "html", ".htm": "html", ".txt": "text"}

__all__ = ["ImportProblem", "Imported", "Options", "import_file", "kept_originals"]


@dataclass(frozen=True)
class Options:
    """What the editor gives on the command line; None: what the page says, if anything."""

    outlet: str | None = None
    slug: str | None = None
    url: str | None = None
    published: dt.date | None = None
    force: bool = False
    today: dt.date | None = None


@dataclass(frozen=True)
class Imported:
    """An article written: where, and where its original is kept."""

    article: Path
    source: Path
    found: Found


def import_file(root: Path, name: str, options: Options) -> Imported:
    """Import the file `name` (a path, not a URL) into the site at `root`."""
    if _URL.match(name):
        raise ImportProblem(
            name,
            "is a web address: site-builder never downloads anything",
            "save the page first (your browser's Save Page As, or curl -o page.html URL) and"
            " import the saved file",
        )
    path = Path(name)
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        raise ImportProblem(
            name,
            f"is not a web page or a text file ({path.suffix or 'no extension'})",
            "import a saved page (.html or .htm) or a plain text copy (.txt)",
        )
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ImportProblem(name, f"cannot be read: {error.strerror or error}") from None
    if not raw.strip():
        raise ImportProblem(name, "is empty", "save the page again: the file has no content")
    found = from_html(name, raw) if kind == "html" else from_text(name, raw, options.outlet)
    found = _with_options(name, found, options)
    slug = options.slug or slugify(found.title)
    if not slug:
        raise ImportProblem(name, "gives no headline to name the article by", "give --slug")
    article = root / ARTICLES_DIR / f"{slug}.md"
    source = root / SOURCES_DIR / f"{slug}{path.suffix.lower()}"
    if article.exists() and not options.force:
        raise ImportProblem(
            name,
            f"would replace {ARTICLES_DIR}/{slug}.md, which exists",
            "give another --slug, or --force to replace it (then site-builder check reports the"
            " quotes that no longer match)",
        )
    digest = hashlib.sha256(raw).hexdigest()
    retrieved = options.today or dt.date.today()
    text = front_matter(found, f"{SOURCES_DIR}/{source.name}", digest, retrieved) + found.body
    source.parent.mkdir(parents=True, exist_ok=True)
    article.parent.mkdir(parents=True, exist_ok=True)
    source.write_bytes(raw)
    article.write_text(text, encoding="utf-8", newline="\n")
    return Imported(article, source, found)


def _with_options(name: str, found: Found, options: Options) -> Found:
    """What the page says, with what the command line gives over it."""
    if options.outlet:
        found = replace(found, outlet=options.outlet.strip())
    if options.url:
        if not re.match(r"^https?://", options.url):
            raise ImportProblem(name, f"--url {options.url!r} is not an http(s) address")
        found = replace(found, url=options.url)
    if options.published:
        found = replace(found, published=options.published)
    if not found.outlet:
        raise ImportProblem(
            name,
            "does not say who published it",
            "give --outlet NAME: the publisher's name is never guessed",
        )
    return found


def front_matter(found: Found, source_file: str, digest: str, retrieved: dt.date) -> str:
    """The article's front matter: each value a YAML double-quoted string, dates bare."""
    fields: list[tuple[str, str]] = [
        ("title", _quoted(found.title)),
        ("outlet", _quoted(found.outlet or "")),
    ]
    if found.standfirst:
        fields.append(("standfirst", _quoted(found.standfirst)))
    if found.url:
        fields.append(("url", _quoted(found.url)))
    if found.published:
        fields.append(("published", found.published.isoformat()))
    if found.author:
        fields.append(("author", _quoted(found.author)))
    fields += [
        ("source_file", _quoted(source_file)),
        ("source_sha256", digest),
        ("retrieved", retrieved.isoformat()),
    ]
    return "---\n" + "".join(f"{key}: {value}\n" for key, value in fields) + "---\n"


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def slugify(headline: str) -> str:
    """A slug from a headline: ASCII, lowercase, hyphens, its first SLUG_WORDS words."""
    ascii_text = unicodedata.normalize("NFKD", headline).encode("ascii", "ignore").decode()
    words = _SLUG_JUNK.sub(" ", ascii_text.lower()).split()
    return "-".join(words[:SLUG_WORDS])


def kept_originals(root: Path, articles: Sequence[Article]) -> list[Diagnostic]:
    """A warning for each imported article whose kept original is gone or no longer has the
    digest recorded in its front matter (the evidence changed after it was imported)."""
    found = []
    for article in articles:
        if article.source_file is None or article.source_sha256 is None:
            continue
        where = article.digest_location or Location(article.path)
        try:
            digest = hashlib.sha256((root / article.source_file).read_bytes()).hexdigest()
        except OSError:
            found.append(
                Diagnostic(
                    "warning",
                    where,
                    f"the kept original {article.source_file} is missing",
                    "put the imported file back (it is the evidence of what was published), or"
                    " import the page again with --force",
                )
            )
            continue
        if digest != article.source_sha256:
            found.append(
                Diagnostic(
                    "warning",
                    where,
                    f"the kept original {article.source_file} no longer matches its recorded"
                    f" digest (it is now {digest[:12]}…)",
                    "the original changed after it was imported: restore it, or, if the outlet"
                    " corrected the page, import the new copy with --force and note the change"
                    " in the claims' updates",
                )
            )
    return found
