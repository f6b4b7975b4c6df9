"""Reads of forum work: a meeting's agenda and minutes (what they are, a digest of the
text, and who has confirmed them), the forum's matters, and the reports back an
organisation's members read. ``forum_services`` changes them; ``rules`` says who may.

The shape follows the minutes of a resource-group meeting (``coordination.selectors.
minutes``): a confirmation holds for the text as read, so when the minutes change, the
earlier confirmations show as confirming an earlier text.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from .models import (
    Capacity,
    ForumMeeting,
    ForumMember,
    ForumMinutesConfirmation,
    InfluenceOrganisation,
    Matter,
    ReportBack,
)


def minutes_digest(meeting: ForumMeeting) -> str:
    """The minutes as written; empty when there is nothing to read yet."""
    text = meeting.minutes.strip()
    if not text:
        return ""
    return hashlib.sha256(text.encode()).hexdigest()


def has_minutes(meeting: ForumMeeting) -> bool:
    return bool(minutes_digest(meeting))


def is_held(meeting: ForumMeeting) -> bool:
    return meeting.day <= timezone.localdate()


def agenda_open(meeting: ForumMeeting) -> bool:
    """Items are added before the meeting (on its day at the latest)."""
    return meeting.day >= timezone.localdate()


def representatives(meeting: ForumMeeting) -> list[ForumMember]:
    """The representatives who held a seat on the meeting's day: those who confirm."""
    seats = ForumMember.objects.filter(
        forum_id=meeting.forum_id,
        capacity=Capacity.REPRESENTATIVE,
        since__lte=meeting.day,
    ).select_related("organisation")
    return [s for s in seats if s.until is None or s.until >= meeting.day]


def confirmation_rows(meeting: ForumMeeting) -> list[dict[str, Any]]:
    """Each representative, whether they have confirmed these minutes or an earlier text,
    and what they asked to be corrected."""
    current = minutes_digest(meeting)
    answers = {
        row.member_id: row for row in ForumMinutesConfirmation.objects.filter(meeting=meeting)
    }
    rows = []
    for seat in representatives(meeting):
        answer = answers.get(seat.pk)
        rows.append(
            {
                "seat": seat,
                "answer": answer,
                "current": answer is not None and answer.digest == current,
            }
        )
    return rows


def agenda(meeting: ForumMeeting) -> QuerySet[Any]:
    return meeting.agenda.select_related("organisation").order_by("added_at", "pk")


def forum_matters(forum: Any) -> QuerySet[Matter]:
    return forum.matters.select_related("raised_by", "organisation").order_by("-raised_on", "-pk")


def meeting_matters(meeting: ForumMeeting) -> QuerySet[Matter]:
    return meeting.matters.select_related("organisation").order_by("title")


def matter_meetings(matter: Matter) -> QuerySet[ForumMeeting]:
    return matter.meetings.order_by("day")


def report_of(meeting: ForumMeeting, seat: ForumMember | None) -> ReportBack | None:
    if seat is None:
        return None
    return ReportBack.objects.filter(meeting=meeting, member=seat).first()


def organisation_reports(organisation: InfluenceOrganisation) -> QuerySet[ReportBack]:
    """The reports back of the organisation's representatives, newest meeting first."""
    return (
        ReportBack.objects.filter(organisation=organisation)
        .select_related("meeting__forum", "member")
        .order_by("-meeting__day", "pk")
    )
