"""The rating scale -> what a verdict is on it, the one place that says so.

In: the `SiteConfig` (its `ratings`, best first) and a verdict key. Out: a `Grade`: the label
and description editors gave the rating, its value on the scale (the best rating is
len(ratings), the worst 1; 0 for a key not on the scale), and the tone of its badge. Pages,
ClaimReview and open data read every verdict through here.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import SiteConfig

TONES = ("worst", "poor", "mid", "good", "best")  # badge styles, worst to best


@dataclass(frozen=True)
class Grade:
    key: str
    label: str  # the key itself when it is not on the scale
    description: str
    rule: str  # what the verdict asks of the quotes, in words ("" when the site states none)
    value: int  # 1 (worst) to `best`; 0 off the scale
    best: int
    tone: str

    worst = 1


def grade(config: SiteConfig, key: str) -> Grade:
    """Where verdict `key` stands on the site's scale."""
    keys = [rating.key for rating in config.ratings]
    best = len(keys)
    value = best - keys.index(key) if key in keys else 0
    rating = config.rating(key)
    fraction = (value - 1) / (best - 1) if best > 1 else 1.0
    return Grade(
        key=key,
        label=rating.label if rating else key,
        description=rating.description if rating else "",
        rule=rating.rule.describe() if rating and rating.rule else "",
        value=value,
        best=best,
        tone=TONES[round(fraction * (len(TONES) - 1))] if value else "mid",
    )
