"""What a finished one-off build leaves for the next one, kept on disk.

In: the digests of every input a build read, the output files it wrote and the key digest of
every page it rendered. Out: a `KeptBuild` the next build of the same site into the same folder
compares against: every input the same and every output file as written -> nothing to do; some
inputs changed -> only the pages whose keys changed are rendered, the others are read back from
the output folder.

Like the segmentation cache it is validated JSON in the user's cache folder (never inside the
site), one file per site and output folder, for this exact code (`code_version_all`): a missing,
stale, truncated, foreign or planted file is ignored (the build is then a full one) and never
trusted beyond what it can prove. An output file counts as written by the last build only while
its size, modification time and inode are those recorded, so a file edited, replaced or deleted
by hand, or left half-updated by an interrupted build, is made again.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, Location
from .cache import read_json, site_cache_file, write_json

FORMAT = 1
# Libraries whose releases can change a page's bytes.
LIBRARIES = (
    "jinja2",
    "markupsafe",
    "markdown-it-py",
    "pyyaml",
    "spacy",
    "orjson",
    "pagefind",
    "pagefind-bin",
)

Stamp = tuple[int, int, int]  # size, modification time (ns), inode


@dataclass(frozen=True)
class KeptOutput:
    """An output file as the last build left it: its stamp on disk and the digest of its bytes."""

    stamp: Stamp
    digest: str


@dataclass(frozen=True)
class KeptBuild:
    """The last successful build of one site into one output folder."""

    inputs: Mapping[str, str]  # input name -> digest of its bytes
    outputs: Mapping[str, KeptOutput]  # output path (POSIX, relative) -> how it was left
    pages: Mapping[str, tuple[str, str]]  # output path -> (template, digest of the page's key)
    diagnostics: tuple[Diagnostic, ...]  # what the build reported (warnings), to report again


@functools.cache
def code_version_all() -> str:
    """A digest of this package's source and the versions of the libraries that shape output
    (read once per process: the state file and the resolution cache both ask)."""
    digest = hashlib.blake2b(digest_size=16)
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    digest.update(sys.version.encode())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none\0".encode())
    return digest.hexdigest()


def stamp_of(path: Path) -> Stamp | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino


def scan_output(out: Path) -> dict[str, Stamp]:
    """Every file under `out` (relative POSIX path -> stamp); empty when there is no folder.
    Links are not followed: the build never writes one."""
    found: dict[str, Stamp] = {}
    stack = [(out, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            name = prefix + entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((Path(entry.path), name + "/"))
                else:
                    st = entry.stat(follow_symlinks=False)
                    found[name] = (st.st_size, st.st_mtime_ns, st.st_ino)
            except OSError:
                continue
    return found


class StateFile:
    """The kept build of the site at `root` written into `out`, in the user's cache folder."""

    def __init__(self, root: Path, out: Path, settings: Mapping[str, object]) -> None:
        where = hashlib.blake2b(str(out.resolve()).encode(), digest_size=8).hexdigest()
        self.path = site_cache_file(root, f"build-{{site}}-{where}.json")
        # Everything besides the inputs that decides the output: a build with other settings
        # (--strict, --base-url, another code version) starts from nothing.
        self.settings = {
            "format": FORMAT,
            "code": code_version_all(),
            "root": str(root.resolve()),
            "out": str(out.resolve()),
            **settings,
        }

    def load(self) -> KeptBuild | None:
        """The kept build, or None when there is none that this code and these settings can
        trust (missing, unreadable, malformed, or made by other code or for other settings)."""
        try:
            data = read_json(self.path)
        except (OSError, ValueError):
            return None
        try:
            return _decode(data, self.settings)
        except (TypeError, ValueError, KeyError, AttributeError):
            return None

    def save(self, kept: KeptBuild) -> None:
        """Write `kept` atomically; an unwritable cache folder only means no kept state."""
        data = {
            "settings": self.settings,
            "inputs": dict(kept.inputs),
            "outputs": {p: [*o.stamp, o.digest] for p, o in kept.outputs.items()},
            "pages": {p: list(page) for p, page in kept.pages.items()},
            "diagnostics": [_diagnostic_json(d) for d in kept.diagnostics],
        }
        write_json(self.path, data)


def _decode(data: Any, settings: Mapping[str, object]) -> KeptBuild | None:
    if not isinstance(data, dict) or data.get("settings") != settings:
        return None
    inputs = data["inputs"]
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in inputs.items()):
        return None
    outputs = {}
    for path, (size, mtime, inode, digest) in data["outputs"].items():
        if not all(isinstance(n, int) for n in (size, mtime, inode)) or not isinstance(digest, str):
            return None
        outputs[_relative(path)] = KeptOutput((size, mtime, inode), digest)
    pages = {}
    for path, (template, key) in data["pages"].items():
        if not isinstance(template, str) or not isinstance(key, str):
            return None
        pages[_relative(path)] = (template, key)
    diagnostics = tuple(_diagnostic(item) for item in data["diagnostics"])
    return KeptBuild(dict(inputs), outputs, pages, diagnostics)


def _relative(path: object) -> str:
    """An output path as the build writes them; ValueError for anything else."""
    if not isinstance(path, str) or not path or path.startswith("/") or "\\" in path:
        raise ValueError(path)
    if any(part in ("", ".", "..") for part in path.split("/")):
        raise ValueError(path)
    return path


def _diagnostic_json(item: Diagnostic) -> list[object]:
    where = item.location
    return [item.severity, where.path, where.line, where.column, item.message, item.hint]


def _diagnostic(data: Any) -> Diagnostic:
    severity, path, line, column, message, hint = data
    if severity not in ("error", "warning"):
        raise ValueError(severity)
    if not (isinstance(line, int) and isinstance(column, int)):
        raise ValueError(data)
    if not all(isinstance(text, str) for text in (path, message, hint)):
        raise ValueError(data)
    return Diagnostic(severity, Location(path, line, column), message, hint)
