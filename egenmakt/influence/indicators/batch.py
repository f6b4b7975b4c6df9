"""Every quarter at once: each indicator's numbers for all periods in one grouped query
(conditional aggregation, one column per quarter), the same as ``per_period`` gives."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone

from egenmakt.accounts.models import Organisation
from egenmakt.influence.ladder import latest_by_subject
from egenmakt.influence.models import (
    Activity,
    ActivityStatus,
    Capacity,
    ForumKind,
    ForumMember,
    Level,
)

from .matters import forum_rows, running_at
from .scope import Period, Units, inside_units, under_units


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
    # The area's forums, read once with the matters' indicators (matters.forum_rows).
    ids = set(units.ids)
    councils = [
        (started, ended, unit_id)
        for started, ended, kind, unit_id in forum_rows(units)
        if kind == ForumKind.USER_COUNCIL and unit_id in ids
    ]
    counts = [
        len({unit for started, ended, unit in councils if running_at(started, ended, p.end)})
        for p in periods
    ]
    return [round(100 * n / len(units.ids), 1) for n in counts]


def ladder_batch(units: Units, periods: list[Period]) -> list[float | None]:
    # Only each unit's latest ladder per period is read, never the unit's whole history.
    by_period = latest_by_subject(Organisation, units.ids, [p.end for p in periods])
    values: list[float | None] = []
    for latest in by_period:
        means = [latest[u].mean for u in units.ids if u in latest]
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
    # The workplaces at the units or under them, by the organisations' ids read once.
    inside = Q(workplace__workplace_id__in=under_units(units))

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


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def client_present_batch(units: Units, periods: list[Period]) -> list[float | None]:
    from egenmakt.coordination.models import Meeting, MeetingStatus

    inside = inside_units(units)
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
    """``goal_own_words_share`` for every period in a few queries: the plans decided in the
    whole span, then the one answer ("own_words") of those clients' "Min delaktighet" up to
    its end, read in the database (never the whole answers document)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models.fields.json import KT

    from egenmakt.coordination.models import Client, PlanVersion
    from egenmakt.instruments.models import InstrumentDefinition, Response

    inside = inside_units(units)
    if inside is None or not periods:
        return [None for _p in periods]
    first, last = min(p.start for p in periods), max(p.end for p in periods)
    versions = PlanVersion.objects.filter(inside, decided_on__gte=first, decided_on__lte=last)
    decided = list(versions.order_by().values_list("plan__client_id", "decided_on").distinct())
    answers: dict[str, list[tuple[date, int, Any]]] = {}
    if decided:
        # Literal ids for the instrument and the content type, not joins: through joins the
        # planner read every submitted response of the installation (1.5M rows at 100k
        # clients) before it narrowed them to these clients.
        definitions = list(
            InstrumentDefinition.objects.filter(key="my_participation").values_list("pk", flat=True)
        )
        client_type = ContentType.objects.get_for_model(Client).pk
        # The clients just read, as literal ids (a subquery would join the plans again), a
        # thousand at a time so that no database meets too long a list.
        ids = sorted({str(client_id) for client_id, _day in decided})
        for start in range(0, len(ids), 1000):
            # The instrument is compared as ``definition_id + 0``: on the column itself
            # PostgreSQL intersected its index too, reading every answer to the instrument
            # in the installation (84,000 at 100k clients) where the index on the subject
            # finds these clients' few.
            rows = (
                Response.objects.annotate(instrument=F("definition_id") + 0)
                .filter(
                    instrument__in=definitions,
                    status="submitted",
                    subject_type_id=client_type,
                    subject_id__in=ids[start : start + 1000],
                    answered_on__lte=last,
                )
                .values_list("subject_id", "answered_on", "pk", KT("answers__own_words"))
            )
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
