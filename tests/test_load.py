"""Loading and validating editors' files: every mistake is a located, explained diagnostic."""

from __future__ import annotations

from pathlib import Path

from site_builder.diagnostics import Diagnostics
from site_builder.load.articles import load_articles, load_claims, load_pages
from site_builder.load.config import load_config

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
    assert first.quotes[1].value_location is not None
    assert first.quotes[1].value_location.line == 13
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


def test_a_tag_yaml_cannot_read_is_an_error_not_a_crash(tmp_path: Path) -> None:
    alpha = VALID_SITE["content/articles/alpha.md"].replace("outlet: Alpha News", "outlet: <<")
    beta = VALID_SITE["content/articles/beta.md"].replace(
        "title: ", "author: !!python/object:os.system x\ntitle: "
    )
    root = write_site(
        tmp_path,
        {**VALID_SITE, "content/articles/alpha.md": alpha, "content/articles/beta.md": beta},
    )
    lines = diagnose(root)
    assert (
        "content/articles/alpha.md:3:9: error: YAML cannot read '<<' as !!merge\n"
        in "\n".join(lines) + "\n"
    )
    assert any(
        line.startswith(
            "content/articles/beta.md:2:9: error: YAML cannot read 'x' as !!python/object:os.system"
        )
        for line in lines
    )


def test_front_matter_reads_the_same_fast_or_through_libyaml(site_root: Path) -> None:
    from site_builder.load.articles import split_front_matter
    from site_builder.load.yamlsource import parse_with_libyaml

    for name in ("alpha", "beta"):
        text = (site_root / f"content/articles/{name}.md").read_text(encoding="utf-8")
        front = split_front_matter(text, name, Diagnostics(), "article")
        assert front is not None
        yaml_text = text[4 : text.index("\n---\n", 3) + 1]
        slow = parse_with_libyaml(yaml_text, name, Diagnostics(), line_offset=1)
        assert slow is not None
        assert front.document.data == slow.data
        assert dict(front.document.locations) == dict(slow.locations)
