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


# --- The representative's start page ---------------------------------------------------

MINUTES_DAYS = 180  # how far back minutes to confirm are shown (INFERRED)


def _spoken_for_paths(user: Any) -> list[str]:
    """Every organisation path an account may have for ``rules.speaks_for`` to hold: the
    paths the user holds a role at (not as an analyst), and each one above them."""
    from egenmakt.accounts.roles import Role
    from egenmakt.accounts.selectors import held_roles

    paths: set[str] = set()
    for held in held_roles(user):
        if held.role == Role.ANALYST:
            continue
        parts = [p for p in held.organisation_path.split("/") if p]
        for n in range(1, len(parts) + 1):
            paths.add("/" + "/".join(parts[:n]) + "/")
    return sorted(paths)


def representative_meetings(user: Any, limit: int = 10) -> tuple[list[Any], list[Any]]:
    """The meetings of forums where the user holds a representative's seat for an
    organisation they speak for (the meeting page's rule): those to come, and those held
    in the last ``MINUTES_DAYS`` within the seat whose minutes wait for the user's
    confirmation (none, or of an earlier text). One query."""
    from datetime import timedelta

    from django.db.models import OuterRef, Subquery

    today = timezone.localdate()
    # A seat held now: the meeting page opens only for one (``rules.may_follow_forum``).
    seats = ForumMember.objects.filter(
        until__isnull=True,
        forum=OuterRef("forum"),
        user_id=int(user.pk or 0),
        capacity=Capacity.REPRESENTATIVE,
        organisation__account__path__in=_spoken_for_paths(user),
        since__lte=OuterRef("day"),
    )
    confirmed = ForumMinutesConfirmation.objects.filter(
        meeting=OuterRef("pk"), user_id=int(user.pk or 0)
    ).order_by("-confirmed_at")
    meetings = list(
        ForumMeeting.objects.annotate(
            seat=Subquery(seats.values("pk")[:1]),
            confirmed_digest=Subquery(confirmed.values("digest")[:1]),
        )
        .filter(seat__isnull=False, day__gte=today - timedelta(days=MINUTES_DAYS))
        .select_related("forum")
        .order_by("day", "pk")[:200]
    )
    coming = [m for m in meetings if m.day >= today][:limit]
    to_confirm = [
        m
        for m in meetings
        if m.day <= today and minutes_digest(m) and m.confirmed_digest != minutes_digest(m)
    ][:limit]
    return coming, to_confirm
