"""Anchoring quotes: typography-insensitive, elisions, ambiguity, and never a silent re-anchor."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from site_builder.diagnostics import Diagnostics, Location
from site_builder.model import Article, Block, Claim, Quote, SegmentedArticle, Sentence
from site_builder.quotes.resolve import fold_typography, normalize, resolve_claims

FRONT = "---\ntitle: T\noutlet: O\n---\n"


def segmented(slug: str, paragraphs: Sequence[Sequence[str]]) -> SegmentedArticle:
    """An article whose paragraphs and sentences are given explicitly (one space between sentences)."""
    source = FRONT
    blocks, sentences = [], []
    for index, paragraph in enumerate(paragraphs):
        if index:
            source += "\n\n"
        block_start = len(source)
        for position, text in enumerate(paragraph):
            if position:
                source += " "
            start = len(source)
            source += text
            sentences.append(
                Sentence(
                    len(sentences) + 1,
                    index,
                    start,
                    len(source),
                    source.count("\n", 0, start) + 1,
                    text,
                )
            )
        blocks.append(
            Block(
                index, "paragraph", block_start, len(source), source.count("\n", 0, block_start) + 1
            )
        )
    source += "\n"
    article = Article(slug, f"content/articles/{slug}.md", source, len(FRONT), "T", "O", "o")
    return SegmentedArticle(article, tuple(blocks), tuple(sentences))


ARTICLE = segmented(
    "wire",
    [
        [
            "Umerov said both sides agreed to exchange 6,000 bodies each.",
            "Medinsky\u2019s team proposed a truce of two\u2013three days.",
            "It would cover \u201ccertain parts of the front line.\u201d",
        ],
        [
            "The talks lasted just over an hour.",
            "The talks lasted just over an hour, officials said.",
        ],
        ["Kyiv wants its support renewed.", "A list of children was handed over."],
    ],
)


def resolve(
    *quotes: Quote, article: SegmentedArticle = ARTICLE
) -> tuple[list[list[str]], list[str]]:
    """Resolve one claim; return the quoted pieces of each resolved quote and the diagnostics."""
    claim = Claim(
        "c", "A claim.", "true", None, (), "S", tuple(quotes), Location("claims.yaml", 1, 3)
    )  # type: ignore[arg-type]
    diagnostics = Diagnostics()
    (resolved,) = resolve_claims([claim], [article], diagnostics)
    source = article.article.source
    pieces = [[source[s:e] for s, e in q.spans] for q in resolved.quotes]
    return pieces, [d.format() for d in diagnostics.sorted()]


def quote(text: str | None = None, **fields: object) -> Quote:
    location = Location("claims.yaml", 7, 9)
    value_location = Location("claims.yaml", 8, 15) if text is not None else None
    return Quote(
        article="wire", location=location, text=text, value_location=value_location, **fields
    )  # type: ignore[arg-type]


def test_exact_words_resolve_to_their_sentence() -> None:
    claim = Claim(
        "c", "x", "true", None, (), "", (quote("exchange 6,000 bodies each"),), Location("c", 1, 1)
    )  # type: ignore[arg-type]
    (resolved,) = resolve_claims([claim], [ARTICLE], Diagnostics())
    assert resolved.quotes[0].sentences == (1,)


def test_typography_is_ignored_and_the_original_characters_are_kept() -> None:
    pieces, problems = resolve(quote("Medinsky's team proposed a truce of two-three days"))
    assert problems == []
    assert pieces == [["Medinsky\u2019s team proposed a truce of two\u2013three days"]]


def test_white_space_and_line_breaks_are_ignored() -> None:
    pieces, problems = resolve(quote("  exchange\n   6,000 bodies\teach "))
    assert problems == []
    assert pieces == [["exchange 6,000 bodies each"]]


def test_straight_quotes_in_the_quote_match_curly_ones_in_the_article() -> None:
    pieces, problems = resolve(quote('"certain parts of the front line."'))
    assert problems == []
    assert pieces == [["\u201ccertain parts of the front line.\u201d"]]


@pytest.mark.parametrize("elision", ["\u2026", "...", " \u2026 ", " ... "])
def test_elided_words_give_one_span_per_piece(elision: str) -> None:
    pieces, problems = resolve(quote(f"Umerov said{elision}6,000 bodies each"))
    assert problems == []
    assert pieces == [["Umerov said", "6,000 bodies each"]]


def test_elided_pieces_must_be_in_one_paragraph() -> None:
    pieces, problems = resolve(quote("bodies each … lasted just over"))
    assert pieces == []
    assert problems == [
        "claims.yaml:8:15: error: quote not found in wire: its pieces are not in this order within one paragraph\n"
        "    hint: The words around an elision (… or ...) must come in order in a single paragraph."
    ]


def test_a_quote_may_span_sentences() -> None:
    claim = Claim(
        "c", "x", "true", None, (), "", (quote("each. Medinsky's team"),), Location("c", 1, 1)
    )  # type: ignore[arg-type]
    (resolved,) = resolve_claims([claim], [ARTICLE], Diagnostics())
    assert resolved.quotes[0].sentences == (1, 2)


def test_an_ambiguous_quote_lists_every_place() -> None:
    pieces, problems = resolve(quote("The talks lasted just over an hour"))
    assert pieces == []
    assert problems == [
        "claims.yaml:8:15: error: quote occurs 2 times in wire: sentence 4 (line 7), sentence 5 (line 7)\n"
        "    hint: Quote more words so it is unique, or add 'occurrence: N' to pick one."
    ]


def test_occurrence_picks_one_place() -> None:
    claim = Claim(
        "c",
        "x",
        "true",
        None,
        (),
        "",  # type: ignore[arg-type]
        (quote("The talks lasted just over an hour", occurrence=2),),
        Location("c", 1, 1),
    )
    (resolved,) = resolve_claims([claim], [ARTICLE], Diagnostics())
    assert resolved.quotes[0].sentences == (5,)


def test_occurrence_beyond_the_count_is_an_error() -> None:
    _, problems = resolve(quote("The talks lasted just over an hour", occurrence=3))
    assert problems == [
        "claims.yaml:8:15: error: occurrence 3 asked for, but the quote occurs 2 time(s) in wire\n"
        "    hint: Lower 'occurrence' or quote different words."
    ]


def test_sentence_number_selects_the_whole_sentence() -> None:
    pieces, problems = resolve(quote(sentence=7))
    assert problems == []
    assert pieces == [["A list of children was handed over."]]


def test_sentence_number_out_of_range() -> None:
    _, problems = resolve(quote(sentence=8))
    assert problems == [
        "claims.yaml:7:9: error: sentence 8 is out of range: wire has 7 sentences\n"
        "    hint: List them with: site-builder sentences wire"
    ]


def test_changed_digits_are_never_close_enough() -> None:
    pieces, problems = resolve(quote("agreed to exchange 5,000 bodies each"))
    assert pieces == []
    assert problems == [
        "claims.yaml:8:15: error: quote not found in wire; closest wording is sentence 1 (line 5, 97% similar): "
        '"agreed to exchange 6,000 bodies each"\n'
        "    hint: differs: '5,000' → '6,000'\n"
        "          numbers differ: this may be a different fact, not a typo\n"
        "          Copy the article's current words into the quote if they still support the claim."
    ]


def test_a_match_never_starts_inside_a_word() -> None:
    pieces, problems = resolve(quote("port renewed"))
    assert pieces == []
    assert len(problems) == 1 and "quote not found in wire" in problems[0]


def test_every_problem_of_a_claim_is_reported() -> None:
    _, problems = resolve(quote("no such words anywhere at all in it"), quote(sentence=99))
    assert [p.split(": error")[0] for p in problems] == ["claims.yaml:7:9", "claims.yaml:8:15"]


def test_normalisation_maps_back_to_original_offsets() -> None:
    source = "a \u201cb\u201d\u2014c \n\n d\u2026"
    folded = normalize(source, 0, len(source))
    assert folded.text == 'a "b"-c d...'
    assert [source[i] for i in folded.origins[:6]] == ["a", " ", "\u201c", "b", "\u201d", "\u2014"]
    assert fold_typography(" it\u2019s \u2013 ok ") == "it's - ok"
