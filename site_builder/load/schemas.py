"""Plain YAML data -> located diagnostics, by the JSON Schemas shipped in site_builder/schemas/.

In: a `YamlDocument` and a schema name (claims, site, article, page). Out: diagnostics for every
schema violation, each at the file, line and column of the offending value, worded for an editor
(unknown keys get a did-you-mean). The same schemas are printed by `site-builder schema` so that
editors' YAML tools show the same rules inline.

Each schema is compiled once, by fastjsonschema, into a quick yes/no check; only a value that it
rejects goes through jsonschema, whose detailed errors the messages are made from. The quick check
is never looser than jsonschema (tests/test_validate.py holds it to that), so a value it accepts
has nothing to report.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import json
from collections.abc import Callable, Sequence
from functools import cache
from importlib import resources
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from ..diagnostics import Diagnostics, Location
from .yamlsource import PathKey, YamlDocument

SCHEMA_NAMES = ("claims", "site", "article", "page", "claims-json")

_PATTERN_ADVICE = {
    "^[a-z0-9]+(?:-[a-z0-9]+)*$": "use lowercase letters, digits and single hyphens, e.g. 'remains-exchange'",
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$": "write the date as YYYY-MM-DD, e.g. 2025-06-02",
    "^https?://": "use an http:// or https:// address",
}
_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "array": "a list",
    "object": "a mapping of keys to values",
    "boolean": "true or false",
}


@cache
def load_schema(name: str) -> dict[str, Any]:
    """The JSON Schema `name` (one of SCHEMA_NAMES) as shipped in the package."""
    text = (
        resources.files("site_builder").joinpath(f"schemas/{name}.schema.json").read_text("utf-8")
    )
    schema: dict[str, Any] = json.loads(text)
    return schema


def site_schema(
    name: str, ratings: Sequence[str] = (), articles: Sequence[str] = ()
) -> dict[str, Any]:
    """The schema `name` as an editor of one site needs it: in claims.yaml, `verdict` is one of
    the site's rating keys and a quote's `article` one of its article slugs, so that an editor
    offers them and marks a misspelling where it is typed. Empty lists leave them open."""
    schema = copy.deepcopy(load_schema(name))  # the shipped one is shared: never changed
    if name == "claims":
        definitions = schema["$defs"]
        if ratings:
            definitions["claim"]["properties"]["verdict"]["enum"] = list(ratings)
        if articles:
            definitions["quote"]["properties"]["article"]["enum"] = sorted(articles)
    return schema


def _schema(name: str, definition: str | None) -> dict[str, Any]:
    """The schema `name`, or the one of its `$defs` named `definition` (refs still resolve)."""
    schema = load_schema(name)
    if definition is None:
        return schema
    return {
        "$schema": schema["$schema"],
        "$defs": schema["$defs"],
        "$ref": f"#/$defs/{definition}",
    }


@cache
def _quick_check(name: str, definition: str | None) -> Callable[[Any], bool]:
    """A compiled yes/no check of a value against the schema."""
    schema = _schema(name, definition)
    # With every $ref written out in place, the compiled check makes no call per reference:
    # claims.yaml's check runs about half again as fast.
    inlined = _inline_refs(schema, schema.get("$defs", {}))
    compiled = fastjsonschema.compile({**inlined, "$schema": schema["$schema"]})

    def check(value: Any) -> bool:
        try:
            compiled(value)
        except fastjsonschema.JsonSchemaValueException:
            return False
        return True

    return check


_ANNOTATIONS = frozenset({"description", "title", "$comment", "examples", "default"})


def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    """`node` with each `{"$ref": "#/$defs/x"}` replaced by that definition (none recurse)."""
    if isinstance(node, list):
        return [_inline_refs(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" not in node:
        return {key: _inline_refs(value, defs) for key, value in node.items() if key != "$defs"}
    target = _inline_refs(defs[node["$ref"].removeprefix("#/$defs/")], defs)
    rest = {key: _inline_refs(value, defs) for key, value in node.items() if key != "$ref"}
    if set(rest) <= _ANNOTATIONS:
        return {**target, **rest}
    return {"allOf": [target, rest]}


@cache
def _validator(name: str, definition: str | None) -> Draft202012Validator:
    return Draft202012Validator(_schema(name, definition))


def is_valid(value: Any, schema_name: str, definition: str | None = None) -> bool:
    """Whether `value` passes the schema (or its `$defs` `definition`): the quick check only."""
    return _quick_check(schema_name, definition)(value)


def validate_document(
    doc: YamlDocument, schema_name: str, diagnostics: Diagnostics
) -> tuple[PathKey, ...]:
    """Report every violation of the schema in `doc`; return the paths of the invalid values."""
    return validate_value(doc, (), schema_name, None, diagnostics)


def validate_value(
    doc: YamlDocument,
    at: PathKey,
    schema_name: str,
    definition: str | None,
    diagnostics: Diagnostics,
    named: PathKey | None = None,
) -> tuple[PathKey, ...]:
    """Check the value at path `at` in `doc` against the schema, or its `$defs` `definition`.

    Report every violation, located in `doc`; messages name the values as if the checked one
    were at path `named` (default: `at`). Return the invalid values' paths, relative to `at`.
    """
    value = doc.data
    for step in at:
        value = value[step]
    if _quick_check(schema_name, definition)(value):
        return ()
    errors = sorted(
        _validator(schema_name, definition).iter_errors(value),
        key=lambda e: [str(p) for p in e.absolute_path],
    )
    for error in errors:
        _report(doc, error, diagnostics, at, at if named is None else named)
    return tuple(tuple(error.absolute_path) for error in errors)


def parse_date(value: str, location: Location, diagnostics: Diagnostics) -> dt.date | None:
    """A YYYY-MM-DD string as a date, or a diagnostic when no such day exists."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        diagnostics.error(location, f"'{value}' is not a real date", "Check the month and day.")
        return None


def _report(
    doc: YamlDocument,
    error: ValidationError,
    diagnostics: Diagnostics,
    at: PathKey,
    named: PathKey,
) -> None:
    path = (*at, *error.absolute_path)
    field = _field_name((*named, *error.absolute_path))
    validator = error.validator
    if validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        for key in sorted(set(error.instance) - set(allowed)):
            guess = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = f"did you mean '{guess[0]}'?" if guess else f"valid keys: {', '.join(allowed)}"
            diagnostics.error(doc.key_location(*path, key), f"unknown key '{key}'", hint)
        return
    location = doc.location(*path)
    if validator == "required":
        missing = (
            str(error.message).split("'")[1] if "'" in error.message else str(error.validator_value)
        )
        where = f" in {field}" if field != "the document" else ""
        description = error.schema.get("properties", {}).get(missing, {}).get("description", "")
        diagnostics.error(location, f"missing required field '{missing}'{where}", description)
    elif validator == "type":
        expected = _TYPE_WORDS.get(str(error.validator_value), str(error.validator_value))
        diagnostics.error(location, f"{field} must be {expected}, not {_describe(error.instance)}")
    elif validator == "enum":
        choices = ", ".join(str(c) for c in error.validator_value)
        diagnostics.error(location, f"{field} must be one of: {choices}; got '{error.instance}'")
    elif (validator == "pattern" and error.validator_value == "\\S") or validator == "minLength":
        diagnostics.error(location, f"{field} is empty", "Write a value or remove the key.")
    elif validator == "pattern":
        advice = _PATTERN_ADVICE.get(
            str(error.validator_value), f"it must match {error.validator_value}"
        )
        diagnostics.error(location, f"{field} '{error.instance}' is not valid", advice)
    elif validator == "minItems":
        diagnostics.error(location, f"{field} needs at least {error.validator_value} item(s)")
    elif validator == "minimum":
        diagnostics.error(location, f"{field} must be at least {error.validator_value}")
    elif validator == "uniqueItems":
        diagnostics.error(location, f"{field} lists the same value twice")
    else:
        diagnostics.error(location, f"{field}: {error.message}")


def _field_name(path: tuple[Any, ...]) -> str:
    """A readable name for the value at `path`, e.g. "'verdict'" or "quote 2"."""
    if not path:
        return "the document"
    last = path[-1]
    if isinstance(last, str):
        return f"'{last}'"
    parent = path[-2] if len(path) > 1 and isinstance(path[-2], str) else "item"
    return f"{parent.removesuffix('s')} {int(last) + 1}"


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"'{value}'"
