"""Long lists of claims -> pages of at most `PAGE_SIZE`, and the pager that links them.

In: a list's route and its entries. Out: the chunks, each page's route (route/page/N/) and its
`Pager` (previous, next, and a window of page numbers around the current one).
"""

from __future__ import annotations

from collections.abc import Sequence

from .entries import ClaimEntry
from .routes import Urls, page_route
from .values import (
    Pager,
    PagerLink,
)

# Claims per list page (the index, each tag and each rating): a newsroom's archive of thousands
# of claims stays a set of pages a phone can load, as Hugo's paginator does.
PAGE_SIZE = 50


# Up to this many article and outlet pages to plan, each looks up its claims on its own.
FEW_PAGES = 32


# Page numbers shown either side of the current one in a pager; the first and last always are.
_PAGER_WINDOW = 2


def paginate(items: Sequence[ClaimEntry], size: int = PAGE_SIZE) -> list[tuple[ClaimEntry, ...]]:
    """`items` cut into pages of `size`; an empty list is one empty page."""
    pages = [tuple(items[i : i + size]) for i in range(0, len(items), size)]
    return pages or [()]


def pager(route: str, number: int, total: int, urls: Urls) -> Pager | None:
    """Links between the pages of a list; None when the list has one page."""
    if total <= 1:
        return None
    shown = sorted(
        {
            1,
            total,
            *range(max(1, number - _PAGER_WINDOW), min(total, number + _PAGER_WINDOW) + 1),
        }
    )
    links: list[PagerLink | None] = []
    for index, shown_number in enumerate(shown):
        if index and shown_number - shown[index - 1] > 1:
            links.append(None)  # a gap: the template shows an ellipsis
        url = urls.link(page_route(route, shown_number))
        links.append(PagerLink(shown_number, url, shown_number == number))
    return Pager(
        number=number,
        total=total,
        previous=urls.link(page_route(route, number - 1)) if number > 1 else None,
        next=urls.link(page_route(route, number + 1)) if number < total else None,
        links=tuple(links),
    )
