"""Month arithmetic, with ``dateutil.relativedelta``.

A month later is the same day of the month, or that month's last day when it has fewer
days: 31 January + 1 month is 28 (or 29) February, 31 March + 12 months is 31 March. The
time of day and the time zone of a datetime are kept.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TypeVar

from dateutil.relativedelta import relativedelta

Day = TypeVar("Day", date, datetime)


def add_months(day: Day, months: int) -> Day:
    """``day`` moved ``months`` months on (back, when negative)."""
    moved: Day = day + relativedelta(months=months)
    return moved


def month_end(day: date) -> date:
    """The last day of ``day``'s month (``day=31`` is clamped to the month's length)."""
    end: date = day + relativedelta(day=31)
    return end
