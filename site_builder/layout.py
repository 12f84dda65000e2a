"""Where a site's files live: the folder names every stage agrees on.

In: a site root. Out: the paths of the editors' files relative to it, and the template folders
in lookup order (the site's own `templates/` first, file by file over the built-in ones that ship
inside this package).
"""

from __future__ import annotations

from pathlib import Path

ARTICLES_DIR = "content/articles"
PAGES_DIR = "content/pages"
SITE_FILE = "content/site.yaml"
CLAIMS_FILE = "claims.yaml"
TEMPLATES_DIR = "templates"
# Where `site-builder schema NAME --write` puts a site's own schemas, for the modelines of
# claims.yaml (./content/schemas/claims.schema.json) and content/site.yaml (./schemas/...).
SCHEMAS_DIR = "content/schemas"

# The built-in templates and static files: package data in an installed wheel. (In a source
# checkout this is a link to the repository's top-level templates/ folder.)
BUILTIN_TEMPLATES = Path(__file__).resolve().parent / TEMPLATES_DIR


def template_dirs(root: Path) -> tuple[Path, ...]:
    """The site's own templates/ first (it may override any file), then the built-in ones."""
    unique: list[Path] = []
    for directory in (root / TEMPLATES_DIR, BUILTIN_TEMPLATES):
        if directory.is_dir() and directory.resolve() not in {d.resolve() for d in unique}:
            unique.append(directory)
    return tuple(unique)
