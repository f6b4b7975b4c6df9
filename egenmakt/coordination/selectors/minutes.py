"""Reads of the minutes of a resource-group meeting: what they are (a digest of the text
and the agenda notes), who confirms them, who has (``services.minutes`` changes them)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from egenmakt.coordination.models import (
    Attendance,
    CareTeamMember,
    Client,
    Meeting,
    MeetingStatus,
    MinutesConfirmation,
)


def minutes_digest(meeting: Meeting) -> str:
    """The minutes as written: the text and each agenda item's notes. Empty when there is
    nothing to read yet."""
    parts = [meeting.minutes.strip(), *(item.notes.strip() for item in meeting.agenda.all())]
    if not any(parts):
        return ""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def has_minutes(meeting: Meeting) -> bool:
    return meeting.status == MeetingStatus.HELD and bool(minutes_digest(meeting))


def _client_login(client: Client) -> Any:
    from egenmakt.coordination.registrations import client_login

    return client_login(client)


def members_with_account(meeting: Meeting) -> list[Any]:
    """The members of the group with an account who were asked to the meeting and did not
    stay away, and still hold a seat in the care team: two queries, whatever their number
    (the meeting's page lists them)."""
    rows = Attendance.objects.filter(
        meeting=meeting, member__user__isnull=False, member__user__is_active=True
    ).select_related("member__user")
    people = {
        row.member.user_id: row.member.user
        for row in rows
        if row.present is not False and row.member.user is not None
    }
    seated = set(
        CareTeamMember.objects.filter(
            client_id=meeting.client_id, ended_on__isnull=True, user_id__in=list(people)
        ).values_list("user_id", flat=True)
    )
    return [person for user_id, person in people.items() if user_id in seated]


def with_client_login(meeting: Meeting, staff: list[Any]) -> list[tuple[Any, bool]]:
    """``staff`` as (person, False), after the client's own login as (login, True)."""
    people: list[tuple[Any, bool]] = [(person, False) for person in staff]
    login = _client_login(meeting.client)
    if login is not None:
        people.insert(0, (login, True))
    return people


def confirmation_rows(meeting: Meeting, members: list[Any] | None = None) -> list[dict[str, Any]]:
    """For the meeting's page: each person who confirms, whether they have, for these
    minutes or an earlier text, and what they asked to be corrected (``members``: as
    ``members_with_account`` read them, when the page has)."""
    current = minutes_digest(meeting)
    answers = {row.user_id: row for row in MinutesConfirmation.objects.filter(meeting=meeting)}
    if members is None:
        members = members_with_account(meeting)
    rows = []
    for person, is_client in with_client_login(meeting, members):
        answer = answers.get(person.pk)
        rows.append(
            {
                "user_id": person.pk,
                "name": meeting.client.full_name if is_client else person.full_name,
                "is_client": is_client,
                "answer": answer,
                "current": answer is not None and answer.digest == current,
            }
        )
    return rows


def waiting_for(client: Client, user: Any, meetings: Iterable[Meeting]) -> list[Meeting]:
    """The held meetings whose minutes ``user`` has not confirmed as they stand now."""
    meetings = [m for m in meetings if has_minutes(m)]
    mine = {
        row.meeting_id: row.digest
        for row in MinutesConfirmation.objects.filter(meeting__in=meetings, user=user)
    }
    return [m for m in meetings if mine.get(m.pk) != minutes_digest(m)]


def present(meeting: Meeting, *, you: str) -> list[str]:
    """Who was at the meeting, in the client's words: ``you`` first when the client came."""
    names = [
        row.member.name
        for row in meeting.attendance.select_related("member").order_by("member__name")
        if row.present
    ]
    return [you, *names] if meeting.client_present else names
