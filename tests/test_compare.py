"""compare/collate.py: units, alignment and the differences it calls out, on hand-built witnesses and on
the real content of this repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.build.builder import load_site
from site_builder.compare.collate import Comparison, collate, compare_claim, tokenise, witness
from site_builder.diagnostics import Diagnostics
from site_builder.model import Site

ROOT = Path(__file__).resolve().parent.parent


def units(text: str) -> list[tuple[str, str]]:
    return [(u.text, u.kind) for u in tokenise(text) if u.kind != "word" and u.kind != "punct"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("exchange 6,000 bodies", [("6,000", "number")]),
        ("a comprehensive 30-day ceasefire", [("30-day", "number")]),
        ("a truce of two to three days", [("two to three", "number")]),
        ("lasting 'two or three days'", [("two or three", "number")]),
        ("last between two and three days", [("between two and three", "number")]),
        ("on June 3, 2025, the talks", [("June 3, 2025", "date")]),
        ("the first round on May 16", [("May 16", "date")]),
        ("on 3 June 2025", [("3 June 2025", "date")]),
        ("held on Monday", [("Monday", "day")]),
        ("the following week", [("following week", "time")]),
        ("later in June", [("June", "date")]),
        ("said Russia's Vladimir Medinsky", [("Russia", "name"), ("Vladimir Medinsky", "name")]),
        ("the second round of talks", []),  # an ordinal is not a figure
        ("They may agree.", []),  # "may" is not a month
    ],
)
def test_units(text: str, expected: list[tuple[str, str]]) -> None:
    assert units(text) == expected


def test_a_capitalised_word_is_a_name_only_if_the_articles_never_write_it_in_lower_case() -> None:
    proper = frozenset({"istanbul"})
    first = tokenise("Held in Istanbul", proper)[0]
    assert (first.text, first.kind) == ("Held", "word")
    assert ("Istanbul", "name") in [(u.text, u.kind) for u in tokenise("In Istanbul, on", proper)]


def test_identical_witnesses_share_everything() -> None:
    text = "The talks lasted just over an hour."
    comparison = collate([witness("a", "Outlet A", text), witness("b", "Outlet B", text)])
    assert [s.shared for s in comparison.segments] == [True]
    assert comparison.differences == ()
    assert comparison.shared == ("Figures: all say “just over an hour”.",)


def test_each_against_one_direction_is_called_out() -> None:
    comparison = collate(
        [
            witness("a", "Outlet A", "6,000 Ukrainian soldier bodies would be handed over to Kyiv"),
            witness("b", "Outlet B", "exchange the remains of 6,000 soldiers from each nation"),
            witness("d", "Outlet D", "to exchange 6,000 bodies of killed soldiers each"),
        ]
    )
    (figures,) = comparison.differences
    assert figures.facet == "figures"
    assert figures.sentence == (
        "Figures: Outlet A says “6,000 Ukrainian … to Kyiv”; Outlet B and Outlet D say 6,000 each."
    )
    # The figure itself lines up: one column where all three agree on 6,000.
    assert "6,000" in comparison.shared_words


def test_a_date_against_a_weekday_and_a_missing_figure() -> None:
    comparison = collate(
        [
            witness("c", "Outlet C", "on June 3, 2025, the talks took at least 30 days"),
            witness("i", "ICARO", "on Monday, the talks took a comprehensive 30-day pause"),
            witness("d", "Outlet D", "on Monday, the talks"),
        ]
    )
    sentences = [d.sentence for d in comparison.differences]
    assert sentences == [
        "Figures: Outlet C says “at least 30 days”; ICARO says “30-day”; Outlet D gives no figure.",
        "When: Outlet C says “June 3, 2025”; ICARO and Outlet D say “Monday”.",
    ]


def test_ages_and_ranges_that_mean_the_same_are_alike() -> None:
    comparison = collate(
        [
            witness("a", "A", "those under 25 years of age, for two to three days"),
            witness("b", "B", "personnel under the age of 25, for two or three days"),
        ]
    )
    assert comparison.differences == ()
    assert comparison.shared == ("Figures: all say 2–3 days.", "Ages: all say “under 25”.")


def test_hand_over_is_not_more_than() -> None:
    comparison = collate(
        [witness("a", "A", "Russia will hand over 6,000 bodies"), witness("b", "B", "6,000 bodies")]
    )
    assert comparison.shared == ("Figures: all say “6,000”.",)


def test_segments_keep_each_witness_s_own_characters() -> None:
    comparison = collate(
        [witness("a", "A", "the “full” truce"), witness("b", "B", 'the "full" ceasefire')]
    )
    assert [s.readings for s in comparison.segments] == [
        ("the “full”", 'the "full"'),
        ("truce", "ceasefire"),
    ]
    assert [s.shared for s in comparison.segments] == [True, False]
    assert comparison.segments[1].variant(0) and comparison.segments[1].variant(1)


# --- the real content ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> Site:
    site = load_site(ROOT, Diagnostics())
    assert site is not None
    return site


def real_comparison(site: Site, claim_id: str) -> Comparison:
    articles = {s.article.slug: s for s in site.articles}
    resolved = next(c for c in site.claims if c.claim.id == claim_id)
    return compare_claim(resolved, articles)


def test_remains_exchange_each_against_one_direction(real: Site) -> None:
    figures = next(
        d for d in real_comparison(real, "remains-exchange").differences if d.facet == "figures"
    )
    readings = {r.text: r.outlets for r in figures.readings}
    assert readings == {
        "6,000 each": ("Outlet B", "Outlet D"),
        "“6,000 Russian and 6,000 Ukrainian”": ("Outlet C",),
        "“6,000 Ukrainian … to Kyiv”": ("Outlet A", "ICARO Media Group"),
    }


def test_talks_date_calendar_date_against_monday(real: Site) -> None:
    (when,) = [d for d in real_comparison(real, "talks-date").differences if d.facet == "when"]
    assert when.sentence == (
        "When: Outlet C says “June 3, 2025”; ICARO Media Group and Outlet D say “Monday”."
    )


def test_real_claims_compare_without_errors_and_align_every_word(real: Site) -> None:
    for resolved in real.claims:
        comparison = real_comparison(real, resolved.claim.id)
        for w, wit in enumerate(comparison.witnesses):
            words = " ".join(s.readings[w] for s in comparison.segments if s.readings[w])
            assert words.split() == wit.text.split() or words.replace(" ", "") == wit.text.replace(
                " ", ""
            ), resolved.claim.id
