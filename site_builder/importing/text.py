"""A plain text copy of an article -> `Found`.

The headline is the first line, or the line the copy repeats near its top (a page copied whole
often has the headline twice, once as a breadcrumb or title and once over the text). A line that
only names the outlet, right under the headline, is the outlet's label, not reporting; a "#"
line right under the headline is the standfirst. Furniture lines ("Related Articles", "Back to
top button", "Share this article"...) are dropped wherever they stand.

Paragraphs are as the copy has them: one per line, or, where blank lines separate the lines,
the runs of lines between blank lines. "- " and "• " lines are list items, "#" lines headings.
No word, quote mark or dash is changed. A text file says nothing of who published it, when or
where: those come from the command line or stay out.
"""

from __future__ import annotations

import itertools
import re

from .found import Found, ImportProblem

FURNITURE = frozenset(
    line.casefold()
    for line in (
        "Related Articles",
        "Related articles",
        "Related",
        "Read more",
        "Read More",
        "More from this section",
        "Back to top",
        "Back to top button",
        "Share this article",
        "Share",
        "Advertisement",
        "Sign up for our newsletter",
        "Comments",
    )
)
_BLOCK_START = re.compile(r"^(?:[#>+*=]|-(?!\d)|\d{1,9}[.)](?:\s|$))")
_BULLET = re.compile(r"^[-•*]\s+")
_HEADING = re.compile(r"^#{1,6}\s+")
TOP = 6  # lines at the top of a copy where the headline's repeat and labels are looked for


def from_text(name: str, raw: bytes, outlet: str | None) -> Found:
    """The article in the UTF-8 text `raw` (from the file `name`); `outlet` as given, if any."""
    text = _decode(name, raw).replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    lines = [line.rstrip() for line in text.split("\n")]
    lines = [line for line in lines if line.strip().casefold() not in FURNITURE]
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if not filled:
        raise ImportProblem(name, "has no text", "save the article's text in it")
    top = [lines[i].strip() for i in filled[:TOP]]
    repeated = next((line for line in top if top.count(line) > 1), None)
    headline = repeated or top[0]
    keep = [True] * len(lines)
    for i in filled[:TOP]:
        if lines[i].strip() == headline:
            keep[i] = False
    last_headline = max(i for i in filled[:TOP] if lines[i].strip() == headline)
    standfirst = None
    after = [i for i in filled if i > last_headline and keep[i]]
    if after and outlet and lines[after[0]].strip().casefold() == outlet.strip().casefold():
        keep[after[0]] = False
        after = after[1:]
    if after and _HEADING.match(lines[after[0]].strip()):
        standfirst = _HEADING.sub("", lines[after[0]].strip())
        keep[after[0]] = False
    body = [line if keep[i] else "" for i, line in enumerate(lines)]
    blocks = _blocks(body)
    if not blocks:
        raise ImportProblem(name, "has a headline but no text under it", "check the copy")
    return Found(
        title=headline.lstrip("#").strip(),
        body="\n\n".join(blocks) + "\n",
        outlet=outlet,
        standfirst=standfirst,
    )


def _decode(name: str, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        at = error.start
        line = raw.count(b"\n", 0, at) + 1
        column = at - (raw.rfind(b"\n", 0, at) + 1) + 1
        raise ImportProblem(
            name,
            f"byte 0x{raw[at]:02x} is not UTF-8 text",
            "save the file as UTF-8 (most editors offer it under Save As)",
            line,
            column,
        ) from None


def _blocks(lines: list[str]) -> list[str]:
    """Markdown blocks: one per line, or runs of lines where blank lines separate most lines."""
    filled = [line for line in lines if line.strip()]
    pairs = sum(1 for a, b in itertools.pairwise(lines) if a.strip() and b.strip())
    # Blank lines between most lines: paragraphs are the runs between them.
    by_blank_lines = pairs < len(filled) / 2
    runs: list[list[str]] = [[]]
    for line in lines:
        if not line.strip():
            if runs[-1]:
                runs.append([])
        elif by_blank_lines:
            runs[-1].append(line.strip())
        else:
            runs[-1].append(line.strip())
            runs.append([])
    blocks: list[str] = []
    for run in (r for r in runs if r):
        if all(_BULLET.match(line) for line in run) or (
            not by_blank_lines and _BULLET.match(run[0])
        ):
            items = "\n".join("- " + _BULLET.sub("", line) for line in run)
            if blocks and blocks[-1].startswith("- ") and not by_blank_lines:
                blocks[-1] += "\n" + items  # consecutive item lines make one list
            else:
                blocks.append(items)
        elif _HEADING.match(run[0]) and len(run) == 1:
            blocks.append("## " + _HEADING.sub("", run[0]))
        else:
            blocks.append(block_markdown("\n".join(run)))
    return blocks


def block_markdown(paragraph: str) -> str:
    """`paragraph` as a Markdown paragraph: a start that Markdown would read as block syntax
    (a list number, "#", ">", "-") is escaped, so the page shows the words as they are."""
    return "\n".join(
        "\\" + line if _BLOCK_START.match(line) else line for line in paragraph.split("\n")
    )
