"""Bad input, end to end: `site-builder build` exits 1 with exact located diagnostics.

Each case starts from a small valid site that has been built once, breaks one thing, and builds
again: the command must exit 1, print exactly the expected diagnostics (file:line:col, message,
hint), print no traceback, and leave the previous output byte for byte as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.cli.main import main

from .conftest import ALPHA, BETA_GONE, CLAIM_HEAD, CLAIMS, QUOTES, VALID_SITE, write_site
from .test_build import tree

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
        [
            "claims.yaml:5:15: error: '2025-02-30' is not a real date\n    hint: Check the month and day."
        ],
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
        {
            "claims.yaml": CLAIM_HEAD
            + QUOTES.replace("text: exchange 6,000 bodies each", 'text: " "')
        },
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
        {
            "claims.yaml": CLAIM_HEAD.replace(
                "summary: Alpha says each; Beta says one way.", "summary: [a, b]"
            )
            + QUOTES
        },
        ["claims.yaml:6:14: error: 'summary' must be text, not a list"],
    ),
    (
        "stance outside the list",
        {"claims.yaml": CLAIM_HEAD + QUOTES + "        stance: agrees\n"},
        [
            "claims.yaml:12:17: error: 'stance' must be one of: supports, contradicts, mixed, context; got 'agrees'"
        ],
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
        {
            "content/articles/beta.md": "---\ntitle: Beta\noutlet: Beta Wire\nRussia will hand over 6,000 bodies.\n"
        },
        [
            *BETA_GONE,
            "content/articles/beta.md:1:1: error: front matter is not closed: no second '---' line\n"
            "    hint: Add a line '---' after the last front matter field.",
        ],
    ),
    (
        "front matter without an outlet",
        {
            "content/articles/beta.md": "---\ntitle: Beta\n---\nRussia will hand over 6,000 bodies.\n"
        },
        [
            *BETA_GONE,
            "content/articles/beta.md:2:1: error: missing required field 'outlet'\n"
            "    hint: The publisher's name, never invented.",
        ],
    ),
    (
        "front matter with a bad date",
        {
            "content/articles/beta.md": "---\ntitle: Beta\noutlet: Beta Wire\npublished: 2025-13-01\n---\nText.\n"
        },
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
        {
            "content/articles/beta.md": "---\ntitle: Beta\noutlet: Beta Wire\nurl: javascript:alert(1)\n---\nText.\n"
        },
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
            + "".join(
                f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
                f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
                f"*{chr(97 + i)}, *{chr(97 + i)}]\n"
                for i in range(8)
            )
        },
        [
            "claims.yaml:6:4: error: YAML aliases expand the document to more than 200413 values\n"
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


RESOLUTION_AND_TEMPLATES = [
    (
        "quote not found shows the closest wording",
        {
            "claims.yaml": CLAIMS.replace(
                "hand over 6,000 bodies to Kyiv", "hand over 5,000 bodies to Kyiv"
            )
        },
        [
            "claims.yaml:13:15: error: quote not found in beta; closest wording is sentence 1 "
            '(line 6, 97% similar): "hand over 6,000 bodies to Kyiv"\n'
            "    hint: differs: '5,000' → '6,000'\n"
            "          numbers differ: this may be a different fact, not a typo\n"
            "          Copy the article's current words into the quote if they still support the claim."
        ],
    ),
    (
        "ambiguous quote lists every place",
        {
            "content/articles/alpha.md": ALPHA
            + "\nThey agreed to exchange 6,000 bodies each, he repeated.\n"
        },
        [
            "claims.yaml:10:15: error: quote occurs 2 times in alpha: sentence 2 (line 5), sentence 4 (line 9)\n"
            "    hint: Quote more words so it is unique, or add 'occurrence: N' to pick one."
        ],
    ),
    (
        "occurrence beyond the count",
        {
            "claims.yaml": CLAIMS.replace(
                "        text: exchange 6,000 bodies each\n",
                "        text: exchange 6,000 bodies each\n        occurrence: 2\n",
            )
        },
        [
            "claims.yaml:10:15: error: occurrence 2 asked for, but the quote occurs 1 time(s) in alpha\n"
            "    hint: Lower 'occurrence' or quote different words."
        ],
    ),
    (
        "sentence number out of range",
        {
            "claims.yaml": CLAIMS.replace(
                "        text: lasted about an hour", "        sentence: 9"
            )
        },
        [
            "claims.yaml:24:19: error: sentence 9 is out of range: beta has 2 sentences\n"
            "    hint: List them with: site-builder sentences beta"
        ],
    ),
    (
        "elided pieces out of order",
        {"claims.yaml": CLAIMS.replace("hand over 6,000 bodies to Kyiv", "to Kyiv … hand over")},
        [
            "claims.yaml:13:15: error: quote not found in beta: its pieces are not in this order within one paragraph\n"
            "    hint: The words around an elision (… or ...) must come in order in a single paragraph."
        ],
    ),
    (
        "quote with neither text nor sentence",
        {
            "claims.yaml": CLAIM_HEAD
            + QUOTES.replace(
                "        text: hand over 6,000 bodies to Kyiv\n", "        stance: supports\n"
            )
        },
        [
            "claims.yaml:10:9: error: a quote needs either 'text' or 'sentence'\n"
            "    hint: Give the article's exact words in 'text' (preferred) or a sentence number in 'sentence'."
        ],
    ),
    (
        "claims.yaml that is not a mapping",
        {"claims.yaml": "- id: a\n"},
        ["claims.yaml:1:1: error: claims.yaml must be a mapping with a 'claims:' list"],
    ),
    (
        "missing site settings",
        {"content/site.yaml": None},
        [
            "content/site.yaml:1:1: error: site settings not found\n"
            "    hint: Create content/site.yaml with title, base_url and ratings (see README.md)."
        ],
    ),
    (
        "article without front matter",
        {"content/articles/beta.md": "Russia will hand over 6,000 bodies to Kyiv next week.\n"},
        [
            *BETA_GONE,
            "content/articles/beta.md:1:1: error: no front matter: the file must begin with a line '---'\n"
            "    hint: Start the file with ---, then title: and outlet: lines, then --- and the text.",
        ],
    ),
    (
        "article file name that is not a slug",
        {"content/articles/Gamma Report.md": "---\ntitle: G\noutlet: Gamma\n---\nText.\n"},
        [
            "content/articles/Gamma Report.md:1:1: error: article file name 'Gamma Report.md' is not a slug\n"
            "    hint: Rename it to 'gamma-report.md': lowercase letters, digits and hyphens, at most 100 characters."
        ],
    ),
    (
        "page that would replace a section of the site",
        {"content/pages/claims.md": "---\ntitle: Claims\n---\nText.\n"},
        [
            "content/pages/claims.md:1:1: error: page file name 'claims.md' cannot be used\n"
            "    hint: Use a lowercase slug of at most 100 characters that is not one of: "
            "404, articles, claims, index, outlets, page, pagefind, ratings, static, tags"
        ],
    ),
    (
        "template syntax error keeps the template's line",
        {
            "templates/claim.html": "{% extends 'base.html' %}\n{% block main %}\n{% if %}\n{% endblock %}\n"
        },
        [
            "templates/claim.html:3:1: error: template syntax: Expected an expression, got 'end of statement block'\n"
            "    hint: fix the Jinja2 syntax at this line"
        ],
    ),
    (
        "undefined template variable keeps the template's line",
        {
            "templates/tag.html": "{% extends 'base.html' %}\n{% block main %}\n<p>{{ tag.nope }}</p>\n{% endblock %}\n"
        },
        [
            "templates/tag.html:3:1: error: undefined in template: 'str object' has no attribute 'nope'\n"
            "    hint: templates get plain values from site_builder/pages/; check the name's spelling"
        ],
    ),
]

STRICT_WARNINGS = [
    (
        "claim quoting one outlet",
        {
            "claims.yaml": CLAIM_HEAD
            + QUOTES.replace(
                "article: beta\n        text: hand over 6,000 bodies to Kyiv",
                "article: alpha\n        text: Mr. Smith said",
            )
        },
        [
            "claims.yaml:2:5: error: claim 'bodies-each' quotes only one article\n"
            "    hint: A claim page compares outlets; add a quote from another article.",
            "content/articles/beta.md:1:1: error: no claim quotes article 'beta'\n"
            "    hint: Quote it in claims.yaml, or remove it if it does not belong to this site.",
        ],
    ),
    (
        "article no claim quotes",
        {
            "content/articles/gamma.md": "---\ntitle: G\noutlet: Gamma Daily\n---\nAn unquoted report.\n"
        },
        [
            "content/articles/gamma.md:1:1: error: no claim quotes article 'gamma'\n"
            "    hint: Quote it in claims.yaml, or remove it if it does not belong to this site."
        ],
    ),
    (
        "claim longer than 75 characters",
        {
            "claims.yaml": CLAIMS.replace(
                "claim: The talks lasted about an hour.",
                "claim: The talks in Istanbul lasted about an hour, according to both of the outlets.",
            )
        },
        [
            "claims.yaml:16:12: error: claim is 77 characters long, over 75\n"
            "    hint: Search engines show at most 75 characters of a ClaimReview's claim; shorten it."
        ],
    ),
]

CASES = [
    (name, files, [], lines) for name, files, lines in BAD_INPUT + RESOLUTION_AND_TEMPLATES
] + [(name, files, ["--strict"], lines) for name, files, lines in STRICT_WARNINGS]


@pytest.mark.parametrize(
    ("files", "flags", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_fails_with_located_diagnostics(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, str | bytes | None],
    flags: list[str],
    expected: list[str],
) -> None:
    root = write_site(tmp_path / "site", dict(VALID_SITE))
    out = tmp_path / "output"
    assert main(["build", "--strict", "--root", str(root), "--out", str(out)]) == 0
    before = tree(out)
    for name, content in files.items():
        if content is None:
            (root / name).unlink()
    write_site(root, {name: content for name, content in files.items() if content is not None})
    capsys.readouterr()

    assert main(["build", "--root", str(root), "--out", str(out), *flags]) == 1

    err = capsys.readouterr().err
    assert "Traceback" not in err
    *diagnostics, summary = err.rstrip("\n").split("\n")
    assert summary.startswith("site-builder: build failed:") and summary.endswith(
        f"{out} left unchanged"
    )
    assert "\n".join(diagnostics) == "\n".join(expected)
    assert tree(out) == before


def test_there_is_a_case_for_every_kind_of_mistake() -> None:
    assert len(CASES) >= 30
