"""Corrections and updates on the record: shown under the verdict, in ClaimReview and the feed,
listed on /corrections/, and a reminder when quotes change with nothing on the record."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from site_builder.cli.main import main

from .conftest import CLAIMS, VALID_SITE, write_site

UPDATES = """\
    updates:
      - date: 2025-06-06
        kind: update
        note: Beta Wire's article was added.
      - date: 2025-06-09
        kind: correction
        note: The summary said *each*; Beta says one way. Verdict unchanged.
"""
# talks-hour (the second claim) gets the record; bodies-each keeps none.
WITH_UPDATES = CLAIMS.replace("    summary: Both agree.\n", "    summary: Both agree.\n" + UPDATES)


def build(root: Path, out: Path) -> int:
    return main(["build", "--root", str(root), "--out", str(out)])


def test_updates_show_under_the_verdict_and_in_the_machine_readable_files(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {**VALID_SITE, "claims.yaml": WITH_UPDATES})
    out = tmp_path / "out"
    assert build(root, out) == 0
    page = (out / "claims/talks-hour/index.html").read_text(encoding="utf-8")
    items = re.findall(
        r'<li class="update update-(\w+)"><strong>(\w+)</strong>, <time datetime="([\d-]+)">', page
    )
    assert items == [("correction", "Correction", "2025-06-09"), ("update", "Update", "2025-06-06")]
    assert "<em>each</em>" in page  # the note's Markdown
    review = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    )
    assert (review["datePublished"], review["dateModified"]) == ("2025-06-03", "2025-06-09")
    other = (out / "claims/bodies-each/index.html").read_text(encoding="utf-8")
    assert "Corrections and updates" not in other and "dateModified" not in other
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    entry = feed.split("<id>https://checks.example/claims/talks-hour/</id>")[1].split("</entry>")[0]
    assert "<published>2025-06-03T00:00:00Z</published>" in entry
    assert "<updated>2025-06-09T00:00:00Z</updated>" in entry
    assert "<updated>2025-06-09T00:00:00Z</updated>" in feed.split("<entry>")[0]  # the feed's
    data = json.loads((out / "claims.json").read_text(encoding="utf-8"))
    by_id = {claim["id"]: claim for claim in data["claims"]}
    assert [u["kind"] for u in by_id["talks-hour"]["updates"]] == ["update", "correction"]
    assert by_id["bodies-each"]["updates"] == []


def test_the_corrections_page_lists_every_correction_newest_first(tmp_path: Path) -> None:
    second = CLAIMS.replace(
        "    summary: Alpha says each; Beta says one way.\n",
        "    summary: Alpha says each; Beta says one way.\n"
        "    updates:\n"
        "      - date: 2025-06-12\n"
        "        kind: correction\n"
        "        note: Beta's figure was misread.\n",
    )
    both = second.replace("    summary: Both agree.\n", "    summary: Both agree.\n" + UPDATES)
    root = write_site(tmp_path / "site", {**VALID_SITE, "claims.yaml": both})
    out = tmp_path / "out"
    assert build(root, out) == 0
    page = (out / "corrections/index.html").read_text(encoding="utf-8")
    listed = re.findall(
        r'<time datetime="([\d-]+)">[^<]*</time>: <a href="/claims/([\w-]+)/">', page
    )
    # Corrections only (an update is not one), newest first.
    assert listed == [("2025-06-12", "bodies-each"), ("2025-06-09", "talks-hour")]
    assert "Beta&#39;s figure was misread." in page or "Beta's figure was misread." in page
    assert "Beta Wire's article was added" not in page


def test_a_site_with_no_corrections_says_so(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", VALID_SITE)
    assert build(root, tmp_path / "out") == 0
    page = (tmp_path / "out/corrections/index.html").read_text(encoding="utf-8")
    assert "No review has been corrected so far." in page


def test_check_reminds_when_quotes_changed_and_nothing_is_on_the_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_site(tmp_path, VALID_SITE)
    assert build(root, root / "output") == 0  # the published state: output/claims.json
    changed = CLAIMS.replace(
        "        text: lasted about an hour\n", "        text: The talks lasted about an hour.\n"
    )
    write_site(root, {"claims.yaml": changed})
    capsys.readouterr()
    assert main(["check", "--root", str(root), "--strict"]) == 1
    assert capsys.readouterr().err.splitlines()[:2] == [
        "claims.yaml:15:5: error: the quotes of claim 'talks-hour' changed since the last build,"
        " and no correction or update says so",
        "    hint: add an entry to its `updates` (date, kind: correction or update, note: what"
        " changed and why): a published review changes on the record",
    ]
    recorded = changed.replace("    summary: Both agree.\n", "    summary: Both agree.\n" + UPDATES)
    write_site(root, {"claims.yaml": recorded})
    assert main(["check", "--root", str(root), "--strict"]) == 0


def test_an_update_with_an_impossible_date_is_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = WITH_UPDATES.replace("2025-06-09", "2025-06-31")
    root = write_site(tmp_path, {**VALID_SITE, "claims.yaml": bad})
    assert main(["check", "--root", str(root)]) == 1
    assert "claims.yaml:24:15: error: '2025-06-31' is not a real date" in capsys.readouterr().err
