"""`serve`: the real server on a free loopback port, real file edits, real HTTP and SSE.

Every wait is bounded and waits on a condition (a page's text, an event), so a failure fails
quickly instead of hanging the suite.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pytest

from site_builder.build.builder import Builder
from site_builder.build.options import BuildOptions, BuildResult
from site_builder.build.run import build
from site_builder.serve.events import (
    FinishedLater,
    RebuildCrashed,
    RebuildFinished,
    RebuildStarted,
    ServeEvent,
)
from site_builder.serve.handler import resolve_request
from site_builder.serve.memory import LiveSite
from site_builder.serve.server import DevServer
from site_builder.serve.watch import ChangeQueue, Changes, classify, is_editor_temp

from .test_build import tree

FIXTURE_SITE = Path(__file__).parent / "fixtures" / "site"
CLAIM_PAGE = "claims/bodies-each/"
CLAIM_TEXT = "Both sides agreed to exchange 6,000 bodies each."
TIMEOUT = 8.0  # generous for a loaded CI machine; a passing run waits far less


def wait_until(condition: Callable[[], object], timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {condition}")
        time.sleep(0.02)


@dataclass
class Recorder:
    """Collects the server's `ServeEvent`s from its threads."""

    events: list[ServeEvent] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, event: ServeEvent) -> None:
        with self.lock:
            self.events.append(event)

    def rebuilds(self) -> list[RebuildFinished | RebuildCrashed]:
        with self.lock:
            return [
                e
                for e in self.events
                if isinstance(e, RebuildFinished | RebuildCrashed) and not e.changes.initial
            ]

    def started(self) -> int:
        with self.lock:
            return sum(isinstance(e, RebuildStarted) for e in self.events)


class EventStream:
    """An SSE client on a raw socket, read on a thread; `events` are (name, data) pairs."""

    def __init__(self, port: int) -> None:
        self.events: list[tuple[str, dict[str, object]]] = []
        self.closed = False
        self._sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
        self._sock.sendall(b"GET /__site_builder/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        self.wait_for("hello")

    def _read(self) -> None:
        buffer = b""
        try:
            while chunk := self._sock.recv(65536):
                buffer += chunk
                while b"\n\n" in buffer:
                    block, buffer = buffer.split(b"\n\n", 1)
                    self._parse(block.decode("utf-8"))
        except OSError:
            pass
        self.closed = True

    def _parse(self, block: str) -> None:
        name, data = "message", ""
        for line in block.split("\n"):
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                data += line[6:]
        if data:
            self.events.append((name, json.loads(data)))

    def names(self) -> list[str]:
        return [name for name, _ in self.events]

    def wait_for(self, name: str, after: int = 0) -> dict[str, object]:
        """The first `name` event at index >= `after`."""
        found: list[dict[str, object]] = []

        def seen() -> bool:
            found[:] = [data for n, data in self.events[after:] if n == name]
            return bool(found)

        wait_until(seen)
        return found[0]

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)  # wakes the reading thread; close() would not
        self._sock.close()
        self._thread.join(timeout=TIMEOUT)


@dataclass
class Site:
    root: Path
    out: Path
    server: DevServer
    recorder: Recorder

    def url(self, path: str = "") -> str:
        return self.server.url + path

    def fetch(self, path: str = "") -> tuple[int, str, dict[str, str]]:
        try:
            with urllib.request.urlopen(self.url(path), timeout=TIMEOUT) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def raw_get(self, path: str) -> tuple[int, str, dict[str, str]]:
        """GET `path` exactly as written (urllib would normalise some of it)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=TIMEOUT)
        try:
            connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
            connection.putheader("Host", "localhost")
            connection.endheaders()
            response = connection.getresponse()
            return response.status, response.read().decode(errors="replace"), dict(response.headers)
        finally:
            connection.close()

    def wait_for_page(self, path: str, text: str) -> str:
        body = ""

        def shows() -> bool:
            nonlocal body
            status, body, _ = self.fetch(path)
            return status == 200 and text in body

        wait_until(shows)
        return body

    def stream(self) -> EventStream:
        return EventStream(self.server.port)

    def edit(self, name: str, old: str, new: str) -> None:
        path = self.root / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def start_site(
    tmp_path: Path,
    hook: Callable[[Changes], BuildResult] | None = None,
    debounce: float = 0.15,
    poll: bool = False,
    prepare: Callable[[Path], object] = lambda root: None,
) -> Site:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root, dirs_exist_ok=True)
    prepare(root)
    out = root / "output"  # inside the root, as by default: it must never trigger a rebuild
    recorder = Recorder()
    # What `site-builder serve` runs: a live builder that writes in place and finishes the
    # search index and open data once edits pause.
    live = LiveSite(Builder(BuildOptions(root=root, out=out), workers=1))
    server = DevServer(
        root,
        out,
        port=0,
        build=hook or (lambda changes: live.build(None if changes.initial else changes.paths)),
        finish=None if hook else live.finish,
        tidy=None if hook else live.tidy,
        close=None if hook else live.close,
        on_event=recorder,
        debounce=debounce,
        idle=0.2,
        poll=poll,
        poll_interval=0.1,
    )
    server.start()
    return Site(root, out, server, recorder)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    served = start_site(tmp_path)
    try:
        yield served
    finally:
        served.server.stop()


def test_a_claims_edit_is_served_and_reloads_the_page(site: Site) -> None:
    stream = site.stream()
    assert site.wait_for_page(CLAIM_PAGE, CLAIM_TEXT)
    site.edit("claims.yaml", CLAIM_TEXT, "Both sides agreed to exchange 7,000 bodies each.")
    site.wait_for_page(CLAIM_PAGE, "7,000 bodies each")
    reload = stream.wait_for("reload")
    assert reload["paths"] == ["claims.yaml"]
    wait_until(lambda: len(site.recorder.rebuilds()) == 1)
    finished = site.recorder.rebuilds()[0]
    assert isinstance(finished, RebuildFinished)
    assert finished.changes.kinds == {"claims"}
    assert not finished.result.failed and finished.result.pages > 0
    stream.close()


def test_once_edits_pause_search_and_open_data_catch_up_with_a_clean_build(
    site: Site, tmp_path: Path
) -> None:
    """The page is new at once; claims.json, the sitemap and the search index follow once the
    edits pause, and then the served folder is exactly what a clean build writes."""
    wait_until(lambda: any(isinstance(e, FinishedLater) for e in site.recorder.events))
    site.edit("claims.yaml", CLAIM_TEXT, "Both sides agreed to exchange 7,000 bodies each.")
    site.wait_for_page(CLAIM_PAGE, "7,000 bodies each")
    wait_until(lambda: "7,000 bodies each" in site.fetch("claims.json")[1])
    finished = [e for e in site.recorder.events if isinstance(e, FinishedLater)]
    assert all(e.result.diagnostics == () for e in finished)
    clean = tmp_path / "clean"
    assert not build(BuildOptions(root=site.root, out=clean)).failed
    wait_until(lambda: tree(site.out) == tree(clean))


def test_broken_yaml_keeps_the_old_page_and_shows_the_error_until_fixed(site: Site) -> None:
    stream = site.stream()
    site.edit("claims.yaml", "    verdict: mixed\n", "    verdict: mixed: [\n")  # line 4
    error = stream.wait_for("error")
    diagnostics = error["diagnostics"]
    assert isinstance(diagnostics, list)
    assert any(d["file"] == "claims.yaml" and d["line"] == 4 for d in diagnostics), diagnostics
    status, body, _ = site.fetch(CLAIM_PAGE)
    assert status == 200 and CLAIM_TEXT in body  # the last good site is still served

    # A tab opened now learns about the error at once, right after its greeting.
    late = site.stream()
    late.wait_for("error")
    assert late.names()[:2] == ["hello", "error"]
    late.close()

    errors_seen = len(stream.events)
    site.edit("claims.yaml", "    verdict: mixed: [\n", "    verdict: accurate\n")
    stream.wait_for("reload", after=errors_seen)
    site.wait_for_page("ratings/accurate/", "bodies-each")
    stream.close()


def test_atomic_saves_count_and_editor_temp_files_do_not(site: Site) -> None:
    for name in (".claims.yaml.swp", "4913", "claims.yaml~", "#claims.yaml#", ".#claims.yaml"):
        (site.root / name).write_text("claims: [", encoding="utf-8")
    articles = site.root / "content" / "articles"
    (articles / ".alpha.md.swp").write_text("junk", encoding="utf-8")
    (articles / "alpha.md___jb_tmp___").write_text("junk", encoding="utf-8")
    (articles / "alpha.md.kate-swp").write_text("junk", encoding="utf-8")
    time.sleep(0.5)  # longer than the quiet period: a rebuild, if any, would have started
    assert site.recorder.started() == 1  # only the initial build

    # Save the way many editors do: write a temporary file, then rename it over the original.
    claims = site.root / "claims.yaml"
    temporary = site.root / "claims.yaml.tmp"
    temporary.write_text(
        claims.read_text(encoding="utf-8").replace(CLAIM_TEXT, "Renamed into place."),
        encoding="utf-8",
    )
    os.replace(temporary, claims)
    site.wait_for_page(CLAIM_PAGE, "Renamed into place.")
    wait_until(lambda: len(site.recorder.rebuilds()) == 1)
    assert site.recorder.rebuilds()[0].changes.paths == {"claims.yaml"}


def test_a_burst_of_writes_is_one_rebuild(tmp_path: Path) -> None:
    site = start_site(tmp_path, debounce=0.3)
    try:
        claims = site.root / "claims.yaml"
        original = claims.read_text(encoding="utf-8")
        for n in range(10):
            claims.write_text(original.replace("6,000 bodies each.", f"{n} bodies each."))
        site.wait_for_page(CLAIM_PAGE, "exchange 9 bodies each.")
        wait_until(lambda: len(site.recorder.rebuilds()) >= 1)
        time.sleep(0.6)  # longer than the quiet period: a second rebuild would have started
        assert len(site.recorder.rebuilds()) == 1
        assert site.recorder.started() == 2  # the initial build and the one rebuild
    finally:
        site.server.stop()


def test_html_gets_the_reload_script_at_serve_time_only(site: Site) -> None:
    status, body, headers = site.fetch("")
    assert status == 200
    assert headers["Cache-Control"] == "no-store"
    assert body.count("/__site_builder/livereload.js") == 1
    assert body.index("/__site_builder/livereload.js") < body.rindex("</body>")
    on_disk = (site.out / "index.html").read_text(encoding="utf-8")
    assert "__site_builder" not in on_disk
    assert not any("__site_builder" in p.name for p in site.out.rglob("*"))

    status, script, headers = site.fetch("__site_builder/livereload.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert "EventSource" in script and "visibilitychange" in script
    assert "innerHTML" not in script  # diagnostics are shown as text, never parsed as HTML

    status, css, headers = site.fetch("static/style.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    assert "__site_builder" not in css


def test_pretty_urls_and_the_sites_404_page(site: Site) -> None:
    status, _, headers = site.raw_get("/claims/bodies-each?x=1")
    assert status == 302 and headers["Location"] == "/claims/bodies-each/?x=1"
    status, body, _ = site.fetch("claims/bodies-each/index.html")
    assert status == 200 and CLAIM_TEXT in body
    status, body, _ = site.fetch("no/such/page/")
    assert status == 404
    assert body == site.fetch("404.html")[1]  # the site's own 404 page, with the script
    assert "__site_builder/livereload.js" in body


def test_nothing_outside_the_output_folder_can_be_read(site: Site, tmp_path: Path) -> None:
    secret = "TOP-SECRET-VALUE"
    (tmp_path / "secret.txt").write_text(secret, encoding="utf-8")
    (site.out / "leak.txt").symlink_to(tmp_path / "secret.txt")
    (site.out / "leakdir").symlink_to(tmp_path)
    attempts = [
        "/../claims.yaml",
        "/../../secret.txt",
        "/%2e%2e/claims.yaml",
        "/%2E%2E/%2e%2e/secret.txt",
        "/..%2fclaims.yaml",
        "/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/claims/%2e%2e/%2e%2e/%2e%2e/secret.txt",
        "/..%5c..%5csecret.txt",
        "//" + str(tmp_path / "secret.txt").lstrip("/"),
        "/" + str(tmp_path / "secret.txt"),
        "/leak.txt",
        "/leakdir/secret.txt",
        "/leakdir/site/claims.yaml",
        "/%00../secret.txt",
    ]
    for attempt in attempts:
        status, body, _ = site.raw_get(attempt)
        assert status in (400, 404), attempt
        assert secret not in body and "claims:" not in body, attempt


def test_a_deleted_article_is_an_error_and_restoring_it_recovers(site: Site) -> None:
    stream = site.stream()
    gamma = site.root / "content" / "articles" / "gamma.md"
    saved = gamma.read_text(encoding="utf-8")
    gamma.unlink()
    error = stream.wait_for("error")
    assert "gamma" in json.dumps(error["diagnostics"])
    status, body, _ = site.fetch("articles/gamma/")  # still the last good site
    assert status == 200 and "They agreed to swap prisoners under 25." in body

    errors_seen = len(stream.events)
    gamma.write_text(saved.replace("on Monday.", "on Monday morning."), encoding="utf-8")
    stream.wait_for("reload", after=errors_seen)
    site.wait_for_page("articles/gamma/", "Monday morning")
    stream.close()


def test_the_content_folder_can_vanish_and_come_back(site: Site) -> None:
    stream = site.stream()
    content, aside = site.root / "content", site.root / "content-aside"
    os.rename(content, aside)  # e.g. a branch switch
    stream.wait_for("error")
    assert site.fetch(CLAIM_PAGE)[0] == 200
    seen = len(stream.events)
    os.rename(aside, content)
    stream.wait_for("reload", after=seen)
    # The new content/ folder is watched again: an article edit is still picked up.
    seen = len(stream.events)
    site.edit("content/articles/gamma.md", "on Monday.", "on Monday evening.")
    stream.wait_for("reload", after=seen)
    site.wait_for_page("articles/gamma/", "Monday evening")
    stream.close()


def test_a_site_that_never_built_shows_why_and_appears_once_fixed(tmp_path: Path) -> None:
    def break_claims(root: Path) -> None:
        (root / "claims.yaml").write_text("claims: [\n", encoding="utf-8")

    site = start_site(tmp_path, prepare=break_claims)
    try:
        assert not site.out.exists()
        status, body, _ = site.fetch(CLAIM_PAGE)
        assert status == 404 and "Nothing built yet" in body and "livereload.js" in body
        stream = site.stream()
        assert "claims.yaml" in json.dumps(stream.wait_for("error"))
        shutil.copy(FIXTURE_SITE / "claims.yaml", site.root / "claims.yaml")
        stream.wait_for("reload")
        site.wait_for_page(CLAIM_PAGE, CLAIM_TEXT)
        stream.close()
    finally:
        site.server.stop()


def test_polling_picks_up_edits(tmp_path: Path) -> None:
    site = start_site(tmp_path, poll=True)
    try:
        assert site.server.polling
        site.edit("content/articles/gamma.md", "on Monday.", "on Monday, polled.")
        site.wait_for_page("articles/gamma/", "Monday, polled.")
        wait_until(lambda: site.recorder.rebuilds())
        assert site.recorder.rebuilds()[0].changes.kinds == {"article"}
    finally:
        site.server.stop()


def test_a_crashing_build_is_reported_and_the_server_keeps_serving(tmp_path: Path) -> None:
    crash = threading.Event()

    def hook(changes: Changes) -> BuildResult:
        if crash.is_set():
            raise RuntimeError("boom")
        return build(BuildOptions(root=tmp_path / "site", out=tmp_path / "site" / "output"))

    site = start_site(tmp_path, hook=hook)
    try:
        stream = site.stream()
        crash.set()
        site.edit("claims.yaml", CLAIM_TEXT, "First edit.")
        error = stream.wait_for("error")
        assert "RuntimeError: boom" in json.dumps(error["diagnostics"])
        wait_until(lambda: site.recorder.rebuilds())
        assert isinstance(site.recorder.rebuilds()[0], RebuildCrashed)
        assert site.fetch(CLAIM_PAGE)[0] == 200

        crash.clear()
        seen = len(stream.events)
        site.edit("claims.yaml", "First edit.", "Second edit.")
        stream.wait_for("reload", after=seen)
        site.wait_for_page(CLAIM_PAGE, "Second edit.")
        stream.close()
    finally:
        site.server.stop()


def test_a_stylesheet_edit_swaps_styles_without_a_reload(tmp_path: Path) -> None:
    root = tmp_path / "site"
    static = root / "templates" / "static"
    static.mkdir(parents=True)
    default_css = Path(__file__).parent.parent / "templates" / "static" / "style.css"
    shutil.copy(default_css, static / "style.css")
    site = start_site(tmp_path)  # copies the fixture into the existing root
    try:
        stream = site.stream()
        with (static / "style.css").open("a", encoding="utf-8") as css:
            css.write("\n/* edited */\n")
        event = stream.wait_for("css")
        assert event["paths"] == ["templates/static/style.css"]
        assert "reload" not in stream.names()
        assert "/* edited */" in site.fetch("static/style.css")[1]
        stream.close()
    finally:
        site.server.stop()


def test_stop_ends_open_event_streams_promptly(tmp_path: Path) -> None:
    site = start_site(tmp_path)
    stream = site.stream()
    started = time.monotonic()
    site.server.stop()
    wait_until(lambda: stream.closed, timeout=3)
    assert time.monotonic() - started < 3
    site.server.stop()  # a second stop is harmless
    stream.close()


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("claims.yaml", "claims"),
        ("content/site.yaml", "settings"),
        ("content/articles/alpha.md", "article"),
        ("content/pages/about.md", "page"),
        ("templates/claim.html", "template"),
        ("templates/static/style.css", "static"),
        ("content/articles/.alpha.md.swp", None),
        ("content/articles/alpha.md~", None),
        ("content/.#site.yaml", None),
        ("templates/4913", None),
        ("templates/#claim.html#", None),
        ("content/articles/alpha.md.tmp", None),
        ("content/articles/alpha.md___jb_old___", None),
        ("output/index.html", None),
        (".site-builder-cache/x", None),
        (".git/index", None),
        ("README.md", None),
    ],
)
def test_classify(path: str, kind: str | None) -> None:
    assert classify(PurePosixPath(path)) == kind


def test_editor_temp_names() -> None:
    assert all(map(is_editor_temp, ["a.swp", "a.swx", "a~", ".#a", "#a#", "4913", "a.kate-swp"]))
    assert not any(map(is_editor_temp, ["claims.yaml", "alpha.md", "4914", "style.css"]))


def test_change_queue_debounces_and_keeps_changes_made_during_a_build() -> None:
    queue = ChangeQueue(quiet=0.05)
    for _ in range(5):
        queue.add("claims.yaml", "claims")
    queue.add("content/articles/alpha.md", "article")
    first = queue.take()
    assert first is not None and first.paths == {"claims.yaml", "content/articles/alpha.md"}
    # While "building", more edits arrive: exactly one more batch holds all of them.
    queue.add("claims.yaml", "claims")
    queue.add("templates/static/style.css", "static")
    second = queue.take()
    assert second is not None and second.kinds == {"claims", "static"}
    assert not second.stylesheets_only()
    queue.close()
    assert queue.take() is None


def test_resolve_request_without_a_server(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "claims" / "x").mkdir(parents=True)
    (out / "claims" / "x" / "index.html").write_text("x")
    assert resolve_request(out, "/claims/x/") == (
        "file",
        str(out.resolve() / "claims/x/index.html"),
    )
    assert resolve_request(out, "/claims/x") == ("redirect", "/claims/x/")
    assert resolve_request(out, "//claims/x") == ("redirect", "/claims/x/")  # never `//host`
    assert resolve_request(out, "/claims/%2e%2e/%2e%2e/out/claims/x/")[0] == "missing"
    assert resolve_request(out, "/sub/claims/x/", "/sub/")[0] == "file"
    assert resolve_request(out, "/", "/sub/") == ("redirect", "/sub/")
    assert resolve_request(out, "/claims/x/", "/sub/")[0] == "missing"
    assert resolve_request(tmp_path / "nothing", "/")[0] == "missing"


def _serve_until_up(root: Path, *options: str) -> tuple[subprocess.Popen[str], int]:
    """`site-builder serve` on `root` in a subprocess, once it answers on its port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # A signal ignored by whoever started the test (a background job ignores SIGINT) would be
    # ignored by the server too: start it with the default dispositions.
    command = [sys.executable, "-m", "site_builder", "serve", "--root", str(root)]
    process = subprocess.Popen(
        [*command, "--port", str(port), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response,
        ):
            if response.status == 200:
                break
        time.sleep(0.1)
    return process, port


@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT"])
def test_the_serve_command_stops_cleanly_on_sigterm_and_ctrl_c(tmp_path: Path, how: str) -> None:
    """`kill` and container runtimes send SIGTERM, a terminal Ctrl-C: both end the server with
    exit status 0 and "stopped", not a traceback, and leave no search indexer running."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root, ignore=shutil.ignore_patterns(".site-builder-cache"))
    process, _ = _serve_until_up(root)
    try:
        process.send_signal(getattr(signal, how))
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "stopped" in out
    assert "Traceback" not in err


def test_serve_timings_says_where_each_rebuild_spent_its_time(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root, ignore=shutil.ignore_patterns(".site-builder-cache"))
    process, _ = _serve_until_up(root, "--timings")
    try:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    lines = out.splitlines()
    built = next(i for i, line in enumerate(lines) if " initial build: " in line)
    stages = lines[built + 1]
    assert stages.startswith("  stages (ms): "), out
    named = [part.rsplit(" ", 1) for part in stages.split(": ", 1)[1].split(", ")]
    assert [name for name, _ in named][:2] == ["settings", "load"]
    assert {"render", "write"} <= {name for name, _ in named}
    assert all(float(ms) >= 0 for _, ms in named)
