"""The build pipeline: site root -> validated Site -> rendered files -> output folder.

In: the site root, the output folder and the build options. Out: a `BuildResult` with every
diagnostic of the run. Everything is gathered and validated before anything is written (as MkDocs
does), so a build with errors, or with warnings under `--strict`, leaves the previous output
exactly as it was.
"""

from __future__ import annotations

import gc
import os
import shutil
import threading
import time
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from ..compare.shared_copy import SharedCopyFinder
from ..diagnostics import Diagnostic, Diagnostics, Location
from ..engine.cache import (
    FilesCache,
    SegmentCache,
    bytes_digest,
    site_cache_file,
)
from ..engine.resolved import ResolutionCache
from ..engine.state import code_version_all
from ..layout import CLAIMS_FILE, TEMPLATES_DIR, template_dirs
from ..model import OutputFile, Site, SpooledFile
from ..output.render import Renderer, render_site
from ..output.search import BUNDLE_DIR, SearchIndex
from ..output.write import MARKER, OutputError, spool_folder, update_site, write_site
from ..pages.differs import DiffersCache
from ..workers import interrupts_held
from .checks import EditorialChecks
from .clock import StageClock
from .kept import KeptPages
from .options import BuildOptions, BuildResult, Progress
from .resolving import Resolutions
from .segmenting import SEGMENTATION_VERSION, Segmentations
from .sources import Sources


class Builder:
    """Builds one site again and again, redoing only what changed since the last build.

    Each file's load result is kept until the file's stat changes, each segmentation until the
    article's text changes (and across runs, on disk), each resolved claim until the claim or
    the articles it quotes change. Output files whose bytes did not change are carried over from
    the previous output instead of being written again. Whatever is reused, the result is the
    same as a clean build of the same files.

    A one-off build runs `build` once. `serve` (serve/memory.py) runs it after every edit with
    `defer`, and `finish` when edits pause; it makes the builder with one worker, since forking
    a process that has other threads running is unsafe.
    """

    def __init__(
        self,
        options: BuildOptions,
        disk_cache: bool = True,
        workers: int | None = None,
        progress: Progress | None = None,
        kept: KeptPages | None = None,
    ) -> None:
        self.options = options
        # A one-off build's view of the last one's output: pages read back instead of rendered.
        self.kept = kept
        self.progress = progress  # told how a long build is getting on (a stage, done, total)
        # Processes to segment and render with (None: one per processor).
        self.workers = workers or os.cpu_count() or 1
        # build() and finish() may run on different threads of the dev server.
        self.lock = threading.RLock()
        self.generation = 0  # successful writes so far
        self.pending = False  # a deferred build left files for finish()
        self.last: tuple[Site, tuple[OutputFile, ...]] | None = None  # deferred: last written
        self.search_files: tuple[OutputFile, ...] = ()  # the search bundle last written
        self.sources = Sources(options.root, options.base_url)
        self.segmentations = Segmentations(
            SegmentCache.open(options.root if disk_cache else None, SEGMENTATION_VERSION),
            self.workers,
            progress,
        )
        self.resolutions = Resolutions(
            ResolutionCache.open(options.root if disk_cache else None, code_version_all())
        )
        # output path -> (the file last written there, the digest of its bytes)
        self.written: dict[str, tuple[OutputFile, str]] = {}
        self.renderer: Renderer | None = None
        # The last search bundle stays on disk: a build of the same pages (a rebuild in CI with
        # the cache restored, `serve` after `build`) skips Pagefind, the slowest stage.
        self.search = SearchIndex(self._search_cache if disk_cache else None)
        self.differs = DiffersCache.open(options.root if disk_cache else None)
        self.sharing = SharedCopyFinder()
        self.checks = EditorialChecks()
        self.clock = StageClock()

    def _search_cache(self, shard: int) -> FilesCache:
        """Where the bundle of one search shard is kept between runs."""
        return FilesCache(site_cache_file(self.options.root, f"search-{{site}}-{shard}.zip"))

    def load_site(
        self,
        diagnostics: Diagnostics,
        changed: Collection[str] | None = None,
        save_caches: bool = True,
    ) -> Site | None:
        """Read, segment and resolve everything; None when nothing can be rendered.

        `changed` is what the file watcher saw change since the last build (paths relative to
        the root), or None when that is not known: then every folder is listed. With it, the
        articles folder is not listed again and only the changed articles are looked at; the
        few files always read (site.yaml, claims.yaml, pages) are checked by their stat.
        `save_caches` False leaves the segmentation and resolution caches on disk as they were
        (`finish` saves them).
        """
        config = self.sources.config(diagnostics)
        self.clock.lap("settings")
        articles = self.sources.articles(config, diagnostics, changed)
        pages = self.sources.pages(diagnostics)
        claims = self.sources.claims(config, tuple(a.slug for a in articles), diagnostics)
        pipeline = self.sources.pipeline(config, diagnostics)
        self.clock.lap("load")
        segmented = self.segmentations.of(articles, pipeline, save_caches)
        self.clock.lap("segment")
        resolved = self.resolutions.resolve(claims, segmented, pipeline, diagnostics)
        if save_caches:
            self.resolutions.save()
        self.clock.lap("resolve")
        if not any(
            d.severity == "error" and d.location.path == CLAIMS_FILE for d in diagnostics.items
        ):
            # With errors in claims.yaml, claims were left out: "never quoted" would be noise.
            diagnostics.items.extend(self.resolutions.unquoted_warnings(segmented, claims))
        shared = self.sharing.find(segmented)
        self.clock.lap("shared copy")
        if config is None:
            return None
        # A verdict whose rule is stated counts independent sources itself.
        diagnostics.items.extend(self.checks.warnings(resolved, segmented, shared, config))
        return Site(config=config, articles=segmented, claims=resolved, pages=pages, shared=shared)

    def _render(
        self, site: Site, diagnostics: Diagnostics, extras: bool, changed: Collection[str] | None
    ) -> tuple[OutputFile, ...]:
        dirs = template_dirs(self.options.root)
        if self.renderer is None or self.renderer.dirs != dirs:
            self.renderer = Renderer(dirs, self.workers, self.differs)
            self.renderer.progress = self.progress
            self.renderer.reuse = self.kept.reuse if self.kept is not None else None
            # A one-off build's workers put each page on disk as they render it.
            self.renderer.spool = spool_folder(self.options.out) if self.kept is not None else None
        # The watcher's paths say whether any template changed (TEMPLATES_DIR, or under it).
        templates = changed is None or any(p.split("/", 1)[0] == TEMPLATES_DIR for p in changed)
        return self.renderer.render(site, diagnostics, extras, templates_changed=templates)

    def build(self, changed: Collection[str] | None = None, defer: bool = False) -> BuildResult:
        """Run the whole build; write the output only when the run is clean.

        `defer` (serve, edit after edit): what only machines read is left for `finish`: the
        search index (the last one written stays), and after the first build sitemap.xml and
        the open data too; files whose bytes changed are written in place, and the
        segmentation cache is not saved.
        """
        with self.lock:
            enabled = gc.isenabled()
            # A build creates millions of small objects and frees almost all of them by
            # reference counting; the collector would walk the whole site model again and
            # again meanwhile. (serve keeps it off longer: serve/memory.py.)
            gc.disable()
            try:
                return self._build(changed, defer)
            finally:
                if self.renderer is not None and self.renderer.spool is not None:
                    # What the build did not move into the output: pages of a failed build, or
                    # pages whose bytes were already there.
                    shutil.rmtree(self.renderer.spool, ignore_errors=True)
                if enabled:
                    gc.enable()

    def close(self) -> None:
        """Stop work of another thread that would outlive its use (a running search index)."""
        self.search.cancel()

    def _build(self, changed: Collection[str] | None, defer: bool) -> BuildResult:
        options = self.options
        diagnostics = Diagnostics()
        self.clock.start()
        site = self.load_site(diagnostics, changed, save_caches=not defer)
        deferring = defer and bool(self.written)  # there is an output to update in place
        files: tuple[OutputFile, ...] = ()
        if site is not None and not diagnostics.failed():
            files = self._render(site, diagnostics, not deferring, changed)
        self.clock.lap("render")
        if files and not diagnostics.failed(options.strict):
            if defer:
                files += self.search_files
            else:
                if self.progress is not None:
                    self.progress("indexing for search", 0, 0)
                files += self.search.files(files, diagnostics)
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
        if defer:
            self.last = (site, files)
            self.pending = True
        else:
            self._save_differs(site)
        self.clock.lap("write")
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
            # engine.cache.same, spelled out: this runs for every file of the site.
            if held is None or (held[0] is not file and held[0] != file):
                # A file the renderer made again: its bytes may still be those on disk.
                if isinstance(file, SpooledFile):
                    digest = file.digest
                else:
                    digest = (kept.digest(file) if kept else None) or bytes_digest(file.content)
                before = held[1] if held is not None else kept.previous(file.path) if kept else None
                if before != digest:
                    changed.append(file)
                held = (file, digest)
            current[file.path] = held
        try:
            # Over an output folder whose files are known (this builder wrote it, or the last
            # build's kept state describes it), only the files whose bytes changed are written,
            # each atomically, instead of the whole site linked into a new folder and swapped.
            # Killed midway, the kept state still describes the last build, and the next one
            # finds the files that differ from it by their stats.
            if (in_place or kept is not None) and (out / MARKER).is_file():
                there = previous.keys() if in_place or kept is None else kept.on_disk.keys()
                update_site(out, changed, sorted(there - current.keys() - {MARKER}))
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

    def _save_differs(self, site: Site) -> None:
        # Beside the entries this build used, as many others again as there are claims: a
        # build that renders one claim page uses one entry, and must not forget the others.
        self.differs.save_used(spare=2 * len(site.claims))

    def written_digests(self) -> dict[str, str]:
        """Each file of the output folder as last written: path -> digest of its bytes."""
        return {path: digest for path, (_, digest) in self.written.items()}

    def finish(self) -> FinishResult | None:
        """Bring what deferred builds left for later up to date (sitemap.xml, claims.json,
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
            self.segmentations.save()
            self.resolutions.save()
            self._save_differs(site)
            # Segmentations came from the cache so far: load spaCy now, not on the first edit
            # of an article.
            with interrupts_held():
                from ..text.segment import load_pipeline

            load_pipeline(self.sources.pipeline(site.config, Diagnostics()))
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
        return FinishResult(diagnostics.sorted(), True, time.perf_counter() - started)


@dataclass(frozen=True)
class FinishResult:
    """What `Builder.finish` did: `done` False when a build overtook it (try again later)."""

    diagnostics: tuple[Diagnostic, ...]
    done: bool
    seconds: float


def _path(file: OutputFile) -> str:
    return file.path


def load_site(root: Path, diagnostics: Diagnostics, base_url: str | None = None) -> Site | None:
    """Read, segment and resolve everything under `root` once (commands that write nothing)."""
    builder = Builder(BuildOptions(root=root, out=root / "output", base_url=base_url))
    return builder.load_site(diagnostics)


def render(site: Site, root: Path, diagnostics: Diagnostics) -> tuple[OutputFile, ...]:
    """The site's files, rendered with the site's templates."""
    return render_site(site, template_dirs(root), diagnostics)
