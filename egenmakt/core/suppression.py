"""Small counts in reports about people: fewer than five is shown as "<5".

A count of fewer than ``SMALL_COUNT`` people could point at someone the reader knows, so
a report shows it as ``"<5"`` and hides any share whose numerator or denominator is that
small (the share would give the count back). Used by the caseload report's page and its
exports alike, so the file never says more than the page.
"""

from __future__ import annotations

from statistics import median
from typing import Final

SMALL_COUNT: Final = 5
SUPPRESSED: Final = "<5"


def is_small(count: int) -> bool:
    return 0 < count < SMALL_COUNT


def shown_count(count: int) -> int | str:
    """The count, or ``"<5"`` for one to four (none is shown as 0: it names nobody)."""
    return SUPPRESSED if is_small(count) else count


def shown_share(numerator: int, denominator: int) -> int | None:
    """The share in whole per cent, or None when it is hidden (a numerator of one to four,
    or a denominator under five)."""
    if denominator < SMALL_COUNT or is_small(numerator):
        return None
    return round(100 * numerator / denominator)


def shown_median(values: list[int]) -> float | None:
    """The median of values about fewer than five people is hidden too."""
    if len(values) < SMALL_COUNT:
        return None
    return float(median(values))
