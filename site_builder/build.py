"""The build pipeline: site root -> validated Site -> rendered files -> output folder.

In: the site root, the output folder and the build options. Out: a `BuildResult` with every
diagnostic of the run. Everything is gathered and validated before anything is written (as MkDocs
does), so a build with errors, or with warnings under `--strict`, leaves the previous output
exactly as it was.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from .cache import Memo, SegmentCache, bytes_digest, code_version, stat_key
from .config import load_config
from .diagnostics import Diagnostic, Diagnostics, Location
from .load import (
    ARTICLES_DIR,
    CLAIMS_FILE,
    PAGES_DIR,
    load_article,
    load_claims,
    load_page,
    markdown_files,
)
from .model import (
    Article,
    Claim,
    OutputFile,
    Page,
    ResolvedClaim,
    SegmentedArticle,
    Site,
    SiteConfig,
)
from .render import render_site
from .resolve import Resolver
from .search import SearchIndex
from .segment import PIPELINE_VERSION, load_pipeline, pipeline_installed, segment_article
from .write import OutputError, write_site

# Cached segmentations are valid for this exact segmentation code and data model.
SEGMENTATION_VERSION = (
    PIPELINE_VERSION + "-" + code_version("segment", "sentence_rules", "markdown_blocks", "model")
)
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
    changed: int = 0  # files whose bytes differ from the previous build's
    timings: tuple[tuple[str, float], ...] = ()  # seconds per stage, in pipeline order


def template_dirs(root: Path) -> tuple[Path, ...]:
    """The site's own templates/ first (it may override any file), then the built-in ones."""
    dirs = [root / "templates", DEFAULT_TEMPLATES]
    unique: list[Path] = []
    for directory in dirs:
        if directory.is_dir() and directory.resolve() not in {d.resolve() for d in unique}:
            unique.append(directory)
    return tuple(unique)


class Builder:
    """Builds one site again and again, redoing only what changed since the last build.

    Each file's load result is kept until the file's stat changes, each segmentation until the
    article's text changes (and across runs, on disk), each resolved claim until the claim or
    the articles it quotes change. Output files whose bytes did not change are carried over from
    the previous output instead of being written again. Whatever is reused, the result is the
    same as a clean build of the same files.
    """

    def __init__(self, options: BuildOptions, disk_cache: bool = True) -> None:
        self.options = options
        self.config_memo: Memo[SiteConfig | None] = Memo()
        self.article_memo: Memo[Article | None] = Memo()
        self.page_memo: Memo[Page | None] = Memo()
        self.claims_memo: Memo[tuple[Claim, ...]] = Memo()
        self.resolved_memo: Memo[ResolvedClaim] = Memo()
        self.segments = SegmentCache.open(
            options.root if disk_cache else None, SEGMENTATION_VERSION
        )
        self.written: dict[str, str] = {}  # output path -> digest of the bytes last written
        self.search = SearchIndex()
        self.clock = StageClock()

    def load_site(self, diagnostics: Diagnostics) -> Site | None:
        """Read, segment and resolve everything; None when nothing can be rendered."""
        root = self.options.root
        site_file = root / "content/site.yaml"
        config = self.config_memo.get(
            "site",
            (stat_key(site_file), self.options.base_url),
            lambda d: load_config(root, d, self.options.base_url),
            diagnostics,
        )
        self.clock.lap("settings")
        articles = self._articles(config, diagnostics)
        pages = self._pages(diagnostics)
        slugs = tuple(a.slug for a in articles)
        claims = self.claims_memo.get(
            CLAIMS_FILE,
            (stat_key(root / CLAIMS_FILE), config, slugs),
            lambda d: load_claims(root, config, slugs, d),
            diagnostics,
        )
        nlp_name = self._pipeline(config, diagnostics)
        self.clock.lap("load")
        segmented = tuple(self._segment(article, nlp_name) for article in articles)
        self.segments.save()
        self.clock.lap("segment")
        resolved = self._resolve(claims, segmented, diagnostics)
        self.clock.lap("resolve")
        if not any(
            d.severity == "error" and d.location.path == CLAIMS_FILE for d in diagnostics.items
        ):
            # With errors in claims.yaml, claims were left out: "never quoted" would be noise.
            warn_unquoted(segmented, {q.article for c in claims for q in c.quotes}, diagnostics)
        if config is None:
            return None
        return Site(config=config, articles=segmented, claims=resolved, pages=pages)

    def _articles(self, config: SiteConfig | None, diagnostics: Diagnostics) -> tuple[Article, ...]:
        root = self.options.root
        paths = markdown_files(root, ARTICLES_DIR, diagnostics)
        self.article_memo.keep_only(set(paths))
        loaded = (
            self.article_memo.get(
                path,
                (stat_key(path), config),
                partial(load_article, path, root, config),
                diagnostics,
            )
            for path in paths
        )
        return tuple(article for article in loaded if article is not None)

    def _pages(self, diagnostics: Diagnostics) -> tuple[Page, ...]:
        root = self.options.root
        paths = markdown_files(root, PAGES_DIR, diagnostics)
        self.page_memo.keep_only(set(paths))
        loaded = (
            self.page_memo.get(path, stat_key(path), partial(load_page, path, root), diagnostics)
            for path in paths
        )
        return tuple(page for page in loaded if page is not None)

    def _pipeline(self, config: SiteConfig | None, diagnostics: Diagnostics) -> str | None:
        name = config.pipeline if config else None
        if name and not pipeline_installed(name):
            diagnostics.warning(
                Location("content/site.yaml"),
                f"spaCy pipeline '{name}' is not installed; using the built-in sentence rules",
                f"Install the package {name} with pip, or remove 'pipeline'.",
            )
            return None
        return name

    def _segment(self, article: Article, pipeline: str | None) -> SegmentedArticle:
        key = self.segments.key(article.source, article.body_start, pipeline)
        cached = self.segments.get(key, article.source)
        if cached is None:
            segmented = segment_article(article, load_pipeline(pipeline))
            self.segments.put(key, (segmented.blocks, segmented.sentences))
            return segmented
        return SegmentedArticle(article, *cached)

    def _resolve(
        self,
        claims: tuple[Claim, ...],
        articles: tuple[SegmentedArticle, ...],
        diagnostics: Diagnostics,
    ) -> tuple[ResolvedClaim, ...]:
        by_slug = {s.article.slug: s for s in articles}
        resolver: Resolver | None = None

        def resolve(claim: Claim, into: Diagnostics) -> ResolvedClaim:
            nonlocal resolver
            if resolver is None:
                resolver = Resolver(articles, into)
            resolver.diagnostics = into
            return resolver.resolve_claim(claim)

        results = []
        for index, claim in enumerate(claims):
            quoted = sorted({q.article for q in claim.quotes})
            sources = tuple(
                (slug, by_slug[slug].article.source if slug in by_slug else None) for slug in quoted
            )
            results.append(
                self.resolved_memo.get(
                    index, (claim, sources), partial(resolve, claim), diagnostics
                )
            )
        self.resolved_memo.keep_only(set(range(len(claims))))
        return tuple(results)

    def build(self) -> BuildResult:
        """Run the whole build; write the output only when the run is clean."""
        options = self.options
        diagnostics = Diagnostics()
        self.clock.start()
        site = self.load_site(diagnostics)
        files: tuple[OutputFile, ...] = ()
        if site is not None and not diagnostics.failed():
            files = render(site, options.root, diagnostics)
        self.clock.lap("render")
        if files and not diagnostics.failed(options.strict):
            files += self.search.files(files, diagnostics)
            self.clock.lap("search")
        if site is None or diagnostics.failed(options.strict):
            return BuildResult(
                diagnostics.sorted(), failed=True, pages=len(files), timings=self.clock.laps()
            )
        digests = {f.path: bytes_digest(f.content) for f in files}
        unchanged = {path for path, digest in digests.items() if self.written.get(path) == digest}
        try:
            write_site(files, options.out, unchanged)
        except (OutputError, OSError) as exc:
            self.written = {}
            diagnostics.error(Location(str(options.out)), f"cannot write the site: {exc}")
            return BuildResult(
                diagnostics.sorted(), failed=True, pages=len(files), timings=self.clock.laps()
            )
        self.written = digests
        self.clock.lap("write")
        return BuildResult(
            diagnostics.sorted(),
            failed=False,
            pages=len(files),
            written=True,
            changed=len(files) - len(unchanged),
            timings=self.clock.laps(),
        )


class StageClock:
    """Wall time per stage of one build, for `--timings` and the benchmarks."""

    def __init__(self) -> None:
        self._laps: list[tuple[str, float]] = []
        self._last = time.perf_counter()

    def start(self) -> None:
        self._laps = []
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self._laps.append((stage, now - self._last))
        self._last = now

    def laps(self) -> tuple[tuple[str, float], ...]:
        return tuple(self._laps)


def load_site(root: Path, diagnostics: Diagnostics, base_url: str | None = None) -> Site | None:
    """Read, segment and resolve everything under `root` once (commands that write nothing)."""
    builder = Builder(BuildOptions(root=root, out=root / "output", base_url=base_url))
    return builder.load_site(diagnostics)


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
    """A one-off build (the `build` command): the disk cache still makes it warm."""
    return Builder(options).build()
