"""Calendar files (RFC 5545) made with ``icalendar``: invitations and feeds.

The callers decide what an event says (in the recipient's language) and its UID; this
module only writes it, so every calendar file has the same shape. An invitation carries a
METHOD (REQUEST or CANCEL) and attendees; a feed carries a name and no METHOD.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText


@dataclass(frozen=True)
class Attendee:
    email: str
    name: str


@dataclass(frozen=True)
class CalendarEvent:
    """One VEVENT. Fields left as None are not written."""

    uid: str
    starts: datetime | date
    summary: str
    ends: datetime | None = None
    # When the event was last changed; now when not given.
    stamp: datetime | None = None
    description: str | None = None
    location: str | None = None
    status: str | None = None
    # A new revision of the same invitation has a higher sequence.
    sequence: int | None = None
    categories: Sequence[str] = ()
    attendees: Sequence[Attendee] = ()


def _event(item: CalendarEvent, now: datetime) -> Event:
    event = Event()
    event.add("uid", item.uid)
    event.add("dtstamp", item.stamp or now)
    event.add("dtstart", item.starts)
    if item.ends is not None:
        event.add("dtend", item.ends)
    event.add("summary", item.summary)
    if item.description is not None:
        event.add("description", item.description)
    if item.location is not None:
        event.add("location", vText(item.location))
    if item.status is not None:
        event.add("status", item.status)
    if item.sequence is not None:
        event.add("sequence", item.sequence)
    if item.categories:
        event.add("categories", list(item.categories))
    for person in item.attendees:
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params["cn"] = vText(person.name)
        event.add("attendee", attendee, encode=False)
    return event


def calendar_file(
    events: Iterable[CalendarEvent],
    *,
    product: str,
    method: str | None = None,
    name: str | None = None,
) -> str:
    """The events as one iCalendar text. ``product`` names the part of Egenmakt that made
    it (PRODID ``-//Egenmakt//<product>//SV``); ``method`` is set on invitations, ``name``
    (X-WR-CALNAME) on feeds."""
    calendar = Calendar()
    calendar.add("prodid", f"-//Egenmakt//{product}//SV")
    calendar.add("version", "2.0")
    if method is not None:
        calendar.add("method", method)
    if name is not None:
        calendar.add("x-wr-calname", name)
    now = timezone.now()
    for item in events:
        calendar.add_component(_event(item, now))
    return str(calendar.to_ical().decode("utf-8"))
