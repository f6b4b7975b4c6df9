"""Figures of closed periods, stored once and reused.

A quarter's indicators or a month's programme figures do not change once the period is
over, so they are computed once and read from ``StoredFigures`` from then on; the open
period is computed live on every request. A figure kind (``FigureKind``) is contributed by
the app that defines the figures (the registry kind ``stored_figures``) and knows how to
compute them again from its scope alone, which is what ``recompute`` (a task, run nightly by
``manage.py recompute_stored_figures``) does for the periods that ended lately: a meeting
minuted late, a placement ended afterwards, reach the stored figures by the next night.

The stored and the live computation are the same function, and tested equal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol, TypeVar

from django.db import transaction

from egenmakt.core.registry import contributions

from .models import StoredFigures

Values = dict[str, Any]


class Span(Protocol):
    @property
    def start(self) -> date: ...

    @property
    def end(self) -> date: ...


S = TypeVar("S", bound=Span)


@dataclass(frozen=True)
class Period:
    start: date
    end: date


@dataclass(frozen=True)
class FigureKind:
    """One kind of stored figures.

    ``keys``: the figures every period holds (a stored row without one of them is computed
    again). ``version``: raise it when a definition changes; rows of other versions are not
    read and ``recompute`` deletes them. ``compute``: the figures of each period for a
    scope, or None when the scope no longer exists (an area deleted)."""

    code: str
    version: int
    keys: tuple[str, ...]
    compute: Callable[[str, list[Period]], list[Values] | None]


def kinds() -> dict[str, FigureKind]:
    return {kind.code: kind for kind in contributions("stored_figures", FigureKind)}


def is_closed(period: Span, today: date) -> bool:
    return period.end < today


def figures(
    kind: FigureKind,
    scope: str,
    periods: Sequence[S],
    compute: Callable[[list[S]], list[Values]],
    today: date,
) -> list[Values]:
    """Each period's figures, in order: closed periods from the store (computed and stored
    the first time they are asked for), the open ones computed live. ``compute`` gets only
    the periods not stored, in one call, and returns their figures in the same order."""
    closed = [p for p in periods if is_closed(p, today)]
    stored: dict[tuple[date, date], Values] = {}
    if closed:
        rows = StoredFigures.objects.filter(
            kind=kind.code,
            version=kind.version,
            scope=scope,
            period_start__in={p.start for p in closed},
        ).values_list("period_start", "period_end", "values")
        for start, end, values in rows:
            if set(kind.keys) <= values.keys():
                stored[(start, end)] = values
    wanted = [p for p in periods if (p.start, p.end) not in stored]
    fresh = dict(zip([(p.start, p.end) for p in wanted], compute(wanted), strict=True))
    new = [
        StoredFigures(
            kind=kind.code,
            version=kind.version,
            scope=scope,
            period_start=p.start,
            period_end=p.end,
            values=fresh[(p.start, p.end)],
        )
        for p in wanted
        if is_closed(p, today)
    ]
    if new:
        # Two readers computing the same period at once store it once; the values agree.
        StoredFigures.objects.bulk_create(new, ignore_conflicts=True)
    return [
        stored[(p.start, p.end)] if (p.start, p.end) in stored else fresh[(p.start, p.end)]
        for p in periods
    ]


def recompute(today: date, *, ended_within_days: int | None = None) -> int:
    """Compute the stored figures again and save those that changed; returns how many
    changed. ``ended_within_days``: only periods that ended that many days before
    ``today`` or later (the nightly run takes the last months, where late entries land);
    None: every stored period. Rows of a kind or version no longer defined, or of a scope
    that no longer exists, are deleted."""
    known = kinds()
    rows = StoredFigures.objects.all()
    if ended_within_days is not None:
        rows = rows.filter(period_end__gte=today - timedelta(days=ended_within_days))
    groups: dict[tuple[str, int, str], list[StoredFigures]] = defaultdict(list)
    for row in rows.order_by("kind", "scope", "period_start"):
        groups[(row.kind, row.version, row.scope)].append(row)
    changed = 0
    for (code, version, scope), stored in groups.items():
        kind = known.get(code)
        if kind is None or kind.version != version:
            StoredFigures.objects.filter(pk__in=[r.pk for r in stored]).delete()
            continue
        values = kind.compute(scope, [Period(r.period_start, r.period_end) for r in stored])
        with transaction.atomic():
            if values is None:
                StoredFigures.objects.filter(pk__in=[r.pk for r in stored]).delete()
                continue
            for row, fresh in zip(stored, values, strict=True):
                if row.values != fresh:
                    row.values = fresh
                    row.save(update_fields=["values", "computed_at"])
                    changed += 1
    return changed
