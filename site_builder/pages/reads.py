"""What a page reads, as the planner's dependency table (engine/depends.py) names it, and which
of those inputs an edit changed.

In: the last build's claim entries, order and articles, and this build's `Views`. Out: the set of
changed inputs; pages/plan.py looks up the pages that read any of them.

A page is named (kind, subject): (CLAIM, claim id), (ARTICLE, slug), (OUTLET, slug), and
(LISTS, "") for the index, tag, rating and content pages and 404.html, which are planned
together. The inputs:

- (CLAIM, id): the claim's entry: its text, verdict, quotes and the articles they quote;
- (ARTICLE, slug): the segmented article;
- (CITED, slug): which claims quote the article; (CARRIED, outlet): which claims quote one of
  the outlet's articles; (OUTLET, outlet): which articles the outlet has;
- (LISTING, id): what the lists show of a claim (its card and stances);
- ORDER: the order of all claims, newest review first (the lists show it whole);
- RANKS: the order among the claims that did not change. A page that lists a few claims reads
  it besides each of those claims: when only changed claims moved, those claims' own inputs
  name the page already.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..model import SegmentedArticle
from .entries import ClaimEntry

if TYPE_CHECKING:
    from .views import Views

PageName = tuple[str, str]
Read = tuple[str, ...]

CLAIM = "claim"
ARTICLE = "article"
OUTLET = "outlet"
LISTS = "lists"
CITED = "cited"
CARRIED = "carried"
LISTING = "listing"
ORDER: Read = ("order",)
RANKS: Read = ("ranks",)


def changed_inputs(
    entries: Mapping[str, ClaimEntry],
    order: tuple[str, ...],
    articles: Mapping[str, SegmentedArticle],
    views: Views,
) -> set[Read]:
    """The inputs that differ between the last build (its `entries` by claim id, `order` and
    `articles` by slug) and this one's `views`."""
    now = views.by_id
    claims = views.made | (entries.keys() - now.keys())  # new, changed or gone
    changed: set[Read] = {(CLAIM, claim_id) for claim_id in claims}
    for claim_id in views.made:
        entry = now[claim_id]
        # Pages that start quoting or carrying this claim did not read it before.
        changed.update((CITED, slug) for slug in entry.quotes)
        changed.update((CARRIED, outlet) for outlet in entry.by_outlet)
        before = entries.get(claim_id)
        if before is None or before.listing != entry.listing:
            changed.add((LISTING, claim_id))
    for slug in views.moved:
        changed.add((ARTICLE, slug))
        for segmented in (articles.get(slug), views.articles.get(slug)):
            if segmented is not None:
                changed.add((OUTLET, segmented.article.outlet_slug))
    if views.order != order:
        changed.add(ORDER)
        # The same order whole is the same order among the unchanged claims, so only here.
        if [i for i in views.order if i not in claims] != [i for i in order if i not in claims]:
            changed.add(RANKS)
    return changed
