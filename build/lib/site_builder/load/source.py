"""Files on disk -> text every later stage can index into.

In: a path under the site root. Out: its text decoded as UTF-8 with a leading BOM removed and
CRLF/CR line endings turned into "\\n" (all offsets in the build refer to this text), or a located
diagnostic when the file is too large, unreadable or not UTF-8.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..diagnostics import Diagnostics, Location
from ..layout import ARTICLES_DIR as ARTICLES_DIR
from ..layout import CLAIMS_FILE as CLAIMS_FILE
from ..layout import PAGES_DIR as PAGES_DIR

MAX_FILE_BYTES = 5 * 1024 * 1024
# C0/C1 controls other than tab and line breaks: never part of reporting, invalid in XML feeds.
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# The same test on UTF-8 bytes, much faster than the regex on text: C0 controls and DEL are
# single bytes that occur nowhere else, and C1 controls are the only characters 0xc2 0x80-0x9f.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_OTHER_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_C1_UTF8 = re.compile(b"\xc2[\x80-\x9f]")


def _path_below(path: Path, root: Path) -> str | None:
    """The part of `path` after `root` as text, when `path` is spelled as `root` plus more."""
    text, base = os.fspath(path), os.fspath(root)
    prefix = base if base.endswith(os.sep) else base + os.sep
    return text[len(prefix) :] if text.startswith(prefix) else None


def relative_name(path: Path, root: Path) -> str:
    """`path` as the editor knows it: relative to the site root, with forward slashes."""
    below = _path_below(path, root)
    if below is not None and os.sep == "/":
        return below  # what relative_to() gives, without its cost on thousands of files
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def resolves_inside(path: Path, root: Path) -> bool:
    """True when `path`, with every link followed, is inside `root`, as resolve() would say."""
    return no_links_below(path, root) or path.resolve().is_relative_to(root.resolve())


def no_links_below(path: Path, root: Path) -> bool:
    """True when `path` is spelled as root/x/y/... and none of x, y, ... is a link.

    Then it surely resolves inside `root`, which is what `resolves_inside` asks, at the cost of
    a system call per part below the root instead of one per folder from "/" down.
    """
    below = _path_below(path, root)
    if below is None:
        return False
    parts = below.split(os.sep)
    if {"", ".", ".."} & set(parts):
        return False
    probe = os.fspath(root)
    for part in parts:
        probe = os.path.join(probe, part)
        if os.path.islink(probe):
            return False
    return True


def read_source(
    path: Path, root: Path, diagnostics: Diagnostics, max_bytes: int = MAX_FILE_BYTES
) -> str | None:
    """Read `path` as normalised text, or report why it cannot be read and return None."""
    name = relative_name(path, root)
    if not resolves_inside(path, root):
        diagnostics.error(
            Location(name),
            "file is a link to a place outside the site folder",
            "Copy the file into the site instead of linking to it.",
        )
        return None
    try:
        size = path.stat().st_size
        if size > max_bytes:
            diagnostics.error(
                Location(name),
                f"file is {size:,} bytes, over the limit of {max_bytes:,}",
                "Split the file, or check that it is the file you meant to add.",
            )
            return None
        data = path.read_bytes()
    except OSError as exc:
        diagnostics.error(Location(name), f"cannot read file: {exc.strerror or exc}")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        diagnostics.error(
            Location(name, line, column),
            f"file is not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded",
            "Save the file as UTF-8 in your editor.",
        )
        return None
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    control = CONTROL_CHARACTER.search(text) if _may_hold_control(data) else None
    if control is not None:
        line = text.count("\n", 0, control.start()) + 1
        column = control.start() - (text.rfind("\n", 0, control.start()) + 1) + 1
        diagnostics.error(
            Location(name, line, column),
            f"file contains the control character U+{ord(control.group()):04X}",
            "Delete it: it is invisible, and feeds and other tools reject it.",
        )
        return None
    return text


def _may_hold_control(data: bytes) -> bool:
    """False when the UTF-8 `data` surely holds no CONTROL_CHARACTER."""
    return bool(data.translate(None, _OTHER_BYTES)) or (
        b"\xc2" in data and _C1_UTF8.search(data) is not None
    )
