"""Benchmark `site-builder serve`: from saving an edit to the updated page on disk and the reload.

Run: python bench/bench_serve.py [--articles 5000] [--claims 2000] [--edits 1000]
                                 [--article-edits 100] [--paused-edits 10] [--seed 0] [--stages]

The corpus of bench/corpus.py is copied to bench/out/serve-N (the copy is edited; the corpus is
not) and `python -m site_builder serve` runs on it in a subprocess, on a free loopback port, as an
editor would run it. The benchmark listens to the server's event stream like an open browser tab
and, once the first build and its search index are done, saves edits the way editors save: the
new text is written to a temporary file that is renamed over the original.

- claim edits: `--edits` edits of one claim each in claims.yaml (a summary sentence changed; one in
  five also adds a line, so every later claim moves; one in ten changes the verdict), each saved
  50 to 300 ms after the page of the previous one was reloaded;
- article edits: `--article-edits` edits of one article each (a sentence added to its last
  paragraph);
- paused claim edits: `--paused-edits` claim edits each saved 3 s after the last, long enough for
  the server to bring the search index and open data up to date in between (which it does only
  once edits pause).

Each latency is from just before the rename to the arrival of the `reload` event; at that moment
the edited page on disk must already show the edit (checked for every edit). With `--stages` the
server runs with `--timings`, and the median time of each build stage is shown per kind of edit,
with what lies outside the build (the watcher, the event on its way to the page). Resident memory of
the server is read from /proc after the first claim edit and after the last.

Targets (issue 4), on 5,000 articles and 2,000 claims: claim edit p50 <= 100 ms and p95 <= 250 ms;
article edit p50 <= 200 ms; memory after 1,000 edits within 10% of that after the first.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
sys.path.insert(0, str(BENCH))

from bench_build import corpus  # noqa: E402

STARTUP_TIMEOUT = 600.0
EDIT_TIMEOUT = 30.0
_ENTRY = re.compile(r"^  - id: (\S+)\n", re.M)
_SUMMARY = re.compile(r"^    summary: \|\n      ", re.M)
_VERDICT = re.compile(r"^    verdict: (\S+)$", re.M)


@dataclass
class Server:
    """`site-builder serve` in a subprocess; its terminal lines collected on a thread."""

    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)
    url: str = ""

    @classmethod
    def start(cls, root: Path, timings: bool = False) -> Server:
        port = _free_port()
        command = [sys.executable, "-m", "site_builder", "serve", "--root", str(root)]
        command += ["--port", str(port), *(["--timings"] if timings else [])]
        env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
        process = subprocess.Popen(
            command,
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        server = cls(process)
        threading.Thread(target=server._read, daemon=True).start()
        server.url = f"127.0.0.1:{port}"
        return server

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for_line(self, pattern: str, timeout: float, after: int = 0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in self.lines[after:]:
                if re.search(pattern, line):
                    return line
            if self.process.poll() is not None:
                raise RuntimeError("the server exited:\n" + "\n".join(self.lines[-20:]))
            time.sleep(0.05)
        raise TimeoutError(f"no line matching {pattern!r}:\n" + "\n".join(self.lines[-20:]))

    def stages_after(self, mark: int) -> dict[str, float]:
        """The stage times (ms) the server printed for its first rebuild after line `mark`
        (it runs with --timings)."""
        line = self.wait_for_line(r"^  stages \(ms\): ", EDIT_TIMEOUT, after=mark)
        pairs = (part.rsplit(" ", 1) for part in line.split(": ", 1)[1].split(", "))
        return {stage: float(ms) for stage, ms in pairs}

    def rss(self) -> int:
        """Resident bytes of the server process."""
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        return 0

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # SIGINT is ignored in background jobs
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


class Events:
    """The server's event stream, read like the live-reload script in a browser tab does."""

    def __init__(self, address: str, raise_on_error: bool = True) -> None:
        host, port = address.rsplit(":", 1)
        self.reloads: list[float] = []  # arrival times (perf_counter) of reload events
        self.errors: list[dict[str, object]] = []
        self.outcomes = 0  # reload and error events so far: one per build
        self.raise_on_error = raise_on_error
        self._cond = threading.Condition()
        self._sock = socket.create_connection((host, int(port)), timeout=EDIT_TIMEOUT)
        self._sock.settimeout(None)
        self._sock.sendall(b"GET /__site_builder/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        buffer = b""
        while chunk := self._sock.recv(65536):
            now = time.perf_counter()
            buffer += chunk
            while b"\n\n" in buffer:
                block, buffer = buffer.split(b"\n\n", 1)
                name = next(
                    (line[7:] for line in block.decode().split("\n") if line.startswith("event: ")),
                    "",
                )
                with self._cond:
                    if name in {"reload", "css"}:
                        self.reloads.append(now)
                        self.outcomes += 1
                    elif name == "error":
                        data = block.decode().split("data: ", 1)[-1]
                        self.errors.append(json.loads(data))
                        self.outcomes += 1
                    self._cond.notify_all()

    def count(self) -> int:
        with self._cond:
            return self.outcomes

    def wait_beyond(self, seen: int, timeout: float = EDIT_TIMEOUT) -> None:
        """Wait for the next build's outcome (a reload or an error event) after `seen`."""
        with self._cond:
            if not self._cond.wait_for(lambda: self.outcomes > seen, timeout=timeout):
                raise TimeoutError(f"no reload or error event within {timeout} s")

    def reload_after(self, count: int, timeout: float = EDIT_TIMEOUT) -> float:
        """The arrival time of reload number `count` (0-based), waiting for it."""
        with self._cond:
            if not self._cond.wait_for(
                lambda: len(self.reloads) > count or self.errors, timeout=timeout
            ):
                raise TimeoutError(f"no reload event within {timeout} s")
            if self.errors and self.raise_on_error:
                raise RuntimeError(f"the edit broke the build: {self.errors[-1]}")
            return self.reloads[count]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def save_atomically(path: Path, text: str) -> float:
    """Save as editors do (write a temporary file, rename it over the original); the time of
    the rename."""
    temporary = path.with_name(f".{path.name}.bench~")
    temporary.write_text(text, encoding="utf-8")
    started = time.perf_counter()
    os.replace(temporary, path)
    return started


def edit_claim(
    text: str, rng: random.Random, token: str, verdicts: Sequence[str]
) -> tuple[str, str]:
    """One claim's summary changed (sometimes a line added, sometimes its verdict); the new
    claims.yaml text and the edited claim's id."""
    entries = list(_ENTRY.finditer(text))
    chosen = rng.randrange(len(entries))
    start = entries[chosen].start()
    end = entries[chosen + 1].start() if chosen + 1 < len(entries) else len(text)
    entry = text[start:end]
    summary = _SUMMARY.search(entry)
    assert summary is not None, entry[:200]
    added = f"Edited as {token}. "
    if rng.random() < 0.2:
        added = f"Edited as {token}.\n      "  # one more line: every later claim moves down
    entry = entry[: summary.end()] + added + entry[summary.end() :]
    if rng.random() < 0.1:
        current = _VERDICT.search(entry)
        assert current is not None
        other = rng.choice([v for v in verdicts if v != current.group(1)])
        entry = entry[: current.start(1)] + other + entry[current.end(1) :]
    return text[:start] + entry + text[end:], entries[chosen].group(1)


def edit_article(text: str, token: str) -> str:
    """A sentence added to the article's last paragraph."""
    body = text.rstrip("\n")
    return body + f" Officials said more details, {token}, would follow.\n"


@dataclass(frozen=True)
class Latencies:
    name: str
    seconds: tuple[float, ...]
    stages: tuple[dict[str, float], ...] = ()  # per edit, with --stages

    def stage_medians(self) -> dict[str, float]:
        """Each stage's median (ms), then the build's total and what lies outside it."""
        names = list(dict.fromkeys(name for stages in self.stages for name in stages))
        medians = {n: statistics.median(s.get(n, 0.0) for s in self.stages) for n in names}
        builds = [sum(s.values()) for s in self.stages]
        medians["build"] = statistics.median(builds)
        outside = [lat * 1000 - build for lat, build in zip(self.seconds, builds, strict=True)]
        medians["outside the build"] = statistics.median(outside)
        return medians

    def row(self, target: str) -> str:
        ms = sorted(s * 1000 for s in self.seconds)
        p50 = statistics.median(ms)
        p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
        return f"| {self.name} | {len(ms)} | {p50:.0f} | {p95:.0f} | {ms[-1]:.0f} | {target} |"


def claim_edits(
    server: Server,
    events: Events,
    root: Path,
    count: int,
    rng: random.Random,
    verdicts: Sequence[str],
    pause: tuple[float, float],
    label: str,
    on_first: list[int] | None = None,
    stages: bool = False,
) -> Latencies:
    claims = root / "claims.yaml"
    seconds = []
    split: list[dict[str, float]] = []
    for number in range(count):
        time.sleep(rng.uniform(*pause))
        token = f"{label}{number}x{rng.randrange(10**9)}"
        text, claim_id = edit_claim(claims.read_text(encoding="utf-8"), rng, token, verdicts)
        seen, mark = len(events.reloads), len(server.lines)
        started = save_atomically(claims, text)
        arrived = events.reload_after(seen)
        page = root / "output" / "claims" / claim_id / "index.html"
        if token not in page.read_text(encoding="utf-8"):
            raise AssertionError(f"reload sent before {page} showed the edit")
        seconds.append(arrived - started)
        if stages:
            split.append(server.stages_after(mark))
        if on_first is not None and number == 0:
            on_first.append(server.rss())
    name = f"claim edit{' (paused 3 s)' if pause[0] >= 3 else ''}"
    return Latencies(name, tuple(seconds), tuple(split))


def article_edits(
    server: Server, events: Events, root: Path, count: int, rng: random.Random, stages: bool
) -> Latencies:
    folder = root / "content" / "articles"
    paths = sorted(folder.glob("*.md"))
    seconds = []
    split: list[dict[str, float]] = []
    for number in range(count):
        time.sleep(rng.uniform(0.05, 0.3))
        path = rng.choice(paths)
        token = f"article{number}x{rng.randrange(10**9)}"
        seen, mark = len(events.reloads), len(server.lines)
        started = save_atomically(path, edit_article(path.read_text(encoding="utf-8"), token))
        arrived = events.reload_after(seen)
        page = root / "output" / "articles" / path.stem / "index.html"
        if token not in page.read_text(encoding="utf-8"):
            raise AssertionError(f"reload sent before {page} showed the edit")
        seconds.append(arrived - started)
        if stages:
            split.append(server.stages_after(mark))
    return Latencies("article edit", tuple(seconds), tuple(split))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--claims", type=int, default=2000)
    parser.add_argument("--edits", type=int, default=1000)
    parser.add_argument("--article-edits", type=int, default=100)
    parser.add_argument("--paused-edits", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--stages", action="store_true", help="time each stage of the rebuilds")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)

    source = corpus(args.articles, args.claims)
    root = OUT / f"serve-{args.articles}"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(source, root, ignore=shutil.ignore_patterns("output", ".corpus-stamp"))
    site = (root / "content" / "site.yaml").read_text(encoding="utf-8")
    verdicts = re.findall(r"^  - key: (\S+)$", site, re.M)

    print(
        f"{args.articles:,} articles, {args.claims:,} claims: starting the server ...", flush=True
    )
    started = time.perf_counter()
    server = Server.start(root, timings=args.stages)
    try:
        server.wait_for_line(r" initial build: ", STARTUP_TIMEOUT)
        first_build = time.perf_counter() - started
        server.wait_for_line(r"search index, sitemap and open data", STARTUP_TIMEOUT)
        ready = time.perf_counter() - started
        events = Events(server.url)
        time.sleep(0.2)
        first_rss: list[int] = []
        claims = claim_edits(
            server,
            events,
            root,
            args.edits,
            rng,
            verdicts,
            (0.05, 0.3),
            "claim",
            first_rss,
            args.stages,
        )
        last_rss = server.rss()
        articles = article_edits(server, events, root, args.article_edits, rng, args.stages)
        paused = claim_edits(
            server, events, root, args.paused_edits, rng, verdicts, (3.0, 3.0), "paused"
        )
    finally:
        server.stop()

    print()
    print(f"first build {first_build:.1f} s; search index and open data ready after {ready:.1f} s")
    print()
    print("| edit | count | p50 ms | p95 ms | max ms | target |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    print(claims.row("p50 ≤ 100, p95 ≤ 250"))
    if articles.seconds:
        print(articles.row("p50 ≤ 200"))
    if paused.seconds:
        print(paused.row("—"))
    if args.stages:
        medians = [kind.stage_medians() for kind in (claims, articles) if kind.stages]
        print()
        print("| stage, p50 ms | claim edit | article edit |")
        print("| --- | ---: | ---: |")
        for stage in dict.fromkeys(name for found in medians for name in found):
            cells = " | ".join(f"{found.get(stage, 0.0):.1f}" for found in medians)
            print(f"| {stage} | {cells} |")
    rebuilds = [
        int(m.group(1))
        for line in server.lines
        if (m := re.search(r" files changed in (\d+) ms", line))
    ][1:]  # the first is the initial build
    if rebuilds:
        ordered = sorted(rebuilds)
        print()
        print(
            f"the server's own count of each rebuild (from the watcher's batch to the written "
            f"files): p50 {statistics.median(ordered):.0f} ms, "
            f"p95 {ordered[round(0.95 * (len(ordered) - 1))]:.0f} ms over {len(ordered)} rebuilds"
        )
    growth = last_rss / first_rss[0] - 1 if first_rss and first_rss[0] else float("nan")
    print()
    print(
        f"server resident memory: {first_rss[0] / 2**20:.0f} MiB after the first claim edit, "
        f"{last_rss / 2**20:.0f} MiB after {args.edits:,} ({growth:+.1%}; target within ±10%)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
