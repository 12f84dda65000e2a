"""Output: page plans -> files, and files -> the output folder.

In: `PagePlan`s and the template folders. Out: `OutputFile`s (Jinja2 pages, static files, open
data), the Pagefind search bundle, and the output folder on disk. Modules: `render` (the Jinja2
environment and rendering, template errors as located diagnostics), `search` (Pagefind),
`write` (the only writer of the output folder: a staging swap, or in place).
"""
