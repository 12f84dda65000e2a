"""Quote suggestions: the right sentence first, only unquoted articles, YAML that pastes back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pytest
import yaml

from site_builder.build.builder import load_site
from site_builder.diagnostics import Diagnostics, Location
from site_builder.model import (
    Article,
    Block,
    Claim,
    Quote,
    ResolvedClaim,
    ResolvedQuote,
    SegmentedArticle,
    Sentence,
)
from site_builder.quotes.resolve import resolve_claims
from site_builder.quotes.suggest import Suggestion, suggest, suggestions_yaml

ROOT = Path(__file__).resolve().parent.parent
FRONT = "---\ntitle: T\noutlet: O\n---\n"


def segmented(slug: str, sentences: Sequence[str]) -> SegmentedArticle:
    """A one-paragraph article with exactly these sentences (one space between them)."""
    source = FRONT
    parsed: list[Sentence] = []
    for text in sentences:
        if parsed:
            source += " "
        start = len(source)
        source += text
        parsed.append(Sentence(len(parsed) + 1, 0, start, len(source), 5, text))
    block = Block(0, "paragraph", len(FRONT), len(source), 5)
    article = Article(slug, f"content/articles/{slug}.md", source + "\n", len(FRONT), "T", "O", "o")
    return SegmentedArticle(article, (block,), tuple(parsed))


def claim(statement: str, *quoted: tuple[str, int]) -> ResolvedClaim:
    """A claim quoting sentence N of each (article, N) in `quoted`."""
    location = Location("claims.yaml", 1, 3)
    quotes = tuple(
        ResolvedQuote(Quote(slug, location, sentence=number), ((0, 1),), (number,))
        for slug, number in quoted
    )
    return ResolvedClaim(
        Claim(
            "c",
            statement,
            "confirmed",
            dt.date(2025, 6, 4),
            (),
            "",
            tuple(q.quote for q in quotes),
            location,
        ),
        quotes,
    )


QUOTED = segmented(
    "outlet-a",
    [
        "The talks in Istanbul were short.",
        "Umerov said both sides agreed to exchange 6,000 bodies of killed soldiers each.",
    ],
)
CANDIDATE = segmented(
    "outlet-b",
    [
        "Both sides met in Istanbul on Monday and agreed to keep talking.",
        "The soldiers' families were not told when the bodies would come home.",
        "Rustem Umerov said Kyiv and Moscow would hand over 6,000 bodies each.",
        "The talks lasted just over an hour.",
        "Both sides agreed that both sides agreed.",
    ],
)
OTHER = segmented("outlet-c", ["The weather in Istanbul was fine.", "Bodies of water were calm."])
BODIES = claim("Both sides agreed to hand over 6,000 soldiers' bodies each.", ("outlet-a", 2))


def test_the_sentence_sharing_numbers_and_names_ranks_first() -> None:
    ranked = [s for s in suggest(BODIES, [QUOTED, CANDIDATE, OTHER]) if s.article == "outlet-b"]
    assert ranked[0].sentence.number == 3
    assert ranked[0].score > ranked[1].score
    assert all(0.0 <= s.score <= 1.0 for s in ranked)


def test_articles_the_claim_quotes_are_not_suggested_and_come_in_slug_order() -> None:
    suggestions = suggest(BODIES, [OTHER, CANDIDATE, QUOTED])
    assert [s.article for s in suggestions] == ["outlet-b"] * 3 + ["outlet-c"] * 2
    quoting_both = claim(BODIES.claim.claim, ("outlet-a", 2), ("outlet-b", 3))
    assert {s.article for s in suggest(quoting_both, [QUOTED, CANDIDATE, OTHER])} == {"outlet-c"}


@pytest.mark.parametrize(("limit", "expected"), [(0, 0), (1, 1), (2, 2), (3, 3), (10, 5)])
def test_limit_is_the_most_sentences_per_article(limit: int, expected: int) -> None:
    suggestions = suggest(BODIES, [QUOTED, CANDIDATE], limit=limit)
    assert len(suggestions) == expected
    scores = [s.score for s in suggestions]
    assert scores == sorted(scores, reverse=True)


def test_order_is_deterministic_and_ties_go_to_the_earlier_sentence() -> None:
    twins = segmented("twins", ["Kyiv got 6,000 bodies.", "Kyiv got 6,000 bodies.", "Rain."])
    first = suggest(BODIES, [QUOTED, twins, CANDIDATE, OTHER])
    again = suggest(BODIES, [OTHER, CANDIDATE, twins, QUOTED])
    assert first == again
    tied = [s for s in first if s.article == "twins"]
    assert tied[0].score == tied[1].score
    assert [s.sentence.number for s in tied[:2]] == [1, 2]


TRICKY = segmented(
    "outlet-q",
    [
        'He said: "we will return 6,000 bodies" # not a comment',
        "It's 'two or three days': a truce, Medinsky\u2019s team said \u2013 \u201cmaybe\u201d.",
        "- a dash, {braces}, [brackets], &anchor *alias, 50% and a backslash \\ too",
        "@at, `tick`, |pipe, >fold, %percent, !tag, ? key, yes, null, 6,000: a number key",
    ],
)


def test_yaml_parses_back_to_the_exact_sentences() -> None:
    suggestions = suggest(BODIES, [QUOTED, TRICKY], limit=10)
    pasted = "claims:\n  - id: c\n    quotes:\n" + suggestions_yaml(suggestions)
    quotes = yaml.safe_load(pasted)["claims"][0]["quotes"]
    assert quotes == [
        {"article": "outlet-q", "text": s.sentence.text, "stance": "supports"} for s in suggestions
    ]
    assert sorted(q["text"] for q in quotes) == sorted(s.text for s in TRICKY.sentences)


def test_pasted_text_resolves_to_the_suggested_sentence() -> None:
    """What the editor pastes is a valid quote of exactly that sentence, line breaks and all."""
    wrapped = segmented("outlet-w", ["Kyiv will get\n6,000\u2028bodies,\tofficials said.", "Rain."])
    suggestions = suggest(BODIES, [QUOTED, TRICKY, wrapped], limit=10)
    pasted = yaml.safe_load("quotes:\n" + suggestions_yaml(suggestions))["quotes"]
    location = Location("claims.yaml", 1, 1)
    quotes = tuple(
        Quote(q["article"], location, text=q["text"], value_location=location) for q in pasted
    )
    pasted_claim = Claim("p", "x", "confirmed", dt.date(2025, 6, 4), (), "", quotes, location)
    diagnostics = Diagnostics()
    (resolved,) = resolve_claims([pasted_claim], [TRICKY, wrapped], diagnostics)
    assert diagnostics.sorted() == ()
    assert [q.sentences for q in resolved.quotes] == [(s.sentence.number,) for s in suggestions]
    assert pasted[-2]["text"] == "Kyiv will get 6,000 bodies, officials said."


def test_yaml_lines_show_score_sentence_and_line_and_match_claims_indentation() -> None:
    sentence = Sentence(7, 0, 0, 10, 12, "Some words.")
    text = suggestions_yaml([Suggestion("outlet-b", sentence, 0.8212)])
    first, second, third = text.splitlines()
    assert first.startswith("      - article: outlet-b ")
    assert first.endswith("# score 0.82, sentence 7 (line 12)")
    assert second == '        text: "Some words."'
    assert third.startswith("        stance: supports ")
    assert suggestions_yaml([]) == ""


def test_real_site_finds_the_unquoted_reports_of_the_remains_handover() -> None:
    """remains-next-week quotes outlets A, C and ICARO; B and D report the 6,000 bodies too."""
    diagnostics = Diagnostics()
    site = load_site(ROOT, diagnostics)
    assert site is not None
    (claim,) = [c for c in site.claims if c.claim.id == "remains-next-week"]
    top = {(s.article, s.sentence.text) for s in suggest(claim, site.articles, limit=3)}
    assert {slug for slug, _ in top} == {"outlet-b", "outlet-d"}
    assert any(slug == "outlet-b" and "remains of 6,000 soldiers" in text for slug, text in top)
    assert any(
        slug == "outlet-d" and "6,000 bodies of killed soldiers" in text for slug, text in top
    )
