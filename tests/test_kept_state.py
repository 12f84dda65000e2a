"""The state a one-off build keeps on disk for the next: a build with nothing changed does
nothing, one edit renders only what it touches, and no kept state, however damaged, changes a
byte of the site."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from site_builder.build.builder import Builder
from site_builder.build.options import BuildOptions, BuildResult
from site_builder.build.run import build
from site_builder.engine.state import StateFile
from site_builder.model import SpooledFile
from site_builder.output import search
from site_builder.quotes.resolve import Resolver

from .test_build import FIXTURE_SITE, tree
from .test_incremental import (
    age_files,
    change_verdict,
    edit_article_context,
    edit_summary,
)

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture site with its files aged (their stats are trusted), and a user
    cache folder of its own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root)
    age_files(root, 1_000_000_000)
    return root


def options(root: Path) -> BuildOptions:
    # Beside the site, not in it: the tests age the site's files, which must not touch these.
    return BuildOptions(root=root, out=root.parent / "out")


def clean(root: Path, out: Path) -> dict[str, bytes]:
    """The site as a fresh build with no cache of any kind makes it."""
    result = Builder(BuildOptions(root=root, out=out), disk_cache=False).build()
    assert not result.failed, result.diagnostics
    return tree(out)


def state_file(root: Path) -> Path:
    return StateFile(root, options(root).out, {"strict": False, "base_url": None}).path


def test_a_build_with_nothing_changed_renders_and_writes_nothing(site: Path) -> None:
    first = build(options(site))
    assert not first.failed and first.rendered
    stats = {p: p.stat().st_mtime_ns for p in (site.parent / "out").rglob("*") if p.is_file()}
    again = build(options(site))
    assert not again.failed and again.written
    assert again.rendered == ()
    assert again.pages == first.pages  # the site's files, as the first build reported them
    assert [stage for stage, _ in again.timings] == ["inputs", "check"]
    assert {
        p: p.stat().st_mtime_ns for p in (site.parent / "out").rglob("*") if p.is_file()
    } == stats


def test_nothing_changed_reports_the_last_builds_warnings_again(site: Path) -> None:
    (site / "content/articles/epsilon.md").write_text(
        "---\ntitle: Epsilon\noutlet: Beta Wire\n---\nNobody quotes this.\n"
    )
    age_files(site, 1_000_000_000)
    first = build(options(site))
    assert [d.message for d in first.diagnostics] == ["no claim quotes article 'epsilon'"]
    again = build(options(site))
    assert again.rendered == () and again.diagnostics == first.diagnostics


def test_nothing_changed_under_strict_still_fails_on_a_warning(site: Path) -> None:
    (site / "content/articles/epsilon.md").write_text(
        "---\ntitle: Epsilon\noutlet: Beta Wire\n---\nNobody quotes this.\n"
    )
    assert not build(options(site)).failed
    strict = BuildOptions(root=site, out=options(site).out, strict=True)
    assert build(strict).failed  # other settings: a build of its own, not the kept one


@pytest.mark.parametrize("edit", [change_verdict, edit_summary, edit_article_context])
def test_one_edit_renders_what_serve_renders_and_equals_a_clean_build(
    site: Path, tmp_path: Path, edit: object
) -> None:
    assert not build(options(site)).failed
    live = Builder(BuildOptions(root=site, out=tmp_path / "live"), workers=1)
    assert not live.build(defer=True).failed
    edit(site, random.Random(0))  # type: ignore[operator]
    age_files(site, 1_000_000_100)
    result = build(options(site))
    assert not result.failed
    served = live.build(defer=True)
    assert not served.failed
    assert result.rendered, "the edit renders its pages again"
    # serve leaves the files only machines read (the sitemap) for when edits pause.
    assert set(result.rendered) - {"sitemap.xml"} == set(served.rendered)
    assert tree(site.parent / "out") == clean(site, tmp_path / "clean")


def test_one_edit_writes_only_the_files_it_changed_in_place(site: Path, tmp_path: Path) -> None:
    """With the kept state, the output folder is updated where it is: the files an edit did
    not change are not touched (a deploy that syncs by time copies only what changed)."""
    assert not build(options(site)).failed
    out = site.parent / "out"
    folder, style = out.stat(), (out / "static/style.css").stat()
    page = out / "claims/talks-hour/index.html"
    before = page.read_bytes()
    edit_summary(site, random.Random(0))
    age_files(site, 1_000_000_100)
    result = build(options(site))
    assert not result.failed and 0 < result.changed < result.pages
    assert page.read_bytes() != before
    assert out.stat().st_ino == folder.st_ino, "the folder was replaced, not updated"
    kept = (out / "static/style.css").stat()
    assert (kept.st_ino, kept.st_mtime_ns) == (style.st_ino, style.st_mtime_ns)
    assert not list(out.parent.glob(".out.*")), "a staging folder was left beside the output"
    assert not list(out.rglob(".*.new-*")), "a temporary file was left in the output"
    assert tree(out) == clean(site, tmp_path / "clean")


def _never_read(self: SpooledFile) -> bytes:
    raise AssertionError(f"{self.path} was read back into the build process")


def test_pages_rendered_in_workers_go_to_disk_and_never_through_the_build_process(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large one-off build renders in forked workers, and each page goes from its worker to
    the output folder: the build process gets only its digest and search document, so none
    holds every page. The site is a clean build's, cold and after an edit, and no spool
    folder is left beside the output."""
    monkeypatch.setattr("site_builder.output.render.PARALLEL_FROM", 1)
    monkeypatch.setattr(SpooledFile, "content", property(_never_read))
    out = site.parent / "out"
    first = build(options(site))
    assert not first.failed and first.rendered
    assert tree(out) == clean(site, tmp_path / "clean")
    edit_summary(site, random.Random(0))
    age_files(site, 1_000_000_100)
    again = build(options(site))
    assert not again.failed and 0 < again.changed < again.pages
    assert tree(out) == clean(site, tmp_path / "clean-again")
    assert sorted(p.name for p in out.parent.iterdir()) == [
        "cache",
        "clean",
        "clean-again",
        "out",
        "site",
    ]


def test_a_build_that_fails_in_its_workers_leaves_the_output_and_no_spool(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("site_builder.output.render.PARALLEL_FROM", 1)
    assert not build(options(site)).failed
    before = tree(site.parent / "out")
    (site / "templates").mkdir()
    (site / "templates/article.html").write_text(
        '{% extends "base.html" %}\n{% block main %}{{ 1 + "a" }}{% endblock %}\n'
    )
    result = build(options(site))
    assert result.failed
    assert [d.location.path for d in result.diagnostics] == ["templates/article.html"]
    assert tree(site.parent / "out") == before
    assert not list(site.parent.glob(".out.*")), "a spool or staging folder was left"


def _cached_differs(tmp_path: Path) -> dict[str, Any]:
    (found,) = (tmp_path / "cache" / "site-builder").glob("differs-*.json")
    data = json.loads(found.read_text())
    assert isinstance(data, dict)
    return data


def _never_compare(entry: object) -> object:
    raise AssertionError("what differs was made again")


@pytest.mark.parametrize("workers", [False, True])
def test_what_differs_is_kept_between_runs_and_gives_the_same_pages(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: bool
) -> None:
    """Each claim page's comparison is kept in the user cache, made by the build process or
    handed back by the workers that rendered the page; the next run that renders the page
    reads it instead of collating the quotes again, as long as the quoted words and their
    articles are the same, and its pages are a clean build's."""
    if workers:
        monkeypatch.setattr("site_builder.output.render.PARALLEL_FROM", 1)
    out = site.parent / "out"
    assert not build(options(site)).failed
    claims = len(list((out / "claims").iterdir()))
    assert len(_cached_differs(tmp_path)) == claims
    shutil.rmtree(out)  # every page rendered again, from the kept comparisons
    with monkeypatch.context() as patched:
        patched.setattr("site_builder.pages.differs.what_differs", _never_compare)
        assert not build(options(site)).failed
        change_verdict(site, random.Random(0))  # not a word any comparison reads
        age_files(site, 1_000_000_100)
        assert not build(options(site)).failed
    assert tree(out) == clean(site, tmp_path / "clean")
    edit_article_context(site, random.Random(0))  # a quoted article's text: compared again
    age_files(site, 1_000_000_200)
    assert not build(options(site)).failed
    assert tree(out) == clean(site, tmp_path / "clean-again")
    assert len(_cached_differs(tmp_path)) > claims  # the old one is kept as a spare


def test_a_damaged_what_differs_cache_gives_the_bytes_of_a_clean_build(
    site: Path, tmp_path: Path
) -> None:
    assert not build(options(site)).failed
    (found,) = (tmp_path / "cache" / "site-builder").glob("differs-*.json")
    data = json.loads(found.read_text())
    first, second, *_ = data
    data[first] = {"rows": "nonsense"}
    data[second]["outlets"] = [1, 2]
    found.write_text(json.dumps(data))
    shutil.rmtree(site.parent / "out")
    assert not build(options(site)).failed
    assert tree(site.parent / "out") == clean(site, tmp_path / "clean")


def test_a_verdict_edit_builds_without_loading_spacy(site: Path, tmp_path: Path) -> None:
    """Sentences, resolutions and comparisons all come from the caches: spaCy, the slowest
    import, is not loaded at all."""
    assert not build(options(site)).failed
    change_verdict(site, random.Random(0))
    age_files(site, 1_000_000_100)
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from site_builder.build.options import BuildOptions\n"
        "from site_builder.build.run import build\n"
        f"result = build(BuildOptions(root=Path({str(site)!r}), out=Path({str(site.parent / 'out')!r})))\n"
        "assert not result.failed and result.rendered, result\n"
        "print('spacy' in sys.modules)\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert ran.stdout.strip() == "False"
    assert tree(site.parent / "out") == clean(site, tmp_path / "clean")


def test_an_output_file_changed_by_hand_is_made_again(site: Path, tmp_path: Path) -> None:
    assert not build(options(site)).failed
    page = site.parent / "out/claims/talks-hour/index.html"
    page.write_bytes(b"edited by hand")
    (site.parent / "out/stray.txt").write_text("left here")
    (site.parent / "out/404.html").unlink()
    result = build(options(site))
    assert not result.failed
    assert set(result.rendered) == {"claims/talks-hour/index.html", "404.html"}
    assert tree(site.parent / "out") == clean(site, tmp_path / "clean")


def _json_with(path: Path, change: object) -> None:
    data = json.loads(path.read_text())
    change(data)  # type: ignore[operator]
    path.write_text(json.dumps(data))


def _lie_about_every_page(data: dict[str, object]) -> None:
    """A planted state: every page's key digest replaced, as if other pages had been built."""
    pages = data["pages"]
    assert isinstance(pages, dict)
    for path in pages:
        pages[path] = [pages[path][0], "0" * 32]


DAMAGES = {
    "missing": lambda path: path.unlink(),
    "empty": lambda path: path.write_text(""),
    "truncated": lambda path: path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2]),
    "not json": lambda path: path.write_bytes(b"\x80\x81 not json"),
    "wrong shape": lambda path: path.write_text('{"settings": [], "outputs": 3}'),
    "other code": lambda path: _json_with(path, lambda d: d["settings"].update(code="0")),
    "foreign site": lambda path: _json_with(path, lambda d: d["settings"].update(root="/else")),
    "bad output path": lambda path: _json_with(
        path, lambda d: d["outputs"].update({"../escape": [1, 1, 1, "x"]})
    ),
    "planted keys": lambda path: _json_with(path, _lie_about_every_page),
}


@pytest.mark.parametrize("damage", DAMAGES, ids=list(DAMAGES))
def test_a_damaged_or_foreign_kept_state_gives_the_bytes_of_a_clean_build(
    site: Path, tmp_path: Path, damage: str
) -> None:
    assert not build(options(site)).failed
    change_verdict(site, random.Random(0))
    age_files(site, 1_000_000_100)
    DAMAGES[damage](state_file(site))
    result: BuildResult = build(options(site))
    assert not result.failed
    assert tree(site.parent / "out") == clean(site, tmp_path / "clean")
    assert not build(options(site)).rendered  # and it is kept again, whole


def test_one_edit_reindexes_only_the_search_shards_whose_text_changed(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind runs for a shard only when its pages' search text changed, from run to run
    (the shards' bundles are kept in the user cache), and the site is a clean build's."""
    monkeypatch.setattr(search, "SHARD_PAGES", 2)
    runs: list[tuple[str, ...]] = []
    real = search._index

    def counting(shard: search.Shard, *rest: Any) -> dict[str, bytes]:
        runs.append(tuple(path for path, _ in shard.documents))
        return real(shard, *rest)

    monkeypatch.setattr(search, "_index", counting)
    assert not build(options(site)).failed
    shards = len(runs)
    assert shards >= 3
    # One claim page's searchable text, in words the site has already.
    claims = site / "claims.yaml"
    claims.write_text(
        claims.read_text().replace("Both outlets agree", "Both outlets agree, both", 1)
    )
    age_files(site, 1_000_000_100)
    assert not build(options(site)).failed
    assert len(runs) == shards + 1
    assert "claims/talks-hour/index.html" in runs[-1]
    assert tree(site.parent / "out") == clean(site, tmp_path / "clean")
    # A word new to the site is in every shard's lexicon: every shard is indexed again.
    before = len(runs)  # clean() indexed a site of its own meanwhile
    claims.write_text(
        claims.read_text().replace("Both outlets agree", "Both outlets agree zebra", 1)
    )
    age_files(site, 1_000_000_200)
    assert not build(options(site)).failed
    assert len(runs) == before + shards
    assert tree(site.parent / "out") == clean(site, tmp_path / "clean")


@pytest.mark.parametrize("damage", ["truncated", "foreign"])
def test_a_damaged_or_foreign_search_shard_cache_gives_the_bytes_of_a_clean_build(
    site: Path, tmp_path: Path, damage: str
) -> None:
    """The search index kept on disk is another site's, or cut short: the build indexes
    again and writes what a clean build writes."""
    assert not build(options(site)).failed
    (kept,) = (tmp_path / "cache" / "site-builder").glob("search-*-0.zip")
    if damage == "truncated":
        kept.write_bytes(kept.read_bytes()[:100])
    else:
        other = tmp_path / "other"
        shutil.copytree(site, other)
        (other / "claims.yaml").write_text(
            (other / "claims.yaml").read_text().replace("Both outlets agree", "Zebras agree")
        )
        assert not build(BuildOptions(root=other, out=tmp_path / "other-out")).failed
        (foreign,) = set((tmp_path / "cache" / "site-builder").glob("search-*-0.zip")) - {kept}
        shutil.copyfile(foreign, kept)  # right name, another site's pages
    # Everything is built again from the same pages: only the kept search index is asked.
    shutil.rmtree(site.parent / "out")
    assert not build(options(site)).failed
    assert tree(site.parent / "out") == clean(site, tmp_path / "clean")


def test_a_failed_build_keeps_the_last_state_and_the_output(site: Path) -> None:
    assert not build(options(site)).failed
    before = tree(site.parent / "out")
    claims = site / "claims.yaml"
    good = claims.read_text()
    claims.write_text(good.replace("verdict: mixed", 'verdict: "mixed', 1))
    assert build(options(site)).failed
    assert tree(site.parent / "out") == before
    claims.write_text(good)  # the edit undone: the output is that of these inputs again
    age_files(site, 1_000_000_000)
    assert build(options(site)).rendered == ()


def test_page_key_digests_are_the_same_in_another_process(site: Path) -> None:
    """The kept digests are compared by the next process: hash randomisation must not show."""
    script = (
        "import sys; from pathlib import Path;"
        "from site_builder.build.builder import load_site;"
        "from site_builder.diagnostics import Diagnostics;"
        "from site_builder.engine.digest import Digester;"
        "from site_builder.pages.plan import build_pages;"
        "d = Diagnostics(); s = load_site(Path(sys.argv[1]), d);"
        "g = Digester(); print(sorted((p.path, g.hexdigest(p.key)) for p in build_pages(s, d)))"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", script, str(site)],
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin", "HOME": str(site.parent)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(runs) == 1 and "claims/talks-hour/index.html" in runs.pop()


def resolution_cache(root: Path) -> Path:
    (found,) = (root.parent / "cache" / "site-builder").glob("resolved-*.json")
    return found


def _no_resolving(self: object, claim: object) -> object:
    raise AssertionError("resolved a claim whose resolution is kept on disk")


@pytest.mark.parametrize("which", ["fixture", "real"])
def test_kept_resolutions_spare_resolving_and_give_the_same_site(
    site: Path, which: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every claim's resolution is read back in the next run (the real content's quotes
    included: each entry passes the check of its words), with the same bytes and problems."""
    root = site if which == "fixture" else _real_site_copy(site.parent)
    out = root.parent / "kept-out"
    first = Builder(BuildOptions(root=root, out=out)).build()
    assert not first.failed, first.diagnostics
    expected = tree(out)
    monkeypatch.setattr(Resolver, "resolve_claim", _no_resolving)
    shutil.rmtree(out)
    again = Builder(BuildOptions(root=root, out=out)).build()
    assert again.diagnostics == first.diagnostics
    assert tree(out) == expected


def _real_site_copy(where: Path) -> Path:
    root = where / "real"
    shutil.copytree(
        REPO,
        root,
        ignore=shutil.ignore_patterns("output", ".git", "bench", "tests", "*.egg-info", "build"),
    )
    age_files(root, 1_000_000_000)
    return root


def test_a_kept_resolution_reports_its_problems_where_they_are_now(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A quote that is not found is an error at its line, read back from the cache as it was,
    and after the claim moved down it is resolved anew and reported at its new line."""
    claims = site / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text.replace("just over an hour.", "just over two hours."), encoding="utf-8")
    age_files(site, 1_000_000_100)
    first = Builder(BuildOptions(root=site, out=site.parent / "out")).build()
    assert first.failed and any("quote not found" in d.message for d in first.diagnostics)
    with monkeypatch.context() as patched:
        patched.setattr(Resolver, "resolve_claim", _no_resolving)
        again = Builder(BuildOptions(root=site, out=site.parent / "out")).build()
    assert again.diagnostics == first.diagnostics
    claims.write_text("# one more line\n" + claims.read_text(encoding="utf-8"), encoding="utf-8")
    age_files(site, 1_000_000_200)
    moved = Builder(BuildOptions(root=site, out=site.parent / "out")).build()
    clean_run = Builder(BuildOptions(root=site, out=site.parent / "out"), disk_cache=False).build()
    assert moved.diagnostics == clean_run.diagnostics
    lines = {d.location.line for d in first.diagnostics if "quote not found" in d.message}
    assert {d.location.line for d in moved.diagnostics if "quote not found" in d.message} == {
        line + 1 for line in lines
    }


def _damage(entries: dict[str, Any], how: str) -> object:
    """The cache's entries damaged or planted: what each must not get past."""
    for entry in entries.values():
        resolved = [q for q in entry["quotes"] if q is not None]
        if how == "spans out of the text":
            resolved[0][0] = [[0, 10**9]]
        elif how == "other words":
            start, end = resolved[0][0][0]
            resolved[0][0] = [[start + 1, end + 1]]
        elif how == "other sentences":
            resolved[0][1] = [number + 1 for number in resolved[0][1]]
        elif how == "a quote left out without a word":
            entry["quotes"] = [None for _ in entry["quotes"]]
            entry["diagnostics"] = []
        elif how == "wrong shape":
            entry["quotes"] = {"a": 1}
    return entries


@pytest.mark.parametrize(
    "how",
    [
        "spans out of the text",
        "other words",
        "other sentences",
        "a quote left out without a word",
        "wrong shape",
        "not JSON",
    ],
)
def test_a_damaged_or_planted_resolution_cache_is_resolved_anew(site: Path, how: str) -> None:
    out = site.parent / "out"
    assert not Builder(BuildOptions(root=site, out=out)).build().failed
    expected = tree(out)
    path = resolution_cache(site)
    if how == "not JSON":
        path.write_text('{"truncated": [', encoding="utf-8")
    else:
        entries = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps(_damage(entries, how)), encoding="utf-8")
    shutil.rmtree(out)
    result = Builder(BuildOptions(root=site, out=out)).build()
    assert not result.failed, result.diagnostics
    assert tree(out) == expected
