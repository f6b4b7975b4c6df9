"""Indicators of effect: what the user representatives raised in the area's forums and
what it changed (issue 24). INFERRED definitions (no published set was found; the seed
asks for influence that shows its effect): each counts the matters of the area's forums,
of every level, by the day a matter was raised and the day its outcome was decided, so a
closed quarter's value never changes afterwards.

Each has its definition for one quarter (``*_in_period``, SQL aggregates, the rule) and
a batch for every quarter at once (one query for the area's matters, counted in Python
by the same rule); the tests hold the two equal and check both against hand-built data.
"""

from __future__ import annotations

from datetime import date
from statistics import median

from django.db.models import Count, Q

from egenmakt.influence.models import CareArea, Forum, Matter, MatterStatus

from .scope import Period, Units

ADOPTED = (MatterStatus.ADOPTED, MatterStatus.PARTLY)


def _forums_running(areas: list[CareArea], period: Period) -> int:
    return Forum.objects.filter(
        Q(started_on__isnull=True) | Q(started_on__lte=period.end),
        Q(ended_on__isnull=True) | Q(ended_on__gte=period.end),
        area__in=areas,
    ).count()


# --- One quarter at a time: the definitions --------------------------------------------------


def matters_per_forum(areas: list[CareArea], period: Period) -> float | None:
    """Matters raised in the quarter, per forum of the area running at its end."""
    forums = _forums_running(areas, period)
    if not forums:
        return None
    raised = Matter.objects.filter(
        forum__area__in=areas, raised_on__gte=period.start, raised_on__lte=period.end
    ).count()
    return round(raised / forums, 1)


def share_with_outcome(areas: list[CareArea], period: Period) -> float | None:
    """Of the matters raised by the end of the quarter, the share whose outcome was decided
    by then."""
    found = Matter.objects.filter(forum__area__in=areas, raised_on__lte=period.end).aggregate(
        raised=Count("pk"),
        decided=Count("pk", filter=Q(decided_on__lte=period.end) & ~Q(status=MatterStatus.PENDING)),
    )
    if not found["raised"]:
        return None
    return round(100 * found["decided"] / found["raised"], 1)


def share_adopted(areas: list[CareArea], period: Period) -> float | None:
    """Of the matters whose outcome was decided in the quarter, the share adopted wholly or
    in part."""
    found = (
        Matter.objects.filter(
            forum__area__in=areas, decided_on__gte=period.start, decided_on__lte=period.end
        )
        .exclude(status=MatterStatus.PENDING)
        .aggregate(decided=Count("pk"), adopted=Count("pk", filter=Q(status__in=ADOPTED)))
    )
    if not found["decided"]:
        return None
    return round(100 * found["adopted"] / found["decided"], 1)


def median_days_to_outcome(areas: list[CareArea], period: Period) -> float | None:
    """For the matters whose outcome was decided in the quarter: the median number of days
    from being raised to the decision."""
    rows = (
        Matter.objects.filter(
            forum__area__in=areas, decided_on__gte=period.start, decided_on__lte=period.end
        )
        .exclude(status=MatterStatus.PENDING)
        .values_list("raised_on", "decided_on")
    )
    days = [(decided - raised).days for raised, decided in rows if decided is not None]
    return float(median(days)) if days else None


# --- Every quarter at once: one query for the matters ---------------------------------------


def _rows(units: Units) -> list[tuple[date, str, date | None]]:
    """The area's matters, read once for the four indicators that count them."""
    return units.read_once(
        "matters",
        lambda: list(
            Matter.objects.filter(forum__area__in=units.areas).values_list(
                "raised_on", "status", "decided_on"
            )
        ),
    )


def forum_rows(units: Units) -> list[tuple[date | None, date | None, str, int | None]]:
    """The area's forums (start, end, kind, unit), read once for the indicators that count
    forums running at a quarter's end."""
    return units.read_once(
        "forums",
        lambda: list(
            Forum.objects.filter(area__in=units.areas).values_list(
                "started_on", "ended_on", "kind", "unit_id"
            )
        ),
    )


def running_at(started: date | None, ended: date | None, day: date) -> bool:
    """A forum runs at the end of a quarter (``_forums_running``'s dates)."""
    return (started is None or started <= day) and (ended is None or ended >= day)


def _decided_in(row: tuple[date, str, date | None], period: Period) -> bool:
    _raised, status, decided = row
    return (
        status != MatterStatus.PENDING
        and decided is not None
        and period.start <= decided <= period.end
    )


def matters_per_forum_batch(units: Units, periods: list[Period]) -> list[float | None]:
    if not periods:
        return []
    forums = forum_rows(units)
    rows = _rows(units)
    values: list[float | None] = []
    for period in periods:
        running = sum(1 for start, end, _k, _u in forums if running_at(start, end, period.end))
        raised = sum(1 for row in rows if period.start <= row[0] <= period.end)
        values.append(round(raised / running, 1) if running else None)
    return values


def share_with_outcome_batch(units: Units, periods: list[Period]) -> list[float | None]:
    rows = _rows(units) if periods else []
    values: list[float | None] = []
    for period in periods:
        raised = [row for row in rows if row[0] <= period.end]
        decided = [
            row
            for row in raised
            if row[1] != MatterStatus.PENDING and row[2] is not None and row[2] <= period.end
        ]
        values.append(round(100 * len(decided) / len(raised), 1) if raised else None)
    return values


def share_adopted_batch(units: Units, periods: list[Period]) -> list[float | None]:
    rows = _rows(units) if periods else []
    values: list[float | None] = []
    for period in periods:
        decided = [row for row in rows if _decided_in(row, period)]
        adopted = [row for row in decided if row[1] in ADOPTED]
        values.append(round(100 * len(adopted) / len(decided), 1) if decided else None)
    return values


def median_days_batch(units: Units, periods: list[Period]) -> list[float | None]:
    rows = _rows(units) if periods else []
    values: list[float | None] = []
    for period in periods:
        days = [
            (row[2] - row[0]).days
            for row in rows
            if _decided_in(row, period) and row[2] is not None
        ]
        values.append(float(median(days)) if days else None)
    return values
