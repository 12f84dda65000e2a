"""Shared helpers: small sites written into a temporary folder."""

from __future__ import annotations

import gc
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

SITE_YAML = """\
title: Test Checks
description: A small site for tests.
base_url: https://checks.example/
language: en
publisher:
  name: Test Desk
  url: https://checks.example/
ratings:
  - key: accurate
    label: Accurate
    description: All outlets agree.
  - key: mixed
    label: Mixed
    description: Outlets differ.
  - key: inaccurate
    label: Inaccurate
    description: The outlets contradict it.
"""

ALPHA = """\
---
title: Talks end with a swap
outlet: Alpha News
---
The talks lasted just over an hour. Both sides agreed to exchange 6,000 bodies each.

Mr. Smith said the next round is due in late June.
"""

BETA = """\
---
title: "Prisoner deal: no truce"
outlet: Beta Wire
published: 2025-06-02
---
Russia will hand over 6,000 bodies to Kyiv next week. The talks lasted about an hour.
"""

CLAIMS = """\
claims:
  - id: bodies-each
    claim: Both sides agreed to exchange 6,000 bodies each.
    verdict: mixed
    reviewed: 2025-06-04
    tags: [remains]
    summary: Alpha says each; Beta says one way.
    quotes:
      - article: alpha
        text: exchange 6,000 bodies each
        stance: supports
      - article: beta
        text: hand over 6,000 bodies to Kyiv
        stance: contradicts
  - id: talks-hour
    claim: The talks lasted about an hour.
    verdict: accurate
    reviewed: 2025-06-03
    summary: Both agree.
    quotes:
      - article: alpha
        text: The talks lasted just over an hour.
      - article: beta
        text: lasted about an hour
"""

CLAIM_HEAD = """\
claims:
  - id: bodies-each
    claim: Both sides agreed to exchange 6,000 bodies each.
    verdict: mixed
    reviewed: 2025-06-04
    summary: Alpha says each; Beta says one way.
"""
# Both claims of the valid site quote beta; when beta.md cannot be loaded, both say so.
BETA_GONE = [
    "claims.yaml:12:18: error: unknown article 'beta': no content/articles/beta.md\n"
    "    hint: Known articles: alpha",
    "claims.yaml:23:18: error: unknown article 'beta': no content/articles/beta.md\n"
    "    hint: Known articles: alpha",
]
QUOTES = """\
    quotes:
      - article: alpha
        text: exchange 6,000 bodies each
      - article: beta
        text: hand over 6,000 bodies to Kyiv
"""


VALID_SITE = {
    "content/site.yaml": SITE_YAML,
    "content/articles/alpha.md": ALPHA,
    "content/articles/beta.md": BETA,
    "claims.yaml": CLAIMS,
}


def write_site(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `files` (relative path -> text or bytes) under `root` and return `root`."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


@pytest.fixture
def site_root(tmp_path: Path) -> Path:
    """A small valid site."""
    return write_site(tmp_path / "site", dict(VALID_SITE))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/fixtures/*-expected from the current build (review the diff, then commit)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(autouse=True)
def _garbage_collector_on() -> Iterator[None]:
    """serve's LiveSite leaves Python's garbage collector off until `tidy`; a test that builds
    without tidying must not leave it off for the tests after it."""
    yield
    gc.enable()
