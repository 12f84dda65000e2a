"""Loading and validating editors' files: every mistake is a located, explained diagnostic."""

from __future__ import annotations

from pathlib import Path

from site_builder.config import load_config
from site_builder.diagnostics import Diagnostics
from site_builder.load import load_articles, load_claims, load_pages

from .conftest import CLAIM_HEAD, QUOTES, VALID_SITE, write_site


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
    claims = CLAIM_HEAD.replace(
        "Both sides agreed to exchange 6,000 bodies each.", long_claim
    ) + QUOTES.replace(
        "article: beta\n        text: hand over 6,000 bodies to Kyiv",
        "article: alpha\n        text: Mr. Smith said",
    )
    root = write_site(tmp_path, {**VALID_SITE, "claims.yaml": claims})
    assert diagnose(root) == [
        "claims.yaml:2:5: warning: claim 'bodies-each' quotes only one article\n"
        "    hint: A claim page compares outlets; add a quote from another article.",
        "claims.yaml:3:12: warning: claim is 80 characters long, over 75\n"
        "    hint: Search engines show at most 75 characters of a ClaimReview's claim; shorten it.",
    ]
