"""Meetings: held every few months from the plan on, with agenda, attendance, goal
reviews and decisions, and the next one booked."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from egenmakt.coordination.models import (
    AgendaItem,
    Attainment,
    Attendance,
    Decision,
    DecisionKind,
    GoalReview,
    Meeting,
    MeetingStatus,
)
from egenmakt.scale.context import at

from .run import ClientDraft, CoordinationRun

MEETING_EVERY_DAYS = 120
MAX_HELD_MEETINGS = 12
AGENDA = [
    ("welcome", "Välkommen och dagordning"),
    ("since_last", "Sedan förra mötet"),
    ("goals", "Delmålen"),
    ("warning_plan", "Tidiga varningstecken"),
    ("next", "Nästa möte"),
]


def meetings(run: CoordinationRun, batch: list[ClientDraft]) -> None:
    """Held meetings every few months from the plan on, and the next one booked."""
    c, rng = run.c, run.rng
    meetings, owners = [], []
    for d in batch:
        if d.plan is None:
            continue
        day = run.plan_day(d)
        last = d.ended or run.today
        held = 0
        while day < last and held < MAX_HELD_MEETINGS:
            meetings.append(_meeting(run, d, day, MeetingStatus.HELD))
            owners.append((d, held))
            held += 1
            day += timedelta(days=MEETING_EVERY_DAYS + rng.randint(-20, 20))
        if d.ended is None:
            booked = run.today + timedelta(days=rng.randint(3, 60))
            meetings.append(_meeting(run, d, booked, MeetingStatus.PLANNED))
            owners.append((d, -1))
    agenda, attendance, reviews, decisions = [], [], [], []
    for (d, number), meeting in zip(owners, c.insert(Meeting, meetings), strict=True):
        for position, (key, title) in enumerate(AGENDA):
            notes = "Se protokollet." if number >= 0 else ""
            agenda.append(
                AgendaItem(meeting=meeting, key=key, title=title, notes=notes, position=position)
            )
        for member in d.members:
            attendance.append(
                Attendance(
                    meeting=meeting,
                    member=member,
                    invited_at=meeting.starts_at - timedelta(days=14),
                    present=(c.chance(0.85) if number >= 0 else None),
                )
            )
        if number < 0:
            continue
        for goal in d.goals:
            reviews.append(
                GoalReview(
                    meeting=meeting,
                    goal=goal,
                    attainment=min(Attainment.REACHED, number + rng.randint(0, 1)),
                )
            )
        version = d.versions[0] if number == 0 and d.versions else None
        decisions.append(
            Decision(
                meeting=meeting,
                kind=DecisionKind.DECIDE_PLAN if version else DecisionKind.OTHER,
                text="Planen beslutas." if version else "Nästa möte bokas.",
                plan_version=version,
                recorded_by=d.home_manager,
                recorded_at=meeting.starts_at + timedelta(hours=1),
            )
        )
    c.insert_only(AgendaItem, agenda)
    c.insert_only(Attendance, attendance)
    c.insert_only(GoalReview, reviews)
    c.insert_only(Decision, decisions)


def _meeting(run: CoordinationRun, d: ClientDraft, day: date, status: str) -> Meeting:
    starts = at(day, run.rng.choice((9, 10, 13, 14)))
    held = status == MeetingStatus.HELD
    return Meeting(
        client=d.row,
        starts_at=starts,
        place="Mottagningen" if run.c.chance(0.6) else "Hemma hos klienten",
        chair=d.home_manager.full_name,
        status=status,
        client_present=(run.c.chance(0.9) if held else None),
        minutes="Vi gick igenom delmålen och planen." if held else "",
        warning_plan_reviewed=held and run.c.chance(0.5),
        invitations_sent_at=starts - timedelta(days=14),
        organisation=d.row.organisation,
        home_organisation_id=d.row.organisation_id,
        created_by=d.home_manager,
        created_at=min(starts - timedelta(days=30), timezone.now()),
        updated_at=min(starts, timezone.now()),
    )
