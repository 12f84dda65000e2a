"""A site's folder -> the JSON Schemas its editors' YAML tools read, with the site's own values.

In: a schema name and a site root. Out: the schema with, for claims.yaml, the site's rating keys
(content/site.yaml) and article slugs (content/articles/) as the only values of `verdict` and a
quote's `article`; and, on request, that schema written into the site under content/schemas/,
where the modelines of claims.yaml and content/site.yaml can name it by a relative path that
works wherever the site is kept (the package's own copy is inside site-packages).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostics, Location
from ..layout import ARTICLES_DIR, SCHEMAS_DIR, SITE_FILE
from .articles import SLUG
from .config import load_config
from .schemas import SCHEMA_NAMES, site_schema


def editor_schema(name: str, root: Path) -> tuple[dict[str, Any], Diagnostics]:
    """The schema `name` for the site at `root`, and what was wrong with the site's settings
    (then the rating keys are left open)."""
    diagnostics = Diagnostics()
    if name != "claims":
        return site_schema(name), diagnostics
    if not (root / SITE_FILE).is_file():
        diagnostics.warning(
            Location(SITE_FILE),
            "no site settings here: the schema's verdicts and articles are left open",
            "run it in the site's folder, or name the folder with --root",
        )
        return site_schema(name), diagnostics
    config = load_config(root, diagnostics)
    ratings = [rating.key for rating in config.ratings] if config is not None else []
    articles = sorted(
        path.stem for path in (root / ARTICLES_DIR).glob("*.md") if SLUG.match(path.stem)
    )
    return site_schema(name, ratings, articles), diagnostics


def stale_schemas(root: Path, diagnostics: Diagnostics) -> None:
    """Warn about each schema written into the site that no longer says what `schema NAME`
    would write now (an article or a rating was added since): the editor would mark the new
    value as an error, or offer one that is gone."""
    for path in sorted((root / SCHEMAS_DIR).glob("*.schema.json")):
        name = path.name.removesuffix(".schema.json")
        if name not in SCHEMA_NAMES:
            continue
        try:
            written = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            written = None
        if written != editor_schema(name, root)[0]:
            diagnostics.warning(
                Location(path.relative_to(root).as_posix()),
                "this schema no longer matches the site (its articles or ratings changed)",
                f"write it again: site-builder schema {name} --write",
            )


def write_schema(root: Path, name: str, schema: dict[str, Any]) -> Path:
    """Write `schema` as content/schemas/<name>.schema.json under `root`; the path written."""
    path = root / SCHEMAS_DIR / f"{name}.schema.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
