"""Quotes: claims' quotes -> spans of their articles' sentences.

In: `Claim`s and `SegmentedArticle`s. Out: `ResolvedClaim`s (each quote's character spans and
sentences), or a located diagnostic with the closest current wording. Modules: `resolve`
(matching with typography folded, ellipses, occurrences), `fix` (`check --fix`: rewrite quotes
that differ only in typography), `suggest` (sentences of unquoted articles that likely report a
claim).
"""
