"""YAML text -> plain data plus the source location of every value.

In: the text of a YAML document and the path to report it under. Out: a `YamlDocument` holding
plain Python data (dicts, lists, str, int, float, bool, None; dates stay strings so that an
impossible date can be reported rather than crash the parser) and a map from each value's path
(a tuple of keys and indexes) to its `Location`. Syntax errors, duplicate keys and documents too
large or too deeply nested are reported into `Diagnostics` with the parser's own line and column.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..diagnostics import Diagnostics, Location
from .source import CONTROL_CHARACTER

PathKey = tuple[str | int, ...]

TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
MAX_DEPTH = 64
# Values a document may expand to beyond its own length in characters. Without aliases a value
# takes at least a character, so only aliases (a "billion laughs" document) can pass this,
# while a claims.yaml of any size that writes its values out never does.
MAX_NODES = 200_000


def value_limit(characters: int) -> int:
    """The most values a YAML text of `characters` characters may expand to."""
    return MAX_NODES + characters


@dataclass(frozen=True)
class YamlDocument:
    """Plain data and, for each path into it, where its value starts in the file.

    `size` counts the values (an alias counts again at each use), for document-wide limits.
    """

    data: Any
    locations: Mapping[PathKey, Location]
    path: str
    size: int = 0

    def location(self, *key: str | int) -> Location:
        """The location of the value at `key`, or of its nearest ancestor that has one."""
        locations = self.locations
        try:
            return locations[key]
        except KeyError:
            pass
        probe: PathKey = key
        while probe not in locations and probe:
            probe = probe[:-1]
        return locations.get(probe, Location(self.path))

    def key_location(self, *key: str | int) -> Location:
        """The location of a mapping key (for unknown or misspelt keys)."""
        return self.locations.get((*key, _KEY), self.location(*key))


class _KeyMarker(str):
    """A path element that means "the key itself, not its value"."""


_KEY = _KeyMarker("<key>")


def parse_yaml(
    text: str, path: str, diagnostics: Diagnostics, line_offset: int = 0
) -> YamlDocument | None:
    """Parse `text`; report problems at `path` (lines shifted by `line_offset`). None if unusable."""
    return parse_with_libyaml(text, path, diagnostics, line_offset)


def parse_with_libyaml(
    text: str, path: str, diagnostics: Diagnostics, line_offset: int = 0
) -> YamlDocument | None:
    """`parse_yaml` without the fast path for plain block text (the reference it must equal)."""
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        column = mark.column + 1 if mark else 1
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem = f"{problem} ({exc.context})"
        diagnostics.error(
            Location(path, line, column), f"YAML syntax: {problem}", _syntax_hint(text, mark)
        )
        return None
    except yaml.YAMLError as exc:
        diagnostics.error(Location(path, 1 + line_offset, 1), f"YAML syntax: {exc}")
        return None
    if root is None:
        return YamlDocument(None, {(): Location(path, 1 + line_offset, 1)}, path)
    converter = _Converter(path, line_offset, diagnostics, value_limit(len(text)))
    try:
        data = converter.convert(root, (), 0)
    except _TooLarge as exc:
        diagnostics.error(
            exc.location,
            str(exc),
            "Aliases and nesting this deep are refused; write the values out.",
        )
        return None
    return YamlDocument(data, converter.locations, path, converter.nodes_seen)


def _compose(text: str) -> Node | None:
    """Compose with libyaml when present (about 5x faster on a large claims.yaml).

    On a syntax error the pure-Python parser runs again: its messages name the offending
    character, which helps an editor more than libyaml's terser wording.
    """
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is None:
        slow: Node | None = yaml.compose(text, Loader=yaml.SafeLoader)
        return slow
    try:
        node: Node | None = yaml.compose(text, Loader=fast)
        return node
    except yaml.YAMLError as fast_error:
        try:
            yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            raise
        except RecursionError:
            # Deeply nested input exhausts the pure-Python parser's stack; libyaml's word stands.
            raise fast_error from None
        raise


def _syntax_hint(text: str, mark: Any) -> str:
    if mark is None:
        return ""
    lines = text.split("\n")
    line = lines[mark.line] if mark.line < len(lines) else ""
    if "\t" in line:
        return "YAML does not allow tabs for indentation; indent with spaces."
    return "Check the indentation and quoting on this line and the one above it."


class _TooLarge(Exception):
    def __init__(self, location: Location, message: str) -> None:
        super().__init__(message)
        self.location = location


class _Converter:
    """Walks a composed YAML node tree once, recording locations and duplicate keys."""

    def __init__(self, path: str, line_offset: int, diagnostics: Diagnostics, limit: int) -> None:
        self.path = path
        self.limit = limit  # values the document may expand to
        self.line_offset = line_offset
        self.diagnostics = diagnostics
        self.locations: dict[PathKey, Location] = {}
        self.nodes_seen = 0
        self.top_level = Location(path, 1 + line_offset, 1)
        self.scalars = SafeConstructor()

    def where(self, node: Node) -> Location:
        mark = node.start_mark
        return Location(self.path, mark.line + 1 + self.line_offset, mark.column + 1)

    def convert(self, node: Node, key: PathKey, depth: int) -> Any:
        # Aliases make the tree a graph: counting every visit bounds "billion laughs" documents.
        self.nodes_seen += 1
        if depth > MAX_DEPTH:
            raise _TooLarge(self.where(node), f"YAML nested more than {MAX_DEPTH} levels deep")
        if depth == 1:
            # Aliases point back at their anchor; report the entry that uses them instead.
            self.top_level = self.where(node)
        if self.nodes_seen > self.limit:
            raise _TooLarge(
                self.top_level,
                f"YAML aliases expand the document to more than {self.limit} values",
            )
        self.locations.setdefault(key, self.where(node))
        if isinstance(node, MappingNode):
            return self.convert_mapping(node, key, depth)
        if isinstance(node, SequenceNode):
            return [self.convert(item, (*key, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        if node.tag == TIMESTAMP_TAG:
            return node.value
        value = self.construct(node)
        if isinstance(value, str):
            self.check_characters(value, node)
        return value

    def construct(self, node: ScalarNode) -> Any:
        """The scalar's value; its text, with an error, when its tag cannot make one."""
        try:
            return self.scalars.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, KeyError):
            # An unknown or unsafe tag (!!python/object), a tag that does not fit the text
            # (!!int abc), or YAML 1.1's merge and value keys (<<, =) used as plain values.
            tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
            self.diagnostics.error(
                self.where(node),
                f"YAML cannot read '{node.value}' as {tag}",
                "Put the value in quotes to keep it as text, or remove the tag in front of it.",
            )
            return node.value

    def check_characters(self, value: str, node: Node) -> None:
        """Report a control character written as an escape ("\\0", "\\x01"): the file itself
        is clean, so only the decoded value shows it, and feeds and browsers would choke on it."""
        control = CONTROL_CHARACTER.search(value)
        if control is not None:
            self.diagnostics.error(
                self.where(node),
                f"value contains the control character U+{ord(control.group()):04X}",
                "Remove the escape sequence that writes it: it is invisible, and feeds and "
                "other tools reject it.",
            )

    def key_name(self, node: Node) -> str:
        """A mapping key as text; complex keys are not meaningful in our files."""
        if isinstance(node, ScalarNode):
            return node.value if node.tag == TIMESTAMP_TAG else str(self.construct(node))
        return f"<{type(node).__name__}>"

    def convert_mapping(self, node: MappingNode, key: PathKey, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first_seen: dict[Any, Location] = {}
        for key_node, value_node in node.value:
            name = self.key_name(key_node)
            here = self.where(key_node)
            if name in first_seen:
                # PyYAML silently keeps the last value; an editor almost always meant to edit one.
                self.diagnostics.error(
                    here,
                    f"duplicate key '{name}' (first at line {first_seen[name].line})",
                    "Remove one of the two; only one value can apply.",
                )
                continue
            first_seen[name] = here
            self.locations[(*key, name, _KEY)] = here
            result[name] = self.convert(value_node, (*key, name), depth + 1)
        return result
