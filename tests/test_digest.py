"""engine/digest.py: two values share a digest exactly when the build counts them equal."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from types import MappingProxyType

import pytest
from markupsafe import Markup

from site_builder.diagnostics import Location
from site_builder.engine.digest import Digester
from site_builder.model import Claim, Quote


def digest(value: object) -> str:
    return Digester().hexdigest(value)


def test_equal_values_share_a_digest_and_unequal_ones_do_not() -> None:
    values = [
        "6,000",
        "6.000",
        6000,
        6000.0,
        True,
        None,
        (),
        ("a", "b"),
        ("ab",),
        ["a", "b"],
        dt.date(2025, 6, 2),
        frozenset({"x", "y"}),
        {"a": 1},
        {"a": 2},
    ]
    digests = [digest(v) for v in values]
    assert len(set(digests)) == len(values)
    assert digest(("a", dt.date(2025, 6, 2))) == digest(("a", dt.date(2025, 6, 2)))


def test_mappings_and_sets_do_not_depend_on_order() -> None:
    assert digest({"a": 1, "b": 2}) == digest({"b": 2, "a": 1})
    assert digest(MappingProxyType({"a": 1})) != digest({"a": 1})  # another type
    assert digest(frozenset(["one", "two", "three"])) == digest(frozenset(["three", "two", "one"]))


def test_markup_and_str_differ_because_they_render_differently() -> None:
    assert digest(Markup("<b>x</b>")) != digest("<b>x</b>")


def test_fields_left_out_of_equality_are_left_out_of_the_digest() -> None:
    quote = Quote("alpha", Location("claims.yaml", 3, 7), text="six")
    # `source` (the entry text a claim was read from) is a shortcut to equality, not a part of it.
    one = Claim("c", "Six.", "true", dt.date(2025, 6, 2), (), "", (quote,), quote.location, "a")
    same = replace(one, source="b")
    assert one == same and digest(one) == digest(same)
    # Where a quote stands is part of it (diagnostics point there), so it is part of the digest.
    moved = replace(quote, location=Location("claims.yaml", 30, 7))
    assert quote != moved and digest(quote) != digest(moved)
    other = replace(quote, text="seven")
    assert quote != other and digest(quote) != digest(other)


def test_a_value_it_cannot_digest_is_an_error_not_a_guess() -> None:
    with pytest.raises(TypeError, match="no stable digest"):
        digest((1, object()))
