"""engine/depends.py: which values read which inputs, the lookup behind every rebuild."""

from __future__ import annotations

from site_builder.engine.depends import Dependencies


def test_readers_are_the_values_that_read_a_changed_input() -> None:
    table: Dependencies[str, str] = Dependencies()
    table.record("claim page", ["claim"])
    table.record("article page", ["article", "claim"])
    table.record("other article page", ["other article"])
    assert table.readers(["claim"]) == {"claim page", "article page"}
    assert table.readers(["article", "other article"]) == {"article page", "other article page"}
    assert table.readers(["nothing anyone read"]) == set()


def test_recording_again_replaces_what_a_value_read() -> None:
    table: Dependencies[str, str] = Dependencies()
    table.record("article page", ["article", "old claim"])
    table.record("article page", ["article", "new claim"])
    assert table.readers(["old claim"]) == set()
    assert table.readers(["new claim"]) == {"article page"}
    assert table.inputs("article page") == frozenset({"article", "new claim"})


def test_a_forgotten_value_is_nobody_s_reader() -> None:
    table: Dependencies[str, str] = Dependencies()
    table.record("gone page", ["claim"])
    table.record("page", ["claim"])
    table.forget("gone page")
    table.forget("never recorded")  # not an error
    assert table.readers(["claim"]) == {"page"}
    assert "gone page" not in table and "page" in table and len(table) == 1
    table.clear()
    assert table.readers(["claim"]) == set() and len(table) == 0
