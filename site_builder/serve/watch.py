"""File watching for `serve`: which edits count, what kind they are, and when to rebuild.

In: file-system events from watchdog on the site's `content/` and `templates/` folders and on the
site root (for `claims.yaml`). Out: `Changes` batches, one per quiet period, taken by the serve
loop and handed to the build.

Lessons from other generators (GUIDE §7): watch folders, not files, because editors save by
writing a temporary file and renaming it over the original; ignore editor temporary files; never
react to the output folder or caches (rebuild loops); turn a burst of events into one rebuild.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from watchdog.events import (
    EVENT_TYPE_CLOSED,
    EVENT_TYPE_CREATED,
    EVENT_TYPE_DELETED,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_MOVED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

ChangeKind = Literal["article", "claims", "page", "settings", "template", "static", "other"]

CLAIMS = "claims.yaml"
WATCHED_DIRS = ("content", "templates")
# Folders that are never part of the site's input, wherever they appear.
IGNORED_DIRS = frozenset(
    {".git", ".hg", ".svn", ".site-builder-cache", "__pycache__", "node_modules", ".idea"}
)
# Editor leftovers (vim, emacs, kate, JetBrains, generic); `4913` is vim's write-permission probe.
TEMP_SUFFIXES = (".swp", ".swo", ".swx", ".swn", "~", ".tmp", ".kate-swp", ".crswap")
# Only these events mean "content changed"; opened/closed-without-writing events come from the
# build reading the files and would start an endless rebuild loop.
CONTENT_EVENTS = frozenset(
    {
        EVENT_TYPE_CREATED,
        EVENT_TYPE_MODIFIED,
        EVENT_TYPE_DELETED,
        EVENT_TYPE_MOVED,
        EVENT_TYPE_CLOSED,
    }
)


def is_editor_temp(name: str) -> bool:
    """True for a file name an editor writes while saving (never a real edit of the site)."""
    return (
        name.endswith(TEMP_SUFFIXES)
        or name.startswith(".#")
        or (name.startswith("#") and name.endswith("#"))
        or name == "4913"
        or "___jb_" in name
    )


def classify(relative: PurePosixPath) -> ChangeKind | None:
    """What a path relative to the site root is to the build; None when the build ignores it."""
    parts = relative.parts
    if not parts or any(p in IGNORED_DIRS for p in parts) or is_editor_temp(parts[-1]):
        return None
    if parts == (CLAIMS,):
        return "claims"
    if parts[0] == "content":
        if parts == ("content", "site.yaml"):
            return "settings"
        if len(parts) > 2 and parts[1] == "articles":
            return "article"
        if len(parts) > 2 and parts[1] == "pages":
            return "page"
        return "other"  # unknown files under content/: rebuild rather than miss something
    if parts[0] == "templates":
        return "static" if len(parts) > 2 and parts[1] == "static" else "template"
    return None


@dataclass(frozen=True, order=True)
class Change:
    """One changed path (relative to the site root, POSIX separators) and what it is."""

    path: str
    kind: ChangeKind


@dataclass(frozen=True)
class Changes:
    """What one rebuild is for. `initial` marks the first build, which must do everything."""

    items: tuple[Change, ...] = ()
    initial: bool = False

    @property
    def paths(self) -> frozenset[str]:
        return frozenset(c.path for c in self.items)

    @property
    def kinds(self) -> frozenset[ChangeKind]:
        return frozenset(c.kind for c in self.items)

    def stylesheets_only(self) -> bool:
        """True when only CSS changed: the open page can swap styles instead of reloading."""
        return bool(self.items) and all(
            c.kind == "static" and c.path.endswith(".css") for c in self.items
        )

    def describe(self) -> str:
        """A short human description for the terminal line."""
        if self.initial:
            return "initial build"
        names = [c.path for c in self.items]
        if len(names) <= 3:
            return ", ".join(names)
        return f"{', '.join(names[:2])} and {len(names) - 2} more"


@dataclass
class ChangeQueue:
    """Collects changes and hands them out in debounced batches.

    A burst of events becomes one batch once nothing new arrived for `quiet` seconds (at most
    `max_wait` after the first one, so a file that never stops changing still gets built).
    Changes that arrive while a build runs wait here, so they make exactly one more build.
    """

    quiet: float = 0.1
    max_wait: float = 2.0
    _pending: dict[str, ChangeKind] = field(default_factory=dict)
    _first: float = 0.0
    _last: float = 0.0
    _closed: bool = False
    _cond: threading.Condition = field(default_factory=threading.Condition)

    def add(self, path: str, kind: ChangeKind) -> None:
        with self._cond:
            now = time.monotonic()
            if not self._pending:
                self._first = now
            self._pending[path] = kind
            self._last = now
            self._cond.notify_all()

    def close(self) -> None:
        """Wake up `take` for good: it returns None from now on."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def has_pending(self) -> bool:
        """True while changes wait for their quiet period (or for the running build)."""
        with self._cond:
            return bool(self._pending)

    def take(self) -> Changes | None:
        """Block until a batch is ready after its quiet period; None once closed."""
        with self._cond:
            while not self._closed:
                if not self._pending:
                    self._cond.wait()
                    continue
                now = time.monotonic()
                due = min(self._last + self.quiet, self._first + self.max_wait)
                if now >= due:
                    batch = Changes(tuple(sorted(Change(p, k) for p, k in self._pending.items())))
                    self._pending = {}
                    return batch
                self._cond.wait(due - now)
            return None


class _Handler(FileSystemEventHandler):
    """Turns watchdog events into (relative path, kind) pairs for the queue."""

    def __init__(self, watcher: Watcher) -> None:
        super().__init__()
        self._watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in CONTENT_EVENTS:
            return
        # A folder's "modified" only echoes a change of one of its files, reported on its own.
        if event.is_directory and event.event_type == EVENT_TYPE_MODIFIED:
            return
        # A rename counts at both ends: the old name is gone, the new one is there. An atomic
        # save renames an ignored temp file over the original, so only the destination counts.
        paths = [event.src_path]
        if event.event_type == EVENT_TYPE_MOVED:
            paths.append(event.dest_path)
        for raw in paths:
            try:
                if raw:
                    self._watcher.notice(os.fsdecode(raw), event.is_directory)
            except Exception as exc:  # an exception here ends watchdog's thread: no more rebuilds
                self._watcher.problem(f"could not handle a change of {raw!r}: {exc!r}")


class Watcher:
    """Watches a site's input folders and feeds a `ChangeQueue`.

    `content/` and `templates/` are watched recursively; the root only non-recursively, so the
    output folder (and its staging siblings) and caches beside it never reach the queue.
    """

    def __init__(
        self,
        root: Path,
        out: Path,
        queue: ChangeQueue,
        *,
        poll: bool = False,
        poll_interval: float = 0.5,
        on_problem: Callable[[str], None] | None = None,
    ) -> None:
        self.root = root.absolute()
        self._outs = {out.absolute(), out.resolve()}
        self._queue = queue
        self._poll = poll
        self._poll_interval = poll_interval
        self.problem = on_problem or (lambda message: None)
        self._handler = _Handler(self)
        self._observer: Any = None
        self._watches: dict[str, Any] = {}
        self._lock = threading.Lock()

    @property
    def polling(self) -> bool:
        return self._poll

    def start(self) -> None:
        try:
            self._start_observer()
        except OSError as exc:
            if self._poll:
                raise
            # inotify limits are easy to hit on big machines; polling still works.
            self.problem(f"file events unavailable ({exc}); polling instead")
            self._poll = True
            self._start_observer()

    def _start_observer(self) -> None:
        observer = PollingObserver(timeout=self._poll_interval) if self._poll else Observer()
        self._observer = observer
        self._watches = {}
        observer.schedule(self._handler, str(self.root), recursive=False)
        self.refresh()
        observer.start()

    def refresh(self) -> None:
        """(Re)watch `content/` and `templates/`: they may appear, vanish or be replaced."""
        with self._lock:
            if self._observer is None:
                return
            for name in WATCHED_DIRS:
                directory = self.root / name
                old = self._watches.pop(name, None)
                if old is not None:
                    # Its emitter may have stopped already because the folder went away.
                    with contextlib.suppress(KeyError, OSError):
                        self._observer.unschedule(old)
                if directory.is_dir():
                    try:
                        self._watches[name] = self._observer.schedule(
                            self._handler, str(directory), recursive=True
                        )
                    except OSError as exc:
                        self.problem(f"cannot watch {directory}: {exc}")

    def stop(self) -> None:
        with self._lock:
            observer, self._observer = self._observer, None
        if observer is not None:
            observer.stop()
            observer.join(timeout=5)

    def notice(self, raw: str, is_directory: bool) -> None:
        """Queue one path reported by watchdog if the build cares about it."""
        path = Path(raw)
        if any(path == out or out in path.parents for out in self._outs):
            return
        try:
            relative = PurePosixPath(path.relative_to(self.root).as_posix())
        except ValueError:
            return
        if is_directory and relative.parts in {(name,) for name in WATCHED_DIRS}:
            # content/ or templates/ itself was created, deleted or replaced.
            self.refresh()
        kind = classify(relative)
        if kind is not None:
            self._queue.add(relative.as_posix(), kind)
