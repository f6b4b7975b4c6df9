"""Reads about the resource group and its meetings, and which clients are due one."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from egenmakt.coordination.access import ClientAccess, covered_seats, visible_q
from egenmakt.coordination.models import (
    Attendance,
    CareTeamMember,
    Client,
    Decision,
    Goal,
    GoalStatus,
    Meeting,
    MeetingStatus,
    Phase,
    ResourceGroupMember,
    TeamRole,
)
from egenmakt.core.dates import add_months

if TYPE_CHECKING:
    from egenmakt.accounts.types import Viewer


def group_members_for(access: ClientAccess, client: Client) -> list[ResourceGroupMember]:
    """Everyone who is or was in the group: the present members first, the case
    managers first among them."""
    return list(
        ResourceGroupMember.objects.filter(client=client)
        .filter(visible_q(access, has_shared_flag=False))
        .select_related("user", "contact")
        .order_by(
            F("ended_on").desc(nulls_first=True),
            F("user_id").asc(nulls_last=True),
            "kind",
            "name",
            "id",
        )
    )


def meetings_for(access: ClientAccess, client: Client) -> list[Meeting]:
    """The client's meetings, newest first, with how many came."""
    return list(
        Meeting.objects.filter(client=client)
        .filter(visible_q(access, has_shared_flag=False))
        .annotate(
            invited=Count("attendance", filter=Q(attendance__invited_at__isnull=False)),
            came=Count("attendance", filter=Q(attendance__present=True)),
        )
        .order_by("-starts_at", "-id")
    )


def get_meeting_for(access: ClientAccess, client: Client, meeting_id: Any) -> Meeting:
    """One meeting of the client that this access reads, or 404."""
    meeting = (
        Meeting.objects.filter(client=client, pk=meeting_id)
        .filter(visible_q(access, has_shared_flag=False))
        .select_related("created_by")
        .prefetch_related(
            "agenda",
            Prefetch(
                "attendance",
                queryset=Attendance.objects.select_related("member").order_by(
                    "member__kind", "member__name", "member_id"
                ),
            ),
            "goal_reviews",
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related(
                    "goal", "action", "plan_version", "recorded_by"
                ),
            ),
        )
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def _meetings_read_by(access: ClientAccess | None, client: Client) -> QuerySet[Meeting]:
    """The client's meetings this access reads; ``None`` is the client's own view (all)."""
    rows = Meeting.objects.filter(client=client)
    return rows if access is None else rows.filter(visible_q(access, has_shared_flag=False))


def next_meeting_for(access: ClientAccess | None, client: Client) -> Meeting | None:
    """The next booked meeting from now on that this access reads."""
    return (
        _meetings_read_by(access, client)
        .filter(status=MeetingStatus.PLANNED, starts_at__gte=timezone.now())
        .order_by("starts_at", "id")
        .first()
    )


def last_held_meeting_day(access: ClientAccess | None, client: Client) -> date | None:
    starts_at = (
        _meetings_read_by(access, client)
        .filter(status=MeetingStatus.HELD)
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return timezone.localtime(starts_at).date() if starts_at is not None else None


def next_and_last_held(meetings: Iterable[Meeting]) -> tuple[Meeting | None, date | None]:
    """``next_meeting_for`` and ``last_held_meeting_day`` from the client's meetings this
    access reads, already loaded (``mapping.checklist_meetings``), without a query."""
    now = timezone.now()
    booked = [m for m in meetings if m.status == MeetingStatus.PLANNED and m.starts_at >= now]
    upcoming = min(booked, key=lambda m: (m.starts_at, m.pk), default=None)
    held = [m.starts_at for m in meetings if m.status == MeetingStatus.HELD]
    last = timezone.localtime(max(held)).date() if held else None
    return upcoming, last


def next_booked_after(client: Client, meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(
            client=client, status=MeetingStatus.PLANNED, starts_at__gt=meeting.starts_at
        )
        .order_by("starts_at", "id")
        .first()
    )


# Phases in which the group meets (domain.md 2.1: the first meeting ends the planning,
# then every three months through the work phase and the follow-up).
MEETING_PHASES = (Phase.PLANNING, Phase.WORK, Phase.FOLLOW_UP)


# RACT: resource-group meetings every three months (domain.md 2.1).
MEETING_INTERVAL_MONTHS = 3


def clients_due_a_meeting(user: Viewer) -> QuerySet[Client]:
    """The user's clients whose next booked meeting is missing or more than three months
    away, with the last held meeting's time; one query whatever the caseload."""
    now = timezone.now()
    limit = add_months(timezone.localtime(now), MEETING_INTERVAL_MONTHS)
    booked = Meeting.objects.filter(
        client=OuterRef("pk"), status=MeetingStatus.PLANNED, starts_at__gte=now
    ).order_by("starts_at")
    held = Meeting.objects.filter(client=OuterRef("pk"), status=MeetingStatus.HELD).order_by(
        "-starts_at"
    )
    return (
        Client.objects.filter(
            pk__in=covered_seats(user).values("client_id"), phase__in=MEETING_PHASES
        )
        .annotate(
            next_meeting=Subquery(booked.values("starts_at")[:1]),
            last_held=Subquery(held.values("starts_at")[:1]),
        )
        .filter(Q(next_meeting__isnull=True) | Q(next_meeting__gt=limit))
        .order_by(F("last_held").asc(nulls_first=True), "full_name", "id")
    )


def case_managers_present(meeting: Meeting, attendance: Iterable[Attendance]) -> int | None:
    """How many of the client's case managers were at a held meeting (the method: both
    take part), counted from the attendance rows of members with an account; None before
    the meeting is held."""
    if meeting.status != MeetingStatus.HELD:
        return None
    managers = set(
        CareTeamMember.objects.filter(
            client_id=meeting.client_id, ended_on__isnull=True, role=TeamRole.CASE_MANAGER
        ).values_list("user_id", flat=True)
    )
    return sum(1 for row in attendance if row.present and row.member.user_id in managers)


def attendance_to_fill(client: Client, meeting: Meeting) -> list[Attendance]:
    """The meeting's rows, and a row to fill in for each member added since booking."""
    rows = list(meeting.attendance.all())
    have = {row.member_id for row in rows}
    if meeting.status == MeetingStatus.PLANNED:
        for member in ResourceGroupMember.objects.filter(client=client, ended_on__isnull=True):
            if member.pk not in have:
                rows.append(Attendance(meeting=meeting, member=member))
    return rows


def goals_assessed(client: Client) -> list[Goal]:
    """The sub-goals a meeting assesses: those still being worked on."""
    return list(Goal.objects.filter(plan__client=client, status=GoalStatus.ACTIVE))
