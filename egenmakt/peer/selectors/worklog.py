"""Reading the work log: a peer supporter's own month, and the monthly summaries a
supervisor sees of the peer supporters they supervise (counts, time and themes, never the
entries themselves). Coordinators see only the programme report's aggregate."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from egenmakt.accounts.models import User
from egenmakt.accounts.types import Viewer
from egenmakt.core.dates import add_months, month_end
from egenmakt.peer.models import (
    EDITABLE_DAYS,
    Placement,
    SupervisionAttendance,
    WorkKind,
    WorkLogEntry,
    WorkTheme,
)

# INFERRED: a supervisor's supervisees are the peer supporters on the list of one of their
# supervision meetings held in the last year or planned.
SUPERVISEE_DAYS = 365


def parse_month(value: str | None, today: date) -> date:
    """``YYYY-MM`` to the month's first day; anything else (or a month ahead) is this month."""
    this_month = today.replace(day=1)
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        first = date(year, month, 1)
    except ValueError:
        return this_month
    return first if first <= this_month and first.year >= 2000 else this_month


def placements_running(user: Viewer, day: date) -> QuerySet[Placement]:
    """The person's own placements running on ``day``."""
    return (
        Placement.objects.filter(peer_supporter_id=user.pk, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("workplace__workplace")
        .order_by("starts_on", "pk")
    )


def placements_recent(user: Viewer, today: date) -> QuerySet[Placement]:
    """The placements one may log work in: running some day of the editable window."""
    since = today - timedelta(days=EDITABLE_DAYS)
    return (
        Placement.objects.filter(peer_supporter_id=user.pk, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=since))
        .select_related("workplace__workplace")
        .order_by("starts_on", "pk")
    )


def entries_of(user: Viewer, month: date) -> QuerySet[WorkLogEntry]:
    return WorkLogEntry.objects.filter(
        peer_supporter_id=user.pk, day__gte=month, day__lte=month_end(month)
    ).select_related("placement__workplace__workplace")


def get_own_entry(user: Viewer, entry_id: Any) -> WorkLogEntry:
    """One's own entry; anybody else's is 404, as if it did not exist."""
    entry = (
        WorkLogEntry.objects.filter(pk=int(entry_id or 0), peer_supporter_id=user.pk)
        .select_related("placement__workplace__workplace")
        .first()
    )
    if entry is None or not getattr(user, "is_authenticated", False):
        raise Http404
    return entry


def is_editable(entry: WorkLogEntry, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return entry.day >= today - timedelta(days=EDITABLE_DAYS)


@dataclass
class MonthSummary:
    month: date
    count: int = 0
    minutes: int = 0
    by_kind: list[tuple[str, Any, int, int]] = field(default_factory=list)
    themes: list[tuple[str, Any, int]] = field(default_factory=list)

    @property
    def hours(self) -> str:
        return f"{self.minutes // 60}:{self.minutes % 60:02d}"


def summarise(month: date, rows: list[tuple[str, int, list[str]]]) -> MonthSummary:
    """Count by kind (entries and minutes) and themes of (kind, minutes, themes) rows."""
    counts: Counter[str] = Counter()
    minutes: Counter[str] = Counter()
    themes: Counter[str] = Counter()
    for kind, spent, chosen in rows:
        counts[kind] += 1
        minutes[kind] += spent
        themes.update(t for t in chosen or [] if t in WorkTheme.values)
    return MonthSummary(
        month=month,
        count=sum(counts.values()),
        minutes=sum(minutes.values()),
        by_kind=[
            (value, label, counts[value], minutes[value])
            for value, label in WorkKind.choices
            if counts[value]
        ],
        themes=[
            (value, label, themes[value]) for value, label in WorkTheme.choices if themes[value]
        ],
    )


def month_summary(user: Viewer, month: date) -> MonthSummary:
    rows = entries_of(user, month).values_list("kind", "minutes", "themes")
    return summarise(month, list(rows))


def supervisees_of(supervisor: Viewer, today: date | None = None) -> QuerySet[User]:
    """The peer supporters on the list of the supervisor's meetings of the last year on."""
    today = today or timezone.localdate()
    since = today - timedelta(days=SUPERVISEE_DAYS)
    ids = SupervisionAttendance.objects.filter(
        meeting__supervisor_id=supervisor.pk, meeting__starts_at__date__gte=since
    ).values("peer_supporter_id")
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "pk")


def supervisee_summaries(
    supervisor: Viewer, month: date, today: date | None = None
) -> list[tuple[User, MonthSummary]]:
    """Each supervisee's summary of ``month``, in two queries whoever many they are."""
    people = list(supervisees_of(supervisor, today))
    rows: dict[int, list[tuple[str, int, list[str]]]] = {p.pk: [] for p in people}
    for person, kind, spent, chosen in WorkLogEntry.objects.filter(
        peer_supporter_id__in=list(rows), day__gte=month, day__lte=month_end(month)
    ).values_list("peer_supporter_id", "kind", "minutes", "themes"):
        rows[person].append((kind, spent, chosen))
    return [(p, summarise(month, rows[p.pk])) for p in people]


def earlier_months(month: date, count: int = 6) -> list[date]:
    return [add_months(month, -i) for i in range(1, count + 1)]


def later_month(month: date) -> date:
    return add_months(month, 1)
