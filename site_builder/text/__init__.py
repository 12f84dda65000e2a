"""Text: an article's Markdown -> its blocks and numbered sentences.

In: an `Article`. Out: a `SegmentedArticle`: Markdown blocks with their source lines, and the
sentences (character spans into the article file) that quotes expand to. Modules:
`markdown_blocks` (block structure and source maps), `sentence_rules` (the project's sentence
boundary rules), `segment` (spaCy pipeline, in one process or several).
"""
