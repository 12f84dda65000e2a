"""`serve` soaked (issue 7): random edits, valid and invalid, against the real server.

A short run for CI (bench/soak_serve.py runs 1,000 edits against the `site-builder serve`
command). Every edit is saved as an editor saves it; after each one the test waits until the
server has rebuilt (or, for an editor's temporary file, makes sure it did not). The server must
never stop serving, every failed build must reach the open page as an error, and once every
breaking edit is undone and edits pause, the served folder must be exactly a clean build of
the final files.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from site_builder.build.options import BuildOptions
from site_builder.build.run import build
from site_builder.serve.events import FinishedLater, RebuildCrashed, RebuildFinished

from .soak_edits import Editor
from .test_build import tree
from .test_serve import start_site, wait_until

EDITS = 120


@pytest.mark.parametrize("seed", [1, 2])
def test_random_edits_never_stop_the_server_and_end_as_a_clean_build(
    tmp_path: Path, seed: int
) -> None:
    site = start_site(tmp_path, debounce=0.02)
    stream = site.stream()
    editor = Editor(site.root, random.Random(seed))
    try:
        for number in range(EDITS):
            builds = site.recorder.started()
            seen = len(stream.events)
            kind = editor.edit()
            if kind == "temp file":
                time.sleep(0.1)  # long past the quiet period: a rebuild would have started
                assert site.recorder.started() == builds, "an editor's temporary file rebuilt"
                continue
            wait_until(
                lambda seen=seen: any(n in {"reload", "error"} for n, _ in stream.events[seen:])
            )
            assert not stream.closed, f"edit {number} ({kind}) closed the event stream"
            status, _, _ = site.fetch("")
            assert status == 200, f"after edit {number} ({kind}) the index is not served"
        editor.restore()
        crashes = [e for e in site.recorder.events if isinstance(e, RebuildCrashed)]
        assert not crashes, crashes[0].details
        failed = [e for e in site.recorder.rebuilds() if e.result.failed]
        assert failed, "the breaking edits must have failed some builds"
        # Edits paused: the search index and open data catch up, and then the served folder is a
        # clean build of the final files, byte for byte.
        clean = tmp_path / "clean"
        assert not build(BuildOptions(root=site.root, out=clean)).failed
        wait_until(lambda: _finished_after_last_build(site) and tree(site.out) == tree(clean))
    finally:
        stream.close()
        site.server.stop()


def _finished_after_last_build(site: object) -> bool:
    events = site.recorder.events  # type: ignore[attr-defined]
    last_build = max(i for i, e in enumerate(events) if isinstance(e, RebuildFinished))
    return any(isinstance(e, FinishedLater) and e.result.done for e in events[last_build:])
