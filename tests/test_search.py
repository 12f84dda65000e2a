"""output/search.py: the Pagefind bundle built from the rendered pages, in memory, deterministically."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

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
    """URL -> indexed text of every page in the bundle, all shards (fragments are gzipped
    JSON)."""
    pages = {}
    for path, content in bundle.items():
        if path.startswith("pagefind/") and "/fragment/" in path:
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


def test_a_search_document_is_the_searchable_body_alone(rendered: tuple[OutputFile, ...]) -> None:
    pages = {f.path: f for f in rendered}
    claim = search.search_document(pages["claims/bodies-each/index.html"])
    article = search.search_document(pages["articles/alpha/index.html"])
    assert claim is not None and article is not None
    for document in (claim, article):
        assert document.startswith(b'<!DOCTYPE html><html lang="en"><body><article ')
        assert document.endswith(b"</article></body></html>")
        assert b"data-pagefind-ignore" not in document
        assert b"Skip to main content" not in document and b"Atom feed" not in document
    assert b"6,000 bodies each" in claim
    assert b"quoted in:" not in article
    assert b'data-pagefind-meta="outlet"' in article  # what Pagefind reads inside the body stays
    assert search.search_document(pages["index.html"]) is None  # no searchable body


def test_pagefind_indexes_the_documents_as_it_indexes_the_whole_pages(
    rendered: tuple[OutputFile, ...], bundle: dict[str, bytes]
) -> None:
    whole = search.Shard(
        0, 1, tuple((f.path, f.content) for f in rendered if f.path.endswith(".html"))
    )
    made = search._index(whole, lambda process, running: None)
    expected = {f"pagefind/{p}": c for p, c in made.items() if p not in search.UNUSED}
    assert {p: c for p, c in bundle.items() if p != search.SHARDS_FILE} == expected
    assert json.loads(bundle[search.SHARDS_FILE]) == []  # a small site is one shard


def test_a_big_site_is_indexed_in_shards_that_hold_every_page_once(
    rendered: tuple[OutputFile, ...], bundle: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "SHARD_PAGES", 2)
    files = {f.path: f.content for f in search_files(rendered, Diagnostics())}
    folders = json.loads(files[search.SHARDS_FILE])
    assert len(folders) >= 2, folders
    assert "pagefind/pagefind.js" in files
    for folder in folders:
        assert f"pagefind/{folder}pagefind-entry.json" in files
        # The primary's script and WebAssembly search the merged shards.
        assert not any(p.startswith(f"pagefind/{folder}pagefind.js") for p in files)
        assert not any(p.startswith(f"pagefind/{folder}wasm.") for p in files)
    # Shards are folders of their own, not nested in one another's index.
    assert all(folder.startswith("shards/") and folder.count("/") == 2 for folder in folders)
    pages = indexed_pages(files)
    # Each shard also holds the lexicon, every word of the site, so that a word one shard
    # lacks is never matched there by a shorter one; the browser leaves those pages out.
    lexicon = pages.pop("/pagefind-lexicon/")
    assert pages == indexed_pages(bundle)

    def words(text: str) -> set[str]:
        return {w for w in (re.sub(r"\W", "", t).lower() for t in text.split()) if w}

    assert set().union(*map(words, pages.values())) <= words(lexicon)
    lexicon_ids = json.loads(files[search.LEXICON_FILE])
    assert len(lexicon_ids) == len(folders) + 1  # one in each shard, the primary's included
    fragments = {Path(p).stem for p in files if p.endswith(".pf_fragment")}
    assert set(lexicon_ids) <= fragments
    assert search.LEXICON_FILE not in bundle  # one index needs none


def test_an_edit_reindexes_only_the_shard_of_its_page(
    rendered: tuple[OutputFile, ...], runs: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search, "SHARD_PAGES", 2)
    index = SearchIndex()
    first = {f.path: f.content for f in index.files(rendered, Diagnostics())}
    shards = len(json.loads(first[search.SHARDS_FILE])) + 1
    assert len(runs) == shards
    page = "claims/bodies-each/index.html"
    # A word the site has already: only the page's shard changes.
    changed = edited(rendered, page, b"data-pagefind-body>", b"data-pagefind-body>Umerov ")
    second = {f.path: f.content for f in index.files(changed, Diagnostics())}
    assert len(runs) == shards + 1
    count = search.shard_count(len(indexed_pages(first)))
    assert index.indexed == (search.shard_of(page, count),)
    differs = {p for p in first.keys() | second.keys() if first.get(p) != second.get(p)}
    folder = "pagefind/" if index.indexed == (0,) else f"pagefind/shards/{index.indexed[0]}/"
    assert differs and all(
        p.startswith(folder) and (folder != "pagefind/" or "/shards/" not in p) for p in differs
    ), differs
    # A word new to the site goes into every shard's lexicon: every shard is indexed again.
    index.files(edited(changed, page, b"Umerov ", b"zebra "), Diagnostics())
    assert len(runs) == 2 * shards + 1


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
    """The number of pages of each Pagefind run, one item per run."""
    counted: list[int] = []
    real = search._index

    def counting(shard: search.Shard, *rest: Any) -> dict[str, bytes]:
        counted.append(len(shard.documents))
        return real(shard, *rest)

    monkeypatch.setattr(search, "_index", counting)
    return counted


def edited(files: Iterable[OutputFile], path: str, old: bytes, new: bytes) -> list[OutputFile]:
    """`files` with `old` replaced by `new` (once) in the file at `path`."""
    out = []
    for f in files:
        if f.path == path:
            assert old in f.content, (path, old)
            f = OutputFile(f.path, f.content.replace(old, new, 1))
        out.append(f)
    return out


def test_a_rebuild_reindexes_only_when_the_searchable_text_changes(
    rendered: tuple[OutputFile, ...], runs: list[int]
) -> None:
    index = SearchIndex()
    first = index.files(rendered, Diagnostics())
    assert len(runs) == 1
    css_only = [f if f.path != "static/style.css" else OutputFile(f.path, b"") for f in rendered]
    assert index.files(css_only, Diagnostics()) == first
    # The footer of a claim page is not searched: changing it changes no search document.
    footer = edited(rendered, "claims/bodies-each/index.html", b"Atom feed", b"Atom")
    assert index.files(footer, Diagnostics()) == first
    assert len(runs) == 1
    body = edited(
        rendered,
        "claims/bodies-each/index.html",
        b"data-pagefind-body>",
        b"data-pagefind-body>zebra ",
    )
    assert index.files(body, Diagnostics()) != first
    assert len(runs) == 2


def cache(folder: Path) -> Callable[[int], FilesCache]:
    """Each shard's disk cache, as the builder keeps them: one zip file per shard."""
    return lambda shard: FilesCache(folder / f"search-{shard}.zip")


def test_the_next_run_of_the_same_pages_takes_the_index_from_disk(
    rendered: tuple[OutputFile, ...], tmp_path: Path, runs: list[int]
) -> None:
    """A second build (CI with its cache restored, `serve` after `build`) skips Pagefind."""
    first = SearchIndex(cache(tmp_path)).files(rendered, Diagnostics())
    assert SearchIndex(cache(tmp_path)).files(rendered, Diagnostics()) == first
    assert len(runs) == 1
    changed = edited(
        rendered,
        "claims/bodies-each/index.html",
        b"data-pagefind-body>",
        b"data-pagefind-body>zebra ",
    )
    assert SearchIndex(cache(tmp_path)).files(changed, Diagnostics()) != first
    assert len(runs) == 2
    # Only the last bundle of each shard is kept: the first pages are indexed again.
    assert SearchIndex(cache(tmp_path)).files(rendered, Diagnostics()) == first
    assert len(runs) == 3


def test_a_damaged_index_on_disk_is_made_again(
    rendered: tuple[OutputFile, ...], tmp_path: Path
) -> None:
    first = SearchIndex(cache(tmp_path)).files(rendered, Diagnostics())
    data = (tmp_path / "search-0.zip").read_bytes()
    (tmp_path / "search-0.zip").write_bytes(data[: len(data) // 2])
    found = Diagnostics()
    assert SearchIndex(cache(tmp_path)).files(rendered, found) == first
    assert not found.items


def test_another_pagefind_binary_indexes_anew(
    rendered: tuple[OutputFile, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bundle made by one Pagefind is not served as another's, nor when none is installed."""
    assert SearchIndex(cache(tmp_path)).files(rendered, Diagnostics())
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-pagefind"))
    found = Diagnostics()
    assert SearchIndex(cache(tmp_path)).files(rendered, found) == ()
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


def test_the_attributes_words_in_a_pages_text_cut_nothing() -> None:
    """An article may quote HTML: the words `data-pagefind-ignore` in its text are text."""
    page = OutputFile(
        "articles/x/index.html",
        b'<!DOCTYPE html><html lang="fr"><body><header data-pagefind-ignore>Menu</header>'
        b"<article class=a data-pagefind-body><p>Mark it data-pagefind-ignore, he said.</p>"
        b'<sup data-pagefind-ignore="all">(quoted in: 1)</sup><p>After.</p>'
        b"<article>inner</article></article><footer>Foot</footer></body></html>",
    )
    assert search.search_document(page) == (
        b'<!DOCTYPE html><html lang="fr"><body>'
        b"<article class=a data-pagefind-body><p>Mark it data-pagefind-ignore, he said.</p>"
        b"<p>After.</p><article>inner</article></article></body></html>"
    )
