"""Month arithmetic: the same day a number of months on, or the month's last day."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from egenmakt.core.dates import add_months, month_end

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 3, 31), 12, date(2026, 3, 31)),  # a retention period ends on the day
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 8, 31), 1, date(2025, 9, 30)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 15), -12, date(2025, 1, 15)),
    ],
)
def test_a_month_on_is_the_same_day_or_the_months_last(day, months, expected):
    assert add_months(day, months) == expected


def test_a_moment_keeps_its_time_of_day_and_zone():
    moment = datetime(2026, 1, 31, 18, 30, tzinfo=STOCKHOLM)
    assert add_months(moment, 6) == datetime(2026, 7, 31, 18, 30, tzinfo=STOCKHOLM)


def test_month_end():
    assert month_end(date(2026, 2, 1)) == date(2026, 2, 28)
    assert month_end(date(2024, 2, 10)) == date(2024, 2, 29)
    assert month_end(date(2026, 12, 31)) == date(2026, 12, 31)
