"""The real site in a real browser: Debian's Chromium driven by Playwright, served on loopback.

The site is built from this repository's content for a sub-path (/checks/), so every link, the
stylesheet, the script and the search bundle are proven to follow `base_url`. Each page is loaded
at 1280 and 390 pixels wide and checked for console errors, sideways scrolling on the phone, the
outlet columns side by side on the wide screen, and axe-core violations (axe.min.js comes with
the axe-playwright-python package: nothing is fetched). Screenshots go to test-artifacts/.

No browser is ever downloaded: Playwright drives the system's Chromium. When it cannot start,
the tests fail and say why; they never pass or skip silently.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
import subprocess
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, sync_playwright

from site_builder.cli.main import main
from site_builder.output import search

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
BASE = "/checks/"  # the site is served under a sub-path, as GitHub Pages project sites are
# Debian's package; CHROMIUM=/path/to/chromium points the tests at another build of it.
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
WIDTHS = {"wide": 1280, "phone": 390}
CLAIM = "remains-exchange"
ARTICLE = "outlet-c"
TIMEOUT_MS = 10_000
# Apache Annotator from npm (tests/annotator/package.json; `.ci/run` runs `npm ci` there).
ANNOTATOR = ROOT / "tests" / "annotator"


class SubPathHandler(SimpleHTTPRequestHandler):
    """Serves the output folder at BASE, as a static host would; anything else is a 404."""

    def translate_path(self, path: str) -> str:
        if not path.startswith(BASE):
            return str(Path(self.directory) / "no-such-file")
        return super().translate_path("/" + path[len(BASE) :])

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def served(out: Path) -> Iterator[str]:
    """`out` served at BASE on a free loopback port, as a static host would: its URL."""
    handler = functools.partial(SubPathHandler, directory=str(out))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{BASE}"
    finally:
        server.shutdown()
        server.server_close()


def build_real_site(out: Path) -> None:
    argv = ["build", "--root", str(ROOT), "--out", str(out), "--strict"]
    assert main([*argv, "--base-url", f"https://checks.example{BASE}"]) == 0
    assert (out / "pagefind" / "pagefind.js").is_file(), "the build wrote no search index"


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real site, built for a sub-path and served on a free loopback port."""
    out = tmp_path_factory.mktemp("browser") / "output"
    build_real_site(out)
    with served(out) as url:
        yield url


@pytest.fixture(scope="module")
def sharded_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real site with its search index split as a big site's is: four pages a shard."""
    out = tmp_path_factory.mktemp("browser-sharded") / "output"
    cache = tmp_path_factory.mktemp("browser-sharded-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "SHARD_PAGES", 4)
        patch.setenv("XDG_CACHE_HOME", str(cache))
        build_real_site(out)
    assert len(json.loads((out / "pagefind" / "shards.json").read_text())) >= 3
    with served(out) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium under Playwright; a failure to start fails the tests with the reason."""
    try:
        playwright = sync_playwright().start()
    except Exception as error:
        pytest.fail(f"Playwright could not start its driver: {error}", pytrace=False)
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception as error:
        playwright.stop()
        pytest.fail(
            f"Chromium could not start ({CHROMIUM}): {error}\n"
            "Install it with `apt-get install -y chromium` (.ci/run does so on CI).",
            pytrace=False,
        )
    yield chromium
    chromium.close()
    playwright.stop()


@dataclass
class Tab:
    """A page at one width, with every console error and uncaught exception it produced."""

    page: Page
    width: str
    errors: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console.error: {message.text} ({message.location.get('url')})")

    def on_page_error(self, error: Error) -> None:
        self.errors.append(f"uncaught: {error}")

    def open(self, url: str) -> None:
        response = self.page.goto(url)
        assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"

    def screenshot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=ARTIFACTS / f"{name}-{self.width}.png", full_page=True)

    def assert_fits_the_screen(self) -> None:
        widths = self.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"scrolls sideways: {widths[0]} px wide in {widths[1]} px"

    def assert_accessible(self) -> None:
        response = Axe().run(self.page).response
        violations = response["violations"]
        assert not violations, "axe-core violations:\n" + readable(violations)


def readable(violations: list[dict[str, Any]]) -> str:
    """axe-core's violations as a short report: rule, impact, help and the offending elements."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {json.dumps(node['target'])}: {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"      {summary[:240]}")
    return "\n".join(lines)


@pytest.fixture(params=list(WIDTHS), ids=list(WIDTHS))
def tab(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Tab]:
    width = str(request.param)
    context = browser.new_context(viewport={"width": WIDTHS[width], "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    tab = Tab(page, width)
    page.on("console", tab.on_console)
    page.on("pageerror", tab.on_page_error)
    yield tab
    context.close()
    assert not tab.errors, "errors in the browser console:\n" + "\n".join(tab.errors)


def visible_claims(page: Page) -> int:
    return int(page.locator(".claim-list > li:visible").count())


def test_index(site_url: str, tab: Tab) -> None:
    tab.open(site_url)
    assert tab.page.locator("h1").inner_text()
    assert tab.page.locator(".site-search").is_visible(), "the search box did not appear"
    assert tab.page.locator(".claim-filter").is_visible(), "the claim filter did not appear"
    tab.screenshot("index")
    tab.assert_fits_the_screen()
    tab.assert_accessible()


def test_claim_page(site_url: str, tab: Tab) -> None:
    tab.open(f"{site_url}claims/{CLAIM}/")
    columns = tab.page.locator("[data-article]")
    assert columns.count() >= 2
    assert columns.locator("mark").count() >= columns.count()
    tab.screenshot(f"claim-{CLAIM}")
    tab.assert_fits_the_screen()
    if tab.width == "wide":
        tops = [round(box["y"]) for box in (c.bounding_box() for c in columns.all()) if box]
        assert max(tops.count(top) for top in tops) >= 2, (
            f"no two outlet columns side by side: {tops}"
        )
    tab.assert_accessible()


def test_article_page(site_url: str, tab: Tab) -> None:
    tab.open(f"{site_url}articles/{ARTICLE}/")
    assert tab.page.locator("#s-1").count() == 1
    assert tab.page.locator(".sentence.annotated mark").count() >= 1
    tab.screenshot(f"article-{ARTICLE}")
    tab.assert_fits_the_screen()
    tab.assert_accessible()


def test_search_finds_claims_and_articles_under_the_sub_path(site_url: str, tab: Tab) -> None:
    tab.open(f"{site_url}claims/{CLAIM}/")
    tab.page.get_by_label("Search claims and articles").fill("remains")
    results = tab.page.locator(".search-list a")
    results.first.wait_for()
    status = tab.page.locator(".search-status").inner_text()
    assert "result" in status and "remains" in status, status
    hrefs = [str(a.get_attribute("href")) for a in results.all()]
    assert all(href.startswith(BASE) for href in hrefs), hrefs
    assert any(href.startswith(f"{BASE}claims/") for href in hrefs), hrefs
    assert any(href.startswith(f"{BASE}articles/") for href in hrefs), hrefs
    assert tab.page.locator(".search-excerpt mark").count() >= 1
    first_page = results.count()
    more = tab.page.get_by_role("button", name="Show more results")
    if more.is_visible():
        more.click()
        tab.page.wait_for_function(
            f"document.querySelectorAll('.search-list a').length > {first_page}"
        )
        assert tab.page.evaluate("document.activeElement.closest('.search-list') !== null")
    tab.screenshot("search-remains")
    tab.assert_fits_the_screen()
    tab.assert_accessible()
    target = hrefs[0]
    results.first.click()
    tab.page.wait_for_url(f"**{target}")
    assert tab.page.locator("h1").inner_text()


def search_results(tab: Tab, url: str, query: str) -> tuple[str, list[str]]:
    """Every result the search box lists for `query` on the site at `url` (all pages of
    them, in order), and the count it announces."""
    tab.open(url)
    box = tab.page.get_by_label("Search claims and articles")
    box.fill(query)
    status = tab.page.locator(".search-status")
    tab.page.wait_for_function(
        "document.querySelector('.search-status').textContent.includes('result')"
    )
    more = tab.page.get_by_role("button", name="Show more results")
    while more.is_visible():
        shown = tab.page.locator(".search-list a").count()
        more.click()
        tab.page.wait_for_function(f"document.querySelectorAll('.search-list a').length > {shown}")
    hrefs = [str(a.get_attribute("href")) for a in tab.page.locator(".search-list a").all()]
    return status.inner_text().split(",")[0], hrefs


SEARCHES = ("remains", "Istanbul", "memorandum", "ceasefire", "prisoners", "Medinsky", "zebra")


def test_a_sharded_index_finds_what_one_index_finds(
    site_url: str, sharded_site_url: str, tab: Tab
) -> None:
    """A big site's search comes in shards that the browser merges: on the real site split
    into shards, every search lists the same pages as the single index does."""
    for query in SEARCHES:
        one_status, one = search_results(tab, site_url, query)
        status, sharded = search_results(tab, sharded_site_url, query)
        assert status == one_status, query
        assert sorted(sharded) == sorted(one), query
        assert len(sharded) == len(set(sharded)), f"{query}: a page listed twice"
    assert one_status.startswith("No results")  # the last query, "zebra", finds nothing


def test_filter_hides_claims_instantly_and_announces_the_count(site_url: str, tab: Tab) -> None:
    tab.open(site_url)
    page = tab.page
    total = visible_claims(page)
    verdict = page.get_by_label("Verdict", exact=True)
    option = verdict.locator("option").nth(1)
    value, label = str(option.get_attribute("value")), option.inner_text()
    verdict.select_option(value)
    expected = page.locator(f'.claim-list > li[data-verdict="{value}"]').count()
    assert 0 < expected < total
    assert visible_claims(page) == expected
    assert page.locator(".filter-status").inner_text() == (
        f"{expected} claim{'' if expected == 1 else 's'} shown"
    )
    for badge in page.locator(".claim-list > li:visible .claim-card-meta .verdict").all():
        assert label in badge.inner_text()
    outlet = page.get_by_label("Reported by", exact=True)
    outlet.select_option(index=1)
    assert visible_claims(page) <= expected
    tab.screenshot("index-filtered")
    tab.assert_accessible()
    page.get_by_role("button", name="Show all").click()
    page.wait_for_function("document.querySelectorAll('.claim-list > li[hidden]').length === 0")
    assert visible_claims(page) == total
    assert page.locator(".filter-status").inner_text() == f"{total} claims shown"


def test_without_javascript_nothing_of_the_enhancements_shows(
    site_url: str, browser: Browser
) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 900})
    try:
        page = context.new_page()
        page.goto(site_url)
        assert page.locator(".claim-list > li:visible").count() > 0
        assert page.locator(".site-search").is_hidden()
        assert page.locator(".claim-filter").is_hidden()
        assert page.get_by_role("searchbox").count() == 0
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "index-no-javascript-phone.png", full_page=True)
    finally:
        context.close()


def test_dark_mode_is_accessible(site_url: str, browser: Browser) -> None:
    """The dark palette has its own contrast to prove: axe-core on the claim page, in dark."""
    context = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900})
    try:
        tab = Tab(context.new_page(), "wide-dark")
        tab.page.on("console", tab.on_console)
        tab.page.on("pageerror", tab.on_page_error)
        tab.open(f"{site_url}claims/{CLAIM}/")
        tab.screenshot(f"claim-{CLAIM}")
        tab.assert_accessible()
        assert not tab.errors, "\n".join(tab.errors)
    finally:
        context.close()


def test_axe_reports_a_real_violation(browser: Browser) -> None:
    """The accessibility check is not vacuous: a field without a label is reported."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content(
            '<!doctype html><html lang="en"><title>t</title><main><input></main></html>'
        )
        violations = Axe().run(page).response["violations"]
        assert "label" in {v["id"] for v in violations}, readable(violations)
    finally:
        context.close()


@pytest.fixture(scope="module")
def annotator(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Apache Annotator's DOM matchers bundled into one script, from the npm packages on disk."""
    esbuild = ANNOTATOR / "node_modules" / ".bin" / "esbuild"
    if not esbuild.is_file():
        pytest.fail(
            "Apache Annotator is not installed: run `npm ci --prefix tests/annotator` "
            "(.ci/run does so on CI).",
            pytrace=False,
        )
    bundle = tmp_path_factory.mktemp("annotator") / "annotator.js"
    command = [str(esbuild), "entry.js", "--bundle", "--format=iife", "--log-level=error"]
    command += ["--global-name=ApacheAnnotator", f"--outfile={bundle}"]
    subprocess.run(command, cwd=ANNOTATOR, check=True)
    return bundle


# Every selector matched by Apache Annotator in the element the collection names: the text of
# each match, and the number of matches (an async generator each).
ANCHOR = """async ([elementId, selectors]) => {
  const scope = document.getElementById(elementId);
  const matchers = {
    TextQuoteSelector: ApacheAnnotator.createTextQuoteSelectorMatcher,
    TextPositionSelector: ApacheAnnotator.createTextPositionSelectorMatcher,
  };
  const results = [];
  for (const selector of selectors) {
    const found = [];
    for await (const range of matchers[selector.type](selector)(scope)) {
      found.push(range.toString());
    }
    results.push(found);
  }
  return results;
}"""


def test_every_annotation_anchors_with_apache_annotator(
    site_url: str, browser: Browser, annotator: Path
) -> None:
    """The published annotations, anchored as a third-party client would: every
    TextQuoteSelector and TextPositionSelector of every target matches exactly once, on the
    page its `source` names, on exactly its `exact` words."""
    with urllib.request.urlopen(f"{site_url}annotations.jsonld") as response:
        collection = json.load(response)
    description = collection["dc:description"]
    element_id = description.split('element with id "', 1)[1].split('"', 1)[0]
    by_page: dict[str, list[dict[str, Any]]] = {}
    for item in collection["first"]["items"]:
        for target in item["target"]:
            by_page.setdefault(target["source"], []).append(target)
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    anchored = {"TextQuoteSelector": 0, "TextPositionSelector": 0}
    failures = []
    try:
        for source, targets in sorted(by_page.items()):
            assert source.startswith(f"https://checks.example{BASE}")
            url = site_url + source.removeprefix(f"https://checks.example{BASE}")
            response = page.goto(url)
            assert response is not None and response.ok, url
            page.add_script_tag(path=annotator)
            selectors = [selector for target in targets for selector in target["selector"]]
            exact = [
                quote["exact"]
                for target in targets
                for quote in target["selector"]
                if quote["type"] == "TextQuoteSelector"
                for _ in target["selector"]
            ]
            results = page.evaluate(ANCHOR, [element_id, selectors])
            for selector, words, found in zip(selectors, exact, results, strict=True):
                if found == [words]:
                    anchored[selector["type"]] += 1
                else:
                    failures.append(f"{url}: {selector} matched {found}, not once on {words!r}")
    finally:
        context.close()
    assert not failures, "\n".join(failures)
    targets = sum(len(targets) for targets in by_page.values())
    assert anchored == {"TextQuoteSelector": targets, "TextPositionSelector": targets}
    assert targets >= 81  # the real site's quotes (a quote with an ellipsis has two targets)
