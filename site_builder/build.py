"""The build pipeline: site root -> validated Site -> rendered files -> output folder.

In: the site root, the output folder and the build options. Out: a `BuildResult` with every
diagnostic of the run. Everything is gathered and validated before anything is written (as MkDocs
does), so a build with errors, or with warnings under `--strict`, leaves the previous output
exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .config import load_config
from .diagnostics import Diagnostic, Diagnostics, Location
from .load import CLAIMS_FILE, load_articles, load_claims, load_pages
from .model import OutputFile, SegmentedArticle, Site
from .render import render_site
from .resolve import resolve_claims
from .segment import load_pipeline, pipeline_installed, segment_article
from .write import OutputError, write_site

DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True)
class BuildOptions:
    root: Path
    out: Path
    strict: bool = False
    base_url: str | None = None


@dataclass(frozen=True)
class BuildResult:
    diagnostics: tuple[Diagnostic, ...]
    failed: bool
    pages: int = 0  # files rendered
    written: bool = False


def template_dirs(root: Path) -> tuple[Path, ...]:
    """The site's own templates/ first (it may override any file), then the built-in ones."""
    dirs = [root / "templates", DEFAULT_TEMPLATES]
    unique: list[Path] = []
    for directory in dirs:
        if directory.is_dir() and directory.resolve() not in {d.resolve() for d in unique}:
            unique.append(directory)
    return tuple(unique)


def load_site(root: Path, diagnostics: Diagnostics, base_url: str | None = None) -> Site | None:
    """Read, segment and resolve everything under `root`; None when nothing can be rendered."""
    config = load_config(root, diagnostics, base_url)
    articles = load_articles(root, config, diagnostics)
    pages = load_pages(root, diagnostics)
    claims = load_claims(root, config, (a.slug for a in articles), diagnostics)
    pipeline_name = config.pipeline if config else None
    if pipeline_name and not pipeline_installed(pipeline_name):
        diagnostics.warning(
            Location("content/site.yaml"),
            f"spaCy pipeline '{pipeline_name}' is not installed; using the built-in sentence rules",
            f"Install it with pip (python -m spacy download {pipeline_name}) or remove 'pipeline'.",
        )
        pipeline_name = None
    nlp = load_pipeline(pipeline_name)
    segmented = tuple(segment_article(article, nlp) for article in articles)
    resolved = resolve_claims(claims, segmented, diagnostics)
    if not any(d.severity == "error" and d.location.path == CLAIMS_FILE for d in diagnostics.items):
        # With errors in claims.yaml, claims were left out: "never quoted" would be noise.
        warn_unquoted(segmented, {q.article for c in claims for q in c.quotes}, diagnostics)

    if config is None:
        return None
    return Site(config=config, articles=segmented, claims=resolved, pages=pages)


def warn_unquoted(
    articles: tuple[SegmentedArticle, ...], quoted_slugs: set[str], diagnostics: Diagnostics
) -> None:
    """An article no claim quotes is probably a forgotten one."""
    for segmented in articles:
        if segmented.article.slug not in quoted_slugs:
            diagnostics.warning(
                Location(segmented.article.path),
                f"no claim quotes article '{segmented.article.slug}'",
                "Quote it in claims.yaml, or remove it if it does not belong to this site.",
            )


def render(site: Site, root: Path, diagnostics: Diagnostics) -> tuple[OutputFile, ...]:
    """The site's files, rendered with the site's templates."""
    return render_site(site, template_dirs(root), diagnostics)


def build(options: BuildOptions) -> BuildResult:
    """Run the whole build; write the output only when the run is clean."""
    diagnostics = Diagnostics()
    site = load_site(options.root, diagnostics, options.base_url)
    files: tuple[OutputFile, ...] = ()
    if site is not None and not diagnostics.failed():
        files = render(site, options.root, diagnostics)
    if site is None or diagnostics.failed(options.strict):
        return BuildResult(diagnostics.sorted(), failed=True, pages=len(files))
    try:
        write_site(files, options.out)
    except (OutputError, OSError) as exc:
        diagnostics.error(Location(str(options.out)), f"cannot write the site: {exc}")
        return BuildResult(diagnostics.sorted(), failed=True, pages=len(files))
    return BuildResult(diagnostics.sorted(), failed=False, pages=len(files), written=True)
