"""claims.yaml's text -> the text of each entry of its `claims:` list, without parsing YAML.

In: the file's text (and, to split it again after an edit, the last `Split` and the new text).
Out: a `Split`: where the list starts and each entry's text, or None when the file is not in the
plain shape that can be split safely (then it is read whole). Splitting again looks only around
the edit, with the same result as a whole split.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from typing import NamedTuple

_CLAIMS_KEY = re.compile(r"claims:(?: +(?:#.*)?)?")


_TAB_INDENT = re.compile(r"^ *\t", re.MULTILINE)


_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


# An anchor or alias could be here (or these are just words, such as Markdown's *emphasis*).
MAYBE_ANCHOR = re.compile(r"(?:^|[ \[{,])[&*][A-Za-z0-9_-]", re.MULTILINE)


class Split(NamedTuple):
    """claims.yaml cut into its top-level entries (`split_text`)."""

    text: str
    first_line: int  # the line the first entry starts on
    indent: int  # of the entries' "- "
    starts: tuple[int, ...]  # where each entry starts in `text`, then len(text)
    texts: tuple[str, ...]  # each entry's text


def split_entries(text: str) -> tuple[int, tuple[str, ...]] | None:
    """`split_text`'s first line and entry texts."""
    split = split_text(text)
    return (split.first_line, split.texts) if split else None


def split_again(previous: Split, text: str) -> Split | None:
    """`split_text(text)` for a text that was `previous.text` before an edit.

    Only the entries around what changed are looked for again; the others keep their places
    (shifted when the edit changed the length) and their very text objects. Gives the same
    result as `split_text(text)` (tests/test_load_incremental.py holds it to that).
    """
    old = previous.text
    if text == old:
        return previous
    if not _usual_characters(text):
        return None
    starts = previous.starts
    prefix = _common_prefix(old, text)
    if prefix <= starts[0]:
        return split_text(text)  # the lines before the first entry changed
    suffix = _common_suffix(old, text, min(len(old), len(text)) - prefix)
    first = bisect_right(starts, prefix) - 1  # the entry the change begins in
    # The first entry after the change whose line break before it is untouched; the end of the
    # text when there is none.
    after = bisect_left(starts, len(old) - suffix + 1, lo=first + 1)
    if after >= len(starts) - 1:
        after = len(starts) - 1
    delta = len(text) - len(old)
    begin, end = starts[first], starts[after] + delta
    line_end = text.find("\n", begin)
    line = text[begin:] if line_end < 0 else text[begin:line_end]
    if not (line.startswith(" " * previous.indent) and _is_entry_start(line[previous.indent :])):
        return split_text(text)  # the entry no longer starts where it did
    found = [m.start() + 1 for m in _entry_start(previous.indent).finditer(text, begin, end)]
    middle = [begin, *found]
    new_starts = (*starts[:first], *middle, *(start + delta for start in starts[after:]))
    texts = (
        *previous.texts[:first],
        *(text[a:b] for a, b in itertools.pairwise([*middle, end])),
        *previous.texts[after:],
    )
    return Split(text, previous.first_line, previous.indent, new_starts, texts)


def _common_prefix(one: str, other: str) -> int:
    """The length of the longest common prefix, compared a block at a time (in C)."""
    block, at, limit = 4096, 0, min(len(one), len(other))
    while at < limit and one[at : at + block] == other[at : at + block]:
        at += block
    while at < limit and one[at] == other[at]:
        at += 1
    return min(at, limit)


def _common_suffix(one: str, other: str, limit: int) -> int:
    """The length of the longest common suffix, at most `limit`."""
    block, size = 4096, 0
    while size + block <= limit and (
        one[len(one) - size - block : len(one) - size]
        == other[len(other) - size - block : len(other) - size]
    ):
        size += block
    while size < limit and one[len(one) - size - 1] == other[len(other) - size - 1]:
        size += 1
    return size


def _usual_characters(text: str) -> bool:
    """No tab in an indentation and no line break YAML counts that "\n" does not."""
    if "\t" in text and _TAB_INDENT.search(text):
        return False
    return not any(mark in text for mark in _OTHER_BREAKS)


def split_text(text: str) -> Split | None:
    """The top-level entries of claims.yaml: the first one's line, and each one's text.

    None unless the file has the usual block shape: only blank and comment lines before
    `claims:` at column 0, then entries that each start with `- ` at one indentation, every
    other line of an entry being blank, a comment or indented deeper, and no tab in any line's
    indentation. Each entry's text runs to the next entry (comments between entries included).
    """
    if not _usual_characters(text):
        return None  # YAML counts other line breaks too, so "\n" would not number the lines
    pos, line = 0, 1
    seen_key = False
    while True:  # the header: blank and comment lines, `claims:`, more of them, the first entry
        end = text.find("\n", pos)
        current = text[pos:] if end < 0 else text[pos:end]
        if not _is_blank_or_comment(current):
            if seen_key:
                break
            if not _CLAIMS_KEY.fullmatch(current):
                return None
            seen_key = True
        if end < 0:
            return None
        pos, line = end + 1, line + 1
    indent = len(current) - len(current.lstrip(" "))
    if not _is_entry_start(current[indent:]):
        return None
    starts = [pos, *(m.start() + 1 for m in _entry_start(indent).finditer(text, pos)), len(text)]
    texts = tuple(text[start:end] for start, end in itertools.pairwise(starts))
    return Split(text, line, indent, tuple(starts), texts)


def _is_blank_or_comment(line: str) -> bool:
    content = line.lstrip(" ")
    return not content or content[0] == "#"


def _is_entry_start(rest: str) -> bool:
    return rest == "-" or rest.startswith("- ")


def _entry_start(indent: int) -> re.Pattern[str]:
    """Finds the line break before each entry at `indent` (re keeps the compiled pattern)."""
    return re.compile("\n" + " " * indent + r"-(?=[ \n]|\Z)")
