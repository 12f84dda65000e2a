"""One one-off build (the `build` command), from what the last one left where it still holds.

In: `BuildOptions`. Out: a `BuildResult`. The inputs are digested first; when they are those of
the last successful build into the same folder and the folder is as that build left it, there
is nothing to do: its diagnostics are reported again and nothing is loaded, rendered or written
(Sphinx's "no outdated files", for the whole site at once). Otherwise the build runs, reading back
from the output folder every page whose key is unchanged, and what it made is kept for the next
one. The site is byte for byte the same with or without the kept state.

Only the standard library and the engine's small modules are imported here, so that a build
with nothing to do never imports spaCy, Jinja2 or the rest of the pipeline.
"""

from __future__ import annotations

from dataclasses import replace

from ..engine.state import StateFile
from ..layout import template_dirs
from .clock import StageClock
from .inputs import PIPELINE_INPUT, pipeline_inputs, read_inputs
from .kept import KeptPages
from .options import BuildOptions, BuildResult, Progress


def build(options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    """Build the site of `options` into its output folder, doing only what changed."""
    clock = StageClock()
    state = StateFile(
        options.root, options.out, {"strict": options.strict, "base_url": options.base_url}
    )
    kept = state.load()
    inputs = read_inputs(options.root, template_dirs(options.root))
    if kept is not None:
        # Whether a pipeline that site.yaml names is installed is an input too.
        names = [
            name[len(PIPELINE_INPUT) :] for name in kept.inputs if name.startswith(PIPELINE_INPUT)
        ]
        inputs.update(pipeline_inputs(names))
    clock.lap("inputs")
    pages = KeptPages(options.out, kept, inputs)
    if kept is not None and pages.up_to_date:
        clock.lap("check")
        return BuildResult(
            kept.diagnostics,
            failed=False,
            pages=len(kept.outputs),
            written=True,
            timings=clock.laps(),
        )
    from .builder import Builder  # the whole pipeline: only when there is work to do

    builder = Builder(options, progress=progress, kept=pages)
    result = builder.build()
    if not result.failed:
        name = builder.sources.pipeline_named()
        inputs.update(pipeline_inputs([name] if name else []))
        state.save(pages.record(inputs, builder.written_digests(), result.diagnostics))
    return replace(result, timings=clock.laps() + result.timings)
