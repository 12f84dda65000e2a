"""Deep links to the original: URLs with a text fragment (`#:~:text=`), so that a reader who
follows an excerpt's link to the outlet's page lands on the quoted words there.

In: the article's URL, its source text, and the quoted [start, end) spans. Out: the URL with a
text directive, encoded as the URL Fragment Text Directives spec asks: each term
percent-encoded as UTF-8, with "-", "," and "&" (the directive's own syntax) encoded too.

A browser matches the directive against the page's rendered text, where white space collapses
and Markdown is gone; the terms are the article's words with white space collapsed. Where the
quoted words occur more than once in the article, a prefix (the words just before) and a suffix
(the words just after) say which occurrence is meant, a word at a time until only one matches.
A long quote is given by its first and last words (textStart,textEnd), as the spec suggests.
"""

from __future__ import annotations

import re
from urllib.parse import quote

_SPACE = re.compile(r"\s+")
_MARKUP = re.compile(r"[*_`\\]")  # inline Markdown the page does not show
LONG = 80  # characters: a quote longer than this is given by its first and last words
EDGE_WORDS = 5  # words of textStart and of textEnd for a long quote
CONTEXT_WORDS = 5  # words of prefix or suffix, at most


def encode_term(term: str) -> str:
    """`term` percent-encoded for a text directive: UTF-8, and "-", ",", "&" encoded."""
    return quote(term, safe="").replace("-", "%2D")


def text_fragment_url(url: str, source: str, spans: tuple[tuple[int, int], ...]) -> str:
    """`url` with a text directive for the words `source[start:end]` of `spans` (several
    spans, an elided quote, become one range from the first's start to the last's end)."""
    if not spans:
        return url
    start, end = spans[0][0], spans[-1][1]
    words = _words(source[start:end])
    if not words:
        return url
    before, after = _words(source[:start]), _words(source[end:])
    text = before + words + after  # the article's words (quotes start and end on words)
    if len(" ".join(words)) > LONG and len(words) > 2 * EDGE_WORDS:
        terms = [" ".join(words[:EDGE_WORDS]), " ".join(words[-EDGE_WORDS:])]
    else:
        terms = [" ".join(words)]
    prefix, suffix = _context(text, len(before), words, before, after)
    directive = ",".join(encode_term(term) for term in terms)
    if prefix:
        directive = encode_term(prefix) + "-," + directive
    if suffix:
        directive += ",-" + encode_term(suffix)
    return f"{url.split('#', 1)[0]}#:~:text={directive}"


def _words(text: str) -> list[str]:
    return _MARKUP.sub("", _SPACE.sub(" ", text)).split()


def _context(
    text: list[str], at: int, words: list[str], before: list[str], after: list[str]
) -> tuple[str, str]:
    """Prefix and suffix words, as few as make the quote's occurrence at word `at` the only
    match; none when the words occur once."""
    width = len(words)
    places = [i for i in range(len(text) - width + 1) if text[i : i + width] == words]
    size = 0
    while len(places) > 1 and size < CONTEXT_WORDS:
        size += 1
        prefix, suffix = before[-size:], after[:size]
        places = [
            i
            for i in places
            if text[max(0, i - len(prefix)) : i] == prefix
            and text[i + width : i + width + len(suffix)] == suffix
        ]
    if size == 0:
        return "", ""
    return " ".join(before[-size:]), " ".join(after[:size])
