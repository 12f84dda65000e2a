"""`check --fix`: quotes that drift only in typography become the article's characters.

Everything else in claims.yaml (comments, blank lines, indentation, flow lists, the quoting of
other values, quotes whose words differ) must come out byte for byte as it went in.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from site_builder.build.builder import load_site
from site_builder.diagnostics import Diagnostics, Location
from site_builder.model import Site
from site_builder.quotes.fix import FixError, QuoteFix, apply_fixes, exact_quote, plan_fixes

from .conftest import SITE_YAML, write_site

DELTA = """\
---
title: Talks end in Istanbul
outlet: Delta Post
---
Umerov said the talks were “constructive” and that Russia’s proposals would be studied. The next round is set for 20–30 June.

“We agreed to exchange 6,000 bodies each,” he said. Officials called it ‘a first step’ – nothing more.

The delegation would return
to Kyiv on Tuesday.

> Peace is “not yet”
> within reach, he said.
"""

# Written as an editor would: straight quotes, hyphens, a wrapped line, a doubled space.
CLAIMS = """\
# yaml-language-server: $schema=./site_builder/schemas/claims.schema.json
# Claims checked against the Delta Post report.

claims:
  - id: constructive-talks          # the page is /claims/constructive-talks/
    claim: Umerov called the talks constructive.
    verdict: accurate
    reviewed:   2025-06-04
    tags: [ talks, umerov ]
    summary: |
      Delta Post quotes him directly.

      Nobody else does.
    quotes:
      - article: delta
        text: Umerov said the talks were "constructive" and that Russia's proposals   # straight
        stance: supports
      - article: delta
        text: 'The next round is set for 20-30 June.'
        stance: context
        note: "Dates: as reported."

  # The next quote was typed with a line break and a doubled space.
  - id: bodies
    claim: Both sides will exchange 6,000 bodies each.
    verdict: accurate
    reviewed: 2025-06-05
    tags: [remains]
    summary: >
      One outlet, one quote.
    quotes:
    - article: delta
      text: "\\"We agreed to exchange
        6,000 bodies  each,\\" he said"
    - article: delta
      text: Officials called it 'a first step' - nothing more.
    - {article: delta, text: The delegation would return to Kyiv on Tuesday}
    - article: delta
      text: >-
        Peace is "not yet" within reach
  - id: elided
    claim: Russia's proposals will be studied in late June.
    verdict: mixed
    reviewed: 2025-06-06
    summary: Elided.
    quotes:
      - article: delta
        text: Russia's proposals … The next round is set for 20-30 June   # typographic ellipsis
      - article: delta
        text: "the talks were \\"constructive\\" ... proposals would be studied"
"""

EXPECTED = """\
# yaml-language-server: $schema=./site_builder/schemas/claims.schema.json
# Claims checked against the Delta Post report.

claims:
  - id: constructive-talks          # the page is /claims/constructive-talks/
    claim: Umerov called the talks constructive.
    verdict: accurate
    reviewed:   2025-06-04
    tags: [ talks, umerov ]
    summary: |
      Delta Post quotes him directly.

      Nobody else does.
    quotes:
      - article: delta
        text: Umerov said the talks were “constructive” and that Russia’s proposals   # straight
        stance: supports
      - article: delta
        text: 'The next round is set for 20–30 June.'
        stance: context
        note: "Dates: as reported."

  # The next quote was typed with a line break and a doubled space.
  - id: bodies
    claim: Both sides will exchange 6,000 bodies each.
    verdict: accurate
    reviewed: 2025-06-05
    tags: [remains]
    summary: >
      One outlet, one quote.
    quotes:
    - article: delta
      text: "“We agreed to exchange 6,000 bodies each,” he said"
    - article: delta
      text: Officials called it ‘a first step’ – nothing more.
    - {article: delta, text: The delegation would return to Kyiv on Tuesday}
    - article: delta
      text: >-
        Peace is “not yet” within reach
  - id: elided
    claim: Russia's proposals will be studied in late June.
    verdict: mixed
    reviewed: 2025-06-06
    summary: Elided.
    quotes:
      - article: delta
        text: Russia’s proposals … The next round is set for 20–30 June   # typographic ellipsis
      - article: delta
        text: "the talks were “constructive” ... proposals would be studied"
"""


def load(tmp_path: Path, claims: str, article: str = DELTA) -> Site:
    root = write_site(
        tmp_path / "site",
        {
            "content/site.yaml": SITE_YAML,
            "content/articles/delta.md": article,
            "claims.yaml": claims,
        },
    )
    diagnostics = Diagnostics()
    site = load_site(root, diagnostics)
    assert site is not None
    return site


def fix(tmp_path: Path, claims: str) -> str:
    return apply_fixes(claims, plan_fixes(load(tmp_path, claims)))


def test_typography_drift_becomes_the_articles_characters_and_nothing_else_changes(
    tmp_path: Path,
) -> None:
    assert fix(tmp_path, CLAIMS) == EXPECTED


def test_the_fixed_file_resolves_and_needs_no_more_fixes(tmp_path: Path) -> None:
    site = load(tmp_path, EXPECTED)
    assert plan_fixes(site) == ()
    assert sum(len(claim.quotes) for claim in site.claims) == 8


def test_a_fix_says_where_and_what(tmp_path: Path) -> None:
    fixes = plan_fixes(load(tmp_path, CLAIMS))
    assert fixes[0] == QuoteFix(
        Location("claims.yaml", 16, 15),
        'Umerov said the talks were "constructive" and that Russia\'s proposals',
        "Umerov said the talks were “constructive” and that Russia’s proposals",
    )
    # The flow-style quote already matches; the other seven drift.
    assert len(fixes) == 7


def test_changed_words_are_never_fixed(tmp_path: Path) -> None:
    claims = CLAIMS.replace("6,000 bodies  each", "5,000 bodies  each").replace(
        "the talks were", "the talk was"
    )
    site = load(tmp_path, claims)
    fixed = {fix.old for fix in plan_fixes(site)}
    assert not any("5,000" in old or "talk was" in old for old in fixed)
    result = apply_fixes(claims, plan_fixes(site))
    assert '"\\"We agreed to exchange\n        5,000 bodies  each,\\" he said"' in result
    assert 'text: "the talk was \\"constructive\\" ... proposals would be studied"' in result


def test_exact_quotes_are_left_alone(tmp_path: Path) -> None:
    assert plan_fixes(load(tmp_path, EXPECTED)) == ()
    assert apply_fixes(CLAIMS, ()) == CLAIMS


def test_elisions_are_kept_as_written() -> None:
    pieces = ["Russia’s proposals", "20–30 June"]
    assert (
        exact_quote("Russia's proposals … 20-30 June", pieces) == "Russia’s proposals … 20–30 June"
    )
    assert (
        exact_quote("Russia's proposals...20-30 June", pieces) == "Russia’s proposals...20–30 June"
    )
    assert exact_quote("… Russia's proposals", pieces[:1]) == "… Russia’s proposals"


def test_only_typography_may_differ() -> None:
    assert exact_quote("Russia's proposal", ["Russia’s proposals"]) is None
    assert exact_quote("a ... b", ["a"]) is None  # pieces and spans must line up
    # Soft wraps and invisible characters in the article are not the words.
    assert exact_quote("return  to", ["return\nto"]) == "return to"
    assert exact_quote("co-operate", ["co\u00ad‐operate"]) == "co‐operate"


# A claims.yaml in which one quote of each style is rewritten to a value that needs care.
STYLES = {
    "plain": "text: old words\n",
    "single": "text: 'old words'\n",
    "double": 'text: "old words"\n',
    "literal": "text: |\n          old words\n",
    "folded": "text: >-  # folded\n          old words\n",
    "flow": "{article: delta, text: old words}\n",
}
TRICKY = [
    "key: value",
    "hash #tag",
    "both ' and \" quotes",
    '"leading double',
    "'leading single",
    "- dash first",
    "ends with colon:",
    "2025-06-04",
    "1,000",
    "true",
    "a, b [c] {d}",
    "back\\slash",
    "  padded  ",
    "tab\there",
    "curly “quotes” – dash’s",
]


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("new", TRICKY)
def test_any_new_value_stays_valid_yaml(style: str, new: str) -> None:
    head = "# top\nclaims:\n  - id: x   # c\n    quotes:\n      - "
    tail = "      - article: delta   # after\n        text: 'untouched'\n"
    prefix = "article: delta\n        " if style != "flow" else ""
    text = head + prefix + STYLES[style] + tail
    old = "old words\n" if style == "literal" else "old words"
    column = 15 if style != "flow" else 32
    line = 6 if style != "flow" else 5
    fixed = apply_fixes(
        text,
        [QuoteFix(Location("claims.yaml", line, column), old, new + "\n" * (style == "literal"))],
    )
    data = yaml.safe_load(fixed)
    assert data["claims"][0]["quotes"][0]["text"] == new + "\n" * (style == "literal")
    assert data["claims"][0]["quotes"][1]["text"] == "untouched"
    written = STYLES[style]
    assert fixed.startswith(head + prefix + written[: written.index("text: ") + len("text: ")])
    assert fixed.endswith(tail)


def test_a_value_that_fits_keeps_its_style() -> None:
    for style, written in STYLES.items():
        text = "claims:\n  - quotes:\n      - " + (
            "article: delta\n        " if style != "flow" else ""
        )
        text += written
        old = "old words\n" if style == "literal" else "old words"
        new = "new’s words\n" if style == "literal" else "new’s words"
        location = (
            Location("claims.yaml", 4, 15) if style != "flow" else Location("claims.yaml", 3, 32)
        )
        assert apply_fixes(text, [QuoteFix(location, old, new)]) == text.replace(
            "old words", "new’s words"
        )


def test_a_value_that_needs_quoting_becomes_double_quoted() -> None:
    text = "quotes:\n  - text: old   # keep this comment\n"
    fixed = apply_fixes(text, [QuoteFix(Location("claims.yaml", 2, 11), "old", '"Peace": #1')])
    assert fixed == 'quotes:\n  - text: "\\"Peace\\": #1"   # keep this comment\n'


def test_a_stale_fix_is_refused() -> None:
    text = "quotes:\n  - text: changed since\n"
    with pytest.raises(FixError, match=r"claims\.yaml:2:11"):
        apply_fixes(text, [QuoteFix(Location("claims.yaml", 2, 11), "old", "new")])


def test_an_anchored_scalar_keeps_its_anchor() -> None:
    text = "a:\n  text: &q it's\nb:\n  text: *q\n"
    fixed = apply_fixes(text, [QuoteFix(Location("claims.yaml", 2, 9), "it's", "it’s")])
    assert fixed == "a:\n  text: &q it’s\nb:\n  text: *q\n"


def test_crlf_line_endings_are_kept() -> None:
    text = "quotes:\r\n  - text: |\r\n      it's\r\n  - text: x\r\n"
    fixed = apply_fixes(text, [QuoteFix(Location("claims.yaml", 2, 11), "it's\n", "it’s\n")])
    assert fixed == "quotes:\r\n  - text: |\r\n      it’s\r\n  - text: x\r\n"
