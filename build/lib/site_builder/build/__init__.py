"""Build: one build run, load -> segment -> resolve -> plan -> render -> search -> write.

In: `BuildOptions` (site folder, output folder, strictness, base URL). Out: a `BuildResult` with
every diagnostic; the output folder is written only when the run is clean. Module: `builder`
(the `Builder` that `build` runs once and `serve` runs again and again).
"""
