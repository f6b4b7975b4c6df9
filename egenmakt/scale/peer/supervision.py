"""Supervision: a group meeting a month for each supervisor's peer supporters, their
attendance and some of the supervisors' notes."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from egenmakt.instruments.models import Response
from egenmakt.peer.models import Placement, SupervisionAttendance, SupervisionMeeting
from egenmakt.scale.answers import response_row
from egenmakt.scale.context import at

from .run import PLACE, PeerRun


def meetings(run: PeerRun) -> None:
    c = run.c
    by_supervisor: dict[int, list[Placement]] = {}
    for p in run.state.placements:
        if p.supervisor_id is not None:
            by_supervisor.setdefault(p.supervisor_id, []).append(p)
    pool = run.pools["supervision"]
    for supervisor_id, placements in by_supervisor.items():
        first = min(p.starts_on for p in placements).replace(day=10)
        meetings: list[tuple[SupervisionMeeting, list[int]]] = []
        day = first
        while day <= run.today + timedelta(days=30):
            people = sorted(
                {
                    p.peer_supporter_id
                    for p in placements
                    if p.starts_on <= day and (p.ends_on is None or p.ends_on >= day)
                }
            )
            if people:
                meeting = SupervisionMeeting(
                    supervisor_id=supervisor_id,
                    kind="group",
                    starts_at=at(day, 13),
                    place=PLACE,
                )
                meetings.append((meeting, people))
            day = (day.replace(day=1) + timedelta(days=32)).replace(day=10)
        saved = c.insert(SupervisionMeeting, [m for m, _p in meetings])
        rows = []
        for meeting, (_m, people) in zip(saved, meetings, strict=True):
            past = meeting.starts_at < timezone.now()
            for person in people:
                rows.append(
                    SupervisionAttendance(
                        meeting=meeting,
                        peer_supporter_id=person,
                        attended=(c.chance(0.85) if past else None),
                    )
                )
        rows = c.insert(SupervisionAttendance, rows)
        notes = [
            response_row(
                pool,
                run.rng,
                subject_type_id=run.ct_attendance,
                subject_id=row.pk,
                entered_by_id=supervisor_id,
                answered_on=timezone.localtime(row.meeting.starts_at).date(),
            )
            for row in rows
            if row.attended and c.chance(0.4)
        ]
        c.insert_only(Response, notes)
