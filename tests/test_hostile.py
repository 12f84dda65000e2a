"""Hostile and broken input (issue 7): injection, paths, resource limits, interrupted builds.

Claims and articles come from many hands and CI publishes whatever builds, so each case here is
something a careless or malicious contributor could commit. Every case asserts what a reader or an
editor depends on: no script of theirs runs in a reader's browser, nothing is written outside the
output folder, the build never hangs or shows a traceback, problems are located diagnostics, and
a failed or interrupted build leaves the last good site exactly as it was.
"""

from __future__ import annotations

import contextlib
import html
import io
import json
import os
import pickle
import random
import re
import select
import shutil
import signal
import subprocess
import sys
import time
import traceback
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from site_builder.cli.main import main
from site_builder.load.articles import CLAIMS_MAX_BYTES
from site_builder.load.source import MAX_FILE_BYTES

from .conftest import ALPHA, BETA, BETA_GONE, CLAIMS, SITE_YAML, VALID_SITE, write_site
from .test_build import tree

REPO = Path(__file__).resolve().parent.parent

# --------------------------------------------------------------------------------------------
# Workspace: a copy of a small valid site that has been built once.
# --------------------------------------------------------------------------------------------


@dataclass
class Workspace:
    base: Path  # tmp_path: nothing may appear here but site/ and public/
    root: Path  # the site
    out: Path  # public/output: its parent must hold nothing else
    before: dict[str, bytes]  # the output of the valid site

    def write(self, files: dict[str, str | bytes]) -> None:
        write_site(self.root, files)

    def outside(self) -> dict[str, bytes]:
        """Every file under base except those in the site folder and in the output folder."""
        return {
            name: content
            for name, content in tree(self.base).items()
            if not name.startswith(("site/", "public/output/"))
        }


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The small valid site and its output, built once for the whole module."""
    base = tmp_path_factory.mktemp("pristine")
    root = write_site(base / "site", dict(VALID_SITE))
    out = base / "output"
    assert main(["build", "--strict", "--root", str(root), "--out", str(out)]) == 0
    return root, out


@pytest.fixture
def ws(
    tmp_path: Path, pristine: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> Workspace:
    root, out = pristine
    shutil.copytree(root, tmp_path / "site", symlinks=True)
    shutil.copytree(out, tmp_path / "public" / "output")
    capsys.readouterr()
    workspace = Workspace(tmp_path, tmp_path / "site", tmp_path / "public" / "output", {})
    workspace.before = tree(workspace.out)
    return workspace


LOCATED = re.compile(
    r"^(?P<path>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning): \S"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command line in-process; no traceback may reach the user."""
    escaped = None
    try:
        code = main(list(argv))
    except (Exception, RecursionError) as exc:  # reported below, outside the handler
        frames = traceback.extract_tb(exc.__traceback__)[-3:]
        escaped = f"{type(exc).__name__}: {exc} escaped main() at " + " <- ".join(
            f"{Path(f.filename).name}:{f.lineno}" for f in reversed(frames)
        )
    if escaped is not None:
        # pytrace=False: formatting a RecursionError's traceback can crash pytest itself.
        pytest.fail(escaped, pytrace=False)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return code, captured.out, captured.err


def run_isolated(*argv: str, limit: float = 60) -> tuple[int, str, str]:
    """`run` in a forked child: a RecursionError deep in a parser cannot corrupt this process,
    and a build that hangs is stopped after `limit` seconds (a failure)."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(reader)
        result: dict[str, object] = {}
        try:
            out, err = io.StringIO(), io.StringIO()
            try:
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                    result["code"] = main(list(argv))
            except BaseException as exc:  # reported to the parent
                result["escaped"] = f"{type(exc).__name__}: {exc}"[:500]
            result["out"], result["err"] = out.getvalue(), err.getvalue()
            with os.fdopen(writer, "w", encoding="utf-8") as pipe:
                json.dump(result, pipe)
        finally:
            os._exit(0)
    os.close(writer)
    chunks, deadline = [], time.monotonic() + limit
    with os.fdopen(reader, "rb") as pipe:
        while (left := deadline - time.monotonic()) > 0:
            if select.select([pipe], [], [], left)[0]:
                chunk = os.read(pipe.fileno(), 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail(f"the build did not finish within {limit:.0f} s", pytrace=False)
    os.waitpid(pid, 0)
    text = b"".join(chunks).decode("utf-8")
    assert text, "the build process died"
    result = json.loads(text)
    if "escaped" in result:
        pytest.fail(f"{result['escaped']} escaped main()", pytrace=False)
    assert "Traceback" not in result["err"] + result["out"]
    return int(result["code"]), str(result["out"]), str(result["err"])


def diagnostics_of(err: str) -> list[str]:
    """The diagnostics printed by a failed build (each with its hint lines), summary removed."""
    lines = err.rstrip("\n").split("\n")
    entries: list[str] = []
    for line in lines:
        if not line or line.startswith("site-builder:"):
            continue
        if line.startswith(" ") and entries:
            entries[-1] += "\n" + line
        else:
            entries.append(line)
    return entries


def assert_all_located(err: str) -> None:
    for entry in diagnostics_of(err):
        assert LOCATED.match(entry), f"diagnostic without a location: {entry!r}"


def build_fails(
    ws: Workspace, capsys: pytest.CaptureFixture[str], *flags: str, isolated: bool = False
) -> list[str]:
    """Build the broken site: exit 1, located diagnostics, output and surroundings untouched."""
    outside = ws.outside()
    argv = ("build", "--root", str(ws.root), "--out", str(ws.out), *flags)
    code, _, err = run_isolated(*argv) if isolated else run(capsys, *argv)
    assert code == 1, err
    assert err.rstrip("\n").split("\n")[-1].endswith(f"{ws.out} left unchanged")
    assert_all_located(err)
    assert tree(ws.out) == ws.before
    assert sorted(p.name for p in ws.out.parent.iterdir()) == ["output"]
    assert ws.outside() == outside
    return diagnostics_of(err)


def build_ok(ws: Workspace, capsys: pytest.CaptureFixture[str], *flags: str) -> str:
    code, _, err = run(capsys, "build", "--root", str(ws.root), "--out", str(ws.out), *flags)
    assert code == 0, err
    assert sorted(p.name for p in ws.out.parent.iterdir()) == ["output"]
    return err


# --------------------------------------------------------------------------------------------
# 1. Injection
# --------------------------------------------------------------------------------------------

URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "data",
    "background",
    "cite",
    "srcset",
    "ping",
}
FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "form", "svg", "math", "frame", "frameset"}
_C0_AND_SPACE = "".join(chr(i) for i in range(0x21))
_UNSAFE_SCHEME = re.compile(r"(?i)^(?:javascript|vbscript|livescript|data):")
_SAFE_DATA = re.compile(r"(?i)^data:image/(?:gif|png|jpeg|webp);")


def unsafe_url(value: str) -> bool:
    """True for a URL a browser would run as script (value is already HTML-unescaped)."""
    cleaned = re.sub(r"[\t\n\r]", "", value).strip(_C0_AND_SPACE)
    return bool(_UNSAFE_SCHEME.match(cleaned)) and not _SAFE_DATA.match(cleaned)


class PageScan(HTMLParser):
    """What in one HTML document could run script."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[dict[str, str | None], list[str]]] = []
        self.problems: list[str] = []
        self._script: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and value is not None and unsafe_url(value):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "http-equiv":
                self.problems.append(f"<{tag} http-equiv={value!r}>")
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "script":
            self._script = []
            self.scripts.append((dict(attrs), self._script))

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None


def scan(document: str) -> PageScan:
    page = PageScan()
    page.feed(document)
    page.close()
    return page


def html_documents(out: Path, problems: list[str] | None = None) -> dict[str, str]:
    """Every HTML page of the output, and the HTML inside the feed's entries.

    A feed that is not well-formed XML is a problem (feed readers reject all of it).
    """
    documents = {
        p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(out.rglob("*.html"))
    }
    feed = out / "feed.xml"
    if feed.is_file():
        try:
            root = ET.fromstring(feed.read_bytes())
        except ET.ParseError as exc:
            if problems is None:
                raise AssertionError(f"feed.xml is not well-formed XML: {exc}") from exc
            problems.append(f"feed.xml is not well-formed XML: {exc}")
            return documents
        for index, element in enumerate(root.iter()):
            if element.get("type") == "html" and element.text:
                documents[f"feed.xml#{index}"] = element.text
    return documents


def assert_inert(out: Path, clean_scripts: set[str]) -> None:
    """No executable injection anywhere in the output; JSON-LD is valid JSON."""
    problems: list[str] = []
    for name, document in html_documents(out, problems).items():
        page = scan(document)
        problems += [f"{name}: {p}" for p in page.problems]
        for attrs, chunks in page.scripts:
            text = "".join(chunks)
            if attrs.get("type") == "application/ld+json":
                if re.search(r"(?i)</script|<!--", text):
                    problems.append(f"{name}: JSON-LD contains '</script' or '<!--'")
                try:
                    json.loads(text)
                except ValueError as exc:
                    problems.append(f"{name}: JSON-LD is not valid JSON: {exc}")
            elif json.dumps(attrs, sort_keys=True) not in clean_scripts or text.strip():
                problems.append(f"{name}: unexpected script {attrs} {text[:80]!r}")
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def clean_scripts(pristine: tuple[Path, Path]) -> set[str]:
    """The site's own external scripts (attributes), as a clean build writes them."""
    _, out = pristine
    found = set()
    for document in html_documents(out).values():
        for attrs, _ in scan(document).scripts:
            if attrs.get("type") != "application/ld+json":
                found.add(json.dumps(attrs, sort_keys=True))
    return found


def yaml_str(text: str) -> str:
    """`text` as a YAML scalar (a JSON string is a valid YAML double-quoted scalar)."""
    return json.dumps(text)


MARKER = "Zqx7"
# Plain-text fields: everything must come out as text.
PLAIN = (
    f'{MARKER} <script>alert(1)</script><img src=x onerror=alert(1)> "><svg onload=alert(1)> '
    "' onmouseover='alert(1) javascript:alert(1)"
)
# Inline Markdown: links with unsafe schemes, obfuscated, and raw inline HTML.
INLINE_MD = " ".join(
    [
        f"{MARKER}",
        "[a1](javascript:alert(1))",
        "[a2](JaVaScRiPt:alert(1))",
        "[a3](java&#x09;script:alert(1))",
        "[a4](<  javascript:alert(1)>)",
        "[a5](&#x20;javascript:alert(1))",
        "[a6](vbscript:msgbox(1))",
        "[a7](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[a8](javascript&colon;alert(1))",
        "[a9](&#106;avascript:alert(1))",
        "[a10](\tjavascript:alert(1))",
        "[a11](  JAVASCRIPT:alert(1) 'title')",
        "<javascript:alert(1)>",
        "<vbscript:msgbox(1)>",
        "![a12](javascript:alert(1))",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">a13</a>',
        "<svg onload=alert(1)>",
        '<iframe src="javascript:alert(1)"></iframe>',
    ]
)
# Block Markdown: the inline payload, reference links, and raw HTML blocks.
BLOCK_MD = (
    f"{INLINE_MD} [a14][evil] [a15][data]\n\n"
    "<script>alert(1)</script>\n\n"
    '<div onclick="alert(1)">a16</div>\n\n'
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">\n\n'
    "[evil]: javascript:alert(1)\n"
    "[data]: data:text/html,<script>alert(1)</script>\n"
)


def _front(text: str, key: str, value: str) -> str:
    """Set front matter `key` of an article text (replacing or adding the line)."""
    head, body = text.split("---\n", 2)[1], text.split("---\n", 2)[2]
    lines = [line for line in head.splitlines() if not line.startswith(f"{key}:")]
    lines.append(f"{key}: {yaml_str(value)}")
    return "---\n" + "\n".join(lines) + "\n---\n" + body


INJECTION_CASES: list[tuple[str, dict[str, str]]] = [
    (
        "claim text",
        {
            "claims.yaml": CLAIMS.replace(
                "claim: Both sides agreed to exchange 6,000 bodies each.",
                f"claim: {yaml_str(PLAIN)}",
            )
        },
    ),
    (
        "summary Markdown",
        {
            "claims.yaml": CLAIMS.replace(
                "summary: Alpha says each; Beta says one way.", f"summary: {yaml_str(BLOCK_MD)}"
            )
        },
    ),
    (
        "quote note",
        {
            "claims.yaml": CLAIMS.replace(
                "        stance: supports\n",
                f"        stance: supports\n        note: {yaml_str(INLINE_MD)}\n",
            )
        },
    ),
    ("article title", {"content/articles/alpha.md": _front(ALPHA, "title", PLAIN)}),
    ("article outlet", {"content/articles/alpha.md": _front(ALPHA, "outlet", PLAIN)}),
    ("article standfirst", {"content/articles/alpha.md": _front(ALPHA, "standfirst", PLAIN)}),
    ("article author", {"content/articles/alpha.md": _front(ALPHA, "author", PLAIN)}),
    (
        "article url with attribute breakout",
        {"content/articles/alpha.md": _front(ALPHA, "url", 'https://x.example/"onclick="alert(1)')},
    ),
    ("article body", {"content/articles/alpha.md": ALPHA + "\n" + BLOCK_MD}),
    ("content page", {"content/pages/about.md": f"---\ntitle: {yaml_str(PLAIN)}\n---\n{BLOCK_MD}"}),
    (
        "quoted words that look like HTML",
        {
            "content/articles/alpha.md": ALPHA
            + f"\nHe wrote {MARKER} <script>alert(1)</script> on the wall.\n",
            "claims.yaml": CLAIMS.replace(
                "        text: exchange 6,000 bodies each\n",
                "        text: exchange 6,000 bodies each\n      - article: alpha\n"
                f"        text: {yaml_str(MARKER + ' <script>alert(1)</script>')}\n",
            ),
        },
    ),
    (
        "site title",
        {"content/site.yaml": SITE_YAML.replace("title: Test Checks", f"title: {yaml_str(PLAIN)}")},
    ),
    (
        "site description",
        {
            "content/site.yaml": SITE_YAML.replace(
                "description: A small site for tests.", f"description: {yaml_str(PLAIN)}"
            )
        },
    ),
    (
        "publisher name",
        {"content/site.yaml": SITE_YAML.replace("name: Test Desk", f"name: {yaml_str(PLAIN)}")},
    ),
    (
        "rating label",
        {"content/site.yaml": SITE_YAML.replace("label: Mixed", f"label: {yaml_str(PLAIN)}")},
    ),
    (
        "rating description",
        {
            "content/site.yaml": SITE_YAML.replace(
                "description: Outlets differ.", f"description: {yaml_str(PLAIN)}"
            )
        },
    ),
]


@pytest.mark.parametrize(
    ("files",), [(c[1],) for c in INJECTION_CASES], ids=[c[0] for c in INJECTION_CASES]
)
def test_injected_markup_and_links_never_become_executable(
    ws: Workspace,
    capsys: pytest.CaptureFixture[str],
    clean_scripts: set[str],
    files: dict[str, str],
) -> None:
    ws.write(files)
    build_ok(ws, capsys)
    documents = html_documents(ws.out, [])
    # The hostile field really was rendered somewhere (as text), so the scan below means something.
    assert any(MARKER in html.unescape(d) or "x.example" in d for d in documents.values())
    assert_inert(ws.out, clean_scripts)


def test_unsafe_links_keep_their_words(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    """A dropped link must not drop the editor's words with it."""
    ws.write(
        {
            "claims.yaml": CLAIMS.replace(
                "summary: Alpha says each; Beta says one way.", f"summary: {yaml_str(BLOCK_MD)}"
            )
        }
    )
    build_ok(ws, capsys)
    page = html.unescape((ws.out / "claims/bodies-each/index.html").read_text(encoding="utf-8"))
    for word in ("a1", "a2", "a3", "a6", "a7", "a8", "a9", "a14", "a15"):
        assert re.search(rf"\b{word}\b", page), word


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "//evil.example/",
        "ftp://example.com/",
    ],
)
def test_article_url_must_be_http_or_https(
    ws: Workspace, capsys: pytest.CaptureFixture[str], url: str
) -> None:
    ws.write({"content/articles/beta.md": _front(BETA, "url", url)})
    diagnostics = build_fails(ws, capsys)
    assert diagnostics[:2] == BETA_GONE
    assert diagnostics[2].startswith(
        f"content/articles/beta.md:5:6: error: 'url' '{url}' is not valid"
    )


def test_publisher_url_must_be_http_or_https(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    ws.write(
        {
            "content/site.yaml": SITE_YAML.replace(
                "  url: https://checks.example/", "  url: javascript:alert(1)"
            )
        }
    )
    diagnostics = build_fails(ws, capsys)
    assert any(d.startswith("content/site.yaml:7:8: error:") for d in diagnostics), diagnostics


JSONLD_HOSTILE = [
    "</script><script>alert(1)</script>",
    "</SCRIPT ><!--<script>alert(1)//",
    "<!-- x --> & </script",
    "line\u2028para\u2029end",
    'quote " backslash \\ tab',
]


@pytest.mark.parametrize("text", JSONLD_HOSTILE, ids=range(len(JSONLD_HOSTILE)))
def test_jsonld_stays_inert_and_valid(
    ws: Workspace, capsys: pytest.CaptureFixture[str], clean_scripts: set[str], text: str
) -> None:
    ws.write(
        {
            "claims.yaml": CLAIMS.replace(
                "claim: Both sides agreed to exchange 6,000 bodies each.",
                f"claim: {yaml_str(text)}",
            ),
            "content/articles/alpha.md": _front(
                _front(ALPHA, "title", text), "outlet", "Alpha " + text
            ),
        }
    )
    build_ok(ws, capsys)
    assert_inert(ws.out, clean_scripts)
    page = (ws.out / "claims/bodies-each/index.html").read_text(encoding="utf-8")
    scripts = [s for s in scan(page).scripts if s[0].get("type") == "application/ld+json"]
    assert len(scripts) == 1
    raw = "".join(scripts[0][1])
    assert "\u2028" not in raw and "\u2029" not in raw
    data = json.loads(raw)
    assert data["claimReviewed"] == " ".join(text.split())
    headlines = [work["headline"] for work in data["itemReviewed"]["appearance"]]
    assert text.strip() in headlines
    assert "Alpha " + text.strip() in [
        work["author"]["name"] for work in data["itemReviewed"]["appearance"]
    ]


@pytest.mark.parametrize("escape", ["\\0", "\\x01", "\\u2028\\x7f", "\\x9b"])
def test_a_control_character_written_as_a_yaml_escape_is_refused_where_it_is(
    ws: Workspace, capsys: pytest.CaptureFixture[str], escape: str
) -> None:
    """The file is clean text, but the value it decodes to would break the feed (XML forbids
    most C0 controls) and hide invisible characters in pages: refused at the value's position."""
    ws.write(
        {
            "claims.yaml": CLAIMS.replace(
                "claim: Both sides agreed to exchange 6,000 bodies each.", f'claim: "a{escape}b"'
            )
        }
    )
    (diagnostic,) = build_fails(ws, capsys)
    line = CLAIMS.split("\n").index(
        next(x for x in CLAIMS.split("\n") if "Both sides agreed to exchange" in x)
    )
    code = {"\\0": 0, "\\x01": 1, "\\u2028\\x7f": 0x7F, "\\x9b": 0x9B}[escape]
    assert diagnostic.startswith(
        f"claims.yaml:{line + 1}:12: error: value contains the control character U+{code:04X}\n"
    ), diagnostic


# --------------------------------------------------------------------------------------------
# 2. Paths
# --------------------------------------------------------------------------------------------

HOSTILE_SLUGS = [
    "../x",
    "a/b",
    "..",
    ".",
    "CON",
    "x" * 101,
    "café",
    "a\\b",
    "/etc/passwd",
    "-x",
    "a--b",
]


@pytest.mark.parametrize("slug", HOSTILE_SLUGS, ids=range(len(HOSTILE_SLUGS)))
def test_claim_id_that_could_escape_is_refused(
    ws: Workspace, capsys: pytest.CaptureFixture[str], slug: str
) -> None:
    ws.write({"claims.yaml": CLAIMS.replace("id: bodies-each", f"id: {yaml_str(slug)}")})
    diagnostics = build_fails(ws, capsys)
    assert diagnostics[0].startswith("claims.yaml:2:9: error: 'id'"), diagnostics
    assert len(diagnostics) == 1


@pytest.mark.parametrize("slug", ["../x", "a/b", "..", "CON", "x" * 101, "café", "<script>"])
def test_tag_that_could_escape_is_refused(
    ws: Workspace, capsys: pytest.CaptureFixture[str], slug: str
) -> None:
    ws.write(
        {"claims.yaml": CLAIMS.replace("tags: [remains]", f"tags: [remains, {yaml_str(slug)}]")}
    )
    diagnostics = build_fails(ws, capsys)
    assert len(diagnostics) == 1 and diagnostics[0].startswith("claims.yaml:6:21: error: tag 2"), (
        diagnostics
    )


def test_quoted_article_name_that_could_escape_is_refused(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    ws.write(
        {
            "claims.yaml": CLAIMS.replace(
                "article: beta\n        text: hand", 'article: "../beta"\n        text: hand'
            )
        }
    )
    diagnostics = build_fails(ws, capsys)
    assert len(diagnostics) == 1 and diagnostics[0].startswith("claims.yaml:12:18: error: "), (
        diagnostics
    )


@pytest.mark.parametrize("name", ["CON.md", "café.md", "a b.md", "..md", "a.b.md", "-x.md"])
def test_article_file_name_that_is_not_a_slug_is_refused(
    ws: Workspace, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    ws.write({f"content/articles/{name}": "---\ntitle: G\noutlet: Gamma\n---\nText.\n"})
    assert build_fails(ws, capsys) == [
        f"content/articles/{name}:1:1: error: article file name '{name}' is not a slug\n"
        f"    hint: Rename it to '{_slugify(name.removesuffix('.md')) or 'article'}.md': "
        "lowercase letters, digits and hyphens, at most 100 characters."
    ]


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().encode("ascii", "ignore").decode()).strip("-")


@pytest.mark.parametrize("name", ["CON.md", "café.md", "..md", "index.md", "404.md", "static.md"])
def test_page_name_that_could_escape_or_collide_is_refused(
    ws: Workspace, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    ws.write({f"content/pages/{name}": "---\ntitle: P\n---\nText.\n"})
    diagnostics = build_fails(ws, capsys)
    assert len(diagnostics) == 1
    assert diagnostics[0].startswith(
        f"content/pages/{name}:1:1: error: page file name '{name}' cannot be used"
    )


@pytest.mark.parametrize("folder", ["articles", "pages"])
def test_very_long_file_name_is_refused(
    ws: Workspace, capsys: pytest.CaptureFixture[str], folder: str
) -> None:
    """Longer than a claim may reference (slugs in claims.yaml are at most 100 characters)."""
    name = "x" * 240 + ".md"
    outlet = "outlet: Gamma\n" if folder == "articles" else ""
    ws.write({f"content/{folder}/{name}": f"---\ntitle: G\n{outlet}---\nText.\n"})
    diagnostics = build_fails(ws, capsys)
    assert any(d.startswith(f"content/{folder}/{name}:1:1: error: ") for d in diagnostics), (
        diagnostics
    )


def _outside_file(ws: Workspace, name: str, content: str) -> Path:
    target = ws.base / "elsewhere" / name
    target.parent.mkdir(exist_ok=True)
    target.write_text(content, encoding="utf-8")
    return target


LINKED = "content/{}: error: file is a link to a place outside the site folder"


def test_article_symlinked_from_outside_the_root_is_refused(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    (ws.root / "content/articles/gamma.md").symlink_to(
        _outside_file(ws, "gamma.md", "---\ntitle: G\noutlet: G\n---\nSecret.\n")
    )
    diagnostics = build_fails(ws, capsys)
    assert [d.split("\n")[0] for d in diagnostics] == [
        "content/articles/gamma.md:1:1: error: file is a link to a place outside the site folder"
    ]


def test_articles_folder_symlinked_from_outside_the_root_is_refused(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = ws.root / "content/articles"
    shutil.move(folder, ws.base / "elsewhere")
    folder.symlink_to(ws.base / "elsewhere")
    diagnostics = build_fails(ws, capsys)
    assert (
        "content/articles/alpha.md:1:1: error: file is a link to a place outside the site folder"
        in [d.split("\n")[0] for d in diagnostics]
    )


def test_page_symlinked_from_outside_the_root_is_refused(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    (ws.root / "content/pages").mkdir()
    (ws.root / "content/pages/about.md").symlink_to(
        _outside_file(ws, "about.md", "---\ntitle: A\n---\nSecret.\n")
    )
    diagnostics = build_fails(ws, capsys)
    assert [d.split("\n")[0] for d in diagnostics] == [
        "content/pages/about.md:1:1: error: file is a link to a place outside the site folder"
    ]


@pytest.mark.parametrize("name", ["claims.yaml", "content/site.yaml"])
def test_settings_symlinked_from_outside_the_root_are_refused(
    ws: Workspace, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    path = ws.root / name
    target = _outside_file(ws, path.name, path.read_text(encoding="utf-8"))
    path.unlink()
    path.symlink_to(target)
    diagnostics = build_fails(ws, capsys)
    assert any(
        d.startswith(f"{name}:1:1: error: file is a link to a place outside the site folder")
        for d in diagnostics
    ), diagnostics


def test_out_pointing_at_a_foreign_folder_is_refused(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    foreign = ws.base / "public" / "mine"
    write_site(foreign, {"notes.txt": "keep me", "sub/data.bin": b"\x00\x01"})
    code, _, err = run(capsys, "build", "--root", str(ws.root), "--out", str(foreign))
    assert code == 1
    assert "refusing to replace" in err
    assert_all_located(err)
    assert tree(foreign) == {"notes.txt": b"keep me", "sub/data.bin": b"\x00\x01"}
    assert sorted(p.name for p in foreign.parent.iterdir()) == ["mine", "output"]


def test_out_pointing_at_the_site_itself_is_refused(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree(ws.root)
    code, _, err = run(capsys, "build", "--root", str(ws.root), "--out", str(ws.root))
    assert code == 1
    assert "refusing to replace" in err
    assert tree(ws.root) == before


def test_out_pointing_at_a_file_is_refused(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    target = ws.base / "public" / "file.txt"
    target.write_text("keep me")
    code, _, err = run(capsys, "build", "--root", str(ws.root), "--out", str(target))
    assert code == 1
    assert "exists and is not a folder" in err
    assert target.read_text() == "keep me"


def test_a_planted_cache_file_cannot_run_code(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    """Files in the site root come from contributors: a committed cache must not execute anything."""
    witness = ws.base / "public" / "pwned"

    class Exploit:
        def __reduce__(self) -> tuple[Callable[..., object], tuple[str]]:
            return (os.mkdir, (str(witness),))

    caches = (
        list((ws.root / ".site-builder-cache").glob("*"))
        if (ws.root / ".site-builder-cache").is_dir()
        else []
    )
    names = [c.name for c in caches] or ["segments.pickle"]
    for name in names:
        (ws.root / ".site-builder-cache").mkdir(exist_ok=True)
        (ws.root / ".site-builder-cache" / name).write_bytes(pickle.dumps({"x": Exploit()}))
    run(capsys, "build", "--root", str(ws.root), "--out", str(ws.out))
    assert not witness.exists(), "unpickling a file from the site root ran code"


def test_a_corrupt_cache_never_changes_the_site(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = ws.root / ".site-builder-cache"
    for path in cache.glob("*") if cache.is_dir() else []:
        entries = pickle.loads(path.read_bytes())
        if isinstance(entries, dict):
            path.write_bytes(pickle.dumps({key: ((), ()) for key in entries}))
    build_ok(ws, capsys, "--strict")
    assert tree(ws.out) == ws.before


# --------------------------------------------------------------------------------------------
# 3. Resource limits and odd files
# --------------------------------------------------------------------------------------------


def alias_bomb(levels: int) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + "\n"


BOMBS = {
    "claims alias bomb": ("claims.yaml", alias_bomb(12)),
    "front matter alias bomb": (
        "content/articles/beta.md",
        "---\n" + alias_bomb(12) + "---\nText.\n",
    ),
    "site alias bomb": ("content/site.yaml", alias_bomb(12)),
    "claims 10,000 [": ("claims.yaml", "claims: " + "[" * 10_000 + "]" * 10_000 + "\n"),
    "claims 10,000 { unclosed": ("claims.yaml", "claims: " + "{a: " * 10_000 + "\n"),
    "claims 10,000 block levels": (
        "claims.yaml",
        "claims:\n" + "".join(" " * i + "- \n" for i in range(0, 2_000)),
    ),
    "front matter 10,000 [": (
        "content/articles/beta.md",
        "---\ntitle: " + "[" * 10_000 + "\n---\nText.\n",
    ),
    "site 10,000 [": ("content/site.yaml", "ratings: " + "[" * 10_000 + "]" * 10_000 + "\n"),
    "claims.yaml of 5,000 anchors": (
        "claims.yaml",
        "".join(f"k{i}: &k{i} v\n" for i in range(5000))
        + "z: ["
        + ", ".join(f"*k{i}" for i in range(5000))
        + "]\n",
    ),
}


@pytest.mark.parametrize(("name", "content"), list(BOMBS.values()), ids=list(BOMBS))
def test_yaml_bombs_and_deep_nesting_are_refused_quickly(
    ws: Workspace, capsys: pytest.CaptureFixture[str], name: str, content: str
) -> None:
    ws.write({name: content})
    started = time.perf_counter()
    diagnostics = build_fails(ws, capsys, isolated=True)
    assert time.perf_counter() - started < 5
    assert any(d.startswith(f"{name}:") for d in diagnostics), diagnostics


def _sparse(path: Path, size: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.write(b"---\n")
        handle.truncate(size)


@pytest.mark.parametrize(
    ("name", "limit"),
    [
        ("content/articles/beta.md", MAX_FILE_BYTES),
        ("content/pages/huge.md", MAX_FILE_BYTES),
        ("content/site.yaml", MAX_FILE_BYTES),
        ("claims.yaml", CLAIMS_MAX_BYTES),
    ],
)
def test_file_over_the_size_limit_is_refused_clearly(
    ws: Workspace, capsys: pytest.CaptureFixture[str], name: str, limit: int
) -> None:
    _sparse(ws.root / name, limit + 1)
    started = time.perf_counter()
    diagnostics = build_fails(ws, capsys)
    assert time.perf_counter() - started < 5
    assert f"{name}:1:1: error: file is {limit + 1:,} bytes, over the limit of {limit:,}" in [
        d.split("\n")[0] for d in diagnostics
    ]


@pytest.mark.parametrize(
    ("newline", "bom"),
    [("\r\n", True), ("\r\n", False), ("\r", True)],
    ids=["crlf+bom", "crlf", "cr+bom"],
)
def test_bom_and_crlf_are_accepted_and_change_nothing(
    ws: Workspace, capsys: pytest.CaptureFixture[str], newline: str, bom: bool
) -> None:
    for name in VALID_SITE:
        text = (ws.root / name).read_text(encoding="utf-8")
        (ws.root / name).write_bytes(
            (("\ufeff" if bom else "") + text.replace("\n", newline)).encode("utf-8")
        )
    build_ok(ws, capsys, "--strict")
    assert tree(ws.out) == ws.before


def test_a_crlf_file_keeps_exact_locations(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = CLAIMS.replace("verdict: mixed", "verdict: misleading")
    ws.write({"claims.yaml": ("\ufeff" + broken.replace("\n", "\r\n")).encode("utf-8")})
    assert build_fails(ws, capsys) == [
        "claims.yaml:4:14: error: unknown verdict 'misleading'\n"
        "    hint: Use one of the ratings in content/site.yaml: accurate, mixed, inaccurate"
    ]


@pytest.mark.parametrize(
    ("name", "data", "where", "byte"),
    [
        (
            "claims.yaml",
            CLAIMS.replace("Alpha says", "Alpha \udcff says").encode("utf-8", "surrogateescape"),
            "7:20",
            0xFF,
        ),
        ("content/site.yaml", SITE_YAML.encode() + b"# caf\xc3\n", "18:6", 0xC3),
        ("content/articles/beta.md", BETA.encode().replace(b"Kyiv", b"K\xc0\xafyiv"), "6:40", 0xC0),
        (
            "content/pages/about.md",
            b"---\ntitle: About\n---\n\xff\xfeU\x00T\x00F\x00\n",
            "4:1",
            0xFF,
        ),
    ],
    ids=["claims", "site", "article-overlong", "page-utf16"],
)
def test_invalid_utf8_is_located(
    ws: Workspace, capsys: pytest.CaptureFixture[str], name: str, data: bytes, where: str, byte: int
) -> None:
    ws.write({name: data})
    diagnostics = build_fails(ws, capsys)
    assert (
        f"{name}:{where}: error: file is not UTF-8: byte 0x{byte:02x} cannot be decoded\n"
        "    hint: Save the file as UTF-8 in your editor."
    ) in diagnostics, diagnostics


EMPTY_FILES = {
    "claims.yaml": ["claims.yaml:1:1: error: claims.yaml must be a mapping with a 'claims:' list"],
    "content/site.yaml": [
        "content/site.yaml:1:1: error: site settings must be a mapping of keys to values"
    ],
    "content/articles/beta.md": [
        *BETA_GONE,
        "content/articles/beta.md:1:1: error: no front matter: the file must begin with a line '---'\n"
        "    hint: Start the file with ---, then title: and outlet: lines, then --- and the text.",
    ],
    "content/pages/about.md": [
        "content/pages/about.md:1:1: error: no front matter: the file must begin with a line '---'\n"
        "    hint: Start the file with ---, then title: and outlet: lines, then --- and the text."
    ],
}


@pytest.mark.parametrize("name", list(EMPTY_FILES))
def test_empty_file_is_a_located_error(
    ws: Workspace, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    ws.write({name: ""})
    assert build_fails(ws, capsys) == EMPTY_FILES[name]


def test_article_with_front_matter_only(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    ws.write({"content/articles/beta.md": "---\ntitle: Beta\noutlet: Beta Wire\n---\n"})
    diagnostics = build_fails(ws, capsys)
    assert [d.split("\n")[0] for d in diagnostics] == [
        "claims.yaml:12:9: error: article 'beta' has no sentences to quote",
        "claims.yaml:23:9: error: article 'beta' has no sentences to quote",
        "content/articles/beta.md:5:1: warning: article has no text",
    ]


def test_empty_claims_list(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    ws.write({"claims.yaml": "claims: []\n"})
    code, _, err = run(capsys, "build", "--strict", "--root", str(ws.root), "--out", str(ws.out))
    assert code == 1
    assert_all_located(err)
    assert tree(ws.out) == ws.before


def test_quoted_article_that_was_deleted(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    (ws.root / "content/articles/beta.md").unlink()
    assert build_fails(ws, capsys) == BETA_GONE


def test_thousands_of_claims_quoting_one_article(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    claim = (
        "  - id: c{0}\n    claim: Claim {0}.\n    verdict: mixed\n    reviewed: 2025-06-04\n"
        "    summary: Summary {0}.\n    quotes:\n      - article: alpha\n        text: exchange 6,000 bodies each\n"
        "      - article: beta\n        text: hand over 6,000 bodies to Kyiv\n"
    )
    ws.write({"claims.yaml": "claims:\n" + "".join(claim.format(i) for i in range(2000))})
    started = time.perf_counter()
    code, _, err = run_isolated(
        "build", "--strict", "--root", str(ws.root), "--out", str(ws.out), limit=45
    )
    assert code == 0, err
    assert time.perf_counter() - started < 30
    assert len(list((ws.out / "claims").iterdir())) == 2000
    article = (ws.out / "articles/alpha/index.html").read_text(encoding="utf-8")
    assert "/claims/c1999/" in article


# --------------------------------------------------------------------------------------------
# 4. Interrupted builds
# --------------------------------------------------------------------------------------------


def many_articles(count: int, summary: str) -> dict[str, str]:
    files = {"content/site.yaml": SITE_YAML}
    paragraph = " ".join(
        f"Sentence {k} of the report is about the talks in Istanbul." for k in range(6)
    )
    for i in range(count):
        files[f"content/articles/a{i:03d}.md"] = (
            f"---\ntitle: Article {i}\noutlet: Outlet {i % 7}\n---\n"
            f"The unique fact {i} was reported today.\n\n{paragraph}\n\n{paragraph}\n"
        )
    files["claims.yaml"] = "claims:\n" + "".join(
        f"  - id: c{i}\n    claim: Claim {i}.\n    verdict: mixed\n    reviewed: 2025-06-04\n"
        f"    summary: {summary} {i}.\n    quotes:\n"
        f"      - article: a{2 * i:03d}\n        text: unique fact {2 * i}\n"
        f"      - article: a{2 * i + 1:03d}\n        text: unique fact {2 * i + 1}\n"
        for i in range(count // 2)
    )
    return files


def _start_build(root: Path, out: Path, cache: Path) -> subprocess.Popen[str]:
    """`site-builder build` in a subprocess, with `cache` as its user cache folder."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "XDG_CACHE_HOME": str(cache)}
    return subprocess.Popen(
        [sys.executable, "-m", "site_builder", "build", "--root", str(root), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _wait_for_staging(process: subprocess.Popen[str], out: Path, limit: float = 60) -> bool:
    """Wait until the build starts writing its staging folder; False if it finished first."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and process.poll() is None:
        if (out.parent / f".{out.name}.new-{process.pid}").exists():
            return True
        time.sleep(0.001)
    return False


def _wait_for_build_code(process: subprocess.Popen[str], limit: float = 60) -> bool:
    """Wait until the process is inside `main` (spaCy, imported by the build, is loaded)."""
    deadline = time.monotonic() + limit
    maps = Path(f"/proc/{process.pid}/maps")
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if "spacy" in maps.read_text():
                return True
        except OSError:
            pass
        time.sleep(0.005)
    return False


def test_killed_and_interrupted_builds_keep_the_previous_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every build timed or killed here starts from an empty cache, so that each runs as long
    # as the reference build did: the kills are timed by it.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache-first"))
    root = write_site(tmp_path / "site", many_articles(300, "First"))
    out = tmp_path / "public" / "out"
    assert main(["build", "--root", str(root), "--out", str(out)]) == 0
    before = tree(out)
    write_site(root, {"claims.yaml": many_articles(300, "Second")["claims.yaml"]})
    reference = tmp_path / "reference" / "out"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache-reference"))
    started = time.perf_counter()
    assert main(["build", "--root", str(root), "--out", str(reference)]) == 0
    build_seconds = time.perf_counter() - started
    after = tree(reference)
    assert before != after
    capsys.readouterr()

    rng = random.Random(7)
    hits = 0
    plan = [("kill", "random"), ("kill", "write"), ("int", "write"), ("int", "random")]
    for number, (how, when) in enumerate(plan):
        process = _start_build(root, out, tmp_path / f"cache-{number}")
        if when == "write":
            running = _wait_for_staging(process, out)
            time.sleep(rng.uniform(0, 0.03))
        elif how == "int":
            # Python's own start-up cannot handle SIGINT; from main() on, it must be handled.
            running = _wait_for_build_code(process)
            time.sleep(rng.uniform(0, build_seconds))
        else:
            time.sleep(rng.uniform(0.5, 2.0 + build_seconds))
            running = process.poll() is None
        hits += running and process.poll() is None
        process.send_signal(signal.SIGKILL if how == "kill" else signal.SIGINT)
        _, err = process.communicate(timeout=60)
        assert "Traceback" not in err, err
        if how == "int":
            assert process.returncode in (130, 1, 0), (process.returncode, err)
        current = tree(out) if out.is_dir() else None
        assert current in (before, after), (
            f"{how} at {when}: output is neither the old nor the new site"
        )

    assert hits >= 2, "the kills did not land while a build was running"
    assert _processes_building(root) == [], "a killed build left worker processes running"
    assert main(["build", "--root", str(root), "--out", str(out)]) == 0
    assert tree(out) == after
    assert sorted(p.name for p in out.parent.iterdir()) == ["out"]


def test_a_killed_build_leaves_no_worker_processes(tmp_path: Path) -> None:
    """A build splits its work among forked workers; killed or interrupted while they run,
    it must not leave them behind (waiting for work forever, holding memory)."""
    root = write_site(tmp_path / "site", many_articles(600, "First"))
    out = tmp_path / "public" / "out"
    for how in (signal.SIGKILL, signal.SIGINT):
        process = _start_build(root, out, tmp_path / f"cache-{how.name}")
        assert _wait_for_workers(process, root), "the build ended before it started workers"
        process.send_signal(how)
        _, err = process.communicate(timeout=60)
        assert "Traceback" not in err, err
        assert _processes_building(root) == [], f"workers left running after {how.name}"


def _wait_for_workers(process: subprocess.Popen[str], root: Path, limit: float = 60) -> bool:
    """Wait until the build has forked a worker (a child running the same build command)."""
    deadline = time.monotonic() + limit
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    while time.monotonic() < deadline and process.poll() is None:
        try:
            pids = children.read_text().split()
        except OSError:
            pids = []
        for pid in pids:
            try:
                if str(root).encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                    return True
            except OSError:
                continue
        time.sleep(0.005)
    return False


def _processes_building(root: Path, wait: float = 5.0) -> list[int]:
    """Processes still running a build of `root` (a killed build's workers), after `wait` s."""
    deadline = time.monotonic() + wait
    while True:
        found = []
        for entry in Path("/proc").iterdir():
            try:
                arguments = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if entry.name.isdigit() and str(root).encode() in arguments:
                found.append(int(entry.name))
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_next_build_cleans_what_a_killed_swap_left(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    """Killed between moving the old site aside and moving the new one in."""
    parent = ws.out.parent
    os.replace(ws.out, parent / ".output.old-99999")
    (parent / ".output.new-99998").mkdir()
    (parent / ".output.new-99998" / "index.html").write_text("half")
    build_ok(ws, capsys)
    assert tree(ws.out) == ws.before
