"""Calendar files: an invitation carries its METHOD and attendees, a feed its name."""

from __future__ import annotations

from datetime import UTC, date, datetime

from icalendar import Calendar

from egenmakt.core.calendar import Attendee, CalendarEvent, calendar_file

STARTS = datetime(2026, 3, 31, 8, 0, tzinfo=UTC)


def test_an_invitation_names_its_method_revision_and_attendees():
    text = calendar_file(
        [
            CalendarEvent(
                uid="resursgrupp-7@egenmakt",
                starts=STARTS,
                ends=STARTS.replace(hour=9),
                summary="Resursgruppsmöte",
                description="",
                location="Storgatan 1, Göteborg",
                status="CONFIRMED",
                sequence=2,
                attendees=[Attendee(email="anna@example.org", name="Anna Åberg")],
            )
        ],
        product="Resursgrupp",
        method="REQUEST",
    )
    calendar = Calendar.from_ical(text)
    assert calendar["prodid"] == "-//Egenmakt//Resursgrupp//SV"
    assert calendar["method"] == "REQUEST"
    assert "X-WR-CALNAME" not in calendar
    (event,) = calendar.walk("VEVENT")
    assert event["uid"] == "resursgrupp-7@egenmakt"
    assert event.decoded("dtstart") == STARTS
    assert event["location"] == "Storgatan 1, Göteborg"
    assert event["description"] == ""  # given, though empty, so it is written
    assert (event["status"], event["sequence"]) == ("CONFIRMED", 2)
    assert event["attendee"] == "mailto:anna@example.org"
    assert event["attendee"].params["cn"] == "Anna Åberg"
    assert "DTSTAMP" in event


def test_a_feed_has_a_name_no_method_and_leaves_out_what_it_is_not_given():
    stamp = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    text = calendar_file(
        [
            CalendarEvent(
                uid="a@egenmakt", starts=STARTS, summary="Kurs", stamp=stamp, categories=["Möte"]
            ),
            CalendarEvent(uid="b@egenmakt", starts=date(2026, 4, 1), summary="Hemuppgift"),
        ],
        product="Kalender",
        name="Psykiatri Väst",
    )
    calendar = Calendar.from_ical(text)
    assert "METHOD" not in calendar
    assert calendar["x-wr-calname"] == "Psykiatri Väst"
    first, second = calendar.walk("VEVENT")
    assert first.decoded("dtstamp") == stamp
    assert [str(c) for c in first["categories"].cats] == ["Möte"]
    assert second.decoded("dtstart") == date(2026, 4, 1)
    for absent in ("DTEND", "DESCRIPTION", "LOCATION", "STATUS", "SEQUENCE", "ATTENDEE"):
        assert absent not in second
