"""Verdicts held to the scale the site publishes.

In: the resolved claims, the articles, which of them share copy, and the site's ratings (each
may state a `VerdictRule`). Out: a warning for each claim whose quotes do not fit the rule of
its verdict, located at the `verdict:` value, naming the rule and the quotes that break it.

The counts are of independent sources, not of quotes: an outlet counts once however many of its
articles are quoted, and outlets whose articles share copy (compare/shared_copy.py) count once
together, for two outlets that print one report are one confirmation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..diagnostics import Diagnostic
from ..model import (
    RULE_COUNTS,
    Article,
    Rating,
    ResolvedClaim,
    SharedCopy,
)
from .shared_copy import sources


def verdict_warnings(
    claims: Sequence[ResolvedClaim],
    by_slug: Mapping[str, Article],
    shared: SharedCopy,
    ratings: Sequence[Rating],
) -> list[Diagnostic]:
    """A warning for each claim whose quotes break its verdict's rule (see the module)."""
    rules = {rating.key: rating.rule for rating in ratings if rating.rule is not None}
    if not rules:
        return []
    found = []
    for resolved in claims:
        claim = resolved.claim
        rule = rules.get(claim.verdict)
        if rule is None:
            continue
        counts = source_counts(resolved, by_slug, shared)
        broken = [(name, value) for name, value in rule.bounds if not _holds(name, value, counts)]
        if not broken:
            continue
        name, value = broken[0]
        count = name.split("_", 1)[1]
        found.append(
            Diagnostic(
                "warning",
                claim.verdict_location or claim.location,
                f"verdict '{claim.verdict}' of claim '{claim.id}' asks for "
                f"{_bound(name, value)}; its quotes have {counts[count]}",
                f"the rule of '{claim.verdict}' (content/site.yaml): {rule.describe()}. "
                f"The quotes: {_stances(resolved, by_slug, shared)}. "
                "Change the verdict, or the stances if the sentences allow it.",
            )
        )
    return found


def source_counts(
    resolved: ResolvedClaim, articles: Mapping[str, Article], shared: SharedCopy
) -> dict[str, int]:
    """For each count a rule may bound ("supporting"...), how many independent sources."""
    counts = {}
    for count, stances in RULE_COUNTS.items():
        quoted = [
            articles[q.quote.article]
            for q in resolved.quotes
            if q.quote.stance in stances and q.quote.article in articles
        ]
        counts[count] = len(sources(list(dict.fromkeys(quoted)), shared))
    return counts


def _holds(name: str, value: int, counts: Mapping[str, int]) -> bool:
    side, count = name.split("_", 1)
    return counts[count] >= value if side == "min" else counts[count] <= value


def _bound(name: str, value: int) -> str:
    side, count = name.split("_", 1)
    if side == "max" and value == 0:
        return f"no {count} source"
    return f"{'at least' if side == 'min' else 'at most'} {value} {count} source" + (
        "" if value == 1 else "s"
    )


def _stances(resolved: ResolvedClaim, articles: Mapping[str, Article], shared: SharedCopy) -> str:
    """Each quoted outlet with its stances, and which outlets are one source."""
    stances: dict[str, list[str]] = {}
    quoted: list[Article] = []
    for q in resolved.quotes:
        article = articles.get(q.quote.article)
        if article is None:
            continue
        quoted.append(article)
        found = stances.setdefault(article.outlet, [])
        stance = q.quote.stance or "no stance"
        if stance not in found:
            found.append(stance)
    listed = ", ".join(f"{outlet} ({' and '.join(s)})" for outlet, s in stances.items())
    joined = [
        " and ".join(dict.fromkeys(a.outlet for a in source))
        for source in sources(list(dict.fromkeys(quoted)), shared)
        if len({a.outlet for a in source}) > 1
    ]
    if joined:
        listed += "; one source: " + "; ".join(joined)
    return listed
