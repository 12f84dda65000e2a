"""Load: the editors' files -> located, validated values.

In: a site folder (content/site.yaml, content/articles/*.md, content/pages/*.md, claims.yaml).
Out: `SiteConfig`, `Article`, `Page` and `Claim` values (site_builder/model.py), and a located
diagnostic for everything wrong with the input. Modules: `source` (reading files safely),
`yamlsource` (YAML with line and column of every value), `schemas` (JSON Schema checks with
located messages), `config` (site.yaml), `articles` (articles and pages), `claims` (claims.yaml,
whole or entry by entry), `claims_split` (its entries' texts, without parsing YAML),
`claims_entry` (one entry checked into a `Claim`).
"""
