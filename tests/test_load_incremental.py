"""ClaimsLoader: reading claims.yaml again after an edit gives what a fresh read gives.

Every test compares the incremental loader, after a sequence of edits, with a loader that reads
the whole file in one piece (`ClaimsLoader(by_entry=False)`, the way load_claims always read
it): the claims and the diagnostics must be equal, locations and order included.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.diagnostics import Diagnostic, Diagnostics
from site_builder.load import yamlsource
from site_builder.load.claims import ClaimsLoader, load_claims
from site_builder.load.claims_split import split_again, split_entries, split_text
from site_builder.model import Claim, Publisher, Rating, SiteConfig

SLUGS = ("alpha", "beta", "gamma")
CONFIG = SiteConfig(
    title="Test",
    description="",
    base_url="https://checks.example/",
    language="en",
    publisher=Publisher("Test"),
    ratings=(
        Rating("accurate", "Accurate", "All agree."),
        Rating("mixed", "Mixed", "They differ."),
        Rating("inaccurate", "Inaccurate", "They contradict it."),
    ),
)

Outcome = tuple[tuple[Claim, ...], list[Diagnostic]]


def located(claims: tuple[Claim, ...]) -> list[tuple[object, ...]]:
    """Each claim with its locations, which claim equality leaves out."""
    return [
        (claim, claim.location, [(q.location, q.value_location) for q in claim.quotes])
        for claim in claims
    ]


def entry(number: int, verdict: str = "mixed", extra: str = "") -> str:
    """A valid claim entry quoting alpha and beta."""
    return (
        f"  - id: claim-{number}\n"
        f"    claim: Claim number {number} is about the talks.\n"
        f"    verdict: {verdict}\n"
        f"    reviewed: 2025-06-0{number % 9 + 1}\n"
        f"    tags: [talks, t{number}]\n"
        f"    summary: |\n"
        f"      Alpha and Beta differ on claim {number}.\n"
        f"{extra}"
        f"    quotes:\n"
        f"      - article: alpha\n"
        f'        text: "words of claim {number}"\n'
        f"        stance: supports\n"
        f"      - article: beta\n"
        f"        text: other words, {number}\n"
        f"        note: Attributed to a spokesperson.\n"
    )


def document(*entries: str, header: str = "# The claims.\nclaims:\n") -> str:
    return header + "".join(entries)


def load(
    loader: ClaimsLoader, text: str, config: SiteConfig | None = CONFIG, slugs=SLUGS
) -> Outcome:
    diagnostics = Diagnostics()
    claims = loader.load_text(text, config, slugs, diagnostics)
    return claims, diagnostics.items


def whole(text: str, config: SiteConfig | None = CONFIG, slugs=SLUGS) -> Outcome:
    return load(ClaimsLoader(by_entry=False), text, config, slugs)


def check(
    loader: ClaimsLoader, text: str, config: SiteConfig | None = CONFIG, slugs=SLUGS
) -> Outcome:
    """Load `text` with `loader`; assert it equals a whole read and a fresh loader's read."""
    result = load(loader, text, config, slugs)
    expected = whole(text, config, slugs)
    fresh = load(ClaimsLoader(), text, config, slugs)
    assert result[1] == expected[1] == fresh[1]
    assert located(result[0]) == located(expected[0]) == located(fresh[0])
    return result


BASE = document(*(entry(n) for n in range(1, 8)))


def test_the_usual_file_is_read_entry_by_entry() -> None:
    split = split_entries(BASE)
    assert split is not None
    first_line, texts = split
    assert first_line == 3
    assert len(texts) == 7 and texts[0] == entry(1)


def test_unchanged_entries_are_reused_and_moved_ones_shifted() -> None:
    loader = ClaimsLoader()
    before, _ = check(loader, BASE)
    # Same line count: every entry but the fourth is the very object of the last call.
    after, _ = check(
        loader,
        BASE.replace("verdict: mixed", "verdict: accurate", 4).replace(
            "verdict: accurate", "verdict: mixed", 3
        ),
    )
    assert after[3].verdict == "accurate"
    assert all(after[i] is before[i] for i in (0, 1, 2, 4, 5, 6))
    # Two more lines in the first entry: the others come back two lines further down.
    grown = document(
        entry(1, extra="      More analysis.\n      And more.\n"), *(entry(n) for n in range(2, 8))
    )
    moved, _ = check(loader, grown)
    for old, new in zip(before[1:], moved[1:], strict=True):
        assert new.location.line == old.location.line + 2
        assert [q.location.line for q in new.quotes] == [q.location.line + 2 for q in old.quotes]
        assert new.quotes[0].value_location is not None and old.quotes[0].value_location is not None
        assert new.quotes[0].value_location.line == old.quotes[0].value_location.line + 2
        assert new.location.column == old.location.column


EDITS = [
    ("change a value", lambda t: t.replace("Claim number 3 is", "Claim no. 3 is")),
    (
        "add lines early",
        lambda t: t.replace(
            "differ on claim 1.\n", "differ on claim 1.\n\n      A second paragraph.\n"
        ),
    ),
    ("delete an entry", lambda t: t.replace(entry(2), "")),
    ("insert an entry", lambda t: t.replace(entry(1), entry(9) + entry(1))),
    ("duplicate an id", lambda t: t.replace("id: claim-5", "id: claim-1")),
    ("break one entry's YAML", lambda t: t.replace('"words of claim 4"', '"words of claim 4')),
    (
        "break it across entries",
        lambda t: t.replace('"words of claim 4"', '"words of claim 4\n  - "'),
    ),
    ("unknown verdict", lambda t: t.replace("verdict: mixed", "verdict: nope", 2)),
    ("unknown article", lambda t: t.replace("article: beta", "article: betta", 3)),
    ("a schema error", lambda t: t.replace("    verdict: mixed\n", "", 1)),
    ("an entry that is not a mapping", lambda t: t.replace(entry(3), "  - just words\n")),
    (
        "a duplicate key",
        lambda t: t.replace("    tags: [talks, t2]\n", "    tags: [talks, t2]\n    tags: [x]\n"),
    ),
    (
        "an escaped control character",
        lambda t: t.replace('"words of claim 6"', '"words\\x01 of claim 6"'),
    ),
    ("an impossible date", lambda t: t.replace("reviewed: 2025-06-04", "reviewed: 2025-02-30")),
    (
        "a quote with text and sentence",
        lambda t: t.replace(
            "        text: other words, 2\n", "        text: other words, 2\n        sentence: 3\n"
        ),
    ),
    (
        "comments between entries",
        lambda t: t.replace(entry(4), "# about 4\n\n    # indented\n" + entry(4)),
    ),
    (
        "a folded summary",
        lambda t: t.replace(
            "    summary: |\n      Alpha and Beta differ on claim 5.",
            "    summary: >-\n      Alpha and *Beta* differ\n      on claim 5.",
        ),
    ),
    (
        "an anchor and alias",
        lambda t: t.replace("tags: [talks, t2]", "tags: &shared [talks, t2]").replace(
            "tags: [talks, t6]", "tags: *shared"
        ),
    ),
    (
        "the same anchor in two entries",
        lambda t: t.replace("tags: [talks, t2]", "tags: &a [talks, t2]").replace(
            "tags: [talks, t6]", "tags: &a [talks, t6]"
        ),
    ),
    (
        "a tab in the indentation",
        lambda t: t.replace("    claim: Claim number 2", "\tclaim: Claim number 2"),
    ),
    ("another top-level key", lambda t: t + "extra: value\n"),
    (
        "a flow-style file",
        lambda t: (
            "claims: [{id: flow, claim: A claim., verdict: mixed, reviewed: 2025-06-01, "
            "summary: S., quotes: [{article: alpha, text: words}, {article: beta, text: more}]}]\n"
        ),
    ),
    ("entries at column 0", lambda t: t.replace("\n  ", "\n")),
    ("the same entry twice", lambda t: t + entry(7)),
    ("no final line break", lambda t: t.rstrip("\n")),
    ("an empty list", lambda t: "claims: []\n"),
    ("nothing but a comment", lambda t: "# nothing yet\n"),
    ("a YAML directive", lambda t: "%YAML 1.1\n---\n" + t),
    (
        "a line separator in a value",
        lambda t: t.replace('"words of claim 2"', '"words\u2028 of claim 2"'),
    ),
    (
        "a line separator in a plain value",
        lambda t: t.replace("Claim number 2 is", "Claim number\u2028 2 is"),
    ),
]


@pytest.mark.parametrize(("name", "edit"), EDITS, ids=[name for name, _ in EDITS])
def test_an_edit_gives_what_a_fresh_read_gives(name: str, edit) -> None:
    loader = ClaimsLoader()
    check(loader, BASE)
    edited = edit(BASE)
    assert edited != BASE
    check(loader, edited)
    check(loader, BASE)  # and back
    check(loader, edited)


def test_edits_in_sequence() -> None:
    loader = ClaimsLoader()
    text = BASE
    for _, edit in EDITS:
        text = edit(text) if split_entries(text) is not None else edit(BASE)
        check(loader, text)


def test_article_slugs_and_config_may_change_between_calls() -> None:
    loader = ClaimsLoader()
    check(loader, BASE)
    check(loader, BASE, slugs=("alpha", "gamma"))
    check(loader, BASE, slugs=())
    check(loader, BASE, config=None)
    fewer = SiteConfig(**{**CONFIG.__dict__, "ratings": CONFIG.ratings[:1]})
    check(loader, BASE, config=fewer)
    check(loader, BASE)


def test_schema_problems_keep_the_whole_file_order() -> None:
    # jsonschema's errors for the whole file are sorted by path as text: claim 11 before claim 3.
    entries = [entry(n) for n in range(1, 13)]
    for n in (2, 10, 11):
        entries[n] = entries[n].replace("    verdict: mixed\n", "")
    loader = ClaimsLoader()
    _, found = check(loader, document(*entries))
    lines = [d.location.line for d in found if "verdict" in d.message]
    assert lines != sorted(lines)
    # Naming an entry by its position ("claim 3") holds only at that position.
    entries[2] = "  - just words\n"
    check(loader, document(*entries))
    check(loader, document(entry(99), *entries))


def test_the_document_wide_value_limit_still_applies(monkeypatch: pytest.MonkeyPatch) -> None:
    """Aliases may not expand the file beyond MAX_NODES values more than its length."""
    bomb = BASE.replace("tags: [", "tags: &x0 [", 1) + "".join(
        f"x{n}: &x{n} [{', '.join([f'*x{n - 1}'] * 10)}]\n" for n in range(1, 5)
    )
    loader = ClaimsLoader()
    check(loader, BASE)
    monkeypatch.setattr(yamlsource, "MAX_NODES", 60)
    _, found = check(loader, bomb)
    limit = 60 + len(bomb)
    assert [d.message for d in found] == [
        f"YAML aliases expand the document to more than {limit} values"
    ]


def test_a_large_file_that_writes_its_values_out_is_not_a_bomb(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """8,000 claims hold far more than MAX_NODES values: the limit grows with the file."""
    monkeypatch.setattr(yamlsource, "MAX_NODES", 60)
    parsed = yamlsource.parse_yaml(BASE, "claims.yaml", Diagnostics())
    assert parsed is not None and parsed.size > 60
    claims, found = check(ClaimsLoader(), BASE)
    assert found == [] and len(claims) == 7


def test_load_reads_the_file(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    path.write_bytes(("\ufeff" + BASE).replace("\n", "\r\n").encode("utf-8"))
    loader = ClaimsLoader()
    diagnostics = Diagnostics()
    claims = loader.load(tmp_path, CONFIG, SLUGS, diagnostics)
    assert diagnostics.items == [] and len(claims) == 7
    again = Diagnostics()
    assert load_claims(tmp_path, CONFIG, SLUGS, again) == claims and again.items == []
    path.unlink()
    gone = Diagnostics()
    assert loader.load(tmp_path, CONFIG, SLUGS, gone) == ()
    assert [d.message for d in gone.items] == ["claims.yaml not found"]


def test_only_entries_of_the_last_file_are_remembered() -> None:
    loader = ClaimsLoader()
    check(loader, BASE)
    check(loader, document(entry(1), entry(2)))
    assert len(loader._known) == 2
    check(loader, "claims: []\n")
    assert loader._known == {}


# Random edit sequences: entries drawn from valid and broken variants, edited in place,
# inserted, deleted and moved, with the slugs and config changing as they go.
VARIANTS = [
    lambda n: entry(n),
    lambda n: entry(n, verdict="accurate"),
    lambda n: entry(n, extra="      Another line.\n\n      A paragraph.\n"),
    lambda n: entry(n).replace("    verdict: mixed\n", ""),
    lambda n: entry(n).replace("article: beta", "article: delta"),
    lambda n: entry(n).replace("verdict: mixed", "verdict: unheard-of"),
    lambda n: entry(n).replace("id: claim-", "id: Claim_"),
    lambda n: entry(n).replace("stance: supports", "stance: maybe"),
    lambda n: entry(n).replace("reviewed: 2025-06-0", "reviewed: 2025-02-3"),
    lambda n: entry(n).replace("    tags: [talks, t", "    tags: [talks, talks, t"),
    lambda n: entry(n).replace(
        "        note: Attributed", "        sentence: 2\n        note: Attributed"
    ),
    lambda n: entry(n).replace('"words of claim', '"'),
    lambda n: entry(n).replace("article: beta", "article: alpha"),
    lambda n: entry(n).replace(
        "Claim number", "A claim that goes on for far too long to fit a search result, number"
    ),
    lambda n: entry(n) + "    # a comment\n\n",
    lambda n: entry(n).replace("    tags:", "    tags: []\n    tags:"),
    lambda n: f"  - just words {n}\n",
    lambda n: entry(n).replace("summary: |", "summary: >"),
    lambda n: entry(n).replace('"words of claim', '"unclosed'),
    lambda n: entry(n).replace("tags: [talks", "tags: &t [talks"),
]


@st.composite
def edit_sequences(draw: st.DrawFn) -> list[tuple[list[str], tuple[str, ...], bool]]:
    entries = [VARIANTS[draw(st.integers(0, 2))](n) for n in range(draw(st.integers(1, 6)))]
    steps = []
    for _ in range(draw(st.integers(1, 6))):
        action = draw(st.sampled_from(["replace", "insert", "delete", "move", "same"]))
        variant = VARIANTS[draw(st.integers(0, len(VARIANTS) - 1))]
        number = draw(st.integers(0, 12))
        position = draw(st.integers(0, len(entries)))
        if action == "replace" and entries:
            entries[position % len(entries)] = variant(number)
        elif action == "insert":
            entries.insert(position, variant(number))
        elif action == "delete" and len(entries) > 1:
            del entries[position % len(entries)]
        elif action == "move" and entries:
            entries.append(entries.pop(position % len(entries)))
        slugs = tuple(draw(st.lists(st.sampled_from(SLUGS), unique=True)))
        steps.append((list(entries), slugs, draw(st.booleans())))
    return steps


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edit_sequences())
def test_random_edit_sequences(steps: list[tuple[list[str], tuple[str, ...], bool]]) -> None:
    loader = ClaimsLoader()
    for entries, slugs, with_config in steps:
        check(loader, document(*entries), CONFIG if with_config else None, slugs)


def test_dates_and_quotes_come_through() -> None:
    claims, found = check(ClaimsLoader(), BASE)
    assert found == []
    first = claims[0]
    assert first.reviewed == dt.date(2025, 6, 2)
    assert first.tags == ("talks", "t1")
    assert first.summary == "Alpha and Beta differ on claim 1.\n"
    assert [q.article for q in first.quotes] == ["alpha", "beta"]
    assert first.quotes[1].note == "Attributed to a spokesperson."
    assert (first.location.line, first.location.column) == (3, 5)


PIECES = ["\n", "\n  - ", "  - id: x\n", "- ", " ", "#", "claims:\n", "\n\n", "a", "\t", "-\n"]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 10_000),
            st.integers(0, 40),
            st.lists(st.sampled_from(PIECES), max_size=4).map("".join),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_splitting_again_after_an_edit_is_splitting_anew(
    edits: list[tuple[int, int, str]],
) -> None:
    """The loader cuts only the edited part of claims.yaml into entries again; that must give
    exactly what cutting the whole new text gives, wherever the edit falls (an entry's first
    line, the line breaks between entries, the header, the end)."""
    text = document(*(entry(n) for n in range(4)))
    previous = split_text(text)
    for at, removed, inserted in edits:
        at %= len(text) + 1
        text = text[:at] + inserted + text[at + removed :]
        expected = split_text(text)
        again = split_again(previous, text) if previous else expected
        assert again == expected, (at, removed, inserted)
        previous = expected
