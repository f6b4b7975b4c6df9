"""The report as tables, written as CSV or XLSX; and the pseudonymised research extract.

The research extract has one row per application in scope. Each person is known only by
a pseudonym, an HMAC of the application's database key under the chosen export key: the
same key always gives the same pseudonym, another key gives pseudonyms that cannot be
linked. No name, e-mail, phone, identity number, municipality or free text is written;
dates are given to the month.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from egenmakt.accounts.models import Organisation
from egenmakt.core.dates import add_months
from egenmakt.core.tabular import Table
from egenmakt.peer.models import (
    PRESENT_STATUSES,
    Application,
    ApplicationStatus,
    Attendance,
    Participant,
    ParticipantStatus,
    Placement,
    RecruitmentRound,
    SickLeave,
    SupervisionAttendance,
)

from .models import ResearchKey
from .programme import rounds_in
from .shown import ShownReport


def programme_tables(report: ShownReport) -> list[Table]:
    """The report's tables as its reader may see them (``shown.shown_report``)."""
    funnel = Table(
        _("From application to employment"),
        [
            _("Round"),
            _("Applied"),
            _("Interviewed"),
            _("Admitted to the course"),
            _("Completed the course"),
            _("Employed"),
            _("Completed 6 months ago or more"),
            _("Employed after 6 months"),
            _("Completed 12 months ago or more"),
            _("Employed after 12 months"),
        ],
        [
            [
                row.label,
                row.applied,
                row.interviewed,
                row.admitted,
                row.completed,
                row.employed,
                row.after_6.eligible,
                row.after_6.employed,
                row.after_12.eligible,
                row.after_12.employed,
            ]
            for row in [*report.rounds, report.total]
        ],
    )
    months = Table(
        _("Per month"),
        [
            _("Month"),
            _("Working peer supporters"),
            _("Supervision meetings attended"),
            _("Meetings per peer supporter"),
            _("Sick-leave days reported"),
            _("Activities logged"),
            _("Activities per peer supporter"),
        ],
        [
            [
                m.month.strftime("%Y-%m"),
                m.working,
                m.meetings,
                "" if m.per_peer_supporter is None else m.per_peer_supporter,
                "" if m.sick_days is None else m.sick_days,
                "" if m.activities is None else m.activities,
                "" if m.activities_per_peer_supporter is None else m.activities_per_peer_supporter,
            ]
            for m in report.months
        ],
    )
    workplaces = Table(
        _("Placements per workplace"),
        [
            _("Workplace"),
            _("Region or municipality"),
            _("Working now"),
            _("Placements in all"),
            _("Peer supporters"),
            _("Sick-leave days reported"),
        ],
        [
            [
                w.name,
                w.region,
                w.active,
                w.total,
                w.peer_supporters,
                "" if w.sick_days is None else w.sick_days,
            ]
            for w in report.workplaces
        ],
    )
    regions = Table(
        _("Per region or municipality"),
        [_("Region or municipality"), _("Workplaces"), _("Working now"), _("Placements in all")],
        [[r.name, r.workplaces, r.active, r.total] for r in report.regions],
    )
    return [funnel, months, workplaces, regions]


def pseudonym(key: ResearchKey, kind: str, pk: int) -> str:
    digest = hmac.new(key.secret.encode(), f"{kind}:{pk}".encode(), hashlib.sha256)
    return "P-" + digest.hexdigest()[:12].upper()


def month_of(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        value = timezone.localtime(value).date()
    return value.strftime("%Y-%m")


def yes_no(value: bool | None) -> str:
    return "" if value is None else ("1" if value else "0")


def research_table(
    network: Organisation,
    round_: RecruitmentRound | None,
    key: ResearchKey,
    today: date | None = None,
) -> Table:
    """One row per application, known only by its pseudonym (a bounded number of queries)."""
    today = today or timezone.localdate()
    rounds = [round_] if round_ is not None else list(rounds_in(network))
    titles = {r.pk: r.title for r in rounds}
    applications = list(
        Application.objects.filter(round_id__in=titles)
        .order_by("round_id", "submitted_at", "pk")
        .values_list("pk", "round_id", "submitted_at", "interviewed_at", "status")
    )
    participants = {
        application_id: (pk, user_id, status, recommended, completed_at)
        for application_id, pk, user_id, status, recommended, completed_at in (
            Participant.objects.filter(application_id__in=[a[0] for a in applications]).values_list(
                "application_id", "pk", "user_id", "status", "recommended", "completed_at"
            )
        )
    }
    participant_ids = [p[0] for p in participants.values()]
    attendance = {
        row["participant_id"]: row
        for row in Attendance.objects.filter(participant_id__in=participant_ids)
        .values("participant_id")
        .annotate(recorded=Count("id"), present=Count("id", filter=Q(status__in=PRESENT_STATUSES)))
    }
    users = [p[1] for p in participants.values() if p[1]]
    jobs: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in (
        Placement.objects.filter(peer_supporter_id__in=users)
        .order_by("starts_on")
        .values_list("peer_supporter_id", "pk", "starts_on", "ends_on", "employer", "share_percent")
    ):
        jobs[row[0]].append(row[1:])
    meetings = dict(
        SupervisionAttendance.objects.filter(peer_supporter_id__in=users, attended=True)
        .values("peer_supporter_id")
        .annotate(n=Count("id"))
        .values_list("peer_supporter_id", "n")
    )
    sick: dict[int, int] = defaultdict(int)
    for person, starts_on, ends_on in SickLeave.objects.filter(
        placement__peer_supporter_id__in=users
    ).values_list("placement__peer_supporter_id", "starts_on", "ends_on"):
        sick[person] += (ends_on - starts_on).days + 1

    rows = []
    for pk, round_id, submitted_at, interviewed_at, status in applications:
        participant = participants.get(pk)
        user_id = participant[1] if participant else None
        completed = participant is not None and participant[2] == ParticipantStatus.COMPLETED
        placements = jobs.get(user_id, []) if user_id else []
        started = [p for p in placements if p[1] <= today]
        follow: list[str] = []
        for months in (6, 12):
            if not completed or participant is None or participant[4] is None:
                follow.append("")
                continue
            day = add_months(timezone.localtime(participant[4]).date(), months)
            if day > today:
                follow.append("")
            else:
                follow.append(
                    yes_no(
                        any(
                            s <= day and (e is None or e >= day) for _p, s, e, _m, _sh in placements
                        )
                    )
                )
        counts = attendance.get(participant[0]) if participant else None
        present = (
            round(100 * counts["present"] / counts["recorded"])
            if counts and counts["recorded"]
            else ""
        )
        rows.append(
            [
                pseudonym(key, "application", pk),
                titles[round_id],
                month_of(submitted_at),
                yes_no(interviewed_at is not None),
                yes_no(status == ApplicationStatus.ADMITTED),
                present,
                yes_no(completed) if participant else "0",
                yes_no(participant[3]) if participant else "",
                month_of(started[0][1]) if started else "",
                started[-1][3] if started else "",
                started[-1][4] if started else "",
                follow[0],
                follow[1],
                meetings.get(user_id, 0) if user_id else "",
                sick.get(user_id, 0) if user_id else "",
            ]
        )
    return Table(
        _("Pseudonymised data"),
        [
            "pseudonym",
            "round",
            "applied_month",
            "interviewed",
            "admitted",
            "course_attendance_percent",
            "completed",
            "recommended",
            "first_job_month",
            "employer",
            "share_of_full_time_percent",
            "employed_after_6_months",
            "employed_after_12_months",
            "supervision_meetings_attended",
            "sick_leave_days",
        ],
        rows,
    )
