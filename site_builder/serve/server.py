"""`site-builder serve`: build, serve the output over HTTP, rebuild on edits, reload the browser.

In: the site root, the output folder, a build hook (`Changes -> BuildResult`) and an `on_event`
callback. Out: HTTP on loopback serving only files inside the output folder, with a live-reload
script added to HTML responses at serve time (the built files never contain it); server-sent
events at `/__site_builder/events` (`hello`, `reload`, `css`, `error`); and `ServeEvent`s for the
terminal, which `cli/` prints (this module prints nothing).

A failed or crashed rebuild never stops the server: it keeps serving the last good output and
shows the diagnostics in the open page until an edit fixes them.
"""

from __future__ import annotations

import contextlib
import queue
import secrets
import threading
import time
import traceback
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from importlib.resources import files
from pathlib import Path

from ..build.builder import FinishResult
from ..build.options import BuildOptions, BuildResult
from ..build.run import build
from .events import (
    FinishedLater,
    RebuildCrashed,
    RebuildFinished,
    RebuildStarted,
    ServeEvent,
    ServerProblem,
    Serving,
    crash_json,
    diagnostic_json,
    sse_message,
)
from .handler import EVENTS_PATH, SCRIPT_PATH, LoopbackServer, resolve_request
from .watch import ChangeQueue, Changes, Watcher

BuildHook = Callable[[Changes], BuildResult]


# Brings up to date what builds left for later (search index, open data); None: nothing was due.
FinishHook = Callable[[], FinishResult | None]


def site_build(
    root: Path, out: Path, *, strict: bool = False, base_url: str | None = None
) -> BuildHook:
    """The default hook: a full build of `root` into `out` whatever changed."""
    options = BuildOptions(root=root, out=out, strict=strict, base_url=base_url)

    def hook(changes: Changes) -> BuildResult:
        return build(options)

    return hook


class DevServer:
    """Serve `out` on `host:port`, rebuild `root` on edits, and tell open pages about it.

    `start()` binds the port (port 0 picks a free one), runs the first build, and returns;
    everything else happens on background threads until `stop()`. Also a context manager.
    """

    def __init__(
        self,
        root: Path,
        out: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        poll: bool = False,
        build: BuildHook | None = None,
        finish: FinishHook | None = None,
        tidy: Callable[[], None] | None = None,
        close: Callable[[], None] | None = None,
        on_event: Callable[[ServeEvent], None] | None = None,
        base_path: str = "/",
        debounce: float = 0.01,
        idle: float = 1.0,
        poll_interval: float = 0.5,
        heartbeat: float = 15.0,
    ) -> None:
        self.root, self.out = root, out
        self.host, self.port = host, port
        self.base_path = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
        self.heartbeat = heartbeat
        self.script = files(__package__ or "site_builder").joinpath("livereload.js").read_bytes()
        self._build = build or site_build(root, out)
        self._finish = finish
        self._tidy = tidy  # after a build's events are out: housekeeping off the critical path
        self._close = close  # at stop: end work that would outlive the server (Pagefind)
        self.idle = idle  # seconds without edits before `finish` runs
        self._on_event = on_event
        self._queue = ChangeQueue(quiet=debounce)
        self._watcher = Watcher(
            root, out, self._queue, poll=poll, poll_interval=poll_interval, on_problem=self._problem
        )
        self._httpd: LoopbackServer | None = None
        self._threads: list[threading.Thread] = []
        # Guards the state every browser sees: the build id, the last error and the clients.
        self._lock = threading.Lock()
        self._token = secrets.token_hex(4)  # a restarted server has new build ids
        self._generation = 0
        self._last_error: dict[str, object] | None = None
        self._clients: set[queue.SimpleQueue[str | None]] = set()
        self._building = False
        self._builds = 0  # finished builds, so the finishing thread can tell it was overtaken
        self._finish_due = False
        self._idle = threading.Condition()
        self._stopped = threading.Event()

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{self.base_path}"

    @property
    def polling(self) -> bool:
        """True when files are polled (asked for, or file events were unavailable)."""
        return self._watcher.polling

    @property
    def build_id(self) -> str:
        """Names the output being served; changes with every successful build."""
        return f"{self._token}-{self._generation}"

    def start(self) -> None:
        """Bind, watch, build once, then serve and rebuild in the background."""
        if self._httpd is not None:
            raise RuntimeError("DevServer.start() called twice")
        httpd = self._httpd = LoopbackServer((self.host, self.port), self)  # OSError: port in use
        self.port = httpd.server_address[1]
        self._watcher.start()  # before the first build, so edits made during it are not lost
        self._building = True  # requests wait for the first build instead of a 404
        self._spawn("site-builder-http", lambda: httpd.serve_forever(poll_interval=0.1))
        first = threading.Event()
        # Every build on one thread, the first included: the site model it builds is then
        # allocated, freed and replaced by the same thread (one malloc arena, not two that
        # both keep their free memory).
        self._spawn("site-builder-rebuild", lambda: self._rebuild_loop(first))
        first.wait()
        if self._finish is not None:
            self._spawn("site-builder-finish", self._finish_loop)
        self.report(Serving(self.url, self._watcher.polling))

    def stop(self) -> None:
        """Stop watching, end every event stream and close the port. Safe to call twice."""
        if self._stopped.is_set():
            return
        self._stopped.set()
        with self._idle:
            self._idle.notify_all()
        if self._close is not None:
            with contextlib.suppress(Exception):
                self._close()
        self._queue.close()
        self._watcher.stop()
        with self._lock:
            for client in self._clients:
                client.put(None)
        if self._httpd is not None:
            if self._threads:  # shutdown() waits for serve_forever(), so only once it runs
                self._httpd.shutdown()
            self._httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until `stop()` (Ctrl-C interrupts it in the main thread)."""
        return self._stopped.wait(timeout)

    def __enter__(self) -> DevServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def report(self, event: ServeEvent) -> None:
        if self._on_event is None:
            return
        # The callback is the only channel to report through: if it fails, keep serving.
        with contextlib.suppress(Exception):
            self._on_event(event)

    def _problem(self, message: str) -> None:
        self.report(ServerProblem(message))

    def _spawn(self, name: str, target: Callable[[], object]) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _rebuild_loop(self, first: threading.Event) -> None:
        try:
            self._rebuild(Changes(initial=True))
        finally:
            first.set()
        while (changes := self._queue.take()) is not None:
            self._rebuild(changes)

    def _rebuild(self, changes: Changes) -> None:
        """Run the build hook once and tell the terminal and the browsers what happened."""
        self.report(RebuildStarted(changes))
        with self._idle:
            self._building = True
        started = time.perf_counter()
        try:
            try:
                result = self._build(changes)
            except Exception as exc:  # never die: a bug in the build must not stop the server
                seconds = time.perf_counter() - started
                crash = f"{type(exc).__name__}: {exc}"
                self._publish_error([crash_json(crash)])
                event: ServeEvent = RebuildCrashed(changes, crash, traceback.format_exc(), seconds)
            else:
                seconds = time.perf_counter() - started
                self._publish_result(changes, result)
                event = RebuildFinished(changes, result, seconds)
        finally:
            # Cleared only after the build id changed, so a page is served with its own id.
            with self._idle:
                self._building = False
                self._builds += 1
                self._finish_due = True
                self._idle.notify_all()
        self.report(event)
        if self._tidy is not None:
            try:
                self._tidy()
            except Exception as exc:  # housekeeping only: never the end of the server
                self.report(ServerProblem(f"tidying up after a build failed: {exc!r}"))

    def _finish_loop(self) -> None:
        """Run the finish hook whenever edits have paused for `idle` seconds after a build."""
        assert self._finish is not None
        while not self._stopped.is_set():
            with self._idle:
                self._idle.wait_for(
                    lambda: self._stopped.is_set() or (self._finish_due and not self._building)
                )
                builds = self._builds
            if self._stopped.wait(self.idle):
                return
            with self._idle:
                if self._building or self._builds != builds or self._queue.has_pending():
                    continue  # edits are still coming: wait for the next pause
                self._finish_due = False
            try:
                result = self._finish()
            except Exception as exc:  # like a crashing build, never the end of the server
                self.report(
                    RebuildCrashed(
                        Changes(), f"{type(exc).__name__}: {exc}", traceback.format_exc(), 0.0
                    )
                )
                continue
            if result is not None:
                if not result.done:
                    with self._idle:
                        self._finish_due = True  # a build overtook it; try again at the next pause
                self.report(FinishedLater(result))

    def _publish_result(self, changes: Changes, result: BuildResult) -> None:
        if result.failed:
            self._publish_error([diagnostic_json(d) for d in result.diagnostics])
            return
        with self._lock:
            # After a failure, pages may be stale in more ways than the stylesheet: reload.
            css = changes.stylesheets_only() and self._last_error is None
            self._last_error = None
            self._generation += 1
            payload = {"build": self.build_id, "paths": sorted(changes.paths)}
            self._broadcast(sse_message("css" if css else "reload", payload))

    def _publish_error(self, diagnostics: list[dict[str, object]]) -> None:
        with self._lock:
            self._last_error = {"build": self.build_id, "diagnostics": diagnostics}
            self._broadcast(sse_message("error", self._last_error))

    def _broadcast(self, message: str) -> None:
        for client in self._clients:  # the caller holds self._lock
            client.put(message)

    def wait_for_build(self, timeout: float = 10.0) -> None:
        """Hold a request while a build runs, so a page never mixes old and new files."""
        with self._idle:
            self._idle.wait_for(lambda: not self._building, timeout)

    def site_404(self) -> str:
        """The site's own 404.html, or "" when it has none."""
        kind, path = resolve_request(self.out, self.base_path + "404.html", self.base_path)
        return path if kind == "file" else ""

    def script_tag(self) -> bytes:
        return (
            f'<script src="{SCRIPT_PATH}" data-events="{EVENTS_PATH}" '
            f'data-build="{self.build_id}" defer></script>\n'
        ).encode()

    def stream_events(self, handler: BaseHTTPRequestHandler) -> None:
        """Serve one event stream until the client leaves or the server stops."""
        client: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        with self._lock:
            # Registered and greeted under the lock, so no broadcast is missed or reordered.
            self._clients.add(client)
            client.put("retry: 1000\n" + sse_message("hello", {"build": self.build_id}))
            if self._last_error is not None:  # a tab opened on a broken build sees why at once
                client.put(sse_message("error", self._last_error))
        try:
            handler.send_response(200)
            handler.send_header("Content-Type", "text/event-stream; charset=utf-8")
            handler.send_header("Cache-Control", "no-store")
            handler.end_headers()
            while not self._stopped.is_set():
                try:
                    message = client.get(timeout=self.heartbeat)
                except queue.Empty:
                    message = ": heartbeat\n\n"  # finds dead connections; keeps proxies open
                if message is None:
                    break
                handler.wfile.write(message.encode())
                handler.wfile.flush()
        except OSError:
            pass  # the tab was closed or reloaded: an ordinary end of a stream
        finally:
            with self._lock:
                self._clients.discard(client)
