"""The editor-facing commands: check (text, json, github), sentences, schema."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from site_builder.cli.main import main
from site_builder.diagnostics import Diagnostics
from site_builder.load.yamlsource import parse_yaml

from .conftest import CLAIMS, VALID_SITE, write_site
from .test_build import FIXTURE_SITE

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def broken_root(tmp_path: Path) -> Path:
    """A site with one error (unknown verdict, claims.yaml line 4) and nothing else wrong."""
    claims = CLAIMS.replace("verdict: mixed", "verdict: misleading")
    return write_site(tmp_path / "site", {**VALID_SITE, "claims.yaml": claims})


def test_check_writes_nothing_and_reports_in_text(
    broken_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--root", str(broken_root)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("claims.yaml:4:14: error: unknown verdict 'misleading'\n")
    assert err.endswith("site-builder: 1 error(s), 0 warning(s)\n")
    assert not (broken_root / "output").exists()


def test_check_json_lists_objects(broken_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--root", str(broken_root), "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out) == [
        {
            "severity": "error",
            "file": "claims.yaml",
            "line": 4,
            "column": 14,
            "message": "unknown verdict 'misleading'",
            "hint": "Use one of the ratings in content/site.yaml: accurate, mixed, inaccurate",
        }
    ]


def test_check_github_prints_workflow_annotations(
    broken_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--root", str(broken_root), "--format", "github"]) == 1
    assert capsys.readouterr().out == (
        "::error file=claims.yaml,line=4,col=14::unknown verdict 'misleading'%0A"
        "Use one of the ratings in content/site.yaml: accurate, mixed, inaccurate\n"
    )


def test_check_strict_fails_on_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_site(
        tmp_path,
        {**VALID_SITE, "content/articles/gamma.md": "---\ntitle: G\noutlet: G\n---\nText.\n"},
    )
    assert main(["check", "--root", str(root)]) == 0
    assert main(["check", "--root", str(root), "--strict", "--format", "json"]) == 1
    reported = json.loads(capsys.readouterr().out)
    assert [(d["severity"], d["file"], d["message"]) for d in reported] == [
        ("error", "content/articles/gamma.md", "no claim quotes article 'gamma'")
    ]


def test_the_real_site_checks_clean() -> None:
    assert main(["check", "--root", str(ROOT), "--strict"]) == 0


def test_sentences_json_gives_offsets_into_the_file(
    site_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sentences", "beta", "--root", str(site_root), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    source = (site_root / "content/articles/beta.md").read_text()
    assert [(r["article"], r["number"], r["line"], r["block"]) for r in rows] == [
        ("beta", 1, 6, 0),
        ("beta", 2, 6, 0),
    ]
    for row in rows:
        assert source[row["start"] : row["end"]] == row["text"]
    assert rows[1]["text"] == "The talks lasted about an hour."


def test_sentences_text_with_grep(site_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sentences", "--root", str(site_root), "--grep", "HOUR"]) == 0
    assert capsys.readouterr().out == (
        "alpha:1 (line 5): The talks lasted just over an hour.\nbeta:2 (line 6): The talks lasted about an hour.\n"
    )


def test_sentences_of_an_unknown_article(
    site_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sentences", "gamma", "--root", str(site_root)]) == 1
    assert "unknown article(s): gamma; known: alpha, beta" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "path"), [("claims", "claims.yaml"), ("site", "content/site.yaml")]
)
def test_schema_is_printed_and_validates_the_real_files(
    name: str, path: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The real site's files start with a modeline naming the schema written into the site
    (`schema NAME --write`), which is what `schema NAME` prints for it now: written again
    when an article or a rating is added (the test says so when it is stale)."""
    assert main(["schema", name, "--root", str(ROOT)]) == 0
    schema = json.loads(capsys.readouterr().out)
    document = parse_yaml((ROOT / path).read_text(encoding="utf-8"), path, Diagnostics())
    assert document is not None
    assert list(Draft202012Validator(schema).iter_errors(document.data)) == []
    first_line = (ROOT / path).read_text(encoding="utf-8").split("\n", 1)[0]
    assert first_line.startswith("# yaml-language-server: $schema=")
    pointed = (ROOT / path).parent / first_line.split("$schema=", 1)[1]
    assert pointed.resolve() == (ROOT / f"content/schemas/{name}.schema.json").resolve()
    assert json.loads(pointed.read_text()) == schema, (
        f"stale: run `site-builder schema {name} --write`"
    )


def test_the_claims_schema_knows_the_sites_verdicts_and_articles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Written into a site kept anywhere, the schema names the site's own rating keys and
    article slugs: an editor offers them, and a misspelled verdict is an error as it is typed."""
    site = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, site)
    assert main(["schema", "claims", "--root", str(site), "--write"]) == 0
    written = site / "content/schemas/claims.schema.json"
    assert capsys.readouterr().out.strip() == f"wrote {written}"
    schema = json.loads(written.read_text())
    claim = schema["$defs"]["claim"]["properties"]
    assert claim["verdict"]["enum"] == ["accurate", "mixed", "inaccurate"]
    quote = schema["$defs"]["quote"]["properties"]
    assert quote["article"]["enum"] == ["alpha", "beta", "gamma"]
    claims = parse_yaml((site / "claims.yaml").read_text(), "claims.yaml", Diagnostics())
    assert claims is not None
    validator = Draft202012Validator(schema)
    assert list(validator.iter_errors(claims.data)) == []
    claims.data["claims"][0]["verdict"] = "acurate"
    (error,) = validator.iter_errors(claims.data)
    assert list(error.absolute_path) == ["claims", 0, "verdict"]


def test_check_warns_when_a_written_schema_no_longer_matches_the_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, site)
    assert main(["schema", "claims", "--root", str(site), "--write"]) == 0
    assert main(["check", "--strict", "--root", str(site)]) == 0
    capsys.readouterr()
    delta = site / "content/articles/delta.md"
    delta.write_text((site / "content/articles/alpha.md").read_text())
    assert main(["check", "--root", str(site)]) == 0  # a warning, not an error
    err = capsys.readouterr().err
    assert (
        "content/schemas/claims.schema.json:1:1: warning: this schema no longer matches the site"
        in err
    )
    assert "site-builder schema claims --write" in err
    assert main(["check", "--strict", "--root", str(site)]) == 1
    assert main(["schema", "claims", "--root", str(site), "--write"]) == 0
    capsys.readouterr()
    main(["check", "--root", str(site)])
    assert "no longer matches" not in capsys.readouterr().err


def test_the_schema_outside_a_site_is_the_shipped_one_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schema", "claims", "--root", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == json.loads(
        (ROOT / "site_builder/schemas/claims.schema.json").read_text()
    )
    assert "content/site.yaml:1:1: warning: no site settings here" in err


def test_article_front_matter_of_the_real_site_validates() -> None:
    schema = json.loads((ROOT / "site_builder/schemas/article.schema.json").read_text())
    for article in sorted((ROOT / "content/articles").glob("*.md")):
        front = article.read_text(encoding="utf-8").split("---\n")[1]
        document = parse_yaml(front, article.name, Diagnostics())
        assert document is not None
        assert list(Draft202012Validator(schema).iter_errors(document.data)) == [], article.name


def test_python_dash_m_runs_the_same_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "site_builder", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("site-builder ")


def test_suggest_prints_pasteable_yaml_for_the_real_content(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import yaml

    assert main(["suggest", "remains-next-week", "--root", str(ROOT), "--limit", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Paste under the quotes: of claim 'remains-next-week'")
    pasted = yaml.safe_load("quotes:\n" + out.split("\n", 1)[1])["quotes"]
    assert [q["article"] for q in pasted] == ["outlet-b", "outlet-d"]
    assert "6,000 soldiers from each nation" in pasted[0]["text"]
    assert "6,000 bodies of killed soldiers each" in pasted[1]["text"]


def test_suggest_unknown_claim(site_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["suggest", "nope", "--root", str(site_root)]) == 1
    assert "no claim 'nope'; known: bodies-each, talks-hour" in capsys.readouterr().err


def test_check_fix_rewrites_only_typography_drift(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = "---\ntitle: G\noutlet: Gamma\n---\nMedinsky\u2019s team proposed a truce of two\u2013three days.\n"
    claims = CLAIMS + (
        "  - id: truce  # the short truce\n"
        "    claim: Russia proposed a short truce.\n"
        "    verdict: accurate\n"
        "    reviewed: 2025-06-04\n"
        "    summary: Two outlets.\n"
        "    quotes:\n"
        "      - article: gamma\n"
        "        text: Medinsky's team proposed a truce of two-three days\n"
        "      - article: beta\n"
        "        text: The talks lasted about an hour\n"
    )
    root = write_site(
        tmp_path, {**VALID_SITE, "content/articles/gamma.md": article, "claims.yaml": claims}
    )
    assert main(["check", "--root", str(root), "--fix"]) == 0
    assert "fixed:" in capsys.readouterr().err
    expected = claims.replace(
        "text: Medinsky's team proposed a truce of two-three days",
        "text: Medinsky\u2019s team proposed a truce of two\u2013three days",
    )
    assert (root / "claims.yaml").read_text(encoding="utf-8") == expected


def test_progress_bar_waits_then_draws_one_line_and_clears_it() -> None:
    import io

    from site_builder.cli.report import ProgressBar

    quiet = io.StringIO()
    ProgressBar(quiet, delay=60)("rendering pages", 5, 10)
    assert quiet.getvalue() == ""  # a quick build prints nothing extra
    out = io.StringIO()
    bar = ProgressBar(out, delay=0)
    bar("rendering pages", 5, 10)
    assert out.getvalue() == "\r\x1b[Krendering pages [############............] 5/10"
    bar.clear()
    assert out.getvalue().endswith("\r\x1b[K")


def test_a_build_whose_errors_go_to_a_file_has_no_progress_bar(tmp_path: Path) -> None:
    """CI logs get the diagnostics and the summary line, never bar redraws."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "site_builder",
            "build",
            "--root",
            str(ROOT),
            "--out",
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "\r" not in done.stderr + done.stdout


def test_a_build_in_its_own_process_reports_and_exits_with_its_code(broken_root: Path) -> None:
    """`build` ends its process without tearing the site model down: what it printed must
    still reach a pipe whole, and the exit code must be the build's."""
    command = [sys.executable, "-m", "site_builder", "build", "--root", str(broken_root)]
    # Block-buffered output, as a CI log or a pipe gets it.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    failed = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    assert failed.returncode == 1
    assert "claims.yaml:4:" in failed.stderr and "error:" in failed.stderr
    assert failed.stderr.rstrip().endswith("left unchanged"), failed.stderr
    fixed = broken_root / "claims.yaml"
    fixed.write_text(fixed.read_text().replace("verdict: misleading", "verdict: mixed"))
    built = subprocess.run(
        [*command, "--timings"], capture_output=True, text=True, check=False, env=env
    )
    assert built.returncode == 0, built.stderr
    lines = built.stdout.splitlines()
    assert lines[0].startswith("  ") and lines[-1].startswith("built "), built.stdout
