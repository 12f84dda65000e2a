"""Pages: a resolved `Site` -> one plan per output page (template, route, values).

In: a `Site`. Out: `PagePlan`s: the template to render, the output path, and frozen template
values; the key that says when a page must be rendered again. Modules: `plan` (one plan per page
kind, and the planner that reuses unchanged plans), `values` (the frozen values templates see),
`article` (URLs and article views), `inline` (inline Markdown to safe HTML), `feeds` (sitemap,
Atom feed), `jsonld` (ClaimReview), `open_data` (claims.json, annotations.jsonld).
"""
