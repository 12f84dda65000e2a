"""HTTP for `serve`: a URL path -> a file inside the output folder, never outside it.

In: a request path and the output folder. Out: the file's bytes with its content type (HTML
with the live-reload script added), a redirect to the pretty URL, or a not-found page; the event
stream and the script under the reserved `/__site_builder/` prefix.
"""

from __future__ import annotations

import mimetypes
import socket
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import unquote, urlsplit

from .events import ServerProblem

if TYPE_CHECKING:
    from .server import DevServer


RESERVED = "/__site_builder/"


EVENTS_PATH = RESERVED + "events"


SCRIPT_PATH = RESERVED + "livereload.js"


def inject_script(html: bytes, tag: bytes) -> bytes:
    """Insert `tag` before the last `</body>` (or at the end when there is none)."""
    at = html.lower().rfind(b"</body")
    return html + tag if at < 0 else html[:at] + tag + html[at:]


Target = tuple[Literal["file", "redirect", "missing"], str]


def resolve_request(out: Path, url_path: str, base_path: str = "/") -> Target:
    """Map a URL path to a file inside `out`, a redirect, or "missing".

    Rejects rather than normalises anything that could leave `out`: `..` and `.` segments (also
    percent-encoded), backslashes, NUL bytes, and symlinks that resolve outside the folder.
    """
    if not url_path.startswith(base_path):
        if url_path.rstrip("/") == base_path.rstrip("/") or url_path == "/":
            return "redirect", base_path
        return "missing", ""
    try:
        decoded = unquote(url_path[len(base_path) :], errors="strict")
    except UnicodeDecodeError:
        return "missing", ""
    segments = [s for s in decoded.split("/") if s]
    if "\x00" in decoded or "\\" in decoded or any(s in {".", ".."} for s in segments):
        return "missing", ""
    try:
        root = out.resolve(strict=True)
        candidate = root.joinpath(*segments).resolve()
        if candidate.is_relative_to(root) and candidate.is_dir():
            if segments and not decoded.endswith("/"):
                # Pretty URLs: /claims/x -> /claims/x/. One leading slash: never `//host`.
                return "redirect", "/" + url_path.lstrip("/") + "/"
            candidate = (candidate / "index.html").resolve()
    except (OSError, RuntimeError):  # a missing folder, a symlink loop
        return "missing", ""
    # Checked on the resolved path: a symlink inside `out` must not lead outside it.
    if candidate.is_relative_to(root) and candidate.is_file():
        return "file", str(candidate)
    return "missing", ""


def read_file(path: str) -> bytes | None:
    """The file's bytes, or None when there is no path or the file cannot be read."""
    if not path:
        return None
    try:
        return Path(path).read_bytes()
    except OSError:
        return None


def content_type(path: str) -> str:
    guessed = mimetypes.guess_type(path)[0] or "application/octet-stream"
    textual = guessed.startswith("text/") or guessed.endswith(("json", "xml", "javascript"))
    return guessed + "; charset=utf-8" if textual else guessed


NO_SITE_YET = (
    b"<!doctype html><html lang=en><meta charset=utf-8><title>Nothing built yet</title>"
    b"<body><h1>Nothing built yet</h1><p>The site has not built successfully yet. "
    b"Fix the problems shown in the terminal; this page reloads itself.</p></body></html>"
)


NOT_FOUND = (
    b"<!doctype html><html lang=en><meta charset=utf-8><title>Not found</title>"
    b"<body><h1>Not found</h1><p>Nothing in the built site has this address.</p></body></html>"
)


class LoopbackServer(ThreadingHTTPServer):
    # Request threads must never keep the process alive or make shutdown wait (SSE streams).
    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], dev: DevServer) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)
        self.dev = dev

    def handle_error(self, request: Any, client_address: Any) -> None:
        # The default prints a traceback to stderr; only cli/ prints. A closed tab is normal.
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError | TimeoutError):
            self.dev.report(ServerProblem(f"request from {client_address[0]} failed: {error!r}"))


class _Handler(BaseHTTPRequestHandler):
    server: LoopbackServer
    server_version = "site-builder-serve"

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default per-request log on stderr (cli/ owns the terminal)."""

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def _respond(self, head: bool) -> None:
        dev = self.server.dev
        split = urlsplit(self.path)
        if split.path == EVENTS_PATH and not head:
            dev.stream_events(self)
            return
        if split.path == SCRIPT_PATH:
            self._send(200, "text/javascript; charset=utf-8", dev.script, head)
            return
        dev.wait_for_build()
        kind, value = resolve_request(dev.out, split.path, dev.base_path)
        if kind == "redirect":
            # 302, not 301: browsers keep a 301 for good, and this tree changes as you edit.
            self.send_response(302)
            self.send_header("Location", value + (f"?{split.query}" if split.query else ""))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status, path = 200, value
        if kind == "missing":
            status, path = 404, dev.site_404()
        body = read_file(path)
        if body is None:  # no 404.html, no output yet (the first build failed), or just vanished
            body, path = (NOT_FOUND if dev.out.is_dir() else NO_SITE_YET), "404.html"
        ctype = content_type(path)
        if ctype.startswith("text/html"):
            body = inject_script(body, dev.script_tag())
        self._send(status, ctype, body, head)

    def _send(self, status: int, ctype: str, body: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(body)
