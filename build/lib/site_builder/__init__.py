"""site-builder: a static fact-check website generator.

Articles (Markdown) and claims.yaml go in; a static site comes out in which every claim shows
each outlet's own words side by side. See README.md for the editor's view and GUIDE.md for the
design.
"""

__version__ = "0.1.0"
