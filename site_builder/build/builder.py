"""The build pipeline: site root -> validated Site -> rendered files -> output folder.

In: the site root, the output folder and the build options. Out: a `BuildResult` with every
diagnostic of the run. Everything is gathered and validated before anything is written (as MkDocs
does), so a build with errors, or with warnings under `--strict`, leaves the previous output
exactly as it was.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ..diagnostics import Diagnostic, Diagnostics, Location
from ..engine.cache import (
    FilesCache,
    Memo,
    SegmentCache,
    bytes_digest,
    code_version,
    site_cache_file,
    stat_key,
)
from ..layout import ARTICLES_DIR, CLAIMS_FILE, PAGES_DIR, SITE_FILE, template_dirs
from ..load.articles import (
    load_article,
    load_page,
    markdown_files,
)
from ..load.claims import ClaimsLoader
from ..load.config import load_config
from ..load.source import relative_name
from ..model import (
    Article,
    Claim,
    OutputFile,
    Page,
    ResolvedClaim,
    ResolvedQuote,
    SegmentedArticle,
    Site,
    SiteConfig,
    same_source,
)
from ..output.render import Renderer, render_site
from ..output.search import BUNDLE_DIR, SearchIndex
from ..output.write import MARKER, OutputError, update_site, write_site
from ..quotes.resolve import Resolver
from ..text.segment import PIPELINE_VERSION, load_pipeline, pipeline_installed, segment_many
from ..workers import c_function
from .clock import StageClock
from .kept import KeptPages
from .options import BuildOptions, BuildResult, Progress

# serve gives the C allocator's free memory back to the system every this many builds.
TRIM_EVERY = 32
# serve: a full collection once resident memory grew by this factor since the last one.
RESIDENT_GROWTH = 1.05
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
# serve: segmentations kept in memory beyond those of the current articles.
SPARE_SEGMENTATIONS = 64

# Cached segmentations are valid for this exact segmentation code and data model.
SEGMENTATION_VERSION = (
    PIPELINE_VERSION
    + "-"
    + code_version("text/segment", "text/sentence_rules", "text/markdown_blocks", "model")
)


class Builder:
    """Builds one site again and again, redoing only what changed since the last build.

    Each file's load result is kept until the file's stat changes, each segmentation until the
    article's text changes (and across runs, on disk), each resolved claim until the claim or
    the articles it quotes change. Output files whose bytes did not change are carried over from
    the previous output instead of being written again. Whatever is reused, the result is the
    same as a clean build of the same files.
    """

    def __init__(
        self,
        options: BuildOptions,
        disk_cache: bool = True,
        live: bool = False,
        progress: Progress | None = None,
        kept: KeptPages | None = None,
    ) -> None:
        self.options = options
        # A one-off build's view of the last one's output: pages read back instead of rendered.
        self.kept = kept
        self.progress = progress  # told how a long build is getting on (a stage, done, total)
        self.live = live  # serving: write in place, leave machine-read files for `finish`
        # build() and finish() may run on different threads of the dev server.
        self.lock = threading.RLock()
        self.generation = 0  # successful writes so far
        self.pending = False  # live: files left for finish()
        self.last: tuple[Site, tuple[OutputFile, ...]] | None = None  # live: the last written
        self.search_files: tuple[OutputFile, ...] = ()  # live: the search bundle last written
        self.untidy = False  # live: the garbage collector is off until tidy()
        self.tidied = 0
        self.resident_after_collect = 0  # live: resident bytes after the last full collection
        self.config_memo: Memo[SiteConfig | None] = Memo()
        self.article_memo: Memo[Article | None] = Memo()
        self.page_memo: Memo[Page | None] = Memo()
        self.claims_memo: Memo[tuple[Claim, ...]] = Memo()
        self.claims_loader = ClaimsLoader()  # re-reads only the entries of claims.yaml that changed
        self.resolved: dict[str, _Resolved] = {}  # by claim id
        self.resolved_texts: dict[str, str] = {}  # article slug -> the text claims resolved in
        self.resolved_against: tuple[SegmentedArticle, ...] = ()  # the articles of those texts
        self.resolver: Resolver | None = None  # kept while the articles are the same
        # article path -> (the Article, pipeline, segmentation cache key, its segmentation)
        self.segmented: dict[str, tuple[Article, str | None, str, SegmentedArticle]] = {}
        # The last build's articles (with the config they were read with and what they
        # reported) and their segmentations, reused whole while nothing changed.
        self.articles_all: _Listing | None = None
        self.unquoted: (
            tuple[tuple[SegmentedArticle, ...], frozenset[str], tuple[Diagnostic, ...]] | None
        ) = None
        self.segmented_all: tuple[tuple[Article, ...], str | None, tuple[SegmentedArticle, ...]]
        self.segmented_all = ((), None, ())
        self.segments = SegmentCache.open(
            options.root if disk_cache else None, SEGMENTATION_VERSION
        )
        # output path -> (the file last written there, the digest of its bytes)
        self.written: dict[str, tuple[OutputFile, str]] = {}
        self.renderer: Renderer | None = None
        # The last search bundle stays on disk: a build of the same pages (a rebuild in CI with
        # the cache restored, `serve` after `build`) skips Pagefind, the slowest stage.
        self.search = SearchIndex(
            FilesCache(site_cache_file(options.root, "search-{site}.zip")) if disk_cache else None
        )
        self.clock = StageClock()

    def load_site(
        self, diagnostics: Diagnostics, changed: Collection[str] | None = None
    ) -> Site | None:
        """Read, segment and resolve everything; None when nothing can be rendered.

        `changed` is what the file watcher saw change since the last build (paths relative to
        the root), or None when that is not known: then every folder is listed. With it, the
        articles folder is not listed again and only the changed articles are looked at; the
        few files always read (site.yaml, claims.yaml, pages) are checked by their stat.
        """
        root = self.options.root
        site_file = root / SITE_FILE
        config = self.config_memo.get(
            "site",
            (stat_key(site_file), self.options.base_url),
            lambda d: load_config(root, d, self.options.base_url),
            diagnostics,
        )
        self.clock.lap("settings")
        articles = self._articles(config, diagnostics, changed)
        pages = self._pages(diagnostics)
        slugs = tuple(a.slug for a in articles)
        claims = self.claims_memo.get(
            CLAIMS_FILE,
            (stat_key(root / CLAIMS_FILE), config, slugs),
            lambda d: self.claims_loader.load(root, config, slugs, d),
            diagnostics,
        )
        nlp_name = self._pipeline(config, diagnostics)
        self.clock.lap("load")
        if self.segmented_all[0] is not articles or self.segmented_all[1] != nlp_name:
            segmented = self._segment_all(articles, nlp_name)
            self.segmented_all = (articles, nlp_name, segmented)
        segmented = self.segmented_all[2]
        if len(self.segmented) > len(articles):  # articles were deleted: forget them
            paths = {article.path for article in articles}
            self.segmented = {p: held for p, held in self.segmented.items() if p in paths}
        if not self.live:
            self.segments.save(self._segmentation_keys())  # serve saves when edits pause
        elif len(self.segments.stored) > len(self.segmented) + 2 * SPARE_SEGMENTATIONS:
            # Every article edit adds an entry; keep the current articles' and a few recent
            # others (an edit undone is a cache hit), not one per edit since the last pause.
            self.segments.trim(self._segmentation_keys(), SPARE_SEGMENTATIONS)
        self.clock.lap("segment")
        resolved = self._resolve(claims, segmented, diagnostics)
        self.clock.lap("resolve")
        if not any(
            d.severity == "error" and d.location.path == CLAIMS_FILE for d in diagnostics.items
        ):
            # With errors in claims.yaml, claims were left out: "never quoted" would be noise.
            diagnostics.items.extend(self._unquoted(segmented, claims))
        if config is None:
            return None
        return Site(config=config, articles=segmented, claims=resolved, pages=pages)

    def _unquoted(
        self, articles: tuple[SegmentedArticle, ...], claims: tuple[Claim, ...]
    ) -> tuple[Diagnostic, ...]:
        """`warn_unquoted`'s warnings; the last build's while articles and quotes are the same."""
        quoted = frozenset(q.article for c in claims for q in c.quotes)
        held = self.unquoted
        if held is None or held[0] is not articles or held[1] != quoted:
            found = Diagnostics()
            warn_unquoted(articles, quoted, found)
            held = self.unquoted = (articles, quoted, tuple(found.items))
        return held[2]

    def _articles(
        self, config: SiteConfig | None, diagnostics: Diagnostics, changed: Collection[str] | None
    ) -> tuple[Article, ...]:
        """The articles, read again only where they changed.

        When the watcher says which files changed (`changed`, paths relative to the root) and
        every changed article is a plain file in the folder or gone, only those are looked at:
        listing and checking thousands of files costs more than the edit it is for.
        """
        held = self.articles_all
        # The folder itself (or content/) created, removed or renamed: list it again.
        whole_folder = changed is None or any(ARTICLES_DIR.startswith(p) for p in changed)
        if held is not None and held.config is config and changed is not None and not whole_folder:
            edited = [p for p in changed if p.startswith(ARTICLES_DIR + "/")]
            if not edited:
                diagnostics.items.extend(held.diagnostics)
                return held.articles
            paths = self._edited_paths(held, edited)
            if paths is not None:
                found = Diagnostics()
                articles = self._load_articles(paths, config, set(edited), found)
                if articles == held.articles:
                    articles = held.articles  # the same tuple keeps what was built from it
                self.articles_all = _Listing(config, paths, articles, tuple(found.items))
                diagnostics.extend(found)
                return articles
        root = self.options.root
        found = Diagnostics()
        paths = markdown_files(root, ARTICLES_DIR, found)
        listed_cleanly = not found.items
        self.article_memo.keep_only(set(paths))
        articles = self._load_articles(paths, config, None, found)
        if held is not None and held.articles == articles:
            articles = held.articles
        if listed_cleanly:
            self.articles_all = _Listing(config, paths, articles, tuple(found.items))
        else:
            self.articles_all = None  # links refused while listing: list the folder every time
        diagnostics.extend(found)
        return articles

    def _edited_paths(self, held: _Listing, edited: Sequence[str]) -> tuple[Path, ...] | None:
        """The article paths after `edited` changed, or None when the folder must be listed:
        an edited path that is not a plain *.md file directly in the folder (a link, a folder)."""
        if not edited:
            return held.paths
        root = self.options.root
        paths = set(held.paths)
        for relative in edited:
            path = root / relative
            if path.parent != root / ARTICLES_DIR or path.suffix != ".md":
                return None
            if path.is_symlink() or (path.exists() and not path.is_file()):
                return None
            if path.is_file():
                paths.add(path)
            else:
                paths.discard(path)
        self.article_memo.keep_only(paths)
        return tuple(sorted(paths))

    def _load_articles(
        self,
        paths: Sequence[Path],
        config: SiteConfig | None,
        edited: set[str] | None,
        found: Diagnostics,
    ) -> tuple[Article, ...]:
        """Each article from its memo; re-read when its file changed. With `edited` (relative
        paths), only those are checked: the others are the memo's as they are."""
        root = self.options.root
        articles = []
        entries = self.article_memo.entries
        for path in paths:
            held = None
            if edited is not None and relative_name(path, root) not in edited:
                held = entries.get(path)
            if held is not None:
                found.items.extend(held[2])
                value = held[1]
            else:
                value = self.article_memo.get(
                    path, (stat_key(path), config), partial(load_article, path, root, config), found
                )
            if value is not None:
                articles.append(value)
        return tuple(articles)

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
                Location(SITE_FILE),
                f"spaCy pipeline '{name}' is not installed; using the built-in sentence rules",
                f"Install the package {name} with pip, or remove 'pipeline'.",
            )
            return None
        return name

    def _segmentation_keys(self) -> set[str]:
        """The segmentation cache keys of the current articles."""
        return {held[2] for held in self.segmented.values()}

    def _segment_all(
        self, articles: tuple[Article, ...], pipeline: str | None
    ) -> tuple[SegmentedArticle, ...]:
        """Each article's segmentation: the last build's for the same Article object, else the
        disk cache's for the same text, else made (by several processes in a one-off build)."""
        results: list[SegmentedArticle | None] = []
        todo: list[tuple[int, Article, str]] = []
        for article in articles:
            held = self.segmented.get(article.path)
            if held is not None and held[0] is article and held[1] == pipeline:
                # No need to hash its text again, and the same SegmentedArticle keeps every
                # page key made from it cheap to compare.
                results.append(held[3])
                continue
            key = self.segments.key(article.source, article.body_start, pipeline)
            cached = self.segments.get(key, article.source)
            if cached is None:
                todo.append((len(results), article, key))
                results.append(None)
                continue
            segmented = SegmentedArticle(article, *cached)
            self.segmented[article.path] = (article, pipeline, key, segmented)
            results.append(segmented)
        if todo:
            # Forking is safe only in a process without other threads: not in serve.
            workers = 1 if self.live else os.cpu_count() or 1
            made = segment_many(
                [article for _, article, _ in todo],
                pipeline,
                workers,
                lambda done: self._report("segmenting articles", done, len(todo)),
            )
            for (index, article, key), segmented in zip(todo, made, strict=True):
                self.segments.put(key, (segmented.blocks, segmented.sentences))
                self.segmented[article.path] = (article, pipeline, key, segmented)
                results[index] = segmented
        return tuple(r for r in results if r is not None)

    def _report(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)

    def _resolve(
        self,
        claims: tuple[Claim, ...],
        articles: tuple[SegmentedArticle, ...],
        diagnostics: Diagnostics,
    ) -> tuple[ResolvedClaim, ...]:
        if articles is self.resolved_against:
            moved: set[str] = set()  # the very articles of the last build
        else:
            texts = {s.article.slug: s.article.source for s in articles}
            moved = {s for s, text in texts.items() if self.resolved_texts.get(s) is not text}
            moved |= self.resolved_texts.keys() - texts.keys()
            self.resolved_texts, self.resolved_against = texts, articles
        texts = self.resolved_texts
        resolver = self.resolver if self.resolver and self.resolver.among is articles else None
        results = []
        kept: dict[str, _Resolved] = {}
        for claim in claims:
            held = self._reused(claim, moved)
            if held is None:
                quoted = sorted({q.article for q in claim.quotes})
                sources = tuple((slug, texts.get(slug)) for slug in quoted)
                held = self._matching(claim, sources)
                if held is None:
                    if resolver is None:
                        resolver = self.resolver = Resolver(articles, Diagnostics())
                    resolver.diagnostics = found = Diagnostics()
                    value = resolver.resolve_claim(claim)
                    held = _Resolved(claim, sources, value, tuple(found.items))
            kept[claim.id] = held
            diagnostics.items.extend(held.diagnostics)
            results.append(held.value)
        self.resolved = kept
        return tuple(results)

    def _reused(self, claim: Claim, moved: set[str]) -> _Resolved | None:
        """The last build's resolution of `claim`, without comparing texts: when none of its
        articles changed and it is the very claim, or one read from the same entry text that
        only moved (then relocated). None otherwise, or when relocating is not enough."""
        held = self.resolved.get(claim.id)
        if held is None or (moved and any(q.article in moved for q in claim.quotes)):
            return None
        if held.claim is claim:
            return held
        return _relocate(held, claim) if same_source(held.claim, claim) else None

    def _matching(
        self, claim: Claim, sources: tuple[tuple[str, str | None], ...]
    ) -> _Resolved | None:
        """The last build's resolution of an equal `claim` against the same article `sources`,
        relocated to where the claim stands now; None when it must be resolved again."""
        held = self.resolved.get(claim.id)
        if held is None or held.sources != sources:
            return None
        if not (same_source(held.claim, claim) or held.claim == claim):
            return None
        relocated = _relocate(held, claim)
        return relocated if relocated is not None and relocated.claim == claim else None

    def _render(self, site: Site, diagnostics: Diagnostics, extras: bool) -> tuple[OutputFile, ...]:
        dirs = template_dirs(self.options.root)
        if self.renderer is None or self.renderer.dirs != dirs:
            # Forking is for one-off builds: serve has other threads running.
            self.renderer = Renderer(dirs, 1 if self.live else os.cpu_count() or 1)
            self.renderer.progress = self.progress
            self.renderer.reuse = self.kept.reuse if self.kept is not None else None
        return self.renderer.render(site, diagnostics, extras)

    def build(self, changed: Collection[str] | None = None) -> BuildResult:
        """Run the whole build; write the output only when the run is clean.

        Live (serve): after the first build, only files whose bytes changed are written, in
        place, and the files that only machines read (sitemap, open data, search index) are
        left as they were until `finish`.
        """
        with self.lock:
            if self.untidy:
                self.tidy()  # the caller did not: do it now, or garbage piles up
            enabled = gc.isenabled()
            # A build creates millions of small objects and frees almost all of them by
            # reference counting; the collector would walk the whole (large, long-lived) site
            # model again and again meanwhile. A live builder leaves it off until `tidy`.
            gc.disable()
            try:
                return self._build(changed)
            finally:
                self.untidy = self.live and enabled
                if enabled and not self.live:
                    gc.enable()

    def close(self) -> None:
        """Stop work of another thread that would outlive its use (a running search index)."""
        self.search.cancel()

    def tidy(self) -> None:
        """Collect what the last build left for the garbage collector, freeze what it kept,
        and turn the collector on again (a live build leaves it off).

        serve calls this once the browser has been told, so that it costs the reader nothing:
        the build's cycles are all in the youngest generation, so this is quick, and later
        collections skip the frozen site model.
        """
        with self.lock:
            if not self.untidy:
                return
            self.untidy = False
            self.tidied += 1
            gc.collect(0)
            gc.freeze()
            resident = _resident_bytes()
            if not self.resident_after_collect:
                self.resident_after_collect = resident
            elif resident > self.resident_after_collect * RESIDENT_GROWTH:
                # Cycles among what earlier builds froze (a Jinja environment or site model
                # since replaced) are collected only once unfrozen. A full collection takes
                # a second on a large site, so it waits for serve to finish, unless edits
                # never pause and memory keeps growing. (Counting the frozen objects instead
                # would walk them all: a tenth of a second per build.)
                _collect_all()
                self.resident_after_collect = _resident_bytes()
            elif self.tidied % TRIM_EVERY == 0:
                release_free_memory()
            gc.enable()

    def _build(self, changed: Collection[str] | None) -> BuildResult:
        options = self.options
        diagnostics = Diagnostics()
        self.clock.start()
        site = self.load_site(diagnostics, changed)
        deferring = self.live and bool(self.written)
        files: tuple[OutputFile, ...] = ()
        if site is not None and not diagnostics.failed():
            files = self._render(site, diagnostics, extras=not deferring)
        self.clock.lap("render")
        if files and not diagnostics.failed(options.strict):
            if not self.live:
                self._report("indexing for search", 0, 0)
            files += self.search_files if self.live else self.search.files(files, diagnostics)
            self.clock.lap("search")
        if site is None or diagnostics.failed(options.strict):
            return BuildResult(
                diagnostics.sorted(), failed=True, pages=len(files), timings=self.clock.laps()
            )
        written = self._write(files, diagnostics, in_place=deferring)
        if written is None:
            return BuildResult(
                diagnostics.sorted(), failed=True, pages=len(files), timings=self.clock.laps()
            )
        self.clock.lap("write")
        if self.live:
            self.last = (site, files)
            self.pending = True
        return BuildResult(
            diagnostics.sorted(),
            failed=False,
            pages=len(files),
            written=True,
            changed=written,
            timings=self.clock.laps(),
            rendered=self.renderer.rendered if self.renderer is not None else (),
        )

    def _write(
        self, files: tuple[OutputFile, ...], diagnostics: Diagnostics, in_place: bool
    ) -> int | None:
        """Write `files` as the whole output; the number of files that changed, or None after
        reporting why the output could not be written."""
        out = self.options.out
        previous = self.written
        # A one-off build after another: the files as that one left them are known by digest,
        # so only the files whose bytes differ are written (the others are linked across).
        kept = self.kept if self.kept is not None and self.kept.trusted else None
        current: dict[str, tuple[OutputFile, str]] = {}
        changed = []
        for file in files:
            held = previous.get(file.path)
            if held is None or held[0] is not file:
                # A file the renderer made again: its bytes may still be those on disk.
                digest = (kept.digest(file) if kept else None) or bytes_digest(file.content)
                before = held[1] if held is not None else kept.previous(file.path) if kept else None
                if before != digest:
                    changed.append(file)
                held = (file, digest)
            current[file.path] = held
        try:
            if in_place and (out / MARKER).is_file():
                update_site(out, changed, sorted(previous.keys() - current.keys()))
            else:
                unchanged = current.keys() - {file.path for file in changed}
                write_site(files, out, unchanged)
        except (OutputError, OSError) as exc:
            self.written = {}  # unknown state: the next build writes everything afresh
            diagnostics.error(Location(str(out)), f"cannot write the site: {exc}")
            return None
        self.written = current
        self.generation += 1
        return len(changed)

    def written_digests(self) -> dict[str, str]:
        """Each file of the output folder as last written: path -> digest of its bytes."""
        return {path: digest for path, (_, digest) in self.written.items()}

    def pipelines_named(self) -> tuple[str, ...]:
        """The spaCy pipeline content/site.yaml names, if any (its being installed is an input)."""
        held = self.config_memo.entries.get("site")
        config = held[1] if held is not None else None
        return (config.pipeline,) if config is not None and config.pipeline else ()

    def finish(self) -> FinishResult | None:
        """Live: bring what `build` left for later up to date (sitemap.xml, claims.json,
        annotations.jsonld, the search index, the segmentation cache on disk). None when
        nothing was pending.

        May run on another thread than `build`; Pagefind runs without holding the lock, and its
        index is written only if no build wrote the site meanwhile (else `pending` stays set).
        """
        started = time.perf_counter()
        diagnostics = Diagnostics()
        with self.lock:
            if not self.pending or self.last is None or self.renderer is None:
                return None
            site, _ = self.last
            generation = self.generation
            files = self.renderer.render(site, diagnostics, extras=True) + self.search_files
            self.segments.save(self._segmentation_keys(), SPARE_SEGMENTATIONS)
            # Segmentations came from the cache so far: load spaCy now, not on the first edit
            # of an article.
            load_pipeline(self._pipeline(site.config, Diagnostics()))
            if self._write(files, diagnostics, in_place=True) is None:
                return FinishResult(diagnostics.sorted(), False, time.perf_counter() - started)
            generation = self.generation
            self.last = (site, files)
        bundle = self.search.files(files, diagnostics)
        with self.lock:
            if self.generation != generation:
                return FinishResult(diagnostics.sorted(), False, time.perf_counter() - started)
            site, files = self.last
            files = tuple(f for f in files if not f.path.startswith(BUNDLE_DIR + "/")) + bundle
            if self._write(tuple(sorted(files, key=_path)), diagnostics, in_place=True) is None:
                return FinishResult(diagnostics.sorted(), False, time.perf_counter() - started)
            self.search_files = bundle
            self.last = (site, files)
            self.pending = False
        # The builds ran with the collector paused and froze what they kept: collect it all now.
        self.tidy()
        _collect_all()
        self.resident_after_collect = _resident_bytes()
        return FinishResult(diagnostics.sorted(), True, time.perf_counter() - started)


@dataclass(frozen=True)
class FinishResult:
    """What `Builder.finish` did: `done` False when a build overtook it (try again later)."""

    diagnostics: tuple[Diagnostic, ...]
    done: bool
    seconds: float


def _collect_all() -> None:
    """Collect every generation, frozen ones included, freeze what is left, and give the freed
    heap back to the system."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    release_free_memory()


def _resident_bytes() -> int:
    """This process's resident memory (Linux); 0 where it cannot be read."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return 0


def release_free_memory() -> None:
    """Give memory the C allocator holds free back to the system.

    A dev server frees and allocates the large strings of its pages again and again; glibc
    keeps what was freed in holes of its heaps, and the process's resident memory would creep up
    though the live data does not. Freeing it now and then keeps the figure honest.
    """
    trim = c_function("malloc_trim")  # glibc's (Linux)
    if trim is not None:
        trim(0)


def _path(file: OutputFile) -> str:
    return file.path


@dataclass(frozen=True)
class _Listing:
    """The articles as the last build read them, from a clean listing of the folder."""

    config: SiteConfig | None
    paths: tuple[Path, ...]
    articles: tuple[Article, ...]
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class _Resolved:
    """A claim resolved against its articles' texts, with what resolving it reported."""

    claim: Claim
    sources: tuple[tuple[str, str | None], ...]  # (slug, text) of each quoted article
    value: ResolvedClaim
    diagnostics: tuple[Diagnostic, ...]


def _locations(claim: Claim) -> tuple[object, ...]:
    return (claim.location, tuple((q.location, q.text_location) for q in claim.quotes))


def _moved(held: Claim, claim: Claim) -> bool:
    """Whether an equal `claim` stands elsewhere in claims.yaml than `held`."""
    if same_source(held, claim):
        return held.location != claim.location  # read from the same text: it moved as a whole
    return _locations(held) != _locations(claim)


def _relocate(held: _Resolved, claim: Claim) -> _Resolved | None:
    """`held` for an equal `claim` that may have moved in claims.yaml (an earlier entry grew).

    The same resolution with the new locations when it reported nothing; None when its
    diagnostics would point at the old lines, so that it is resolved again.
    """
    if not _moved(held.claim, claim):
        return held
    if held.diagnostics or len(held.value.quotes) != len(claim.quotes):
        return None
    quotes = tuple(
        ResolvedQuote(quote, resolved.spans, resolved.sentences)
        for resolved, quote in zip(held.value.quotes, claim.quotes, strict=True)
    )
    return _Resolved(claim, held.sources, ResolvedClaim(claim, quotes), ())


def load_site(root: Path, diagnostics: Diagnostics, base_url: str | None = None) -> Site | None:
    """Read, segment and resolve everything under `root` once (commands that write nothing)."""
    builder = Builder(BuildOptions(root=root, out=root / "output", base_url=base_url))
    return builder.load_site(diagnostics)


def warn_unquoted(
    articles: tuple[SegmentedArticle, ...], quoted_slugs: Collection[str], diagnostics: Diagnostics
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
