"""Incremental rebuilds: after any sequence of edits, the output equals a clean build's."""

from __future__ import annotations

import os
import random
import shutil
import time
from collections.abc import Callable
from pathlib import Path, PurePosixPath

import pytest

from site_builder.build.builder import Builder
from site_builder.build.options import BuildOptions, BuildResult
from site_builder.build.run import build
from site_builder.build.segmenting import SPARE_SEGMENTATIONS
from site_builder.serve.watch import classify

from .test_build import FIXTURE_SITE, tree

DEFAULT_CLAIM = Path(__file__).resolve().parent.parent / "templates" / "claim.html"


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(old, new, 1) if old in text else text.replace(new, old, 1), encoding="utf-8"
    )


def edit_claim_text(root: Path, rng: random.Random) -> None:
    _replace(
        root / "claims.yaml",
        "claim: The talks lasted about an hour.",
        "claim: The talks took about an hour.",
    )


def edit_summary(root: Path, rng: random.Random) -> None:
    path = root / "claims.yaml"
    path.write_text(
        path.read_text().replace(
            "Both outlets agree", f"Both outlets agree ({rng.randint(1, 9)})", 1
        )
    )


def break_or_fix_claims(root: Path, rng: random.Random) -> None:
    _replace(root / "claims.yaml", "verdict: mixed", 'verdict: "mixed')


def edit_article_context(root: Path, rng: random.Random) -> None:
    _replace(root / "content/articles/alpha.md", "Talks began at 10 a.m.", "Talks began at 11 a.m.")


def break_or_fix_quote(root: Path, rng: random.Random) -> None:
    _replace(root / "content/articles/beta.md", "about an hour", "about two hours")


def add_or_remove_article(root: Path, rng: random.Random) -> None:
    path = root / "content/articles/delta.md"
    if path.exists():
        path.unlink()
    else:
        path.write_text("---\ntitle: Delta\noutlet: Gamma Daily\n---\nDelegations met again.\n")


def atomic_save_article(root: Path, rng: random.Random) -> None:
    path = root / "content/articles/gamma.md"
    text = (
        path.read_text().replace("on Monday", "on Tuesday")
        if "Monday" in path.read_text()
        else None
    )
    temporary = path.with_name(".gamma.md.tmp")
    temporary.write_text(
        text if text is not None else path.read_text().replace("on Tuesday", "on Monday")
    )
    os.replace(temporary, path)


def edit_site_title(root: Path, rng: random.Random) -> None:
    _replace(root / "content/site.yaml", "title: Fixture Checks", "title: Fixture Checks Weekly")


def toggle_page(root: Path, rng: random.Random) -> None:
    page = root / "content/pages/about.md"
    if page.exists():
        page.unlink()
    else:
        page.write_text("---\ntitle: About\n---\nWho we are.\n")


def override_template(root: Path, rng: random.Random) -> None:
    path = root / "templates/claim.html"
    if path.exists():
        path.unlink()
    else:
        path.parent.mkdir(exist_ok=True)
        path.write_text(DEFAULT_CLAIM.read_text().replace("</h1>", "</h1><p>override</p>", 1))


def change_verdict(root: Path, rng: random.Random) -> None:
    _replace(
        root / "claims.yaml",
        "verdict: accurate\n    reviewed: 2025-06-03",
        "verdict: mixed\n    reviewed: 2025-06-03",
    )


def change_review_date(root: Path, rng: random.Random) -> None:
    """Reorders the claims on every list and in the articles' lists of claims."""
    _replace(root / "claims.yaml", "reviewed: 2025-06-05", "reviewed: 2025-06-01")


def equal_dates(root: Path, rng: random.Random) -> None:
    """Two claims on one day keep claims.yaml order; the next edit may swap them in the file."""
    _replace(root / "claims.yaml", "reviewed: 2025-06-03", "reviewed: 2025-06-04")


def swap_claims_in_the_file(root: Path, rng: random.Random) -> None:
    path = root / "claims.yaml"
    head, *entries = path.read_text().split("\n  - id: ")
    entries[0], entries[1] = entries[1], entries[0]
    path.write_text("\n  - id: ".join([head, *entries]).replace("\n\n  - id:", "\n  - id:"))


def retag(root: Path, rng: random.Random) -> None:
    _replace(root / "claims.yaml", "tags: [talks]", "tags: [talks, prisoners]")


def quote_another_article(root: Path, rng: random.Random) -> None:
    _replace(
        root / "claims.yaml",
        "        sentence: 2\n        stance: supports\n",
        "        sentence: 2\n        stance: supports\n      - article: gamma\n"
        "        text: Delegations met in Istanbul\n        stance: context\n",
    )


def grow_an_early_claim(root: Path, rng: random.Random) -> None:
    """Every later claim moves down a line: their pages must not change, their lines must."""
    _replace(
        root / "claims.yaml",
        "      Alpha News says **each**; Beta Wire describes a one-way transfer.\n",
        "      Alpha News says **each**; Beta Wire describes a one-way transfer.\n\n      More.\n",
    )


def retitle_article(root: Path, rng: random.Random) -> None:
    _replace(
        root / "content/articles/gamma.md",
        "title: Istanbul round two",
        "title: Round two in Istanbul",
    )


def move_article_to_another_outlet(root: Path, rng: random.Random) -> None:
    _replace(root / "content/articles/gamma.md", "outlet: Gamma Daily", "outlet: Beta Wire")


def remove_or_restore_claim(root: Path, rng: random.Random) -> None:
    path, stash = root / "claims.yaml", root / "claim.stash"
    text = path.read_text()
    if stash.exists():
        path.write_text(text + stash.read_text())
        stash.unlink()
    else:
        start = text.index("  - id: talks-hour")
        end = text.index("  - id: ", start + 1)
        stash.write_text(text[start:end])
        path.write_text(text[:start] + text[end:])


def add_or_remove_unquoted_article(root: Path, rng: random.Random) -> None:
    """An article no claim quotes still appears on its outlet's page."""
    path = root / "content/articles/epsilon.md"
    if path.exists():
        path.unlink()
    else:
        path.write_text("---\ntitle: Epsilon\noutlet: Beta Wire\n---\nNobody quotes this.\n")


EDITS: tuple[Callable[[Path, random.Random], None], ...] = (
    remove_or_restore_claim,
    add_or_remove_unquoted_article,
    change_verdict,
    change_review_date,
    equal_dates,
    swap_claims_in_the_file,
    retag,
    quote_another_article,
    grow_an_early_claim,
    retitle_article,
    move_article_to_another_outlet,
    edit_claim_text,
    edit_summary,
    break_or_fix_claims,
    edit_article_context,
    break_or_fix_quote,
    add_or_remove_article,
    atomic_save_article,
    edit_site_title,
    toggle_page,
    override_template,
)


MODES = ("build", "serve", "kept")


class Runs:
    """Builds of one site again and again, as a mode does them: `build`, one Builder whose
    memory is kept; `serve`, a live Builder told which files changed; `kept`, the `build`
    command run afresh each time (a new process's worth of memory) from the state on disk."""

    def __init__(self, mode: str, root: Path, out: Path) -> None:
        self.mode = mode
        self.options = BuildOptions(root=root, out=out)
        self.builder = Builder(self.options, workers=1 if mode == "serve" else None)

    def build(self, changed: set[str] | None) -> BuildResult:
        if self.mode == "kept":
            return build(self.options)
        if self.mode == "serve":
            return self.builder.build(changed, defer=True)
        return self.builder.build()


def age_files(root: Path, when: float) -> None:
    """Give every file an mtime well in the past, so the builder's stat keys are trusted."""
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (when, when))


def clean_build(root: Path, out: Path) -> BuildResult:
    if out.exists():
        shutil.rmtree(out)
    return Builder(BuildOptions(root=root, out=out), disk_cache=False).build()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("seed", range(6))
def test_random_edit_sequences_match_a_clean_build(
    tmp_path: Path, seed: int, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`serve`'s builder (live) writes in place and leaves search, sitemap and open data for
    `finish`; after `finish` its output too must be a clean build's, byte for byte."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    rng = random.Random(seed)
    live = mode == "serve"
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root, ignore=shutil.ignore_patterns(".site-builder-cache"))
    clock = time.time() - 10_000
    age_files(root, clock)
    runs = Runs(mode, root, tmp_path / "incremental")
    builder = runs.builder
    assert not runs.build(None).failed
    before = tree(root)
    for step in range(16):
        edit = rng.choice(EDITS)
        edit(root, rng)
        # Each edit gets its own, older-than-racy timestamp, as a real edit some seconds ago would.
        clock += 60
        age_files(root, clock)
        # serve's builder hears from the watcher which files changed.
        after = tree(root)
        changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
        before = after
        incremental = runs.build(changed)
        clean = clean_build(root, tmp_path / "clean")
        where = f"seed {seed}, step {step}: {edit.__name__}"
        assert incremental.failed == clean.failed, where
        assert incremental.diagnostics == clean.diagnostics, where
        if live and not clean.failed:
            finished = builder.finish()
            assert finished is not None and finished.done, where
            assert finished.diagnostics == (), where
        if not clean.failed:
            assert tree(tmp_path / "incremental") == tree(tmp_path / "clean"), where


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("edit", EDITS, ids=[e.__name__ for e in EDITS])
def test_each_kind_of_edit_there_and_back_matches_a_clean_build(
    tmp_path: Path,
    edit: Callable[[Path, random.Random], None],
    mode: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every edit once and undone, each time against a clean build: what a random sequence
    may miss. Only the edited file's time changes, as when an editor saves it."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    live = mode == "serve"
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root, ignore=shutil.ignore_patterns(".site-builder-cache"))
    age_files(root, time.time() - 10_000)
    runs = Runs(mode, root, tmp_path / "incremental")
    builder = runs.builder
    assert not runs.build(None).failed
    for direction in ("there", "back"):
        before = {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}
        edit(root, random.Random(0))
        touched = set(before) ^ {p for p in root.rglob("*") if p.is_file()}
        for path in root.rglob("*"):
            if path.is_file() and before.get(path) != path.stat().st_mtime_ns:
                os.utime(path, (time.time() - 5_000, time.time() - 5_000))
                touched.add(path)
        # serve tells the builder which files its watcher saw change (those the watcher does
        # not ignore); it then reads only those again.
        paths = {PurePosixPath(p.relative_to(root).as_posix()) for p in touched}
        seen = {p.as_posix() for p in paths if classify(p) is not None}
        incremental = runs.build(seen)
        clean = clean_build(root, tmp_path / "clean")
        assert incremental.diagnostics == clean.diagnostics, direction
        if not clean.failed:
            if live:
                finished = builder.finish()
                assert finished is not None and finished.done, direction
            assert tree(tmp_path / "incremental") == tree(tmp_path / "clean"), direction


def test_live_builds_leave_machine_read_files_for_finish(tmp_path: Path) -> None:
    """Between an edit and `finish`, serve's pages are new and claims.json is the last one."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root, ignore=shutil.ignore_patterns(".site-builder-cache"))
    age_files(root, time.time() - 10_000)
    out = tmp_path / "out"
    builder = Builder(BuildOptions(root=root, out=out), workers=1)
    assert not builder.build(defer=True).failed
    assert builder.finish() is not None
    assert builder.finish() is None  # nothing left to do
    before = (out / "claims.json").read_bytes()
    edit_claim_text(root, random.Random(0))
    age_files(root, time.time() - 5_000)
    assert not builder.build(defer=True).failed
    page = (out / "claims/talks-hour/index.html").read_text(encoding="utf-8")
    assert "The talks took about an hour." in page
    assert (out / "claims.json").read_bytes() == before
    finished = builder.finish()
    assert finished is not None and finished.done
    assert b"The talks took about an hour." in (out / "claims.json").read_bytes()
    assert tree(out) == tree(_clean(root, tmp_path / "clean"))


def test_a_build_during_finish_makes_finish_try_again(tmp_path: Path) -> None:
    """The search index is computed without the lock; if a build wrote meanwhile, the index is
    not written (it describes pages that changed) and `finish` stays due."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root, ignore=shutil.ignore_patterns(".site-builder-cache"))
    age_files(root, time.time() - 10_000)
    out = tmp_path / "out"
    builder = Builder(BuildOptions(root=root, out=out), workers=1)
    assert not builder.build(defer=True).failed
    search_files = builder.search.files

    def build_meanwhile(*args: object, **kwargs: object) -> object:
        edit_claim_text(root, random.Random(0))
        age_files(root, time.time() - 5_000)
        assert not builder.build(defer=True).failed  # the lock is not held while Pagefind runs
        return search_files(*args, **kwargs)  # type: ignore[arg-type]

    builder.search.files = build_meanwhile  # type: ignore[method-assign]
    overtaken = builder.finish()
    assert overtaken is not None and not overtaken.done and builder.pending
    builder.search.files = search_files  # type: ignore[method-assign]
    finished = builder.finish()
    assert finished is not None and finished.done
    assert tree(out) == tree(_clean(root, tmp_path / "clean"))


def _clean(root: Path, out: Path) -> Path:
    assert not clean_build(root, out).failed
    return out


def test_an_unchanged_rebuild_writes_no_file(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root, ignore=shutil.ignore_patterns(".site-builder-cache"))
    age_files(root, time.time() - 10_000)
    builder = Builder(BuildOptions(root=root, out=tmp_path / "out"))
    first = builder.build()
    again = builder.build()
    assert (first.changed, again.changed) == (first.pages, 0)
    edit_claim_text(root, random.Random(0))
    age_files(root, time.time() - 5_000)
    after_edit = builder.build()
    assert 0 < after_edit.changed < after_edit.pages


def test_serve_keeps_a_bounded_number_of_segmentations_under_many_article_edits(
    tmp_path: Path,
) -> None:
    """Edits that never pause (no `finish`) must not pile up one segmentation each; an undone
    edit still comes back to the clean build."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root, ignore=shutil.ignore_patterns(".site-builder-cache"))
    article = root / "content/articles/alpha.md"
    original = article.read_text()
    builder = Builder(BuildOptions(root=root, out=tmp_path / "out"), workers=1, disk_cache=False)
    assert not builder.build(defer=True).failed
    articles = len(builder.segmentations.segmented)
    edits = 3 * SPARE_SEGMENTATIONS
    for n in range(edits):
        article.write_text(original.replace("Talks began at 10 a.m.", f"Talks began {n} times."))
        age_files(root, time.time() - 5_000 + n)
        assert not builder.build({"content/articles/alpha.md"}, defer=True).failed
        assert len(builder.segmentations.segments.stored) <= articles + 2 * SPARE_SEGMENTATIONS
    article.write_text(original)
    age_files(root, time.time() - 1_000)
    assert not builder.build({"content/articles/alpha.md"}, defer=True).failed
    finished = builder.finish()
    assert finished is not None and finished.done
    assert tree(tmp_path / "out") == tree(_clean(root, tmp_path / "clean"))
