"""A new site folder: `site-builder new DIR`.

In: an empty (or missing) folder, the site's title and base URL, today's date. Out: the files of a
site that builds with `--strict` at once (site settings with the five-level scale and its rules,
a methodology and an about page to fill in, two short example articles and one example claim
quoting them, the editors' schemas, .gitignore and a GitHub Pages workflow), or `ScaffoldError`.

The files are those under site_builder/scaffold/site/, with @TITLE@, @BASE_URL@ and @TODAY@
filled in; "gitignore" and "github/" become ".gitignore" and ".github/" (a package keeps no
hidden files). A folder with anything in it is refused, and no file is ever overwritten: each
is created exclusively.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from ..load.editor_schema import editor_schema, write_schema

_BASE_URL = re.compile(r"^https?://[^\s/]+(/[^\s]*)?$")
DEFAULT_TITLE = "Fact checks"
DEFAULT_BASE_URL = "https://example.org/"
_HIDDEN = {"gitignore": ".gitignore", "github": ".github"}


class ScaffoldError(Exception):
    """Why the site cannot be made: a message and a hint, for the command to print."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


def new_site(
    root: Path,
    title: str = DEFAULT_TITLE,
    base_url: str = DEFAULT_BASE_URL,
    today: dt.date | None = None,
) -> list[Path]:
    """Make a new site in `root` (created if missing, refused unless empty); the files written,
    relative to `root`, in the order written."""
    if not title.strip():
        raise ScaffoldError("--title is empty", "give the site's name, e.g. --title 'Talks Check'")
    if not _BASE_URL.match(base_url):
        raise ScaffoldError(
            f"--base-url {base_url!r} is not an http(s) address",
            "give where the site will be published, e.g. https://checks.example.org/",
        )
    if root.exists() and not root.is_dir():
        raise ScaffoldError("this is a file, not a folder", "choose a new folder's name")
    if root.is_dir() and any(root.iterdir()):
        raise ScaffoldError(
            "the folder is not empty",
            "site-builder new makes a site in a new or empty folder and never overwrites a file;"
            " choose another folder",
        )
    values = {
        "@TITLE@": json.dumps(title.strip(), ensure_ascii=False),  # a YAML double-quoted scalar
        "@BASE_URL@": base_url.rstrip("/") + "/",
        "@TODAY@": (today or dt.date.today()).isoformat(),
    }
    root.mkdir(parents=True, exist_ok=True)
    written = []
    for relative, source in _files(resources.files(__package__).joinpath("site"), Path()):
        text = source.read_text(encoding="utf-8")
        for placeholder, value in values.items():
            text = text.replace(placeholder, value)
        _create(root / relative, text)
        written.append(relative)
    for name in ("site", "claims"):
        schema, _ = editor_schema(name, root)
        written.append(write_schema(root, name, schema).relative_to(root))
    return written


def _files(folder: Traversable, at: Path) -> list[tuple[Path, Traversable]]:
    """Every file under `folder`, by its path in the new site, in a fixed order."""
    found = []
    for item in sorted(folder.iterdir(), key=lambda entry: entry.name):
        name = _HIDDEN.get(item.name, item.name) if at == Path() else item.name
        if item.is_dir():
            found.extend(_files(item, at / name))
        elif item.is_file() and not item.name.startswith("."):
            found.append((at / name, item))
    return found


def _create(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as handle:  # never overwrites
        handle.write(text)
