"""load/schemas.py: the compiled quick check never passes what jsonschema would reject.

A value the quick check accepts is reported as valid without asking jsonschema, so the quick
check must never be looser than jsonschema on any value our YAML reader can produce.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from site_builder.diagnostics import Diagnostics
from site_builder.load import schemas
from site_builder.load.yamlsource import parse_yaml

# Every (schema, definition) the loaders check with.
CHECKS = [("claims", None), ("claims", "claim"), ("article", None), ("page", None), ("site", None)]

TEXTS = [
    "",
    " ",
    "x",
    "Outlet A",
    "remains-exchange",
    "Remains",
    "a--b",
    "a" * 101,
    "2025-06-04",
    "2025-06-04\n",
    "2025-6-4",
    "https://example.org/",
    "ftp://x",
    "en",
    "en-GB",
    "supports",
    "contradicts",
    "maybe",
    "\n",
    "…",
    "-",
    "0",
]
KEYS = [
    "id",
    "claim",
    "verdict",
    "reviewed",
    "tags",
    "summary",
    "quotes",
    "article",
    "text",
    "sentence",
    "occurrence",
    "stance",
    "note",
    "title",
    "outlet",
    "url",
    "published",
    "author",
    "language",
    "standfirst",
    "description",
    "base_url",
    "publisher",
    "ratings",
    "name",
    "key",
    "label",
    "pipeline",
    "claims",
    "extra",
]
scalars = st.one_of(
    st.sampled_from(TEXTS),
    st.integers(-2, 3),
    st.sampled_from([0.0, 1.0, 2.5, float("nan")]),
    st.booleans(),
    st.none(),
    st.binary(max_size=2),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(KEYS), inner, max_size=8),
    ),
    max_leaves=30,
)


def near_valid(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values shaped like `schema` wants, each part sometimes wrong."""
    properties = schema.get("properties", {})
    if not properties:
        return values
    return st.fixed_dictionaries(
        {},
        optional={key: st.one_of(values, values, scalars) for key in [*properties, "extra"]},
    )


@pytest.mark.parametrize(("name", "definition"), CHECKS)
def test_the_quick_check_is_never_looser(name: str, definition: str | None) -> None:
    schema = schemas._schema(name, definition)
    target = schema["$defs"][definition] if definition else schema
    quick = schemas._quick_check(name, definition)
    thorough = schemas._validator(name, definition)

    @settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.one_of(values, near_valid(target)))
    def never_looser(value: Any) -> None:
        if quick(value):
            assert list(thorough.iter_errors(value)) == []

    never_looser()


def test_valid_documents_pass_quickly_and_invalid_ones_are_reported() -> None:
    good = parse_yaml("title: T\noutlet: Alpha News\n", "a.md", Diagnostics(), line_offset=1)
    bad = parse_yaml("title: ''\noutlet: A\ncolour: red\n", "a.md", Diagnostics(), line_offset=1)
    assert good is not None and bad is not None
    diagnostics = Diagnostics()
    assert schemas.validate_document(good, "article", diagnostics) == ()
    assert diagnostics.items == []
    assert schemas.validate_document(bad, "article", diagnostics) == ((), ("title",))
    assert [d.format() for d in diagnostics.items] == [
        "a.md:4:1: error: unknown key 'colour'\n    hint: valid keys: author, language, outlet, published, retrieved, source_file, source_sha256, standfirst, title, url",
        "a.md:2:8: error: 'title' is empty\n    hint: Write a value or remove the key.",
    ]


def test_validators_are_compiled_once() -> None:
    assert schemas._quick_check("claims", "claim") is schemas._quick_check("claims", "claim")
    assert schemas._validator("site", None) is schemas._validator("site", None)
