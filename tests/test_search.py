"""output/search.py: the Pagefind bundle built from the rendered pages, in memory, deterministically."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from site_builder.build.builder import load_site, render
from site_builder.cli.main import main
from site_builder.diagnostics import Diagnostics
from site_builder.engine.cache import FilesCache
from site_builder.model import OutputFile
from site_builder.output import search
from site_builder.output.search import SearchIndex, search_files

FIXTURE_SITE = Path(__file__).parent / "fixtures" / "site"


@pytest.fixture(scope="module")
def rendered() -> tuple[OutputFile, ...]:
    diagnostics = Diagnostics()
    site = load_site(FIXTURE_SITE, diagnostics)
    assert site is not None
    files = render(site, FIXTURE_SITE, diagnostics)
    assert not diagnostics.items
    return files


@pytest.fixture(scope="module")
def bundle(rendered: tuple[OutputFile, ...]) -> dict[str, bytes]:
    diagnostics = Diagnostics()
    files = search_files(rendered, diagnostics)
    assert not diagnostics.items, [d.format() for d in diagnostics.items]
    return {f.path: f.content for f in files}


def indexed_pages(bundle: dict[str, bytes]) -> dict[str, str]:
    """URL -> indexed text of every page in the bundle (fragments are gzipped JSON)."""
    pages = {}
    for path, content in bundle.items():
        if path.startswith("pagefind/fragment/"):
            data = gzip.decompress(content).removeprefix(b"pagefind_dcd")
            fragment = json.loads(data)
            pages[fragment["url"]] = fragment["content"]
    return pages


def test_the_bundle_is_under_pagefind_and_has_what_the_browser_loads(
    bundle: dict[str, bytes],
) -> None:
    assert all(path.startswith("pagefind/") for path in bundle)
    for name in (
        "pagefind/pagefind.js",
        "pagefind/pagefind-worker.js",
        "pagefind/pagefind-entry.json",
    ):
        assert name in bundle
    assert any(path.startswith("pagefind/wasm.") for path in bundle)
    assert any(path.startswith("pagefind/index/") for path in bundle)
    # The site has its own search box: Pagefind's ready-made interfaces are left out.
    assert not any("-ui." in path or "highlight" in path for path in bundle)


def test_only_claims_and_articles_are_indexed_without_page_chrome(
    rendered: tuple[OutputFile, ...], bundle: dict[str, bytes]
) -> None:
    pages = indexed_pages(bundle)
    expected = {
        "/" + f.path.removesuffix("index.html")
        for f in rendered
        if f.path.startswith(("claims/", "articles/")) and f.path.endswith("/index.html")
    }
    assert "/claims/bodies-each/" in expected and "/articles/alpha/" in expected
    assert set(pages) == expected
    assert "6,000 bodies each" in pages["/claims/bodies-each/"]
    for text in pages.values():
        assert "Skip to main content" not in text  # the header is not indexed
        assert "Atom feed" not in text  # nor the footer
        assert "quoted in:" not in text  # nor an article's links back to its claims


def test_the_same_pages_give_the_same_bytes_in_any_order(
    rendered: tuple[OutputFile, ...], bundle: dict[str, bytes]
) -> None:
    again = search_files(tuple(reversed(rendered)), Diagnostics())
    assert {f.path: f.content for f in again} == bundle


def test_without_pagefind_the_site_builds_without_search_and_strict_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-pagefind"))
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root)
    out = tmp_path / "out"
    assert main(["build", "--root", str(root), "--out", str(out)]) == 0
    assert (out / "index.html").is_file()
    assert not (out / "pagefind").exists()
    err = capsys.readouterr().err
    assert "pagefind:1:1: warning: search index not built, the site has no search:" in err
    assert "pip install 'pagefind[bin]'" in err
    assert main(["build", "--root", str(root), "--out", str(tmp_path / "strict"), "--strict"]) == 1
    assert not (tmp_path / "strict").exists()


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """One item per time Pagefind is run."""
    counted: list[int] = []
    real = search.search_files

    def counting(
        files: tuple[OutputFile, ...], diagnostics: Diagnostics, *rest: object
    ) -> tuple[OutputFile, ...]:
        counted.append(1)
        return real(files, diagnostics)

    monkeypatch.setattr(search, "search_files", counting)
    return counted


def test_a_rebuild_with_the_same_pages_reuses_the_index(
    rendered: tuple[OutputFile, ...], runs: list[int]
) -> None:
    index = SearchIndex()
    first = index.files(rendered, Diagnostics())
    css_only = [f if f.path != "static/style.css" else OutputFile(f.path, b"") for f in rendered]
    assert index.files(css_only, Diagnostics()) == first
    assert len(runs) == 1
    changed = [
        f if f.path != "claims/bodies-each/index.html" else OutputFile(f.path, f.content + b" ")
        for f in rendered
    ]
    index.files(changed, Diagnostics())
    assert len(runs) == 2


def test_the_next_run_of_the_same_pages_takes_the_index_from_disk(
    rendered: tuple[OutputFile, ...], tmp_path: Path, runs: list[int]
) -> None:
    """A second build (CI with its cache restored, `serve` after `build`) skips Pagefind."""
    disk = FilesCache(tmp_path / "search.zip")
    first = SearchIndex(disk).files(rendered, Diagnostics())
    assert SearchIndex(disk).files(rendered, Diagnostics()) == first
    assert len(runs) == 1
    changed = [
        f
        if f.path != "claims/bodies-each/index.html"
        else OutputFile(
            f.path, f.content.replace(b"data-pagefind-body>", b"data-pagefind-body>zebra ", 1)
        )
        for f in rendered
    ]
    assert SearchIndex(disk).files(changed, Diagnostics()) != first
    assert len(runs) == 2
    # Only the last bundle is kept: the first pages are indexed again.
    assert SearchIndex(disk).files(rendered, Diagnostics()) == first
    assert len(runs) == 3


def test_a_damaged_index_on_disk_is_made_again(
    rendered: tuple[OutputFile, ...], tmp_path: Path
) -> None:
    disk = FilesCache(tmp_path / "search.zip")
    first = SearchIndex(disk).files(rendered, Diagnostics())
    data = (tmp_path / "search.zip").read_bytes()
    (tmp_path / "search.zip").write_bytes(data[: len(data) // 2])
    found = Diagnostics()
    assert SearchIndex(disk).files(rendered, found) == first
    assert not found.items


def test_another_pagefind_binary_indexes_anew(
    rendered: tuple[OutputFile, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bundle made by one Pagefind is not served as another's, nor when none is installed."""
    disk = FilesCache(tmp_path / "search.zip")
    assert SearchIndex(disk).files(rendered, Diagnostics())
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-pagefind"))
    found = Diagnostics()
    assert SearchIndex(disk).files(rendered, found) == ()
    assert "search index not built" in found.items[0].message


def test_a_cancelled_index_stops_pagefind_and_ends_with_a_warning(
    rendered: tuple[OutputFile, ...],
) -> None:
    """serve stops a running Pagefind when it shuts down, rather than leave it running."""
    index = SearchIndex()
    index.cancel()
    found = Diagnostics()
    assert index.files(rendered, found) == ()
    assert [d.severity for d in found.items] == ["warning"]
    assert "search index not built" in found.items[0].message
