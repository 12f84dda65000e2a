"""Engine: the incremental state that lets a build redo only what changed.

In: keys (file stats, digests of texts) and the functions that compute values from them. Out:
kept values: memos with the diagnostics they produced, the segmentation cache on disk (validated
JSON, never trusted), the last search bundle. Module: `cache`.
"""
