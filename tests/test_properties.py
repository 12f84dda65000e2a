"""Property tests (issue 7, item 5): quote anchoring and typography folding, with hypothesis.

- Any run of whole words from a sentence resolves to exactly that sentence, or, when the same words
  occur elsewhere in the article, is reported as ambiguous with every place listed.
- Typography folding never changes, drops or reorders a letter or digit.
- Every character of a normalised text maps back to a source character that folds to it.

(Incremental rebuilds equal a clean build: left for the incremental builder's own tests.)
"""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from site_builder.diagnostics import Diagnostics, Location
from site_builder.model import Article, Claim, Quote
from site_builder.pages import open_data
from site_builder.quotes.resolve import _TYPOGRAPHY, fold_typography, normalize, resolve_claims
from site_builder.text.segment import load_pipeline, segment_article

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MANY = settings(max_examples=300, deadline=None)

# Words as an article prints them and as an editor types them: the quote uses straight typography.
PRINTED = {
    "Kyiv's": "Kyiv\u2019s",
    "6,000": "6,000",
    "long-range": "long\u2011range",
    '"truce"': "\u201ctruce\u201d",
    "10-12": "10\u201312",
}
WORDS = [
    "talks",
    "bodies",
    "the",
    "agreed",
    "exchange",
    "soldiers",
    "of",
    "and",
    "hour",
    "said",
    "Istanbul",
    "next",
    "week",
    *PRINTED,
]
SPACES = st.sampled_from([" ", " ", " ", "  ", "\n", " \n "])


@st.composite
def articles(draw: st.DrawFn) -> tuple[list[list[list[str]]], str]:
    """Paragraphs of sentences of words, and the article body printed with curly typography."""
    paragraphs = draw(
        st.lists(
            st.lists(
                st.lists(st.sampled_from(WORDS), min_size=2, max_size=8), min_size=1, max_size=3
            ),
            min_size=1,
            max_size=3,
        )
    )
    printed_paragraphs = []
    for paragraph in paragraphs:
        sentences = []
        for words in paragraph:
            text = "Then"
            for word in words:
                # A line break before a capital may end a headline line (sentence_rules): keep
                # line breaks where they cannot, before lowercase words.
                gap = draw(SPACES) if word[0].islower() else draw(st.sampled_from([" ", "  "]))
                text += gap + PRINTED.get(word, word)
            sentences.append(text + ".")
        printed_paragraphs.append(" ".join(sentences))
    return paragraphs, "\n\n".join(printed_paragraphs) + "\n"


def _article(body: str) -> Article:
    head = "---\ntitle: T\noutlet: O\n---\n"
    return Article(
        slug="a",
        path="content/articles/a.md",
        source=head + body,
        body_start=len(head),
        title="T",
        outlet="O",
        outlet_slug="o",
        standfirst=None,
        url=None,
        published=None,
        author=None,
        language="en",
    )


def _claim(text: str) -> Claim:
    location = Location("claims.yaml", 9, 15)
    quote = Quote(
        article="a",
        location=location,
        text=text,
        value_location=location,
        sentence=None,
        occurrence=None,
        stance=None,
        note=None,
    )
    return Claim(
        id="c",
        claim="C",
        verdict="v",
        reviewed=dt.date(2025, 6, 4),
        tags=(),
        summary="S",
        quotes=(quote,),
        location=Location("claims.yaml", 2, 5),
    )


def _occurrences(words: list[str], needle: list[str]) -> int:
    return sum(words[i : i + len(needle)] == needle for i in range(len(words) - len(needle) + 1))


@FAST
@given(articles(), st.data())
def test_any_run_of_words_resolves_to_its_sentence_or_is_ambiguous(
    generated: tuple[list[list[list[str]]], str], data: st.DataObject
) -> None:
    paragraphs, body = generated
    segmented = segment_article(_article(body), load_pipeline(None))
    # Each sentence is "Then w1 w2 ... wn.": the segmentation must find exactly those.
    sentences = [["Then", *words] for paragraph in paragraphs for words in paragraph]
    assert [fold_typography(s.text) for s in segmented.sentences] == [
        " ".join(words) + "." for words in sentences
    ]
    number = data.draw(st.integers(1, len(sentences)), label="sentence")
    words = sentences[number - 1]
    start = data.draw(st.integers(0, len(words) - 1), label="start")
    end = data.draw(st.integers(start + 1, len(words)), label="end")
    needle = words[start:end]
    quote = " ".join(needle)  # straight typography, single spaces

    diagnostics = Diagnostics()
    (resolved,) = resolve_claims((_claim(quote),), (segmented,), diagnostics)
    places = [n for n, s in enumerate(sentences, 1) for _ in range(_occurrences(s, needle))]
    if len(places) == 1:
        assert diagnostics.items == []
        (anchored,) = resolved.quotes
        assert anchored.sentences == (number,)
        (span,) = anchored.spans
        assert fold_typography(segmented.article.source[span[0] : span[1]]) == quote
    else:
        assert resolved.quotes == ()
        (problem,) = diagnostics.items
        listed = ", ".join(f"sentence {n} (line {segmented.sentences[n - 1].line})" for n in places)
        assert problem.message == f"quote occurs {len(places)} times in a: {listed}"
        assert number in places


# Typography, invisible characters, block-quote markers and line breaks, mixed with any text.
FRAGMENTS = [
    *"\u2018\u2019\u201c\u201d\u2013\u2014\u2212\u2026\u00ad\u200b\ufeff\u00ab\u00bb\t\r",
    "\n",
    "\n> ",
    "\n>",
    "\n>>",
    "\n > > ",
    "  ",
    "...",
]
TEXT = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.characters()), max_size=40).map("".join)


@MANY
@given(TEXT, st.booleans())
def test_folding_never_changes_a_letter_or_digit(text: str, blockquote: bool) -> None:
    alnum = [c for c in text if c.isalnum()]
    assert [c for c in fold_typography(text) if c.isalnum()] == alnum
    assert [c for c in normalize(text, 0, len(text), blockquote).text if c.isalnum()] == alnum


@MANY
@given(TEXT, st.booleans(), st.integers(0, 60), st.integers(0, 60))
@example("a\n>b", True, 0, 4)
def test_every_normalised_character_maps_back_to_a_source_character_that_folds_to_it(
    text: str, blockquote: bool, first: int, last: int
) -> None:
    start = min(first, len(text))
    end = max(start, min(last, len(text)))
    normalized = normalize(text, start, end, blockquote)
    assert len(normalized.origins) == len(normalized.text)
    assert list(normalized.origins) == sorted(normalized.origins)
    for char, origin in zip(normalized.text, normalized.origins, strict=True):
        assert start <= origin < end
        source = text[origin]
        if char == " ":
            assert source.isspace(), (char, source, origin)
        elif source == "\u2026":
            assert char == "."
        else:
            assert source.translate(_TYPOGRAPHY) == char


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(),  # any code points, lone surrogates included
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(JSON_VALUES)
@example({"b": [1, 2**70], "a": "\udcff", "é": {}})
def test_open_data_json_is_written_as_the_standard_library_writes_it(value: object) -> None:
    """claims.json and annotations.jsonld are written with orjson for speed; their bytes must
    be those `json.dumps(..., ensure_ascii=False, sort_keys=True, indent=2)` gives. (They hold
    no floats, which the two write differently: numbers there are counts and offsets.)"""
    expected = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2)
    assert open_data._json(value) == expected
