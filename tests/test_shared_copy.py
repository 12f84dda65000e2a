"""Shared copy and verdict rules: which articles print the same report, what a reader and an
editor are told about it, and verdicts held to the rules the site's scale states."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from site_builder.build.builder import Builder, load_site
from site_builder.build.options import BuildOptions
from site_builder.cli.main import main
from site_builder.compare.shared_copy import (
    COMMON_LIMIT,
    SharedCopyFinder,
    find_shared_copy,
    sources,
)
from site_builder.diagnostics import Diagnostics
from site_builder.model import Article, SegmentedArticle
from site_builder.text.segment import load_pipeline, segment_article

from .conftest import SITE_YAML, write_site

ROOT = Path(__file__).resolve().parent.parent

WIRE = (
    "Russia and Ukraine agreed on Monday to exchange all seriously wounded prisoners of war, the"
    " Ukrainian defence minister told reporters after the meeting. The delegations also agreed"
    " to hand over the remains of six thousand soldiers on each side within a week. A Turkish"
    " official said the atmosphere in the room had been calm and businesslike throughout.\n"
)
# The wire story lightly edited, as a second outlet prints it: a word swapped, a sentence
# split off and one dropped, a few words added.
COPY = (
    "Russia and Ukraine agreed on Monday to swap all seriously wounded prisoners of war, the"
    " Ukrainian defence minister told reporters after the meeting.\n\n"
    "The two delegations also agreed to hand over the remains of six thousand soldiers on each"
    " side within a week, he said.\n"
)
# The same facts in an outlet's own words: names, numbers and short phrases in common only.
OWN = (
    "Ukraine's defence minister said both countries would trade seriously wounded prisoners."
    " Each side will return the remains of six thousand soldiers, he said, and Turkey called"
    " the talks calm.\n"
)


def article(slug: str, outlet: str, body: str) -> SegmentedArticle:
    source = f"---\ntitle: {slug}\noutlet: {outlet}\n---\n{body}"
    made = Article(
        slug=slug,
        path=f"content/articles/{slug}.md",
        source=source,
        body_start=source.index("---\n", 4) + 4,
        title=slug,
        outlet=outlet,
        outlet_slug=outlet.lower().replace(" ", "-"),
    )
    return segment_article(made, load_pipeline(None))


def test_a_lightly_edited_copy_is_found_and_an_independent_report_is_not() -> None:
    articles = [article("copy", "Copy Daily", COPY), article("own", "Own Post", OWN)]
    articles.append(article("wire", "Wire Service", WIRE))
    found = find_shared_copy(articles)
    (pair,) = found.pairs
    assert (pair.first, pair.second) == ("copy", "wire")
    # Each run of identical words (case and punctuation aside) is a passage, in its sentence
    # on each side; "exchange"/"swap" splits the first sentence's run in two.
    assert [(p.first, p.second, p.words, p.text) for p in pair.passages] == [
        (1, 1, 7, "Russia and Ukraine agreed on Monday to"),
        (
            1,
            1,
            15,
            "all seriously wounded prisoners of war, the Ukrainian defence minister told"
            " reporters after the meeting",
        ),
        (
            2,
            2,
            18,
            "delegations also agreed to hand over the remains of six thousand soldiers on each"
            " side within a week",
        ),
    ]
    copy, wire = articles[0].article.source, articles[2].article.source
    for passage in pair.passages:
        assert copy[slice(*passage.first_span)] == passage.text
        assert wire[slice(*passage.second_span)] == passage.text
    assert found.groups == (("copy", "wire"),)
    # "the remains of six thousand soldiers" is six words: facts in common are not copy.
    assert found.pairs_of("own") == ()


def test_outlets_that_share_copy_are_one_source() -> None:
    articles = [
        article("copy", "Copy Daily", COPY),
        article("own", "Own Post", OWN),
        article("wire", "Wire Service", WIRE),
        article("again", "Wire Service", OWN.replace("Turkey", "Ankara")),
    ]
    found = find_shared_copy(articles)
    plain = [a.article for a in articles]
    # copy and wire share copy; "again" is Wire Service's own second article, and shares
    # copy with "own": so all four are one source, through the outlet and the copy.
    assert [[a.slug for a in s] for s in sources(plain, found)] == [
        ["copy", "own", "wire", "again"]
    ]
    assert [[a.slug for a in s] for s in sources(plain[:2], found)] == [["copy"], ["own"]]


def test_a_run_in_many_articles_is_a_stock_phrase_not_copy() -> None:
    stock = "Mr. Smith did not respond to a request for comment on the matter."
    articles = [
        article(f"a{n}", f"Outlet {n}", f"Report number {n} is about topic {n * 7}. {stock}\n")
        for n in range(COMMON_LIMIT + 1)
    ]
    assert find_shared_copy(articles).pairs == ()
    assert (
        len(find_shared_copy(articles[:COMMON_LIMIT]).pairs)
        == COMMON_LIMIT * (COMMON_LIMIT - 1) // 2
    )


def test_the_real_articles_share_copy_in_two_pairs_and_no_other() -> None:
    site = load_site(ROOT, Diagnostics())
    assert site is not None
    assert site.shared.groups == (("icaro-media-group", "outlet-a"), ("outlet-b", "outlet-d"))
    texts = {
        (pair.first, pair.second): [p.text.replace("\n", " ") for p in pair.passages]
        for pair in site.shared.pairs
    }
    assert texts == {
        ("icaro-media-group", "outlet-a"): [
            "truce of two to three days in",
            "President Volodymyr Zelensky and Russian President Vladimir Putin",
        ],
        ("outlet-b", "outlet-d"): ["pressure from U.S. President Donald Trump, who"],
    }


def test_kept_between_builds_the_answer_is_what_a_fresh_search_gives() -> None:
    finder = SharedCopyFinder()
    wire, copy, own = (
        article("wire", "Wire Service", WIRE),
        article("copy", "Copy Daily", COPY),
        article("own", "Own Post", OWN),
    )
    first = finder.find((copy, own, wire))
    assert finder.find((copy, own, wire)) is first  # nothing changed: the same answer
    edited = article("copy", "Copy Daily", "Kyiv and Moscow met briefly and said little.\n")
    assert finder.find((edited, own, wire)) == find_shared_copy((edited, own, wire))
    assert finder.find((edited, own, wire)).pairs == ()
    assert finder.find((copy, own, wire)) == first


def test_edit_after_edit_the_finder_agrees_with_a_fresh_search() -> None:
    """Articles edited, added and removed one or two at a time, including an edit that makes
    a run a stock phrase (found in more than COMMON_LIMIT articles), which ends the pairs of
    articles that did not change."""
    stock = "the delegations also agreed to hand over the remains of six thousand soldiers"

    def plain(n: int) -> SegmentedArticle:
        return article(f"n{n:02}", f"Outlet {n}", f"Report {n} on item {n * 13}.\n")

    def holding(n: int) -> SegmentedArticle:
        return article(f"n{n:02}", f"Outlet {n}", f"Report {n} says {stock}.\n")

    wire, copy, own = (
        article("wire", "Wire Service", WIRE),
        article("copy", "Copy Daily", COPY),
        article("own", "Own Post", OWN),
    )
    twelve = range(12)
    # With wire, n00-n08 make 10 articles that hold the run's windows: at the limit, pairs.
    at_limit = (*(holding(n) if n < 9 else plain(n) for n in twelve), copy, own, wire)
    # n09 too: 11, a stock phrase; only a window that wire lacks stays, too short for a pair.
    over = (*(holding(n) if n < 10 else plain(n) for n in twelve), copy, own, wire)
    steps = [
        (*map(plain, twelve), copy, own, wire),
        at_limit,
        over,  # n09 changed; the pairs among n00-n08 end although none of them changed
        at_limit,
        (*(holding(n) if n < 9 else plain(n) for n in twelve), copy, wire),  # own gone
        (*map(plain, twelve), copy, own, wire, article("late", "Late", COPY.replace("swap", "x"))),
    ]
    assert COMMON_LIMIT == 10
    finder = SharedCopyFinder()
    found = []
    for step in steps:
        ordered = tuple(sorted(step, key=lambda a: a.article.slug))
        found.append(finder.find(ordered))
        assert found[-1] == find_shared_copy(ordered)
    assert ("n00", "n01") in {(p.first, p.second) for p in found[1].pairs}
    assert ("n00", "n01") not in {(p.first, p.second) for p in found[2].pairs}


# --- what editors and readers are told, end to end ------------------------------------------

CLAIMS = """\
claims:
  - id: wounded-swap
    claim: The two sides agreed to swap all seriously wounded prisoners.
    verdict: accurate
    reviewed: 2025-06-04
    summary: Two outlets say so.
    quotes:
      - article: wire
        text: exchange all seriously wounded prisoners of war
        stance: supports
      - article: copy
        text: swap all seriously wounded prisoners of war
        stance: supports
  - id: remains-week
    claim: The remains will be handed over within a week.
    verdict: accurate
    reviewed: 2025-06-04
    summary: Three outlets say so.
    quotes:
      - article: wire
        text: within a week
        stance: supports
      - article: own
        text: Each side will return the remains of six thousand soldiers
        stance: supports
"""

SITE = {
    "content/site.yaml": SITE_YAML,
    "content/articles/wire.md": f"---\ntitle: Wounded to be swapped\noutlet: Wire Service\n---\n{WIRE}",
    "content/articles/copy.md": f"---\ntitle: Swap of the wounded\noutlet: Copy Daily\n---\n{COPY}",
    "content/articles/own.md": f"---\ntitle: Our own report\noutlet: Own Post\n---\n{OWN}",
    "claims.yaml": CLAIMS,
}

RULES = """\
    requires:
      min_supporting: 2
      max_contradicting: 0
"""


def test_check_warns_when_a_claims_support_rests_on_one_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_site(tmp_path, SITE)
    assert main(["check", "--root", str(root)]) == 0
    assert main(["check", "--root", str(root), "--strict"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[:2] == [
        "claims.yaml:11:9: warning: claim 'wounded-swap': its support rests on one source: "
        "Wire Service and Copy Daily share copy (3 passages word for word)",
        "    hint: outlets that print the same report are not independent confirmations: "
        "find an independent source, or say so in the summary and weigh the verdict",
    ]
    assert "remains-week" not in err  # wire and own are two sources


def test_a_verdict_whose_quotes_break_its_rule_is_reported_at_the_verdict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site_yaml = SITE_YAML.replace(
        "    description: All outlets agree.\n", "    description: All outlets agree.\n" + RULES
    )
    root = write_site(tmp_path, {**SITE, "content/site.yaml": site_yaml})
    assert main(["check", "--root", str(root)]) == 0
    err = capsys.readouterr().err
    assert err.splitlines()[:2] == [
        "claims.yaml:4:14: warning: verdict 'accurate' of claim 'wounded-swap' asks for at"
        " least 2 supporting sources; its quotes have 1",
        "    hint: the rule of 'accurate' (content/site.yaml): at least 2 independent sources"
        " support it; no independent source contradicts it. The quotes: Wire Service"
        " (supports), Copy Daily (supports); one source: Wire Service and Copy Daily. Change"
        " the verdict, or the stances if the sentences allow it.",
    ]
    # The rule says it: the shared-copy warning is not given twice over.
    assert "its support rests on one source" not in err
    assert "remains-week" not in err
    contradicted = CLAIMS.replace(
        "        text: Each side will return the remains of six thousand soldiers\n"
        "        stance: supports",
        "        text: Each side will return the remains of six thousand soldiers\n"
        "        stance: contradicts",
    )
    write_site(root, {"claims.yaml": contradicted})
    assert main(["check", "--root", str(root), "--strict"]) == 1  # --strict: warnings fail
    lines = capsys.readouterr().err.splitlines()
    assert (
        "claims.yaml:16:14: error: verdict 'accurate' of claim 'remains-week' asks for at"
        " least 2 supporting sources; its quotes have 1"
    ) in lines


def test_pages_and_open_data_say_which_outlets_share_copy(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", SITE)
    out = tmp_path / "out"
    assert main(["build", "--root", str(root), "--out", str(out)]) == 0
    claim = (out / "claims/wounded-swap/index.html").read_text(encoding="utf-8")
    assert "May not be independent:" in claim
    assert (
        'href="/outlets/copy-daily/">Copy Daily</a> and <a href="/outlets/wire-service/"' in claim
    )
    assert "print 3 passages word for word" in claim
    other = (out / "claims/remains-week/index.html").read_text(encoding="utf-8")
    assert "May not be independent" not in other
    page = (out / "articles/wire/index.html").read_text(encoding="utf-8")
    assert 'id="shared-copy"' in page
    assert "3 passages with" in page
    assert "<mark>delegations also agreed to hand over the remains of six thousand" in page
    assert 'href="/articles/copy/#s-2">There</a>' in page
    assert 'id="shared-copy"' not in (out / "articles/own/index.html").read_text()
    outlet = (out / "outlets/copy-daily/index.html").read_text(encoding="utf-8")
    assert 'Shares passages word for word with <a href="/articles/copy/#shared-copy">Wire' in outlet
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "2 outlets, 1 independent source: some share copy." in index
    data = json.loads((out / "claims.json").read_text(encoding="utf-8"))
    by_id = {c["id"]: c for c in data["claims"]}
    assert (by_id["wounded-swap"]["outlets"], by_id["wounded-swap"]["independent_sources"]) == (
        2,
        1,
    )
    assert (by_id["remains-week"]["outlets"], by_id["remains-week"]["independent_sources"]) == (
        2,
        2,
    )
    articles = {a["slug"]: a for a in data["articles"]}
    (shared,) = articles["copy"]["shares_copy_with"]
    assert shared["article"] == "wire"
    assert [(p["sentence"], p["other_sentence"], p["words"]) for p in shared["passages"]] == [
        (1, 1, 7),
        (1, 1, 15),
        (2, 2, 18),
    ]
    source = (root / "content/articles/copy.md").read_text(encoding="utf-8")
    for passage in shared["passages"]:
        assert source[passage["start"] : passage["end"]] == passage["exact"]
    assert articles["own"]["shares_copy_with"] == []


def test_an_edit_that_ends_shared_copy_renders_the_other_articles_page_again(
    tmp_path: Path,
) -> None:
    root = write_site(tmp_path / "site", SITE)
    builder = Builder(BuildOptions(root=root, out=tmp_path / "out"), disk_cache=False, workers=1)
    assert not builder.build().failed
    wire_page = tmp_path / "out/articles/wire/index.html"
    assert 'id="shared-copy"' in wire_page.read_text()
    write_site(
        root,
        {
            "content/articles/copy.md": "---\ntitle: Swap\noutlet: Copy Daily\n---\nKyiv and Moscow met briefly.\n"
        },
    )
    claims = CLAIMS.replace("swap all seriously wounded prisoners of war", "Kyiv and Moscow met")
    write_site(root, {"claims.yaml": claims})
    assert not builder.build(changed=["content/articles/copy.md", "claims.yaml"]).failed
    # wire.md did not change, but what it shares did: its page says so.
    assert 'id="shared-copy"' not in wire_page.read_text()
    index = (tmp_path / "out/index.html").read_text()
    assert "independent source" not in index
