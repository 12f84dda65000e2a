"""Benchmark whole-site builds on generated corpora, against Hugo when it is installed.

Run: python bench/bench_build.py [--sizes 500,5000,20000] [--quick] [--budget 300]

For each size (articles; claims = 40% of that) the corpus from bench/corpus.py is written to
bench/out/corpus-N (reused while its arguments and the generator are unchanged) and built with
`python -m site_builder build --strict` in a subprocess, timed with `time.perf_counter`:

- cold: no output folder and an empty user cache folder (XDG_CACHE_HOME, the benchmark's own);
- warm: no output folder, the cache of the cold build present;
- no-op: the same build again, nothing changed;
- one claim: after the verdict of the middle claim in claims.yaml is changed;
- one article: after a sentence is added to the end of the middle article.

The two edited files are put back as they were after the run.

Peak memory is the largest of the builds' proportional set size (PSS, /proc/PID/smaps_rollup)
summed over the build's process tree, sampled every 50 ms: forked workers and Pagefind
included, and a page that forked workers share counted once, not once per worker. Output is the
size of the cold build's output folder. Time and output per article compare the largest size's
with the smallest's (target: within ±20%).

When `hugo` is on PATH, the same articles are built as plain Hugo pages with a minimal layout
(bench/out/hugo-N), cold (no public/, resources/ or cache) and warm (public/ present), and Hugo
+ Pagefind is the cold Hugo build followed by Pagefind over its public/ folder (whole pages:
they mark no body). The ratios against the targets at 5,000 articles: cold ≤ 1.25 × (Hugo +
Pagefind); nothing changed ≤ 0.25 ×, one claim edited ≤ 0.5 ×, one article edited ≤ 0.75 ×
Hugo's warm build (Hugo builds everything every time). Sizes whose projected run time would
overrun `--budget` seconds are skipped.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pagefind.service import get_executable

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
sys.path.insert(0, str(BENCH))

from corpus import generate  # noqa: E402

CLAIM_SHARE = 0.4
SEED = 0
PAGE = os.sysconf("SC_PAGE_SIZE")

HUGO_CONFIG = """baseURL = "https://bench.example/"
languageCode = "en"
title = "Benchmark"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
"""
HUGO_SINGLE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1>{{ with .Date }}<p>{{ .Format "2 January 2006" }}</p>{{ end }}
{{ .Content }}</main></body></html>
"""
HUGO_LIST = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1><ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>
{{ end }}</ul></main></body></html>
"""


@dataclass(frozen=True)
class Run:
    """One timed subprocess."""

    seconds: float
    cpu: float  # user + system seconds of the process and its children
    rss: int  # peak memory: proportional set size summed over the process tree, bytes
    ok: bool
    stages: tuple[tuple[str, float], ...] = ()  # seconds per stage, from `build --timings`

    def stage(self, name: str) -> float:
        return sum(seconds for stage, seconds in self.stages if stage == name)


@dataclass(frozen=True)
class SizeResult:
    articles: int
    claims: int
    cold: Run
    warm: Run
    noop: Run
    claim_edit: Run
    article_edit: Run
    output_bytes: int = 0
    hugo_cold: Run | None = None
    hugo_warm: Run | None = None
    hugo_pagefind: Run | None = None

    @property
    def runs(self) -> tuple[Run, ...]:
        return (self.cold, self.warm, self.noop, self.claim_edit, self.article_edit)

    @property
    def ok(self) -> bool:
        return all(run.ok for run in self.runs)

    @property
    def per_article_ms(self) -> float:
        return 1000 * self.cold.seconds / self.articles

    @property
    def output_per_article(self) -> float:
        return self.output_bytes / self.articles

    @property
    def peak_rss(self) -> int:
        return max(run.rss for run in self.runs)


def tree_memory(pid: int) -> int:
    """Proportional set size of a process and all its descendants, in bytes (0 once it has
    exited): each page shared between forked workers counts once in the sum, split among
    them, which resident sizes would count in every worker."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as rollup:
                for line in rollup:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    stack.extend(int(child) for child in children.read().split())
        except (OSError, ValueError):
            continue
    return total


def folder_bytes(folder: Path) -> int:
    """The size of every file under `folder`."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


def run(command: Sequence[str], log: Path, cwd: Path = REPO, cache: Path | None = None) -> Run:
    """Run `command` to completion with its output in `log`; time it and record its peak RSS.

    `cache` is the user cache folder the build sees (XDG_CACHE_HOME): the benchmark's own, so
    that "cold" really starts without the segmentation cache and no other site's is touched.
    """
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if cache is not None:
        env["XDG_CACHE_HOME"] = str(cache)
    with log.open("wb") as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=output)
        peak = 0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.wait(0.05):
                peak = max(peak, tree_memory(process.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    stages = tuple(
        (m.group(1), float(m.group(2)) / 1000)
        for m in re.finditer(r"^  (\w+) +([\d.]+) ms$", log.read_text(errors="replace"), re.M)
    )
    return Run(
        seconds=seconds,
        cpu=usage.ru_utime + usage.ru_stime,
        rss=peak,
        ok=process.returncode == 0,
        stages=stages,
    )


def fingerprint(*parts: object) -> str:
    """A stamp of the generator's source and arguments: regenerate only when it changes."""
    digest = hashlib.sha256((BENCH / "corpus.py").read_bytes())
    digest.update(json.dumps(parts).encode())
    return digest.hexdigest()


def corpus(articles: int, claims: int) -> Path:
    """bench/out/corpus-N, generated unless an identical one is already there."""
    root = OUT / f"corpus-{articles}"
    stamp = root / ".corpus-stamp"
    key = fingerprint(articles, claims, SEED)
    if not stamp.exists() or stamp.read_text() != key:
        generate(root, articles, claims, SEED)
        stamp.write_text(key)
    return root


def hugo_site(source: Path, articles: int) -> Path:
    """bench/out/hugo-N: the corpus's articles as plain Hugo pages (title and date only)."""
    root = OUT / f"hugo-{articles}"
    stamp = root / ".corpus-stamp"
    key = fingerprint("hugo", articles, HUGO_CONFIG, HUGO_SINGLE, HUGO_LIST)
    if stamp.exists() and stamp.read_text() == key:
        return root
    shutil.rmtree(root, ignore_errors=True)
    content = root / "content" / "articles"
    content.mkdir(parents=True)
    (root / "config.toml").write_text(HUGO_CONFIG)
    layouts = root / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "single.html").write_text(HUGO_SINGLE)
    (layouts / "list.html").write_text(HUGO_LIST)
    for path in sorted((source / "content" / "articles").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        end = text.index("\n---\n", 4)
        fields = dict(line.split(": ", 1) for line in text[4:end].splitlines())
        front = f"---\ntitle: {fields['title']}\ndate: {fields['published']}\n---\n"
        (content / path.name).write_text(front + text[end + 5 :], encoding="utf-8")
    stamp.write_text(key)
    return root


def edit_claim(root: Path) -> bytes:
    """Change the verdict of the middle claim of claims.yaml; the file's bytes before."""
    path = root / "claims.yaml"
    before = path.read_bytes()
    lines = before.decode("utf-8").split("\n")
    verdicts = [i for i, line in enumerate(lines) if line.startswith("    verdict: ")]
    at = verdicts[len(verdicts) // 2]
    current = lines[at].split(": ", 1)[1]
    lines[at] = "    verdict: " + ("disputed" if current != "disputed" else "confirmed")
    path.write_text("\n".join(lines), encoding="utf-8")
    return before


def edit_article(root: Path) -> tuple[Path, bytes]:
    """Add a sentence to the end of the middle article; its path and its bytes before."""
    paths = sorted((root / "content" / "articles").glob("*.md"))
    path = paths[len(paths) // 2]
    before = path.read_bytes()
    path.write_bytes(before.rstrip(b"\n") + b" A sentence added for the benchmark.\n")
    return path, before


def measure_ours(root: Path, articles: int) -> tuple[Run, Run, Run, Run, Run, int]:
    """Cold, warm, no-op, one-claim and one-article builds of one corpus, and the size of the
    output."""
    out = root / "output"
    logs = OUT / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "site_builder", "build", "--strict", "--timings"]
    command += ["--root", str(root), "--out", str(out)]
    cache = OUT / f"cache-{articles}"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    cold = run(command, logs / f"cold-{articles}.log", cache=cache)
    output_bytes = folder_bytes(out)
    shutil.rmtree(out, ignore_errors=True)
    warm = run(command, logs / f"warm-{articles}.log", cache=cache)
    noop = run(command, logs / f"noop-{articles}.log", cache=cache)
    claims_before = edit_claim(root)
    try:
        claim_edit = run(command, logs / f"claim-{articles}.log", cache=cache)
    finally:
        (root / "claims.yaml").write_bytes(claims_before)
    article, article_before = edit_article(root)
    try:
        article_edit = run(command, logs / f"article-{articles}.log", cache=cache)
    finally:
        article.write_bytes(article_before)
    runs = (("cold", cold), ("warm", warm), ("noop", noop))
    runs += (("claim", claim_edit), ("article", article_edit))
    for name, result in runs:
        if not result.ok:
            tail = (logs / f"{name}-{articles}.log").read_text()[-2000:]
            print(f"{name} build of {articles} articles FAILED:\n{tail}", file=sys.stderr)
    return cold, warm, noop, claim_edit, article_edit, output_bytes


def measure_hugo(hugo: str, root: Path, articles: int) -> tuple[Run, Run, Run]:
    """Hugo cold (no public/, resources/ or cache) and warm (public/ present) builds, and a
    cold Hugo build followed by Pagefind over its output."""
    logs = OUT / "logs"
    command = [hugo, "--quiet", "--source", str(root), "--cacheDir", str(root / ".hugo-cache")]

    def clear() -> None:
        for folder in ("public", "resources", ".hugo-cache"):
            shutil.rmtree(root / folder, ignore_errors=True)

    clear()
    cold = run(command, logs / f"hugo-cold-{articles}.log")
    warm = run(command, logs / f"hugo-warm-{articles}.log")
    clear()
    pagefind = [str(get_executable()), "--site", str(root / "public"), "--silent"]
    both = ["sh", "-c", f"{shlex.join(command)} && {shlex.join(pagefind)}"]
    with_search = run(both, logs / f"hugo-pagefind-{articles}.log")
    return cold, warm, with_search


def ratio(ours: Run, theirs: Run | None) -> str:
    return f"{ours.seconds / theirs.seconds:.1f}×" if theirs and theirs.seconds else "–"


def table(results: Sequence[SizeResult]) -> str:
    """The results as one Markdown table."""
    header = (
        "| articles | claims | cold s | warm s | no-op s | one claim s | one article s "
        "| of which search s (cold/claim) | peak memory MiB | output MB | ms/article "
        "| KB/article | Hugo cold s | Hugo warm s | Hugo + Pagefind s "
        "| cold/(Hugo+Pagefind) | no-op/Hugo | claim/Hugo | article/Hugo |"
    )
    lines = [header, "|" + " ---: |" * (header.count("|") - 1)]
    for r in results:
        failed = "" if r.ok else " (FAILED)"
        peers = [
            f"{r.hugo_cold.seconds:.2f}" if r.hugo_cold else "–",
            f"{r.hugo_warm.seconds:.2f}" if r.hugo_warm else "–",
            f"{r.hugo_pagefind.seconds:.2f}" if r.hugo_pagefind else "–",
        ]
        cells = [
            f"{r.articles:,}{failed}",
            f"{r.claims:,}",
            f"{r.cold.seconds:.2f}",
            f"{r.warm.seconds:.2f}",
            f"{r.noop.seconds:.2f}",
            f"{r.claim_edit.seconds:.2f}",
            f"{r.article_edit.seconds:.2f}",
            f"{r.cold.stage('search'):.1f} / {r.claim_edit.stage('search'):.1f}",
            f"{r.peak_rss / 2**20:.0f}",
            f"{r.output_bytes / 1e6:.0f}",
            f"{r.per_article_ms:.2f}",
            f"{r.output_per_article / 1e3:.1f}",
            *peers,
            ratio(r.cold, r.hugo_pagefind) + " (≤ 1.25×)",
            ratio(r.noop, r.hugo_warm) + " (≤ 0.25×)",
            ratio(r.claim_edit, r.hugo_warm) + " (≤ 0.5×)",
            ratio(r.article_edit, r.hugo_warm) + " (≤ 0.75×)",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="500,5000,20000", help="comma-separated article counts")
    parser.add_argument("--quick", action="store_true", help="500 articles only")
    parser.add_argument(
        "--budget", type=float, default=300, help="seconds for the whole run; 0: no limit"
    )
    args = parser.parse_args(argv)
    sizes = [500] if args.quick else sorted(int(s.replace("_", "")) for s in args.sizes.split(","))
    hugo = shutil.which("hugo")
    started = time.perf_counter()
    results: list[SizeResult] = []
    notes: list[str] = []
    for articles in sizes:
        claims = round(articles * CLAIM_SHARE)
        if results and args.budget:
            # Cold + warm + no-op (+ Hugo) scale with the articles; generating is ~1 ms each.
            last = results[-1]
            peers = (last.hugo_cold, last.hugo_warm, last.hugo_pagefind)
            spent = sum(x.seconds for x in (*last.runs, *peers) if x)
            projected = (spent / last.articles + 0.001) * articles
            left = args.budget - (time.perf_counter() - started)
            if projected > left:
                notes.append(
                    f"skipped {articles:,} articles: projected {projected:.0f} s at the last size's "
                    f"rate, {left:.0f} s left of the {args.budget:.0f} s budget (--budget 0 runs it)"
                )
                continue
        print(f"{articles:,} articles, {claims:,} claims ...", file=sys.stderr, flush=True)
        root = corpus(articles, claims)
        ours = measure_ours(root, articles)
        hugo_runs: tuple[Run | None, Run | None, Run | None] = (None, None, None)
        if hugo:
            hugo_runs = measure_hugo(hugo, hugo_site(root, articles), articles)
        results.append(SizeResult(articles, claims, *ours, *hugo_runs))

    print(table(results))
    if len(results) > 1:
        first, last = results[0], results[-1]
        flat = last.per_article_ms / first.per_article_ms
        size = last.output_per_article / first.output_per_article
        print(
            f"\nper article, {last.articles:,} vs {first.articles:,} articles: time {flat:.2f}×, "
            f"output {size:.2f}× (target 0.8–1.2× each)"
        )
    if not hugo:
        print("\nhugo is not installed (Debian: apt-get install hugo): no Hugo columns.")
    for note in notes:
        print(f"\n{note}")
    print(f"\nwhole run: {time.perf_counter() - started:.0f} s")
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
