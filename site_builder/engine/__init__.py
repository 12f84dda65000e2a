"""Engine: the incremental state that lets a build redo only what changed.

In: keys (file stats, digests of texts), the functions that compute values from them, and which
inputs each value read. Out: kept values: memos with the diagnostics they produced, the JSON
caches on disk and the segmentations kept in one (`cache`), resolved quotes kept in another
(`resolved`), the readers of changed inputs (`depends`), digests that stand for page keys across
processes (`digest`), and a one-off build's state on disk (`state`): validated JSON, never
trusted.
"""
