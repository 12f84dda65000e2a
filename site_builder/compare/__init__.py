"""Compare: a claim's excerpts -> what differs between the outlets.

In: a `ResolvedClaim` and its `SegmentedArticle`s. Out: a `Comparison`: the excerpts aligned
word by word (figures such as "6,000" as one unit) and the differences worth saying in words
(figures, dates, days, ages, names, direction). Modules: `units` (text to units), `align`
(witnesses to aligned columns and segments), `facts` (the differences worth saying), `collate`
(one claim's comparison, from its quotes).
"""
