"""`site-builder new`: a site that builds strictly at once, in a folder of its own."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from site_builder import scaffold
from site_builder.cli.main import main
from site_builder.scaffold import new_site


def test_a_new_site_builds_strictly_at_once(tmp_path: Path) -> None:
    site = tmp_path / "harbour"
    assert (
        main(["new", str(site), "--title", "Harbour: Checks", "--base-url", "https://c.example/h"])
        == 0
    )
    files = sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.is_file())
    assert files == [
        ".github/workflows/pages.yml",
        ".gitignore",
        "claims.yaml",
        "content/articles/example-first-outlet.md",
        "content/articles/example-second-outlet.md",
        "content/pages/about.md",
        "content/pages/methodology.md",
        "content/schemas/claims.schema.json",
        "content/schemas/site.schema.json",
        "content/site.yaml",
    ]
    settings = yaml.safe_load((site / "content/site.yaml").read_text(encoding="utf-8"))
    assert settings["title"] == "Harbour: Checks"  # a colon in a title stays a title
    assert settings["base_url"] == "https://c.example/h/"
    assert [r["key"] for r in settings["ratings"]] == [
        "confirmed",
        "mostly-confirmed",
        "disputed",
        "unsupported",
        "contradicted",
    ]
    assert all(r["description"] and r["requires"] for r in settings["ratings"])
    # The modelines name schemas that are in the folder, with this site's verdicts.
    assert (
        (site / "claims.yaml")
        .read_text()
        .startswith("# yaml-language-server: $schema=./content/schemas/claims.schema.json\n")
    )
    schema = json.loads((site / "content/schemas/claims.schema.json").read_text())
    assert "confirmed" in json.dumps(schema) and "example-first-outlet" in json.dumps(schema)
    assert "/output/" in (site / ".gitignore").read_text()
    assert main(["build", "--root", str(site), "--strict"]) == 0
    page = (site / "output/claims/example-bridge-vote/index.html").read_text(encoding="utf-8")
    assert "EXAMPLE: The council approved the bridge" in page
    assert main(["check", "--root", str(site), "--strict"]) == 0


def test_a_folder_with_anything_in_it_is_refused_and_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "existing"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    assert main(["new", str(folder)]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        f"{folder}: error: the folder is not empty",
        "    hint: site-builder new makes a site in a new or empty folder and never overwrites"
        " a file; choose another folder",
    ]
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    assert (folder / "notes.txt").read_text() == "mine"


def test_a_bad_base_url_is_refused_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", str(tmp_path / "s"), "--base-url", "checks.example"]) == 1
    assert "error: --base-url 'checks.example' is not an http(s) address" in capsys.readouterr().err
    assert not (tmp_path / "s").exists()


def test_no_file_is_ever_overwritten(tmp_path: Path) -> None:
    written = new_site(tmp_path / "a", today=dt.date(2026, 12, 3))
    assert Path(".github/workflows/pages.yml") in written
    claims = (tmp_path / "a/claims.yaml").read_text()
    assert "reviewed: 2026-12-03" in claims
    # Even if the folder filled up between the check and the writing, creation is exclusive.
    with pytest.raises(FileExistsError):
        scaffold._create(tmp_path / "a/claims.yaml", "other")
    assert (tmp_path / "a/claims.yaml").read_text() == claims
