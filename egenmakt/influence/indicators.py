"""Indicators of real user influence on the three levels, computed per quarter.

domain.md 4.3: no published indicator set was found. These are our proposals (INFERRED),
each computed only from data in Egenmakt and shown with its definition. An indicator whose
data lives in a part of Egenmakt not yet built says so instead of showing a number.

Each indicator takes the areas and a period, and returns a number or None (nothing to
count). The dashboard asks for all quarters at once: each indicator's ``batch`` gives the
same numbers for every period in one grouped query (conditional aggregation, one column
per quarter), so the page runs a handful of queries however many quarters it shows,
instead of one per indicator per quarter. The per-period functions stay, as the
definition the batches are tested against (and what ``bench/aggregates.py`` times).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import Organisation

from .ladder import latest_before, results_by_subject
from .models import (
    Activity,
    ActivityStatus,
    Capacity,
    CareArea,
    Forum,
    ForumKind,
    ForumMember,
    Level,
)


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
class Indicator:
    key: str
    level: str
    label: Any
    definition: Any
    unit: str  # "percent", "count" or "mean"
    compute: Callable[[list[CareArea], Period], float | None] | None
    # Every period at once, same values as ``compute`` per period.
    batch: Callable[[Units, list[Period]], list[float | None]] | None = None

    @property
    def available(self) -> bool:
        return self.compute is not None


def _unit_ids(areas: list[CareArea]) -> list[int]:
    return list(
        Organisation.objects.filter(influence_areas__in=areas)
        .values_list("pk", flat=True)
        .distinct()
    )


def _active_forums(areas: list[CareArea], period: Period) -> Any:
    return Forum.objects.filter(
        Q(started_on__isnull=True) | Q(started_on__lte=period.end),
        Q(ended_on__isnull=True) | Q(ended_on__gte=period.end),
        area__in=areas,
    )


def units_with_user_council(areas: list[CareArea], period: Period) -> float | None:
    units = _unit_ids(areas)
    if not units:
        return None
    with_council = (
        _active_forums(areas, period)
        .filter(kind=ForumKind.USER_COUNCIL, unit_id__in=units)
        .values("unit_id")
        .distinct()
        .count()
    )
    return round(100 * with_council / len(units), 1)


def ladder_mean(areas: list[CareArea], period: Period) -> float | None:
    units = _unit_ids(areas)
    history = results_by_subject(Organisation, units)
    latest = [latest_before(history.get(u, []), period.end) for u in units]
    values = [r.mean for r in latest if r is not None]
    return round(sum(values) / len(values), 1) if values else None


def activities_in_period(areas: list[CareArea], period: Period) -> float | None:
    return Activity.objects.filter(
        area__in=areas,
        status=ActivityStatus.APPROVED,
        starts_at__date__gte=period.start,
        starts_at__date__lte=period.end,
    ).count()


def _active_members(areas: list[CareArea], period: Period) -> Any:
    return ForumMember.objects.filter(
        Q(until__isnull=True) | Q(until__gte=period.end),
        since__lte=period.end,
        forum__in=_active_forums(areas, period),
    )


def system_forums_with_representatives(areas: list[CareArea], period: Period) -> float | None:
    return (
        _active_members(areas, period)
        .filter(forum__level=Level.SYSTEM, capacity=Capacity.REPRESENTATIVE)
        .values("forum_id")
        .distinct()
        .count()
    )


def representative_share(areas: list[CareArea], period: Period) -> float | None:
    counts = _active_members(areas, period).aggregate(
        representatives=Count("pk", filter=Q(capacity=Capacity.REPRESENTATIVE)),
        own=Count("pk", filter=Q(capacity=Capacity.OWN_EXPERIENCE)),
    )
    users = counts["representatives"] + counts["own"]
    return round(100 * counts["representatives"] / users, 1) if users else None


def peer_supporters_per_workplace(areas: list[CareArea], period: Period) -> float | None:
    from egenmakt.peer.models import Placement

    paths = list(
        Organisation.objects.filter(pk__in=_unit_ids(areas)).values_list("path", flat=True)
    )
    if not paths:
        return None
    inside = Q(pk__in=[])
    for path in paths:
        inside |= Q(workplace__workplace__path__startswith=path)
    running = Placement.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=period.end), inside, starts_on__lte=period.end
    ).aggregate(
        people=Count("peer_supporter", distinct=True),
        workplaces=Count("workplace", distinct=True),
    )
    if not running["workplaces"]:
        return None
    return round(running["people"] / running["workplaces"], 1)


def _clients_in(areas: list[CareArea], via: str) -> Q | None:
    """Rows (reached through ``via``, e.g. "client__") about clients whose home organisation
    is one of the areas' units or under one."""
    return _inside_units(Units.of(areas), via)


def client_present_share(areas: list[CareArea], period: Period) -> float | None:
    from egenmakt.coordination.models import Meeting, MeetingStatus

    inside = _clients_in(areas, "client__")
    if inside is None:
        return None
    counts = Meeting.objects.filter(
        inside,
        status=MeetingStatus.HELD,
        starts_at__date__gte=period.start,
        starts_at__date__lte=period.end,
    ).aggregate(held=Count("pk"), present=Count("pk", filter=Q(client_present=True)))
    if not counts["held"]:
        return None
    return round(100 * counts["present"] / counts["held"], 1)


def goal_own_words_share(areas: list[CareArea], period: Period) -> float | None:
    """Of the plans decided in the quarter, the share whose client said "yes" to "My plan is
    written in my own words" in their latest "Min delaktighet" up to the quarter's end.
    Plans whose client has not answered are left out (not known, not "no")."""
    from egenmakt.coordination.models import PlanVersion
    from egenmakt.instruments.models import Response

    inside = _clients_in(areas, "plan__client__")
    if inside is None:
        return None
    client_ids = set(
        PlanVersion.objects.filter(
            inside, decided_on__gte=period.start, decided_on__lte=period.end
        ).values_list("plan__client_id", flat=True)
    )
    if not client_ids:
        return None
    latest: dict[str, tuple[date, int, Any]] = {}
    answers = Response.objects.filter(
        definition__key="my_participation",
        status="submitted",
        subject_type__app_label="coordination",
        subject_type__model="client",
        subject_id__in=[str(pk) for pk in client_ids],
        answered_on__lte=period.end,
    ).values_list("subject_id", "answered_on", "pk", "answers")
    for subject_id, answered_on, pk, given in answers:
        if subject_id not in latest or (answered_on, pk) > latest[subject_id][:2]:
            latest[subject_id] = (answered_on, pk, given.get("own_words"))
    known = [row[2] for row in latest.values()]
    if not known:
        return None
    return round(100 * sum(1 for value in known if value == "yes") / len(known), 1)


# --- Every quarter at once -------------------------------------------------------------------


@dataclass(frozen=True)
class Units:
    """The areas and their units (ids and tree paths), looked up once for the dashboard."""

    areas: list[CareArea]
    ids: list[int]
    paths: list[str]

    @classmethod
    def of(cls, areas: list[CareArea]) -> Units:
        rows = list(
            Organisation.objects.filter(influence_areas__in=areas)
            .values_list("pk", "path")
            .distinct()
        )
        return cls(areas, [pk for pk, _path in rows], [path for _pk, path in rows])


def _running_forum_q(period: Period, prefix: str = "") -> Q:
    """The forum runs at the end of the period (``_active_forums``'s dates)."""
    started = Q(**{f"{prefix}started_on__isnull": True}) | Q(
        **{f"{prefix}started_on__lte": period.end}
    )
    not_ended = Q(**{f"{prefix}ended_on__isnull": True}) | Q(
        **{f"{prefix}ended_on__gte": period.end}
    )
    return started & not_ended


def _member_q(period: Period) -> Q:
    return (
        (Q(until__isnull=True) | Q(until__gte=period.end))
        & Q(since__lte=period.end)
        & _running_forum_q(period, "forum__")
    )


def _per_period(queryset: Any, periods: list[Period], make: Callable[[Period], Any]) -> list[Any]:
    """One aggregate query with one column per period."""
    if not periods:
        return []
    found = queryset.aggregate(**{f"p{i}": make(p) for i, p in enumerate(periods)})
    return [found[f"p{i}"] for i in range(len(periods))]


def activities_batch(units: Units, periods: list[Period]) -> list[float | None]:
    rows = Activity.objects.filter(area__in=units.areas, status=ActivityStatus.APPROVED)
    return _per_period(
        rows,
        periods,
        lambda p: Count("pk", filter=Q(starts_at__date__gte=p.start, starts_at__date__lte=p.end)),
    )


def user_council_batch(units: Units, periods: list[Period]) -> list[float | None]:
    if not units.ids:
        return [None for _p in periods]
    forums = Forum.objects.filter(
        area__in=units.areas, kind=ForumKind.USER_COUNCIL, unit_id__in=units.ids
    )
    counts = _per_period(
        forums, periods, lambda p: Count("unit_id", distinct=True, filter=_running_forum_q(p))
    )
    return [round(100 * n / len(units.ids), 1) for n in counts]


def ladder_batch(units: Units, periods: list[Period]) -> list[float | None]:
    history = results_by_subject(Organisation, units.ids)
    values: list[float | None] = []
    for period in periods:
        latest = [latest_before(history.get(u, []), period.end) for u in units.ids]
        means = [r.mean for r in latest if r is not None]
        values.append(round(sum(means) / len(means), 1) if means else None)
    return values


def system_forums_batch(units: Units, periods: list[Period]) -> list[float | None]:
    members = ForumMember.objects.filter(
        forum__area__in=units.areas,
        forum__level=Level.SYSTEM,
        capacity=Capacity.REPRESENTATIVE,
    )
    return _per_period(
        members, periods, lambda p: Count("forum_id", distinct=True, filter=_member_q(p))
    )


def representative_share_batch(units: Units, periods: list[Period]) -> list[float | None]:
    if not periods:
        return []
    members = ForumMember.objects.filter(forum__area__in=units.areas)
    found = members.aggregate(
        **{
            f"{kind}{i}": Count("pk", filter=_member_q(p) & Q(capacity=capacity))
            for i, p in enumerate(periods)
            for kind, capacity in (
                ("rep", Capacity.REPRESENTATIVE),
                ("own", Capacity.OWN_EXPERIENCE),
            )
        }
    )
    values: list[float | None] = []
    for i in range(len(periods)):
        users = found[f"rep{i}"] + found[f"own{i}"]
        values.append(round(100 * found[f"rep{i}"] / users, 1) if users else None)
    return values


def peer_supporters_batch(units: Units, periods: list[Period]) -> list[float | None]:
    from egenmakt.peer.models import Placement

    if not units.paths or not periods:
        return [None for _p in periods]
    inside = Q(pk__in=[])
    for path in units.paths:
        inside |= Q(workplace__workplace__path__startswith=path)

    def running(p: Period) -> Q:
        return (Q(ends_on__isnull=True) | Q(ends_on__gte=p.end)) & Q(starts_on__lte=p.end)

    found = Placement.objects.filter(inside).aggregate(
        **{
            f"{kind}{i}": Count(column, distinct=True, filter=running(p))
            for i, p in enumerate(periods)
            for kind, column in (("people", "peer_supporter"), ("workplaces", "workplace"))
        }
    )
    values: list[float | None] = []
    for i in range(len(periods)):
        workplaces = found[f"workplaces{i}"]
        values.append(round(found[f"people{i}"] / workplaces, 1) if workplaces else None)
    return values


def _inside_units(units: Units, via: str) -> Q | None:
    """Rows (reached through ``via``) about clients whose home organisation is one of the
    units or under one; None when the areas have no units."""
    if not units.paths:
        return None
    inside = Q(pk__in=[])
    for path in units.paths:
        inside |= Q(**{f"{via}organisation__path__startswith": path})
    return inside


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def client_present_batch(units: Units, periods: list[Period]) -> list[float | None]:
    from egenmakt.coordination.models import Meeting, MeetingStatus

    inside = _inside_units(units, "client__")
    if inside is None or not periods:
        return [None for _p in periods]

    # Local-day bounds as datetimes, so the index on the meeting's start serves them.
    def within(p: Period) -> Q:
        return Q(
            starts_at__gte=_day_start(p.start),
            starts_at__lt=_day_start(p.end + timedelta(days=1)),
        )

    span = Period(min(p.start for p in periods), max(p.end for p in periods))
    found = Meeting.objects.filter(inside, within(span), status=MeetingStatus.HELD).aggregate(
        **{
            f"{kind}{i}": Count("pk", filter=within(p) & extra)
            for i, p in enumerate(periods)
            for kind, extra in (("held", Q()), ("present", Q(client_present=True)))
        }
    )
    return [
        round(100 * found[f"present{i}"] / found[f"held{i}"], 1) if found[f"held{i}"] else None
        for i in range(len(periods))
    ]


def goal_own_words_batch(units: Units, periods: list[Period]) -> list[float | None]:
    """``goal_own_words_share`` for every period in two queries: the plans decided in the
    whole span, then the one answer ("own_words") of those clients' "Min delaktighet" up to
    its end, read in the database (never the whole answers document)."""
    from django.db.models import CharField
    from django.db.models.fields.json import KT
    from django.db.models.functions import Cast

    from egenmakt.coordination.models import PlanVersion
    from egenmakt.instruments.models import Response

    inside = _inside_units(units, "plan__client__")
    if inside is None or not periods:
        return [None for _p in periods]
    first, last = min(p.start for p in periods), max(p.end for p in periods)
    versions = PlanVersion.objects.filter(inside, decided_on__gte=first, decided_on__lte=last)
    decided = list(versions.order_by().values_list("plan__client_id", "decided_on").distinct())
    answers: dict[str, list[tuple[date, int, Any]]] = {}
    if decided:
        rows = Response.objects.filter(
            definition__key="my_participation",
            status="submitted",
            subject_type__app_label="coordination",
            subject_type__model="client",
            subject_id__in=versions.annotate(
                client_text=Cast("plan__client_id", CharField())
            ).values("client_text"),
            answered_on__lte=last,
        ).values_list("subject_id", "answered_on", "pk", KT("answers__own_words"))
        for subject_id, answered_on, pk, own_words in rows:
            answers.setdefault(subject_id, []).append((answered_on, pk, own_words))
    values: list[float | None] = []
    for period in periods:
        clients = {c for c, day in decided if period.start <= day <= period.end}
        known = []
        for client_id in clients:
            before = [a for a in answers.get(str(client_id), []) if a[0] <= period.end]
            if before:
                known.append(max(before)[2])
        values.append(
            round(100 * sum(1 for v in known if v == "yes") / len(known), 1) if known else None
        )
    return values


INDICATORS: list[Indicator] = [
    Indicator(
        "client_present",
        Level.INDIVIDUAL,
        _("Resource-group meetings with the client present"),
        _(
            "Share of the quarter's held resource-group meetings where the client took "
            "part, for clients whose home organisation is in the area."
        ),
        "percent",
        client_present_share,
        client_present_batch,
    ),
    Indicator(
        "goal_own_words",
        Level.INDIVIDUAL,
        _("Plans with the goal in the client's own words"),
        _(
            "Share of plans decided in the quarter whose client answered “yes” to “My plan "
            "is written in my own words” in their latest “My participation” (clients who "
            "have not answered are left out)."
        ),
        "percent",
        goal_own_words_share,
        goal_own_words_batch,
    ),
    Indicator(
        "activities",
        Level.INDIVIDUAL,
        _("Activities in the shared calendar"),
        _(
            "Approved activities of the user and relatives' organisations (theme days, "
            "study circles, self-help groups, lectures) starting in the quarter."
        ),
        "count",
        activities_in_period,
        activities_batch,
    ),
    Indicator(
        "peer_supporters_per_workplace",
        Level.SERVICE,
        _("Peer supporters per workplace"),
        _(
            "Peer supporters with a running placement at the end of the quarter, divided by "
            "the workplaces (units of the area) that have any; the handbook asks for two."
        ),
        "mean",
        peer_supporters_per_workplace,
        peer_supporters_batch,
    ),
    Indicator(
        "user_council",
        Level.SERVICE,
        _("Units with a user council"),
        _("Share of the area's units with a user council running at the end of the quarter."),
        "percent",
        units_with_user_council,
        user_council_batch,
    ),
    Indicator(
        "ladder",
        Level.SERVICE,
        _("Participation ladder: steps reached per unit"),
        _(
            "For each unit its latest participation ladder up to the end of the quarter: the "
            "step reached on the three questions (0–5), averaged; then the mean over units."
        ),
        "mean",
        ladder_mean,
        ladder_batch,
    ),
    Indicator(
        "system_forums",
        Level.SYSTEM,
        _("System-level forums with user representatives"),
        _(
            "Forums at system level (steering groups, dialogue meetings...) running at the end "
            "of the quarter with at least one user representative speaking for an organisation."
        ),
        "count",
        system_forums_with_representatives,
        system_forums_batch,
    ),
    Indicator(
        "representative_share",
        Level.SYSTEM,
        _("User seats held by representatives of organisations"),
        _(
            "Of the forum seats held by users at the end of the quarter: the share held by "
            "user representatives (who speak for an organisation) rather than by persons "
            "speaking from their own experience."
        ),
        "percent",
        representative_share,
        representative_share_batch,
    ),
]


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    values: list[float | None]


def dashboard(areas: list[CareArea], periods: list[Period]) -> list[IndicatorRow]:
    """Every indicator for every period: one query for the units, then one per indicator."""
    units = Units.of(areas)
    rows = []
    for indicator in INDICATORS:
        values: list[float | None]
        if indicator.batch is not None:
            values = indicator.batch(units, periods)
        elif indicator.compute is not None:
            values = [indicator.compute(areas, period) for period in periods]
        else:
            values = [None for _p in periods]
        rows.append(IndicatorRow(indicator, values))
    return rows


def dashboard_per_period(areas: list[CareArea], periods: list[Period]) -> list[IndicatorRow]:
    """The same, one indicator and one period at a time (the definition, for the tests)."""
    return [
        IndicatorRow(
            indicator,
            [indicator.compute(areas, p) if indicator.compute else None for p in periods],
        )
        for indicator in INDICATORS
    ]
