"""Interview invitations as iCalendar files (RFC 5545)."""

from __future__ import annotations

from egenmakt.core.calendar import Attendee, CalendarEvent, calendar_file

from .models import Interview


def interview_calendar(interview: Interview, *, summary: str, description: str) -> str:
    """One event, in UTC, that the applicant's and interviewers' calendars can import.

    The summary and description are given by the caller in the recipient's language and
    carry no more personal data than the e-mail itself.
    """
    cancelled = interview.cancelled_at is not None
    event = CalendarEvent(
        uid=f"{interview.calendar_uid}@egenmakt",
        starts=interview.starts_at,
        ends=interview.ends_at,
        summary=summary,
        description=description,
        location=interview.place,
        status="CANCELLED" if cancelled else "CONFIRMED",
        sequence=1 if cancelled else 0,
        attendees=[
            Attendee(email=person.email, name=person.full_name)
            for person in (interview.interviewer_1, interview.interviewer_2)
        ],
    )
    method = "CANCEL" if cancelled else "REQUEST"
    return calendar_file([event], product="Rekrytering", method=method)
