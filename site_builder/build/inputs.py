"""A site folder -> the digest of every file a build of it reads.

In: the site root and the template folders. Out: input name -> digest of its bytes, for the
settings, every file under content/, claims.yaml and every template and static file. Two equal
results mean a build would read the same bytes, so a kept build of them still holds. Names are
relative paths (templates prefixed by their folder, since a site's own templates/ and the
built-in ones can hold the same name); a link is recorded as a link to its target, which the
build refuses to follow.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from ..layout import CLAIMS_FILE
from ..text.pipeline import pipeline_installed

CONTENT_DIR = "content"
TEMPLATE_SEPARATOR = "::"  # template inputs are named "<folder>::<file>"
PIPELINE_INPUT = "pipeline:"  # not a file: whether the spaCy pipeline site.yaml names is installed


def read_inputs(root: Path, template_dirs: Sequence[Path]) -> dict[str, str]:
    """The digest of each file the build of `root` with `template_dirs` would read."""
    found: dict[str, str] = {}
    _add_file(found, root / CLAIMS_FILE, CLAIMS_FILE)
    _add_tree(found, root / CONTENT_DIR, CONTENT_DIR + "/")
    for directory in template_dirs:
        _add_tree(found, directory, f"{directory.resolve()}{TEMPLATE_SEPARATOR}")
    return found


def template_inputs(inputs: Mapping[str, str]) -> dict[str, str]:
    """The template and static files among `inputs`."""
    return {name: digest for name, digest in inputs.items() if TEMPLATE_SEPARATOR in name}


def pipeline_inputs(names: Iterable[str]) -> dict[str, str]:
    """For each spaCy pipeline name: whether it is installed, as an input."""
    return {
        PIPELINE_INPUT + name: "installed" if pipeline_installed(name) else "missing"
        for name in names
    }


def _add_tree(found: dict[str, str], folder: Path, prefix: str) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        name = prefix + entry.name
        try:
            # The directory listing says what each entry is: no stat per file.
            if entry.is_dir(follow_symlinks=False):
                _add_tree(found, Path(entry.path), name + "/")
            else:
                _add_entry(found, entry.path, name, entry.is_symlink())
        except OSError as error:
            found[name] = f"unreadable:{error.errno}"


def _add_file(found: dict[str, str], path: Path, name: str) -> None:
    try:
        _add_entry(found, str(path), name, path.is_symlink())
    except OSError as error:
        found[name] = f"unreadable:{error.errno}"


def _add_entry(found: dict[str, str], path: str, name: str, link: bool) -> None:
    """Record the file at `path` by the digest of its bytes, a link by its target; a file that
    is gone is left out. OSError for one that cannot be read."""
    if link:
        found[name] = "link:" + os.readlink(path)
        return
    try:
        with open(path, "rb") as file:
            found[name] = hashlib.blake2b(file.read(), digest_size=16).hexdigest()
    except FileNotFoundError:
        return
