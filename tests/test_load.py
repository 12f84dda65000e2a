"""Loading and validating editors' files: every mistake is a located, explained diagnostic."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.config import load_config
from site_builder.diagnostics import Diagnostics
from site_builder.load import load_articles, load_claims, load_pages

from .conftest import VALID_SITE, write_site

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


def diagnose(root: Path) -> list[str]:
    """Load everything but segmentation; return the diagnostics as the user sees them."""
    diagnostics = Diagnostics()
    config = load_config(root, diagnostics)
    articles = load_articles(root, config, diagnostics)
    load_pages(root, diagnostics)
    load_claims(root, config, [a.slug for a in articles], diagnostics)
    return [d.format() for d in diagnostics.sorted()]


def test_valid_site_has_no_diagnostics(site_root: Path) -> None:
    assert diagnose(site_root) == []


def test_claims_keep_their_locations(site_root: Path) -> None:
    diagnostics = Diagnostics()
    config = load_config(site_root, diagnostics)
    claims = load_claims(site_root, config, ["alpha", "beta"], diagnostics)
    assert [c.id for c in claims] == ["bodies-each", "talks-hour"]
    first = claims[0]
    assert (first.location.line, first.location.column) == (2, 5)
    assert first.quotes[1].text_location is not None
    assert first.quotes[1].text_location.line == 13
    assert first.quotes[0].stance == "supports"
    assert str(first.reviewed) == "2025-06-04"


BAD_INPUT = [
    (
        "unknown key with did-you-mean",
        {"claims.yaml": CLAIM_HEAD + QUOTES.replace("    quotes:", "    quotse:")},
        [
            "claims.yaml:2:5: error: missing required field 'quotes' in claim 1\n"
            "    hint: The passages of the articles that bear on the claim, in the outlets' exact words.",
            "claims.yaml:7:5: error: unknown key 'quotse'\n    hint: did you mean 'quotes'?",
        ],
    ),
    (
        "duplicate key in one mapping",
        {"claims.yaml": CLAIM_HEAD + "    verdict: accurate\n" + QUOTES},
        [
            "claims.yaml:7:5: error: duplicate key 'verdict' (first at line 4)\n"
            "    hint: Remove one of the two; only one value can apply."
        ],
    ),
    (
        "unknown verdict lists the valid keys",
        {"claims.yaml": CLAIM_HEAD.replace("verdict: mixed", "verdict: misleading") + QUOTES},
        [
            "claims.yaml:4:14: error: unknown verdict 'misleading'\n"
            "    hint: Use one of the ratings in content/site.yaml: accurate, mixed, inaccurate"
        ],
    ),
    (
        "unknown article with did-you-mean",
        {"claims.yaml": CLAIM_HEAD + QUOTES.replace("article: beta", "article: betta")},
        [
            "claims.yaml:10:18: error: unknown article 'betta': no content/articles/betta.md\n"
            "    hint: did you mean 'beta'?"
        ],
    ),
    (
        "impossible date",
        {"claims.yaml": CLAIM_HEAD.replace("2025-06-04", "2025-02-30") + QUOTES},
        ["claims.yaml:5:15: error: '2025-02-30' is not a real date\n    hint: Check the month and day."],
    ),
    (
        "date in the wrong form",
        {"claims.yaml": CLAIM_HEAD.replace("2025-06-04", "June 4, 2025") + QUOTES},
        [
            "claims.yaml:5:15: error: 'reviewed' 'June 4, 2025' is not valid\n"
            "    hint: write the date as YYYY-MM-DD, e.g. 2025-06-02"
        ],
    ),
    (
        "id that is not a slug",
        {"claims.yaml": CLAIM_HEAD.replace("id: bodies-each", "id: Bodies Each") + QUOTES},
        [
            "claims.yaml:2:9: error: 'id' 'Bodies Each' is not valid\n"
            "    hint: use lowercase letters, digits and single hyphens, e.g. 'remains-exchange'"
        ],
    ),
    (
        "duplicate claim ids",
        {"claims.yaml": CLAIM_HEAD + QUOTES + CLAIM_HEAD.removeprefix("claims:\n") + QUOTES},
        [
            "claims.yaml:12:9: error: duplicate claim id 'bodies-each' (first used at line 2)\n"
            "    hint: Each claim needs its own id; it is the claim page's URL."
        ],
    ),
    (
        "empty quote",
        {"claims.yaml": CLAIM_HEAD + QUOTES.replace("text: exchange 6,000 bodies each", 'text: " "')},
        ["claims.yaml:9:15: error: empty quote\n    hint: Copy the article's words here."],
    ),
    (
        "quote with both text and sentence",
        {"claims.yaml": CLAIM_HEAD + QUOTES + "        sentence: 2\n"},
        [
            "claims.yaml:10:9: error: a quote has both 'text' and 'sentence'\n"
            "    hint: Give the article's exact words in 'text' (preferred) or a sentence number in 'sentence'."
        ],
    ),
    (
        "wrong type",
        {"claims.yaml": CLAIM_HEAD.replace("summary: Alpha says each; Beta says one way.", "summary: [a, b]") + QUOTES},
        ["claims.yaml:6:14: error: 'summary' must be text, not a list"],
    ),
    (
        "stance outside the list",
        {"claims.yaml": CLAIM_HEAD + QUOTES + "        stance: agrees\n"},
        ["claims.yaml:12:17: error: 'stance' must be one of: supports, contradicts, mixed, context; got 'agrees'"],
    ),
    (
        "YAML syntax error keeps the parser's line and column",
        {"claims.yaml": CLAIM_HEAD.replace("verdict: mixed", 'verdict: "mixed') + QUOTES},
        [
            "claims.yaml:12:1: error: YAML syntax: found unexpected end of stream (while scanning a quoted scalar)\n"
            "    hint: Check the indentation and quoting on this line and the one above it."
        ],
    ),
    (
        "tab indentation",
        {"claims.yaml": CLAIM_HEAD.replace("    verdict: mixed", "\tverdict: mixed") + QUOTES},
        [
            "claims.yaml:4:1: error: YAML syntax: found character '\\t' that cannot start any token "
            "(while scanning for the next token)\n"
            "    hint: YAML does not allow tabs for indentation; indent with spaces."
        ],
    ),
    (
        "front matter without its closing line",
        {"content/articles/beta.md": "---\ntitle: Beta\noutlet: Beta Wire\nRussia will hand over 6,000 bodies.\n"},
        [
            *BETA_GONE,
            "content/articles/beta.md:1:1: error: front matter is not closed: no second '---' line\n"
            "    hint: Add a line '---' after the last front matter field.",
        ],
    ),
    (
        "front matter without an outlet",
        {"content/articles/beta.md": "---\ntitle: Beta\n---\nRussia will hand over 6,000 bodies.\n"},
        [
            *BETA_GONE,
            "content/articles/beta.md:2:1: error: missing required field 'outlet'\n"
            "    hint: The publisher's name, never invented.",
        ],
    ),
    (
        "front matter with a bad date",
        {"content/articles/beta.md": "---\ntitle: Beta\noutlet: Beta Wire\npublished: 2025-13-01\n---\nText.\n"},
        [
            *BETA_GONE,
            "content/articles/beta.md:4:12: error: '2025-13-01' is not a real date\n    hint: Check the month and day.",
        ],
    ),
    (
        "article file that is not UTF-8",
        {"content/articles/beta.md": b"---\ntitle: Beta\noutlet: Beta Wire\n---\nCaf\xe9 talks.\n"},
        [
            *BETA_GONE,
            "content/articles/beta.md:5:4: error: file is not UTF-8: byte 0xe9 cannot be decoded\n"
            "    hint: Save the file as UTF-8 in your editor.",
        ],
    ),
    (
        "url that is not http or https",
        {"content/articles/beta.md": "---\ntitle: Beta\noutlet: Beta Wire\nurl: javascript:alert(1)\n---\nText.\n"},
        [
            *BETA_GONE,
            "content/articles/beta.md:4:6: error: 'url' 'javascript:alert(1)' is not valid\n"
            "    hint: use an http:// or https:// address",
        ],
    ),
    (
        "YAML alias bomb is refused",
        {
            "claims.yaml": "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
                      f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
                      f"*{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))
        },
        [
            "claims.yaml:6:4: error: YAML document expands to more than 200000 values\n"
            "    hint: Aliases and nesting this deep are refused; write the values out."
        ],
    ),
    (
        "site settings with an unknown key",
        {"content/site.yaml": VALID_SITE["content/site.yaml"] + "baseurl: https://x.example/\n"},
        [
            "content/site.yaml:18:1: error: unknown key 'baseurl'\n    hint: did you mean 'base_url'?",
        ],
    ),
]


@pytest.mark.parametrize(("files", "expected"), [c[1:] for c in BAD_INPUT], ids=[c[0] for c in BAD_INPUT])
def test_bad_input_is_located(tmp_path: Path, files: dict[str, str | bytes], expected: list[str]) -> None:
    root = write_site(tmp_path, {**VALID_SITE, **files})
    assert diagnose(root) == expected


def test_all_problems_are_reported_in_one_run(tmp_path: Path) -> None:
    claims = CLAIM_HEAD.replace("verdict: mixed", "verdict: nope") + QUOTES.replace("alpha", "alfa")
    root = write_site(tmp_path, {**VALID_SITE, "claims.yaml": claims})
    lines = diagnose(root)
    assert [line.split(": error")[0] for line in lines] == ["claims.yaml:4:14", "claims.yaml:8:18"]


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    beta = "\ufeff" + VALID_SITE["content/articles/beta.md"].replace("\n", "\r\n")
    root = write_site(tmp_path, {**VALID_SITE})
    (root / "content/articles/beta.md").write_bytes(beta.encode("utf-8"))
    diagnostics = Diagnostics()
    articles = load_articles(root, load_config(root, diagnostics), diagnostics)
    assert diagnostics.items == []
    beta_article = next(a for a in articles if a.slug == "beta")
    assert "\r" not in beta_article.source
    assert beta_article.body.startswith("Russia will hand over")
    assert beta_article.published is not None and beta_article.published.isoformat() == "2025-06-02"


def test_long_claim_and_single_outlet_are_warnings(tmp_path: Path) -> None:
    long_claim = "Both sides agreed to exchange 6,000 bodies each, according to every outlet here."
    claims = CLAIM_HEAD.replace("Both sides agreed to exchange 6,000 bodies each.", long_claim) + QUOTES.replace(
        "article: beta\n        text: hand over 6,000 bodies to Kyiv", "article: alpha\n        text: Mr. Smith said"
    )
    root = write_site(tmp_path, {**VALID_SITE, "claims.yaml": claims})
    assert diagnose(root) == [
        "claims.yaml:2:5: warning: claim 'bodies-each' quotes only one article\n"
        "    hint: A claim page compares outlets; add a quote from another article.",
        "claims.yaml:3:12: warning: claim is 80 characters long, over 75\n"
        "    hint: Search engines show at most 75 characters of a ClaimReview's claim; shorten it.",
    ]
