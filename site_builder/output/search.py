"""Rendered pages -> the full-text search index (Pagefind), in shards, as more output files.

In: the rendered `OutputFile`s and the run's `Diagnostics`. Out: the files of Pagefind's search
bundle under `pagefind/`, for build/builder.py to write with everything else, so output/write.py
stays the only writer of the site.

Pagefind indexes only what the templates mark with `data-pagefind-body` (claim and article
pages) and skips anything inside `data-pagefind-ignore`, so it is fed only that: each page's
search document is its body element with the ignored parts cut out (a fifth of the HTML on an
article page; Pagefind's bundle for them is byte-identical to the one for whole pages). The
documents are split into shards of about `SHARD_PAGES` pages by a hash of each page's path, so
an edit touches few shards, and a shard is indexed again only when the digest of its documents
changes; the browser merges the shards (site.js, Pagefind's `mergeIndex`). Shard 0 is the
primary bundle in `pagefind/` itself, with the scripts and WebAssembly; shard N's index is in
`pagefind/shards/N/`, and `pagefind/shards.json` lists those folders. (A shard no page
hashed to is left out; the first there is is the primary.)

When a word is not in an index, Pagefind searches for the longest prefix of it that is ("is" for
"Istanbul"), and it does so in each shard of a merged index on its own: a shard without the
word would answer for "is". So that a sharded site finds exactly what one index would, each
shard also indexes a lexicon page holding every word of the site (`LEXICON_PATH`); the word is
then in every shard if it is anywhere, and Pagefind falls back to a prefix only when the whole
site lacks the word, as it does with one index. The lexicon pages are never results: their ids
are listed in `pagefind/lexicon.json`, which site.js leaves out. The cost: a word new to the
site (or gone from it) indexes every shard again.

Pagefind (the `pagefind[bin]` packages) runs offline, and for the same documents it gives
byte-identical files whatever their order or the number of CPUs. When it cannot run, the site is
still built, without search, and a warning says why (so a `--strict` build fails rather than
publish a site whose search is missing).
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from hashlib import blake2b, sha256
from pathlib import Path, PurePosixPath

from pagefind.service import get_executable

from ..diagnostics import Diagnostics, Location
from ..engine.cache import FilesCache
from ..model import OutputFile, SpooledFile

BUNDLE_DIR = "pagefind"
SHARDS_FILE = f"{BUNDLE_DIR}/shards.json"
LEXICON_FILE = f"{BUNDLE_DIR}/lexicon.json"
LEXICON_PATH = "pagefind-lexicon/index.html"  # in each shard of a sharded site; never a result
# Pages per shard, at most about: Pagefind holds a shard's text in memory (some 340 KB per
# 800-word page) and takes a second or two for a thousand pages, which is what one edit costs.
SHARD_PAGES = 1000
# Pagefind's ready-made search interfaces: the site has its own (templates/static/site.js), so
# these would only be dead weight in every deploy.
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
# What only the primary bundle needs: a merged index is searched by the primary's script and
# WebAssembly.
PRIMARY_ONLY = ("pagefind.js", "pagefind-worker.js", "wasm.")
TIMEOUT_SECONDS = 120.0

__all__ = ["BUNDLE_DIR", "SHARD_PAGES", "SearchIndex", "search_document", "search_files"]


class SearchIndexError(Exception):
    """Pagefind could not index the pages; the message says why."""


Track = Callable[[subprocess.Popen[str], bool], None]


def search_files(files: Iterable[OutputFile], diagnostics: Diagnostics) -> tuple[OutputFile, ...]:
    """The search bundle for the HTML among `files`, every shard indexed afresh; () after a
    warning if Pagefind fails."""
    return SearchIndex().files(files, diagnostics)


# --- search documents -------------------------------------------------------------------------

_LANG = re.compile(rb"<html\b[^>]*\slang=\"([^\"<>]*)\"")
_NAME = re.compile(rb"<([a-zA-Z][a-zA-Z0-9-]*)[\s>/]")
_VOID = frozenset(b"area base br col embed hr img input link meta source track wbr".split())
_SPACE = frozenset(b" \t\n\r\f")
_AFTER_NAME = frozenset(b" \t\n\r\f=>/")


def search_document(page: OutputFile) -> bytes | None:
    """What Pagefind reads of `page`: its `data-pagefind-body` element without the parts marked
    `data-pagefind-ignore`, in a document of the page's language; None for a page without one.

    The HTML is the templates' (well formed, attribute values escaped), so finding the start
    and end tags of those elements is enough; no page is parsed whole.
    """
    html = page.content
    body = _start_tag(html, b"data-pagefind-body", 0, len(html))
    if body is None:
        return None
    body_start, body_end, name = body
    end = _element_end(html, name, body_end)
    kept = []
    at = body_start
    while (ignored := _start_tag(html, b"data-pagefind-ignore", at, end)) is not None:
        kept.append(html[at : ignored[0]])
        at = _element_end(html, ignored[2], ignored[1])
    kept.append(html[at:end])
    lang = _LANG.search(html, 0, body_start)
    head = b'<!DOCTYPE html><html lang="' + (lang.group(1) if lang else b"") + b'"><body>'
    return head + b"".join(kept) + b"</body></html>"


def _start_tag(
    html: bytes, attribute: bytes, start: int, end: int
) -> tuple[int, int, bytes] | None:
    """The first start tag in html[start:end] with `attribute`: (where it starts, where it
    ends, the element's name). The attribute is looked for as bytes (fast), then checked to be
    one, inside a tag, rather than words of the text."""
    at = html.find(attribute, start, end)
    while at >= 0:
        opening = html.rfind(b"<", start, at)
        after = at + len(attribute)
        if (
            opening >= 0
            and html[at - 1] in _SPACE
            and after < len(html)
            and html[after] in _AFTER_NAME
            and html.find(b">", opening, at) < 0
            and (name := _NAME.match(html, opening)) is not None
        ):
            closing = html.find(b">", after)
            return opening, len(html) if closing < 0 else closing + 1, name.group(1)
        at = html.find(attribute, after, end)
    return None


_END_TAGS: dict[bytes, re.Pattern[bytes]] = {}


def _element_end(html: bytes, name: bytes, start: int) -> int:
    """Where the element `name` whose start tag ends at `start` ends (past its end tag)."""
    if name.lower() in _VOID:
        return start
    tags = _END_TAGS.get(name)
    if tags is None:
        tags = _END_TAGS[name] = re.compile(rb"<(/?)" + re.escape(name) + rb"[\s>/]", re.I)
    depth = 1
    for tag in tags.finditer(html, start):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            close = html.find(b">", tag.end() - 1)
            return len(html) if close < 0 else close + 1
    return len(html)


# --- shards -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shard:
    """Some pages' search documents (output path -> document), indexed together."""

    number: int
    count: int
    documents: tuple[tuple[str, bytes], ...]

    def key(self, binary: str) -> str:
        """The digest of everything the shard's bundle is made from."""
        digest = sha256(f"{self.number}/{self.count}\0{binary}\0".encode())
        for path, document in self.documents:
            digest.update(path.encode() + b"\0" + sha256(document).digest())
        return digest.hexdigest()


def shard_count(pages: int) -> int:
    """How many shards `pages` searchable pages take: a power of two, so that a growing site
    moves its pages to other shards only when the count doubles."""
    count = 1
    while count * SHARD_PAGES < pages:
        count *= 2
    return count


def shard_of(path: str, count: int) -> int:
    """The shard of the page at `path`: the same for as long as the count stays."""
    if count == 1:
        return 0
    return int.from_bytes(blake2b(path.encode(), digest_size=8).digest(), "big") % count


def split(
    files: Iterable[OutputFile],
    document: Callable[[OutputFile], bytes | None] = search_document,
) -> tuple[Shard, ...]:
    """The searchable pages among `files` in shards, ordered by number, empty ones left out.

    A site none of whose pages marks a body (no claims, no articles yet) is searched in whole
    pages, as Pagefind itself would do with it.
    """
    pages = [file for file in files if file.path.endswith(".html")]
    documents = {}
    for page in pages:
        found = document(page)
        if found is not None:
            documents[page.path] = found
    if not documents:
        documents = {page.path: page.content for page in pages}
    count = shard_count(len(documents))
    groups: list[list[tuple[str, bytes]]] = [[] for _ in range(count)]
    for path in sorted(documents):
        groups[shard_of(path, count)].append((path, documents[path]))
    if count > 1:
        lexicon = (LEXICON_PATH, lexicon_document(documents.values()))
        groups = [[*group, lexicon] if group else group for group in groups]
    return tuple(Shard(n, count, tuple(group)) for n, group in enumerate(groups) if group)


_TAG = re.compile(rb"<[^>]*>")
_EDGES = "".join(chr(c) for c in range(0x2000, 0x2070)) + "\"'()[]{}<>,.;:!?«»…"


def lexicon_document(documents: Iterable[bytes]) -> bytes:
    """A page holding every word of `documents` once, sorted: indexed in every shard, it puts
    each of the site's words in every shard. A word is what white space delimits, without the
    punctuation around it ("(7)," is "7"; "step-by-step" and "6,000" stay whole) and in lower
    case, as Pagefind matches them, so that a word new only in its case or punctuation does
    not change the lexicon."""
    words: set[str] = set()
    lang = b""
    for document in documents:
        if not lang and (found := _LANG.search(document)) is not None:
            lang = found.group(1)
        text = _TAG.sub(b" ", document).decode("utf-8", "replace")
        words.update(word for word in (t.strip(_EDGES).lower() for t in text.split()) if word)
    body = " ".join(sorted(words)).encode()
    return (
        b'<!DOCTYPE html><html lang="' + lang + b'"><body data-pagefind-body><p>'
        + body + b"</p></body></html>"
    )  # fmt: skip


def lexicon_ids(indexed: Mapping[int, Mapping[str, bytes]]) -> list[str]:
    """The Pagefind ids of the lexicon pages in the shards' bundles (their fragments' names)."""
    url = "/" + LEXICON_PATH.removesuffix("index.html")
    found = []
    for files in indexed.values():
        for path, content in files.items():
            if path.startswith("fragment/") and path.endswith(".pf_fragment"):
                raw = gzip.decompress(content)
                if b'"url":"' + url.encode() + b'"' in raw:
                    found.append(PurePosixPath(path).stem)
    return sorted(found)


def bundle(
    shards: Sequence[Shard], indexed: Mapping[int, Mapping[str, bytes]]
) -> tuple[OutputFile, ...]:
    """The output files of the shards' bundles (`indexed`: shard number -> its files): the
    first shard's in `pagefind/`, each other's in `pagefind/shards/N/` without what only the
    primary needs, and `pagefind/shards.json`, the list of those folders to merge."""
    if not shards:
        return ()
    files = []
    merged = []
    for shard in shards:
        primary = shard is shards[0]
        folder = f"{BUNDLE_DIR}/" if primary else f"{BUNDLE_DIR}/shards/{shard.number}/"
        for path, content in indexed[shard.number].items():
            if path in UNUSED or (not primary and path.startswith(PRIMARY_ONLY)):
                continue
            files.append(OutputFile(folder + path, content))
        if not primary:
            merged.append(folder.removeprefix(f"{BUNDLE_DIR}/"))
    files.append(OutputFile(SHARDS_FILE, json.dumps(merged).encode() + b"\n"))
    if len(shards) > 1 or shards[0].count > 1:
        lexicon = json.dumps(lexicon_ids(indexed)).encode() + b"\n"
        files.append(OutputFile(LEXICON_FILE, lexicon))
    return tuple(sorted(files, key=_path))


def _path(file: OutputFile) -> str:
    return file.path


# --- the index, kept --------------------------------------------------------------------------


class SearchIndex:
    """`search_files` for a Builder that builds again and again: a shard whose documents did
    not change is not indexed again.

    Pagefind takes a moment to start, and seconds on a big shard; a rebuild keeps each shard's
    last bundle in memory, and `disk` (shard number -> its cache) keeps it between runs, so the
    next build of the same pages (CI with its cache restored, `serve` after `build`) runs
    Pagefind only for the shards whose pages' search text changed.
    """

    def __init__(self, disk: Callable[[int], FilesCache] | None = None) -> None:
        self._disk = disk or _no_disk
        self._kept: dict[int, tuple[str, Mapping[str, bytes]]] = {}  # shard -> (key, its files)
        # Each page's search document, by path, while its HTML stays the same object or bytes.
        self._documents: dict[str, tuple[OutputFile, bytes | None]] = {}
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen[str]] = set()
        self._cancelled = False
        self.indexed: tuple[int, ...] = ()  # the shards the last call ran Pagefind for

    def cancel(self) -> None:
        """Stop the Pagefind runs of another thread (the dev server is shutting down) and any
        later one: they end with a warning instead of an index."""
        with self._lock:
            self._cancelled = True
            for process in self._running:
                if process.poll() is None:
                    process.kill()

    def _track(self, process: subprocess.Popen[str], running: bool) -> None:
        with self._lock:
            if not running:
                self._running.discard(process)
                return
            self._running.add(process)
            if self._cancelled:
                process.kill()

    def _document(self, page: OutputFile) -> bytes | None:
        if isinstance(page, SpooledFile):  # its worker made the document with the page
            return page.document
        held = self._documents.get(page.path)
        if held is not None and (held[0] is page or held[0] == page):
            return held[1]
        document = search_document(page)
        self._documents[page.path] = (page, document)
        return document

    def files(
        self, files: Iterable[OutputFile], diagnostics: Diagnostics
    ) -> tuple[OutputFile, ...]:
        """The search bundle of `files`, as `search_files` gives it."""
        files = tuple(files)
        for gone in self._documents.keys() - {file.path for file in files}:
            del self._documents[gone]
        shards = split(files, self._document)
        binary = _binary_identity()
        keys = {shard.number: shard.key(binary) for shard in shards}
        indexed: dict[int, Mapping[str, bytes]] = {}
        due = []
        for shard in shards:
            kept = self._kept.get(shard.number)
            stored = kept[1] if kept is not None and kept[0] == keys[shard.number] else None
            if stored is None and binary:
                stored = self._disk(shard.number).get(keys[shard.number])
            if stored is None:
                due.append(shard)
            else:
                indexed[shard.number] = stored
        self.indexed = tuple(shard.number for shard in due)
        try:
            made = _index_all(due, self._track)
        except (OSError, subprocess.SubprocessError, SearchIndexError) as error:
            # A failed run is tried again next time: the binary may have been installed meanwhile.
            _warn(diagnostics, error)
            return ()
        for number, made_files in made.items():
            self._disk(number).put(keys[number], made_files)
        indexed.update(made)
        self._kept = {n: (keys[n], indexed[n]) for n in keys}
        return bundle(shards, indexed)


def _no_disk(number: int) -> FilesCache:
    return FilesCache(None)


def _warn(diagnostics: Diagnostics, error: Exception) -> None:
    diagnostics.warning(
        Location(BUNDLE_DIR),
        f"search index not built, the site has no search: {error}",
        "install Pagefind's binary with `pip install 'pagefind[bin]'` (it runs offline)",
    )


def _binary_identity() -> str:
    """Which Pagefind would run (its path, size and time), so that another one indexes anew;
    "" when there is none, which never matches a stored bundle."""
    executable = get_executable()
    try:
        status = executable.stat() if executable is not None else None
    except OSError:
        status = None
    if status is None:
        return ""
    return f"{executable}:{status.st_size}:{status.st_mtime_ns}"


# --- Pagefind ---------------------------------------------------------------------------------


def _index_all(shards: Sequence[Shard], track: Track) -> dict[int, dict[str, bytes]]:
    """Each shard's bundle (paths relative to it), by shard number, Pagefind running for as
    many shards at once as there are processors."""
    if not shards:
        return {}
    workers = min(len(shards), os.cpu_count() or 1)
    if workers == 1:
        return {shard.number: _index(shard, track) for shard in shards}
    with ThreadPoolExecutor(workers) as pool:
        made = list(pool.map(lambda shard: _index(shard, track), shards))
    return {shard.number: files for shard, files in zip(shards, made, strict=True)}


def _index(shard: Shard, track: Track) -> dict[str, bytes]:
    """Pagefind's bundle (paths relative to it) for one shard, indexed in a scratch folder.

    The binary runs once over a copy of the documents. The Python API's in-memory
    `add_html_file` would avoid the copy, but its polling loop costs a tenth of a second per
    page. URLs come from the paths (claims/x/index.html -> /claims/x/), relative to the site
    root; the browser script adds the base path.
    """
    executable = get_executable()
    if executable is None:
        raise SearchIndexError("Pagefind's binary is not installed")
    with tempfile.TemporaryDirectory(prefix="site-builder-search-") as scratch:
        site, output = Path(scratch) / "site", Path(scratch) / "bundle"
        site.mkdir()
        for path, document in shard.documents:
            target = site.joinpath(*PurePosixPath(path).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(document)
        command = [str(executable), "--site", str(site), "--output-path", str(output), "--silent"]
        with subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        ) as process:
            track(process, True)
            try:
                stdout, stderr = process.communicate(timeout=TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                raise
            finally:
                track(process, False)
        if process.returncode != 0 or not (output / "pagefind-entry.json").is_file():
            message = (stderr or stdout).strip() or f"exit status {process.returncode}"
            raise SearchIndexError(f"{executable.name} failed: {message}")
        return {
            path.relative_to(output).as_posix(): path.read_bytes()
            for path in sorted(output.rglob("*"))
            if path.is_file()
        }
