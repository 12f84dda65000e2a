"""The last one-off build's output -> what this build need not make again.

In: the `KeptBuild` of the last successful build (engine/state.py), the output folder as it is
now, and this build's input digests. Out: for each page plan, the file already in the output
folder when its template and key are those it was rendered from (and the file is as that build
left it), else None; and, after the build, the `KeptBuild` for the next one.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic
from ..engine.cache import same
from ..engine.digest import Digester
from ..engine.state import KeptBuild, KeptOutput, Stamp, scan_output, stamp_of
from ..model import OutputFile
from ..output.write import MARKER
from .inputs import template_inputs

if TYPE_CHECKING:  # a build with nothing to do imports no page code
    from ..pages.values import PagePlan


class KeptPages:
    """The pages of the last build that still hold, read back from the output folder.

    `up_to_date` is True when there is nothing to do: the inputs are the kept build's and the
    output folder holds exactly the files it wrote, as it wrote them."""

    def __init__(self, out: Path, kept: KeptBuild | None, inputs: Mapping[str, str]) -> None:
        self.out = out
        self.on_disk = scan_output(out) if kept is not None else {}
        # Files exactly as the last build left them: their recorded digests still hold.
        self.trusted: dict[str, KeptOutput] = {}
        if kept is not None:
            for path, output in kept.outputs.items():
                if self.on_disk.get(path) == output.stamp:
                    self.trusted[path] = output
        same_templates = kept is not None and template_inputs(kept.inputs) == template_inputs(
            inputs
        )
        self.pages = kept.pages if kept is not None and same_templates else {}
        self.up_to_date = (
            kept is not None
            and kept.inputs == inputs
            and len(self.trusted) == len(kept.outputs)
            and self.on_disk.keys() - kept.outputs.keys() == {MARKER}
        )
        self.digester = Digester()
        self.keys: dict[str, tuple[str, str]] = {}  # this build's plans: path -> template, key
        self.read: dict[str, OutputFile] = {}  # files read back, whose digests are recorded

    def reuse(self, plan: PagePlan) -> OutputFile | None:
        """The file of `plan` in the output folder, when the last build rendered it from the
        same template and an equal key and nobody touched it since; else None."""
        page = (plan.template, self.digester.hexdigest(plan.key))
        self.keys[plan.path] = page
        if self.pages.get(plan.path) != page or plan.path not in self.trusted:
            return None
        try:
            content = (self.out / plan.path).read_bytes()
        except OSError:
            return None
        file = self.read[plan.path] = OutputFile(plan.path, content)
        return file

    def digest(self, file: OutputFile) -> str | None:
        """The digest of `file`'s bytes when it is one read back here (no need to hash it)."""
        return self.trusted[file.path].digest if same(self.read.get(file.path), file) else None

    def previous(self, path: str) -> str | None:
        """The recorded digest of the output file at `path`, when it is as last written."""
        kept = self.trusted.get(path)
        return kept.digest if kept is not None else None

    def record(
        self,
        inputs: Mapping[str, str],
        written: Mapping[str, str],
        diagnostics: tuple[Diagnostic, ...],
    ) -> KeptBuild:
        """The `KeptBuild` after this build wrote `written` (path -> digest of its bytes)."""
        outputs: dict[str, KeptOutput] = {}
        for path, digest in written.items():
            held = self.trusted.get(path)
            # A file whose bytes were already these was not written: it has the stamp it was
            # found with (a stat of each of the site's files would cost more than the build).
            if held is not None and held.digest == digest:
                stamp: Stamp | None = held.stamp
            else:
                stamp = stamp_of(self.out / path)
            if stamp is not None:
                outputs[path] = KeptOutput(stamp, digest)
        pages = {path: page for path, page in self.keys.items() if path in outputs}
        return KeptBuild(dict(inputs), outputs, pages, diagnostics)
