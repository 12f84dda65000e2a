"""content/site.yaml -> SiteConfig.

In: the site root. Out: a validated `SiteConfig`, or None with located diagnostics explaining
what is wrong. `base_url` always ends with "/" so links can be joined to it.
"""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Diagnostics, Location
from ..layout import SITE_FILE
from ..model import RULE_COUNTS, Publisher, Rating, SiteConfig, VerdictRule
from .schemas import validate_document
from .source import read_source
from .yamlsource import parse_yaml


def load_config(
    root: Path, diagnostics: Diagnostics, base_url: str | None = None
) -> SiteConfig | None:
    """Read and validate content/site.yaml under `root`; `base_url` overrides the file's."""
    path = root / SITE_FILE
    if not path.is_file():
        diagnostics.error(
            Location(SITE_FILE),
            "site settings not found",
            "Create content/site.yaml with title, base_url and ratings (see README.md).",
        )
        return None
    text = read_source(path, root, diagnostics)
    if text is None:
        return None
    doc = parse_yaml(text, SITE_FILE, diagnostics)
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        diagnostics.error(doc.location(), "site settings must be a mapping of keys to values")
        return None
    if validate_document(doc, "site", diagnostics):
        return None
    data = doc.data
    ratings = tuple(
        Rating(r["key"], r["label"], r["description"].strip(), _rule(r.get("requires")))
        for r in data["ratings"]
    )
    seen: set[str] = set()
    for index, rating in enumerate(ratings):
        if rating.key in seen:
            diagnostics.error(
                doc.location("ratings", index, "key"), f"rating key '{rating.key}' is listed twice"
            )
        seen.add(rating.key)
    publisher = data.get("publisher") or {"name": data["title"]}
    return SiteConfig(
        title=data["title"],
        description=data.get("description", "").strip(),
        base_url=(base_url or data["base_url"]).rstrip("/") + "/",
        language=data.get("language", "en"),
        publisher=Publisher(publisher["name"], publisher.get("url")),
        ratings=ratings,
        pipeline=data.get("pipeline"),
    )


def _rule(requires: dict[str, int] | None) -> VerdictRule | None:
    """A rating's `requires` (validated by the schema) as a rule, bounds in a fixed order."""
    if not requires:
        return None
    order = [f"{side}_{count}" for count in RULE_COUNTS for side in ("min", "max")]
    return VerdictRule(tuple((name, requires[name]) for name in order if name in requires))
