"""The whole build: golden output, determinism, and a failed build never touching output/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from site_builder.cli.main import main

from .conftest import write_site

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_SITE = FIXTURES / "site"
FIXTURE_EXPECTED = FIXTURES / "site-expected"


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def build(root: Path, out: Path, *extra: str) -> int:
    return main(["build", "--root", str(root), "--out", str(out), *extra])


def test_fixture_site_matches_the_golden_output(tmp_path: Path, update_golden: bool) -> None:
    out = tmp_path / "out"
    assert build(FIXTURE_SITE, out, "--strict") == 0
    if update_golden:
        shutil.rmtree(FIXTURE_EXPECTED, ignore_errors=True)
        shutil.copytree(out, FIXTURE_EXPECTED)
    expected, actual = tree(FIXTURE_EXPECTED), tree(out)
    assert sorted(actual) == sorted(expected), (
        "files differ; run pytest --update-golden and review the diff"
    )
    for name, content in expected.items():
        assert actual[name] == content, (
            f"{name} differs; run pytest --update-golden and review the diff"
        )


def test_two_builds_give_identical_trees(tmp_path: Path) -> None:
    assert build(FIXTURE_SITE, tmp_path / "one") == 0
    assert build(FIXTURE_SITE, tmp_path / "two") == 0
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_a_failed_build_leaves_the_previous_output_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root)
    out = tmp_path / "out"
    assert build(root, out) == 0
    before = tree(out)
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    claims = root / "claims.yaml"
    claims.write_text(claims.read_text().replace("6,000 bodies each", "5,000 bodies each"))
    capsys.readouterr()
    assert build(root, out) == 1
    err = capsys.readouterr().err
    assert "claims.yaml:11:15: error: quote not found in alpha" in err
    assert "Traceback" not in err
    assert f"{out} left unchanged" in err
    assert tree(out) == before
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == mtimes


def test_strict_turns_warnings_into_a_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root)
    (root / "content/articles/delta.md").write_text(
        "---\ntitle: D\noutlet: Delta\n---\nUnquoted text.\n"
    )
    assert build(root, tmp_path / "lenient") == 0
    assert build(root, tmp_path / "strict", "--strict") == 1
    err = capsys.readouterr().err
    assert "content/articles/delta.md:1:1: error: no claim quotes article 'delta'" in err
    assert not (tmp_path / "strict").exists()


def test_files_from_earlier_builds_disappear(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, root)
    out = tmp_path / "out"
    assert build(root, out) == 0
    assert (out / "methodology/index.html").is_file()
    (root / "content/pages/methodology.md").unlink()
    assert build(root, out) == 0
    assert not (out / "methodology").exists()
    assert (out / "index.html").is_file()


def test_an_output_folder_we_did_not_write_is_never_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = write_site(tmp_path / "precious", {"notes.txt": "mine"})
    assert build(FIXTURE_SITE, out) == 1
    assert "refusing to replace" in capsys.readouterr().err
    assert (out / "notes.txt").read_text() == "mine"


def test_a_build_killed_mid_swap_is_recovered(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build(FIXTURE_SITE, out) == 0
    before = tree(out)
    # What a kill between the two renames leaves: the old site moved aside, a half-written new one.
    out.rename(tmp_path / ".out.old-123")
    write_site(tmp_path / ".out.new-456", {"index.html": "half"})
    assert build(FIXTURE_SITE, out) == 0
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize(
    ("argv", "code"),
    [(["--version"], 0), (["build", "--help"], 0), (["build", "--bogus"], 2), ([], 2)],
)
def test_exit_codes_for_usage(
    argv: list[str], code: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == code
