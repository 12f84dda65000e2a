"""Build: one build run, load -> segment -> resolve -> plan -> render -> search -> write.

In: `BuildOptions` (site folder, output folder, strictness, base URL). Out: a `BuildResult` with
every diagnostic; the output folder is written only when the run is clean. Modules: `options`
(what a build is asked and what it reports), `run` (the `build` command: a fresh run from the
state the last one kept on disk), `inputs` (the digest of every file a build reads), `kept`
(pages of the last run read back from the output folder), `builder` (the `Builder` that `build`
runs once and `serve` runs again and again), and its stages that keep their values from build to
build: `sources` (the editors' files), `segmenting` (sentences), `resolving` (quotes);
`clock` (seconds per stage).
"""
