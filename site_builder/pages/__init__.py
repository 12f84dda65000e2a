"""Pages: a resolved `Site` -> one plan per output page (template, route, values).

In: a `Site`. Out: `PagePlan`s: the template to render, the output path, lazy frozen template
values, and the key that says when a page must be rendered again. Modules: `routes` (every URL),
`scale` (the rating scale), `entries` (the values pages are planned from), `views` (one plan per
page kind), `reads` (what each page reads, and what an edit changed), `plan` (the planner that
plans again only what an edit touched), `paging` (long lists), `contexts` (template contexts),
`values`, `article` and `inline` (the frozen values templates see, inline Markdown to safe
HTML), `feeds` (sitemap, Atom feed, robots.txt), `jsonld` (ClaimReview), `open_data`
(claims.json, annotations.jsonld).
"""
