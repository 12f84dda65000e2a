"""Files on disk -> text every later stage can index into.

In: a path under the site root. Out: its text decoded as UTF-8 with a leading BOM removed and
CRLF/CR line endings turned into "\\n" (all offsets in the build refer to this text), or a located
diagnostic when the file is too large, unreadable or not UTF-8.
"""

from __future__ import annotations

import re
from pathlib import Path

from .diagnostics import Diagnostics, Location

MAX_FILE_BYTES = 5 * 1024 * 1024
# C0/C1 controls other than tab and line breaks: never part of reporting, invalid in XML feeds.
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def relative_name(path: Path, root: Path) -> str:
    """`path` as the editor knows it: relative to the site root, with forward slashes."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def read_source(
    path: Path, root: Path, diagnostics: Diagnostics, max_bytes: int = MAX_FILE_BYTES
) -> str | None:
    """Read `path` as normalised text, or report why it cannot be read and return None."""
    name = relative_name(path, root)
    if not path.resolve().is_relative_to(root.resolve()):
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
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    control = CONTROL_CHARACTER.search(text)
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
