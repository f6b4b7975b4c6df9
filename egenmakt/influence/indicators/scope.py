"""What the indicators count over: the quarters, and the areas' units (looked up once)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q

from egenmakt.accounts.models import Organisation
from egenmakt.influence.models import CareArea


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def label(self) -> str:
        return f"{self.start.year} K{(self.start.month - 1) // 3 + 1}"


def quarters(today: date, count: int = 8) -> list[Period]:
    """The last ``count`` quarters, oldest first, the current one included."""
    first_month = (today.month - 1) // 3 * 3 + 1
    start = date(today.year, first_month, 1)
    periods = []
    for _i in range(count):
        end_month = start.month + 2
        end = date(start.year, end_month, 1) + timedelta(days=31)
        end = end.replace(day=1) - timedelta(days=1)
        periods.append(Period(start, end))
        month = start.month - 3
        start = date(start.year - 1, month + 12, 1) if month < 1 else date(start.year, month, 1)
    return list(reversed(periods))


@dataclass(frozen=True)
class Units:
    """The areas and their units (ids and tree paths), looked up once for the dashboard."""

    areas: list[CareArea]
    ids: list[int]
    paths: list[str]
    # Rows that several indicators count (the area's forums, its matters), read once per
    # dashboard: ``read_once`` keeps them here.
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def read_once(self, key: str, read: Any) -> Any:
        if key not in self.memo:
            self.memo[key] = read()
        return self.memo[key]

    @classmethod
    def of(cls, areas: list[CareArea]) -> Units:
        rows = list(
            Organisation.objects.filter(influence_areas__in=areas)
            .values_list("pk", "path")
            .distinct()
        )
        return cls(areas, [pk for pk, _path in rows], [path for _pk, path in rows])


def inside_units(units: Units) -> Q | None:
    """Meetings or plan versions of clients whose home organisation (``home_organisation``,
    kept on the row itself) is one of the units or under one; None when the areas have no
    units. The organisations are read once (``under_units``) and named by id, so the
    database finds the rows through one index range per organisation rather than joining
    every client."""
    if not units.paths:
        return None
    return Q(home_organisation_id__in=under_units(units))


def under_units(units: Units) -> list[int]:
    """The ids of the units and every organisation under them (read once per dashboard)."""

    def read() -> list[int]:
        inside = Q(pk__in=[])
        for path in units.paths:
            inside |= Q(path__startswith=path)
        return list(Organisation.objects.filter(inside).values_list("pk", flat=True))

    return units.read_once("under_units", read)
