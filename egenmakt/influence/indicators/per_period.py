"""Each indicator for one period: the definitions, read one query at a time (the
dashboard's batches are tested against these, and ``bench/aggregates.py`` times them)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q

from egenmakt.accounts.models import Organisation
from egenmakt.influence.ladder import latest_before, results_by_subject
from egenmakt.influence.models import (
    Activity,
    ActivityStatus,
    Capacity,
    CareArea,
    Forum,
    ForumKind,
    ForumMember,
    Level,
)

from .scope import Period, Units, inside_units


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


def _clients_in(areas: list[CareArea]) -> Q | None:
    """Meetings or plan versions of clients whose home organisation is one of the areas'
    units or under one."""
    return inside_units(Units.of(areas))


def client_present_share(areas: list[CareArea], period: Period) -> float | None:
    from egenmakt.coordination.models import Meeting, MeetingStatus

    inside = _clients_in(areas)
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

    inside = _clients_in(areas)
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
