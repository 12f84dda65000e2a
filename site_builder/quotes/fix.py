"""Quotes that drift from their article only in typography -> the article's exact characters.

In: a resolved `Site` (for `plan_fixes`), then the text of claims.yaml and the planned fixes (for
`apply_fixes`). Out: `QuoteFix`es, and the new text of claims.yaml in which only the fixed `text`
scalars differ, byte for byte; comments, blank lines, indentation, flow lists and the quoting of
every other value stay as the editor wrote them.

Only what quotes/resolve.py already ignores is ever changed: quote and dash variants, runs of white space
and invisible characters. A quote whose words differ does not resolve, so it is never planned; and
every fix is checked again here (the folded forms must be equal), so a fix can never change words.

Why splicing rather than a round-trip YAML dump: a round-trip library (ruamel.yaml) re-emits the
whole file and normalises what it does not model, e.g. `[ a, b ]` -> `[a, b]`, `key:   value` ->
`key: value`, multi-line plain scalars joined, the indentation of `- ` items unified. So the file
is parsed with PyYAML (the parser load/articles.py used, so its locations match a `text`
quote's `Quote.value_location` exactly), each target scalar's source span and style are found,
and only that span is rewritten.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import Reader
from yaml.tokens import ScalarToken

from ..diagnostics import Location
from ..model import Site
from .resolve import fold_typography, quote_pieces

# An elision as the editor wrote it, with the white space around it (kept verbatim in a fix).
_ELISION = re.compile(r"(\s*(?:\.\.\.|…)\s*)")
# A white-space run in the article that breaks the line (Markdown soft wrap, or a block quote's
# "> " continuation markers): the reader sees one space, and a quote should say so.
_LINE_BREAK_RUN = re.compile(r"\s*[\n\r\x0b\x0c\x85\u2028\u2029](?:[ \t]*>)*\s*")
# Characters the reader cannot see; quotes/resolve.py ignores them, so a quote need not carry them.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
# PyYAML (YAML 1.1) also breaks lines at these; only a double-quoted scalar can hold them.
_YAML_BREAKS = frozenset("\n\r\x85\u2028\u2029")
_PLAIN_FIRST_FORBIDDEN = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_INDICATORS = frozenset(",[]{}")
_STR_TAG = "tag:yaml.org,2002:str"
_DOUBLE_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\x85": "\\N",
    "\u2028": "\\L",
    "\u2029": "\\P",
}


@dataclass(frozen=True)
class QuoteFix:
    """Rewrite the `text` value at `location` in claims.yaml from `old` to `new`."""

    location: Location  # of the text value in claims.yaml
    old: str  # the quote as written
    new: str  # the article's exact characters, elisions kept as the editor wrote them


class FixError(ValueError):
    """claims.yaml no longer holds the quote a fix was planned for (it changed in between)."""


def plan_fixes(site: Site) -> tuple[QuoteFix, ...]:
    """A fix for every resolved text quote whose pieces differ from the article's characters."""
    sources = {segmented.article.slug: segmented.article.source for segmented in site.articles}
    planned: dict[Location, QuoteFix | None] = {}
    for claim in site.claims:
        for resolved in claim.quotes:
            quote = resolved.quote
            if quote.text is None or quote.value_location is None:
                continue  # `sentence: N` quotes have no words to fix
            source = sources[quote.article]
            new = exact_quote(quote.text, [source[start:end] for start, end in resolved.spans])
            if new is None or new == quote.text:
                continue
            fix = QuoteFix(quote.value_location, quote.text, new)
            # A YAML alias lets two quotes share one scalar; if they disagree, leave it alone.
            if quote.value_location in planned and planned[quote.value_location] != fix:
                planned[quote.value_location] = None
            else:
                planned.setdefault(quote.value_location, fix)
    return tuple(fix for fix in planned.values() if fix is not None)


def exact_quote(text: str, article_pieces: Sequence[str]) -> str | None:
    """`text` with each quoted piece replaced by the article's characters for it.

    Elision markers and the white space around them, and white space before and after the
    quote, stay as the editor wrote them. None when the pieces do not line up with the article's
    (then the quote is left alone: it is never safe to guess).
    """
    parts = _ELISION.split(text)
    # parts alternates text and elision markers; a text part that folds to nothing (before a
    # leading "…", say) is not a piece and stays as written.
    piece_indexes = [i for i in range(0, len(parts), 2) if fold_typography(parts[i])]
    expected = quote_pieces(text)
    if len(piece_indexes) != len(article_pieces) or len(expected) != len(article_pieces):
        return None
    for index, written, wanted, article in zip(
        piece_indexes, (parts[i] for i in piece_indexes), expected, article_pieces, strict=True
    ):
        core = written.strip()
        new_core = _INVISIBLE.sub("", _LINE_BREAK_RUN.sub(" ", article))
        if fold_typography(core) != wanted or fold_typography(new_core) != wanted:
            return None  # only typography may change, never a word
        lead = written[: len(written) - len(written.lstrip())]
        parts[index] = lead + new_core + written[len(lead) + len(core) :]
    return "".join(parts)


@dataclass(frozen=True)
class _Target:
    """A scalar of claims.yaml to rewrite: its token (span and style) and its context."""

    fix: QuoteFix
    node: ScalarNode
    token: ScalarToken
    in_flow: bool  # inside [ ] or { }, where , [ ] { } end a plain scalar


@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    replacement: str


def apply_fixes(claims_text: str, fixes: Sequence[QuoteFix]) -> str:
    """claims.yaml with each fixed scalar rewritten and every other character left as it was.

    A scalar keeps its style (plain, single- or double-quoted, literal or folded block) when the
    new value can be written in it; otherwise it becomes double-quoted. Raises `FixError` when a
    fix's location does not hold its `old` value.
    """
    if not fixes:
        return claims_text
    try:
        root = yaml.compose(claims_text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise FixError(f"claims.yaml cannot be parsed any more: {exc}") from exc
    targets = _targets(claims_text, root, fixes)
    for force_double in (False, True):
        edits = [_edit(claims_text, target, force_double) for target in targets]
        result = _splice(claims_text, edits)
        if _same_except_fixes(root, result, targets):
            return result
    # The double-quoted form is valid for any value, so this means a bug, not bad input.
    raise FixError("rewriting the quotes would change claims.yaml beyond them; nothing was changed")


def _targets(text: str, root: Node | None, fixes: Sequence[QuoteFix]) -> list[_Target]:
    scalars = {
        (node.start_mark.line + 1, node.start_mark.column + 1): (node, in_flow)
        for node, in_flow in _scalars(root, False)
    }
    # A node's span starts at its anchor or tag, if any; the scalar token's span is the value.
    tokens = {
        token.end_mark.index: token
        for token in yaml.scan(text, Loader=yaml.SafeLoader)
        if isinstance(token, ScalarToken)
    }
    targets = []
    for fix in fixes:
        found = scalars.get((fix.location.line, fix.location.column))
        if found is None or found[0].value != fix.old:
            raise FixError(f"{fix.location}: this is no longer the quote {fix.old!r}")
        node, in_flow = found
        targets.append(_Target(fix, node, tokens[node.end_mark.index], in_flow))
    return targets


def _scalars(node: Node | None, in_flow: bool) -> Iterator[tuple[ScalarNode, bool]]:
    """Every scalar node, and whether it sits in a flow collection; aliases are visited once."""
    seen: set[int] = set()
    stack: list[tuple[Node | None, bool]] = [(node, in_flow)]
    while stack:
        current, flow = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, ScalarNode):
            yield current, flow
        elif isinstance(current, MappingNode):
            inner = flow or bool(current.flow_style)
            stack.extend((part, inner) for pair in current.value for part in pair)
        elif isinstance(current, SequenceNode):
            inner = flow or bool(current.flow_style)
            stack.extend((item, inner) for item in current.value)


def _edit(text: str, target: _Target, force_double: bool) -> _Edit:
    """The replacement for one scalar: in its own style when possible, else double-quoted."""
    new = target.fix.new
    start, end = target.token.start_mark.index, target.token.end_mark.index
    style = target.token.style
    if style in ("|", ">"):
        return _block_edit(text, start, end, style, target, force_double)
    if not force_double and style is None and _plain_ok(new, target.in_flow):
        return _Edit(start, end, new)
    if not force_double and style == "'" and _single_ok(new):
        return _Edit(start, end, "'" + new.replace("'", "''") + "'")
    return _Edit(start, end, _double_quoted(new))


def _block_edit(
    text: str, start: int, end: int, style: str, target: _Target, force_double: bool
) -> _Edit:
    """Rewrite a literal (|) or folded (>) block scalar's content lines, keeping its header.

    The token's span also holds the blank lines after the content; they stay untouched, so the
    chomping indicator keeps meaning what it meant.
    """
    header_end = text.index("\n", start)
    header = text[start:header_end].rstrip("\r")
    indicator = re.match(r"[|>][-+0-9]*", header)
    assert indicator is not None  # the scanner only makes a block scalar from such a header
    comment = header[indicator.end() :] if "#" in header else ""
    content_start = header_end + 1
    lines = text[content_start:end].split("\n")
    last = max(i for i, line in enumerate(lines) if line.strip())
    content_end = content_start + sum(len(line) + 1 for line in lines[:last])
    content_end += len(lines[last].rstrip("\r"))
    first = next(line for line in lines if line.strip())
    indent = first[: len(first) - len(first.lstrip(" "))]
    newline = "\r\n" if lines[0].endswith("\r") else "\n"

    old, new = target.fix.old, target.fix.new
    body, tail = new.rstrip("\n"), new[len(new.rstrip("\n")) :]
    keeps_block = (
        not force_double
        and bool(body)
        and not body[0].isspace()
        and tail == old[len(old.rstrip("\n")) :]  # the trailing line breaks come from chomping
        and not Reader.NON_PRINTABLE.search(body)
        and not (_YAML_BREAKS - {"\n"}).intersection(body)
        and (style == "|" or "\n" not in body)  # a folded scalar would turn "\n" into a space
    )
    if keeps_block:
        content = newline.join(indent + line if line else "" for line in body.split("\n"))
        return _Edit(content_start, content_end, content)
    return _Edit(start, content_end, _double_quoted(new) + comment)


def _plain_ok(value: str, in_flow: bool) -> bool:
    """True when `value` written unquoted reads back as exactly this string."""
    if not value or value != value.strip() or value[0] in _PLAIN_FIRST_FORBIDDEN:
        return False
    if _YAML_BREAKS.intersection(value) or "\t" in value or Reader.NON_PRINTABLE.search(value):
        return False
    if ": " in value or " #" in value or value.endswith(":"):
        return False
    if in_flow and _FLOW_INDICATORS.intersection(value):
        return False
    # The resolver would read numbers, booleans, dates and nulls as something else.
    probe = f"[{value}]" if in_flow else f"key: {value}"
    try:
        node = yaml.compose(probe, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return False
    if isinstance(node, SequenceNode):
        scalar = node.value[0]
    elif isinstance(node, MappingNode):
        scalar = node.value[0][1]
    else:
        return False
    return isinstance(scalar, ScalarNode) and scalar.tag == _STR_TAG and scalar.value == value


def _single_ok(value: str) -> bool:
    """True when `value` fits on one line of a single-quoted scalar (which has no escapes)."""
    return not _YAML_BREAKS.intersection(value) and not Reader.NON_PRINTABLE.search(value)


def _double_quoted(value: str) -> str:
    """`value` as a double-quoted YAML scalar: valid for any string."""
    chars = []
    for char in value:
        if char in _DOUBLE_ESCAPES:
            chars.append(_DOUBLE_ESCAPES[char])
        elif Reader.NON_PRINTABLE.match(char):
            code = ord(char)
            chars.append(
                f"\\x{code:02x}"
                if code <= 0xFF
                else f"\\u{code:04x}"
                if code <= 0xFFFF
                else f"\\U{code:08x}"
            )
        else:
            chars.append(char)
    return '"' + "".join(chars) + '"'


def _splice(text: str, edits: Sequence[_Edit]) -> str:
    pieces = []
    position = 0
    for edit in sorted(edits, key=lambda e: e.start):
        pieces += [text[position : edit.start], edit.replacement]
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces)


def _same_except_fixes(old_root: Node | None, after: str, targets: Sequence[_Target]) -> bool:
    """True when `after` parses to the document `old_root` was, but for the fixed values."""
    try:
        new_root = yaml.compose(after, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return False
    wanted = {id(target.node): target.fix.new for target in targets}
    pairs: list[tuple[Node | None, Node | None]] = [(old_root, new_root)]
    seen: set[int] = set()
    while pairs:
        old, new = pairs.pop()
        if old is None or new is None:
            if old is not new:
                return False
            continue
        if type(old) is not type(new) or id(old) in seen:
            if type(old) is not type(new):
                return False
            continue
        seen.add(id(old))
        if isinstance(old, ScalarNode):
            if id(old) in wanted:
                if new.tag != _STR_TAG or new.value != wanted[id(old)]:
                    return False
            elif (old.tag, old.value) != (new.tag, new.value):
                return False
            continue
        if old.tag != new.tag or len(old.value) != len(new.value):
            return False
        if isinstance(old, MappingNode):
            pairs.extend(
                pair
                for old_pair, new_pair in zip(old.value, new.value, strict=True)
                for pair in zip(old_pair, new_pair, strict=True)
            )
        else:
            pairs.extend(zip(old.value, new.value, strict=True))
    return True
