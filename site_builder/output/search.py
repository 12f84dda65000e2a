"""Rendered pages -> the full-text search index (Pagefind), as more output files.

In: the rendered `OutputFile`s and the run's `Diagnostics`. Out: the files of Pagefind's search
bundle under `pagefind/` (index, fragments, WebAssembly and `pagefind.js`), for build/builder.py to write
with everything else, so output/write.py stays the only writer of the site. Pagefind indexes only what
the templates mark with `data-pagefind-body` (claim and article pages) and skips anything inside
`data-pagefind-ignore`. Pagefind (the `pagefind[bin]` packages) runs offline, and for the same
pages it gives byte-identical files whatever the order the pages are written in or the number of
CPUs. When it cannot run, the site is still built, without search, and a warning says why (so a
`--strict` build fails rather than publish a site whose search is missing).
"""

from __future__ import annotations

import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable
from hashlib import sha256
from pathlib import Path, PurePosixPath

from pagefind.service import get_executable

from ..diagnostics import Diagnostics, Location
from ..engine.cache import FilesCache
from ..model import OutputFile

BUNDLE_DIR = "pagefind"
# Pagefind's ready-made search interfaces: the site has its own (templates/static/site.js), so
# these would only be dead weight in every deploy.
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
TIMEOUT_SECONDS = 120.0

__all__ = ["BUNDLE_DIR", "SearchIndex", "search_files"]


class SearchIndexError(Exception):
    """Pagefind could not index the pages; the message says why."""


def search_files(
    files: Iterable[OutputFile],
    diagnostics: Diagnostics,
    track: Callable[[subprocess.Popen[str] | None], None] = lambda process: None,
) -> tuple[OutputFile, ...]:
    """The search bundle for the HTML among `files`; () after a warning if Pagefind fails.

    `track` is told of the Pagefind process while it runs (and None after), so that it can be
    stopped from another thread.
    """
    pages = tuple(f for f in files if f.path.endswith(".html"))
    try:
        bundle = _index(pages, track)
    except (OSError, subprocess.SubprocessError, SearchIndexError) as error:
        diagnostics.warning(
            Location(BUNDLE_DIR),
            f"search index not built, the site has no search: {error}",
            "install Pagefind's binary with `pip install 'pagefind[bin]'` (it runs offline)",
        )
        return ()
    return tuple(
        OutputFile(f"{BUNDLE_DIR}/{path}", content)
        for path, content in sorted(bundle.items())
        if path not in UNUSED
    )


class SearchIndex:
    """`search_files` for a Builder that builds again and again: unchanged pages, same index.

    Pagefind takes a moment to start, and seconds on a big site; a rebuild whose HTML did not
    change (a stylesheet edit) reuses the last bundle instead of running it again, and so does
    the next build of the same pages when `disk` keeps the bundle between runs.
    """

    def __init__(self, disk: FilesCache | None = None) -> None:
        self._key = ""
        self._files: tuple[OutputFile, ...] = ()
        self._disk = disk or FilesCache(None)
        self._lock = threading.Lock()
        self._process: subprocess.Popen[str] | None = None
        self._cancelled = False

    def cancel(self) -> None:
        """Stop a Pagefind run of another thread (the dev server is shutting down) and any
        later one: they end with a warning instead of an index."""
        with self._lock:
            self._cancelled = True
            if self._process is not None and self._process.poll() is None:
                self._process.kill()

    def _track(self, process: subprocess.Popen[str] | None) -> None:
        with self._lock:
            self._process = process
            if process is not None and self._cancelled:
                process.kill()

    def files(
        self, files: Iterable[OutputFile], diagnostics: Diagnostics
    ) -> tuple[OutputFile, ...]:
        pages = tuple(sorted((f for f in files if f.path.endswith(".html")), key=_path))
        digest = sha256()
        for page in pages:
            digest.update(page.path.encode() + b"\0" + sha256(page.content).digest())
        digest.update(_binary_identity().encode())
        key = digest.hexdigest()
        if key == self._key:
            return self._files
        stored = self._disk.get(key)
        if stored is not None:
            self._key, self._files = key, tuple(OutputFile(p, c) for p, c in stored.items())
            return self._files
        found = Diagnostics()
        result = search_files(pages, found, self._track)
        diagnostics.extend(found)
        # A failed run is tried again next time: the binary may have been installed meanwhile.
        self._key, self._files = ("", ()) if found.items else (key, result)
        if not found.items:
            self._disk.put(key, {f.path: f.content for f in result})
        return result


def _binary_identity() -> str:
    """Which Pagefind would run (its path, size and time), so that another one indexes anew;
    "" when there is none, which never matches a stored bundle."""
    executable = get_executable()
    try:
        status = executable.stat() if executable is not None else None
    except OSError:
        status = None
    if status is None:
        return ""
    return f"{executable}:{status.st_size}:{status.st_mtime_ns}"


def _path(file: OutputFile) -> str:
    return file.path


def _index(
    pages: tuple[OutputFile, ...], track: Callable[[subprocess.Popen[str] | None], None]
) -> dict[str, bytes]:
    """Pagefind's bundle (paths relative to it) for `pages`, indexed in a scratch folder.

    The binary runs once over a copy of the pages (a fifth of a second for this site). The
    Python API's in-memory `add_html_file` would avoid the copy, but its polling loop costs a
    tenth of a second per page. URLs come from the paths (claims/x/index.html -> /claims/x/),
    relative to the site root; the browser script adds the base path.
    """
    executable = get_executable()
    if executable is None:
        raise SearchIndexError("Pagefind's binary is not installed")
    with tempfile.TemporaryDirectory(prefix="site-builder-search-") as scratch:
        site, bundle = Path(scratch) / "site", Path(scratch) / "bundle"
        for page in pages:
            target = site.joinpath(*PurePosixPath(page.path).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(page.content)
        site.mkdir(exist_ok=True)
        command = [str(executable), "--site", str(site), "--output-path", str(bundle), "--silent"]
        with subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        ) as process:
            track(process)
            try:
                stdout, stderr = process.communicate(timeout=TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                raise
            finally:
                track(None)
        if process.returncode != 0 or not (bundle / "pagefind-entry.json").is_file():
            output = (stderr or stdout).strip() or f"exit status {process.returncode}"
            raise SearchIndexError(f"{executable.name} failed: {output}")
        return {
            path.relative_to(bundle).as_posix(): path.read_bytes()
            for path in sorted(bundle.rglob("*"))
            if path.is_file()
        }
