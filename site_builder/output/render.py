"""Render the resolved site into files: Jinja2 pages, XML, robots.txt and static assets.

In: a validated `Site`, the template directories in lookup order (a site's own `templates/`
first, then the built-in one) and the run's `Diagnostics`. Out: `OutputFile`s sorted by path,
including the open-data files of pages/open_data.py (claims.json, annotations.jsonld).
pages/views.py decides what each page holds; the templates hold all HTML. A template error becomes a
diagnostic at the template's own file and line, and rendering goes on with the other pages; the
caller does not write anything when there were errors.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass, replace
from operator import attrgetter
from pathlib import Path
from types import TracebackType
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
)
from markupsafe import Markup

from ..diagnostics import Diagnostics, Location
from ..engine.cache import bytes_digest
from ..model import OutputFile, Site, SpooledFile
from ..pages.differs import DiffersCache
from ..pages.open_data import OpenData
from ..pages.plan import PagePlanner
from ..pages.values import PagePlan
from ..workers import chunks, worker_pool
from .search import search_document
from .write import safe_relative_path

STATIC_DIR = "static"
MACROS = "_macros.html"  # the macros templates may render through `cached`

__all__ = ["Renderer", "render_site"]


def render_site(
    site: Site, template_dirs: Sequence[Path], diagnostics: Diagnostics
) -> tuple[OutputFile, ...]:
    """Every output file of `site`, sorted by path; problems go to `diagnostics`."""
    return Renderer(template_dirs).render(site, diagnostics)


class Renderer:
    """Renders one site build after build; a page is rendered again only when its plan's key
    changed (pages/plan.py) or a template or static file did.

    In: the template directories in lookup order and, per build, a `Site`. Out: every output
    file, sorted by path; pages whose key did not change are the same `OutputFile` objects.
    """

    def __init__(
        self, template_dirs: Sequence[Path], workers: int = 1, differs: DiffersCache | None = None
    ) -> None:
        self.dirs = tuple(Path(directory) for directory in template_dirs)
        # Processes to render a whole site with (a one-off build; serve, which has threads
        # running and renders a few pages at a time, keeps to 1).
        self.workers = workers
        self._planner = PagePlanner(differs)
        self._open_data = OpenData()
        self._fingerprint = ""
        self._environment: Environment | None = None
        self._static: tuple[OutputFile, ...] = ()
        self._open: tuple[OutputFile, ...] = ()  # claims.json and annotations.jsonld
        self._pages: dict[str, _Rendered] = {}
        self._failed: set[str] = set()  # pages whose template failed: looked at again next time
        self.rendered: tuple[str, ...] = ()  # pages the last build rendered; it reused the rest
        # Told (stage, pages rendered, pages to look at) now and then during a long render.
        self.progress: Callable[[str, int, int], None] | None = None
        # Asked first for each page not kept here: the page as a previous run of the build left
        # it, when that still holds (build/kept.py), else None and the page is rendered.
        self.reuse: Callable[[PagePlan], OutputFile | None] | None = None
        # Where forked workers put the pages they render (a one-off build): each page goes to
        # disk as it is made, and the workers send back only its digest and search document,
        # so that no process holds the whole site. None: the bytes come back through the pipe.
        self.spool: Path | None = None

    def render(
        self,
        site: Site,
        diagnostics: Diagnostics,
        extras: bool = True,
        templates_changed: bool = True,
    ) -> tuple[OutputFile, ...]:
        """The site's files. With `extras` False, the files that only machines read and that
        cost the most to bring up to date on a large site (sitemap.xml, claims.json,
        annotations.jsonld) are the last ones rendered, possibly stale: `serve` renders them once
        edits pause. `templates_changed` False (serve's watcher saw no template change) spares
        reading every template file again to find out."""
        if templates_changed or self._environment is None:
            fingerprint, static = _template_files(self.dirs)
            if fingerprint != self._fingerprint or self._environment is None:
                self._environment = _environment(self.dirs)
                self._pages = {}
                self._fingerprint = fingerprint
                self._static = tuple(static)
        reporter = _TemplateErrors(self.dirs, diagnostics)
        planned = self._planner.plan(site, diagnostics, extras)
        plans, fresh = planned.plans, planned.fresh
        if fresh is not None and self._pages and not self._failed:
            # Only the plans made anew need looking at: the others are the plans that the pages
            # kept here were rendered from. (The planner's last plans are the ones these pages
            # were rendered from: a render that stopped halfway left none.)
            kept = dict(self._pages)
            for path in planned.gone:
                kept.pop(path, None)
            todo: Sequence[PagePlan] = fresh
        else:
            kept, todo = {}, plans
        rendered: list[str] = []
        failed: set[str] = set()
        pages, self._pages = self._pages, {}  # if rendering stops halfway, start afresh

        def open_data() -> None:
            if extras:
                self._render_open_data(site)

        ready: dict[str, OutputFile] = {}
        if self.reuse is not None and not pages:
            for plan in todo:
                if extras or not plan.deferrable:
                    found = self.reuse(plan)
                    if found is not None:
                        kept[plan.path] = _Rendered(plan.template, plan.key, found)
            todo = [plan for plan in todo if plan.path not in kept]
        if self.workers > 1 and not pages and len(todo) >= PARALLEL_FROM:
            wanted = tuple(plan for plan in todo if extras or not plan.deferrable)
            ready = _render_in_workers(
                self._environment,
                wanted,
                self.dirs,
                self.workers,
                self.progress,
                open_data,
                self.spool,
                self._planner.differs,
            )
        else:
            open_data()
        for plan in todo:
            held = pages.get(plan.path)
            if plan.deferrable and not extras:
                if held is not None:
                    kept[plan.path] = held
                continue
            if held is not None and held.template == plan.template and held.key == plan.key:
                # The same page. Keep the newer key: the next plan likely shares its parts,
                # which makes comparing the two quick.
                held = replace(held, key=plan.key)
            else:
                file = ready.pop(plan.path, None)
                if file is None:  # not rendered by a worker, or it failed: report it here
                    text = _render(self._environment, plan, reporter)
                    file = None if text is None else OutputFile(plan.path, text.encode("utf-8"))
                rendered.append(plan.path)
                if self.progress is not None and not ready and len(rendered) % 200 == 0:
                    self.progress("rendering pages", len(rendered), len(todo))
                if file is None:
                    # Reported; the build fails, and the page is tried again next time.
                    kept.pop(plan.path, None)
                    failed.add(plan.path)
                    continue
                held = _Rendered(plan.template, plan.key, file)
            kept[plan.path] = held
        self._failed = failed
        files = [held.file for held in kept.values()]
        self._pages = kept
        self.rendered = tuple(rendered)
        files.extend(self._open)
        files.extend(self._static)
        files.sort(key=attrgetter("path"))
        return tuple(files)

    def _render_open_data(self, site: Site) -> None:
        """claims.json and annotations.jsonld of `site`, kept as the same objects if unchanged."""
        before = {file.path: file for file in self._open}
        self._open = tuple(
            before[p] if p in before and before[p].content == content else OutputFile(p, content)
            for p, content in self._open_data.files(site)
        )


@dataclass(frozen=True)
class _Rendered:
    """A page as last rendered, and the template and key it was rendered from."""

    template: str
    key: Hashable
    file: OutputFile


def _path(file: OutputFile) -> str:
    return file.path


def _template_files(dirs: Sequence[Path]) -> tuple[str, list[OutputFile]]:
    """A digest of every file in `dirs` (any edit, addition or removal changes it) and the
    static files, as `_static_files` picks them."""
    digest = []
    for directory in dirs:
        if directory.is_dir():
            for path in sorted(directory.rglob("*")):
                if path.is_file():
                    digest.append(f"{path}\0{bytes_digest(path.read_bytes())}")
    return "\n".join(digest), _static_files(dirs)


def _environment(dirs: Sequence[Path]) -> Environment:
    """Templates from `dirs` in order; autoescaped, and strict about undefined names."""
    loader = ChoiceLoader([FileSystemLoader(str(directory)) for directory in dirs])
    # auto_reload off: the Renderer makes a new environment when any template file changes, so
    # Jinja need not stat each template again for every page.
    environment = Environment(
        loader=loader,
        auto_reload=False,
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals["cached"] = _Fragments(environment)
    return environment


class _Fragments:
    """`cached(name, *values)` in templates: the macro `name` of _macros.html, rendered once for
    given values and reused wherever they appear again, as Hugo's partialCached does.

    A row of a coverage table is the same on the index and on each of its outlets' pages, and
    stays the same build after build: a page of hundreds of rows costs a lookup per row. The
    values are frozen view values, so equal values give equal HTML.

    A value with a `slot` (a claim's card, a row of a claim) keeps one fragment per slot: the
    claim's new card replaces its old one, so memory stays bounded however long `serve` runs.
    Other values are kept up to `LIMIT`, the least recently used dropped first.
    """

    LIMIT = 5_000

    def __init__(self, environment: Environment) -> None:
        self._environment = environment
        self._slots: dict[
            tuple[str, Hashable, tuple[Hashable, ...]], tuple[tuple[Hashable, ...], Markup]
        ] = {}
        self._cache: OrderedDict[tuple[str, tuple[Hashable, ...]], Markup] = OrderedDict()

    def __call__(self, name: str, *values: Hashable) -> Markup:
        slot = getattr(values[0], "slot", None) if values else None
        if slot is not None:
            where = (name, slot, values[1:])
            held = self._slots.get(where)
            if held is not None and held[0] == values:
                return held[1]
            found = self._make(name, values)
            self._slots[where] = (values, found)
            return found
        key = (name, values)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        found = self._cache[key] = self._make(name, values)
        if len(self._cache) > self.LIMIT:
            self._cache.popitem(last=False)
        return found

    def _make(self, name: str, values: tuple[Hashable, ...]) -> Markup:
        macro = getattr(self._environment.get_template(MACROS).module, name)
        return Markup(macro(*values))


# Below this many pages to render, one process does it: starting workers costs more.
PARALLEL_FROM = 400
# What forked workers render from: set just before they fork, so that they inherit it rather
# than receive the plans (lazy contexts over the whole site) through a pipe.
_shared: (
    tuple[Environment, tuple[PagePlan, ...], tuple[Path, ...], Path | None, DiffersCache] | None
) = None

# What a worker sends back for one page: its bytes, or with a spool the digest of the bytes it
# wrote there and the page's search document; None when the page failed.
_Made = bytes | tuple[str, bytes | None] | None


def _render_in_workers(
    environment: Environment,
    plans: tuple[PagePlan, ...],
    dirs: tuple[Path, ...],
    workers: int,
    progress: Callable[[str, int, int], None] | None,
    meanwhile: Callable[[], None],
    spool: Path | None,
    differs: DiffersCache,
) -> dict[str, OutputFile]:
    """Path -> file of each of `plans` that rendered without error, in forked processes;
    `meanwhile` runs here while they work. With `spool`, the files are `SpooledFile`s whose
    bytes the workers wrote under it; what the workers added to `differs` is added to it here.

    Pages are independent and their bytes do not depend on which process rendered them, so the
    site is the same as one process makes; a page that failed is left out for the caller to
    render again and report.
    """
    global _shared
    parts = chunks(len(plans), workers)
    ready: dict[str, OutputFile] = {}
    _shared = (environment, plans, dirs, spool, differs)
    try:
        with worker_pool(workers) as pool:
            results = pool.imap(_render_chunk, parts)  # submits every chunk at once
            meanwhile()
            for chunk, (made, compared) in zip(parts, results, strict=True):
                differs.merge(compared)
                for index, page in zip(chunk, made, strict=True):
                    path = plans[index].path
                    if isinstance(page, bytes):
                        ready[path] = OutputFile(path, page)
                    elif page is not None and spool is not None:
                        ready[path] = SpooledFile(path, _spooled(spool, path), *page)
                if progress is not None:
                    progress("rendering pages", chunk.stop, len(plans))
    finally:
        _shared = None
    return ready


def _render_chunk(chunk: range) -> tuple[list[_Made], dict[str, Any]]:
    """In a worker: what to send back for each of the shared plans in `chunk`, and the
    entries of "what differs" it made meanwhile."""
    assert _shared is not None, "workers are forked after _shared is set"
    environment, plans, dirs, spool, differs = _shared
    reporter = _TemplateErrors(dirs, Diagnostics())  # the parent renders failures again
    made: list[_Made] = []
    for index in chunk:
        text = _render(environment, plans[index], reporter)
        if text is None:
            made.append(None)
            continue
        content = text.encode("utf-8")
        if spool is None:
            made.append(content)
            continue
        target = _spooled(spool, plans[index].path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
        made.append((bytes_digest(content), search_document(OutputFile("", content))))
    return made, differs.take()


def _spooled(spool: Path, path: str) -> Path:
    """Where in `spool` the page of output path `path` is put."""
    return spool.joinpath(*safe_relative_path(path).parts)


def _render(environment: Environment, plan: PagePlan, reporter: _TemplateErrors) -> str | None:
    """The rendered page, or None after reporting why it could not be rendered."""
    try:
        return environment.get_template(plan.template).render(plan.context())
    except TemplateSyntaxError as error:
        reporter.syntax(error)
    except TemplateNotFound as error:
        reporter.runtime(error, plan.template, f"template not found: {error.name}")
    except UndefinedError as error:
        reporter.runtime(error, plan.template, f"undefined in template: {error.message}")
    except TemplateError as error:
        reporter.runtime(error, plan.template, f"template error: {error.message}")
    except Exception as error:
        # A user template can fail in any way ({{ 1 + "a" }}); when a template frame raised
        # it, it is the template's problem to report. Otherwise it is a bug here: let it raise.
        if reporter.template_frame(error.__traceback__) is None:
            raise
        reporter.runtime(error, plan.template, f"error in template: {error}")
    return None


class _TemplateErrors:
    """Turns Jinja2 exceptions into diagnostics at the template's file and line, once each."""

    def __init__(self, dirs: Sequence[Path], diagnostics: Diagnostics) -> None:
        self.dirs = [directory.resolve() for directory in dirs]
        self.diagnostics = diagnostics
        self.seen: set[tuple[Location, str]] = set()

    def syntax(self, error: TemplateSyntaxError) -> None:
        path = self._display(error.filename) if error.filename else error.name or "template"
        hint = "fix the Jinja2 syntax at this line"
        self._report(Location(path, error.lineno, 1), f"template syntax: {error.message}", hint)

    def runtime(self, error: BaseException, template: str, message: str) -> None:
        frame = self.template_frame(error.__traceback__)
        if frame is not None:
            location = Location(self._display(frame[0]), frame[1], 1)
        else:
            # The page's own template is missing: point at where it should be.
            location = Location(str(Path(self.dirs[0].name if self.dirs else "") / template))
        hint = (
            "templates get plain values from site_builder/pages/; check the name's spelling"
            if isinstance(error, UndefinedError)
            else "the page was not rendered; the rest of the site still was"
        )
        self._report(location, message, hint)

    def template_frame(self, traceback: TracebackType | None) -> tuple[str, int] | None:
        """(file, line) of the innermost traceback frame that runs template code, if any."""
        found = None
        for filename, line in _frames(traceback):
            if self._template_dir(filename) is not None:
                found = (filename, line)
        return found

    def _template_dir(self, filename: str) -> Path | None:
        try:
            path = Path(filename).resolve()
        except (OSError, ValueError):
            return None
        return next((d for d in self.dirs if path.is_relative_to(d) and path.is_file()), None)

    def _display(self, filename: str) -> str:
        """A template file relative to its directory's parent, e.g. "templates/claim.html"."""
        directory = self._template_dir(filename)
        if directory is None:
            return filename
        return (Path(directory.name) / Path(filename).resolve().relative_to(directory)).as_posix()

    def _report(self, location: Location, message: str, hint: str) -> None:
        # One broken base.html would otherwise repeat the same error for every page.
        if (location, message) not in self.seen:
            self.seen.add((location, message))
            self.diagnostics.error(location, message, hint)


def _frames(traceback: TracebackType | None) -> Iterator[tuple[str, int]]:
    """(filename, line) of each frame; Jinja2 rewrites template frames to the template's line."""
    while traceback is not None:
        yield traceback.tb_frame.f_code.co_filename, traceback.tb_lineno
        traceback = traceback.tb_next


def _static_files(dirs: Sequence[Path]) -> list[OutputFile]:
    """Files under each dir's static/ as static/...; a file in an earlier dir wins."""
    chosen: dict[str, Path] = {}
    for directory in dirs:
        root = directory / STATIC_DIR
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(root).as_posix()
            if path.is_file() and relative not in chosen:
                chosen[relative] = path
    return [
        OutputFile(f"{STATIC_DIR}/{relative}", path.read_bytes())
        for relative, path in sorted(chosen.items())
    ]
