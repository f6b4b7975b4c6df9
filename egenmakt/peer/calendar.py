"""Interview invitations as iCalendar files (RFC 5545), made with ``icalendar``."""

from __future__ import annotations

from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from .models import Interview


def interview_calendar(interview: Interview, *, summary: str, description: str) -> str:
    """One event, in UTC, that the applicant's and interviewers' calendars can import.

    The summary and description are given by the caller in the recipient's language and
    carry no more personal data than the e-mail itself.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//Egenmakt//Rekrytering//SV")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if interview.cancelled_at else "REQUEST")
    event = Event()
    event.add("uid", f"{interview.calendar_uid}@egenmakt")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", interview.starts_at)
    event.add("dtend", interview.ends_at)
    event.add("summary", summary)
    event.add("description", description)
    event.add("location", vText(interview.place))
    event.add("status", "CANCELLED" if interview.cancelled_at else "CONFIRMED")
    event.add("sequence", 1 if interview.cancelled_at else 0)
    for person in (interview.interviewer_1, interview.interviewer_2):
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params["cn"] = vText(person.full_name)
        event.add("attendee", attendee, encode=False)
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
