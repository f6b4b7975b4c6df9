"""Booked mapping sessions: a weekly series across summer time, the invitations with their
calendar file, a held session becoming checklist K's steps, the both-present warnings
(booking, attendance, the resource-group meeting), bad input refused with nothing written,
who may book, and the client's start page."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from egenmakt.audit.models import AccessLog
from egenmakt.conftest import sign_in
from egenmakt.coordination.checklist import build_checklist
from egenmakt.coordination.models import (
    Attendance,
    MappingSession,
    Meeting,
    MeetingStatus,
    SessionStatus,
    StepRecord,
)
from egenmakt.coordination.selectors.team import active_team
from egenmakt.coordination.services import meetings as meeting_services
from egenmakt.coordination.services import sessions as session_services
from egenmakt.coordination.tests.factories import ensure_instruments, new_client, shared_client
from egenmakt.outbox.models import OutgoingEmail

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def as_(user) -> Browser:
    return sign_in(Browser(), user)


def page(client) -> str:
    return reverse("coordination:mapping_sessions", args=[client.pk])


def book_url(client) -> str:
    return reverse("coordination:mapping_sessions_book", args=[client.pk])


def in_days(days: int, hour: int = 10) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def book(cast, client, *, steps=("network_map",), both=True, days=(7,)) -> list[MappingSession]:
    people = [cast.case_manager, cast.municipal_case_manager] if both else [cast.case_manager]
    return session_services.book_sessions(
        user=cast.case_manager,
        client=client,
        starts=[in_days(d) for d in days],
        duration_minutes=60,
        place="Mottagningen, rum 3",
        planned_steps=list(steps),
        booked=people,
    )


def to_the_past(session: MappingSession) -> MappingSession:
    MappingSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(hours=2)
    )
    session.refresh_from_db()
    return session


# --- A weekly series across the change to summer time ------------------------------------------


def test_a_weekly_time_keeps_its_wall_clock_time_across_summer_time():
    # Summer time begins on Sunday 28 March 2027 in Europe/Stockholm.
    starts = session_services.weekly_starts(date(2027, 3, 15), 1, time(10, 0), 4)
    local = [s.astimezone(STOCKHOLM) for s in starts]
    assert [d.date() for d in local] == [
        date(2027, 3, 16),
        date(2027, 3, 23),
        date(2027, 3, 30),
        date(2027, 4, 6),
    ]
    assert all(d.time() == time(10, 0) for d in local)
    assert [s.astimezone(UTC).hour for s in starts] == [9, 9, 8, 8]


def test_the_care_team_books_every_tuesday_for_eight_weeks(cast):
    client = shared_client(cast, email="kim@example.org")
    browser = as_(cast.case_manager)
    response = browser.post(
        book_url(client),
        {
            "weekday": "1",
            "at": "10:00",
            "weeks": "8",
            "first_day": (timezone.localdate() + timedelta(days=1)).isoformat(),
            "duration_minutes": "60",
            "place": "Mottagningen, rum 3",
            "planned_steps": ["normal_day", "network_map"],
            "booked": [cast.case_manager.pk, cast.municipal_case_manager.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    sessions = list(MappingSession.objects.filter(client=client))
    assert len(sessions) == 8
    for session in sessions:
        local = timezone.localtime(session.starts_at)
        assert local.weekday() == 1 and local.time() == time(10, 0)
        assert session.planned_steps == ["normal_day", "network_map"]
    # The client and both case managers get an invitation for each session.
    assert OutgoingEmail.objects.count() == 8 * 3
    listed = browser.get(page(client))
    assert listed.status_code == 200
    assert "Mottagningen, rum 3" in listed.content.decode()


# --- Invitations -------------------------------------------------------------------------------


def test_the_invitation_goes_to_the_client_and_both_case_managers_with_a_calendar_file(
    cast, settings
):
    # Keep the e-mails in the outbox (the test backend would deliver and blank them).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client = shared_client(cast, email="kim@example.org")
    (session,) = book(cast, client)
    mails = list(OutgoingEmail.objects.order_by("pk"))
    assert sorted(m.to for m in mails) == sorted(
        ["kim@example.org", cast.case_manager.email, cast.municipal_case_manager.email]
    )
    mail = next(m for m in mails if m.to == "kim@example.org")
    # No sensitive content: time, place and who comes, not what is planned.
    assert "Mottagningen, rum 3" in mail.body
    assert cast.municipal_case_manager.full_name in mail.body
    assert "nätverkskarta" not in mail.body.lower() and "network" not in mail.body.lower()
    event = Calendar.from_ical(mail.calendar).walk("VEVENT")[0]
    assert str(event["uid"]) == f"kartlaggning-{session.pk}@egenmakt"
    assert event["dtstart"].dt == session.starts_at
    assert event["dtstart"].params.get("TZID") == "Europe/Stockholm"
    assert "TZID=Europe/Stockholm" in mail.calendar
    assert client.full_name not in mail.calendar
    # Cancelling sends a CANCEL with the same UID.
    session_services.cancel_session(user=cast.case_manager, client=client, session=session)
    cancel = OutgoingEmail.objects.order_by("-pk").first()
    assert cancel is not None
    calendar = Calendar.from_ical(cancel.calendar)
    assert str(calendar["method"]) == "CANCEL"
    assert str(calendar.walk("VEVENT")[0]["uid"]) == f"kartlaggning-{session.pk}@egenmakt"


def test_a_client_who_chose_text_messages_for_bookings_gets_one_in_their_language(cast, settings):
    from egenmakt.outbox.models import NotificationPreference, OutgoingSms
    from egenmakt.portal.tests.factories import invited_client

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.SMS_BACKEND = "egenmakt.outbox.sms.LocmemBackend"
    client, account = invited_client(cast)
    client.email, client.phone, client.preferred_language = "kim@example.org", "0701234567", "en"
    client.save(update_fields=["email", "phone", "preferred_language"])
    NotificationPreference.objects.create(user=account.user, kind="booking", channel="sms")
    book(cast, client)
    sms = OutgoingSms.objects.get(purpose="mapping-session invitation")
    assert sms.to == "+46701234567"
    assert sms.text.startswith("Mapping meeting") and "Mottagningen, rum 3" in sms.text
    assert client.full_name not in sms.text
    # The case managers, who chose nothing, still get the e-mail with the calendar file.
    assert set(
        OutgoingEmail.objects.filter(purpose="mapping-session invitation").values_list(
            "to", flat=True
        )
    ) == {cast.case_manager.email, cast.municipal_case_manager.email}


# --- Held: the steps go into checklist K -------------------------------------------------------


def test_a_held_session_becomes_the_steps_checklist_k_reads(cast):
    ensure_instruments()
    client = shared_client(cast)
    (session,) = book(cast, client, steps=("network_map", "normal_day"))
    to_the_past(session)
    url = reverse("coordination:mapping_session_held", args=[client.pk, session.pk])
    response = as_(cast.case_manager).post(
        url,
        {
            f"s{session.pk}-attended": [cast.case_manager.pk, cast.municipal_case_manager.pk],
            f"s{session.pk}-done_steps": ["network_map", "normal_day"],
            f"s{session.pk}-client_present": "on",
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD
    records = StepRecord.objects.filter(client=client).order_by("step")
    assert [r.step for r in records] == ["network_map", "normal_day"]
    # The worksheet step opened the worksheet, as when started from the client's page.
    assert records[1].response is not None
    checklist = build_checklist(
        StepRecord.objects.filter(client=client).prefetch_related("present"), active_team(client)
    )
    row = next(r for r in checklist.mapping if r.definition.key == "network_map")
    assert row.done and not row.missing_partner
    listed = as_(cast.case_manager).get(reverse("coordination:checklist", args=[client.pk]))
    assert listed.status_code == 200


# --- Both case managers ------------------------------------------------------------------------

ONE_BOOKED = "Bara en av samordnarna"


def test_a_warning_when_only_one_case_manager_is_booked_or_came(cast):
    client = shared_client(cast)
    (alone,) = book(cast, client, steps=("network_map",), both=False)
    (both,) = book(cast, client, steps=("network_map",), days=(8,))
    managers = session_services.case_manager_ids(client)
    assert session_services.only_one_booked(alone, managers)
    assert not session_services.only_one_booked(both, managers)
    text = as_(cast.case_manager).get(page(client)).content.decode()
    assert text.count("Varning:") == 1
    to_the_past(both)
    response = as_(cast.case_manager).post(
        reverse("coordination:mapping_session_held", args=[client.pk, both.pk]),
        {f"s{both.pk}-attended": [cast.case_manager.pk], f"s{both.pk}-done_steps": ["network_map"]},
        follow=True,
    )
    assert response.status_code == 200
    both.refresh_from_db()
    assert session_services.only_one_attended(both, managers)
    assert "Bara en samordnare var med" in response.content.decode()


def test_the_meeting_page_warns_when_only_one_case_manager_attended(cast):
    client = shared_client(cast)
    meeting = meeting_services.book_meeting(
        user=cast.case_manager,
        client=client,
        starts_at=timezone.now() + timedelta(days=14),
        chair="Kim",
        invite=False,
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.HELD, starts_at=timezone.now() - timedelta(days=1)
    )
    rows = Attendance.objects.filter(meeting=meeting).select_related("member")
    for row in rows:
        row.present = row.member.user_id == cast.case_manager.pk
        row.save()
    url = reverse("coordination:meeting", args=[client.pk, meeting.pk])
    warning = "Bara en samordnare var med på mötet."
    assert warning in as_(cast.case_manager).get(url).content.decode()
    Attendance.objects.filter(meeting=meeting, member__user__isnull=False).update(present=True)
    assert warning not in as_(cast.case_manager).get(url).content.decode()


# --- Bad input and permissions -----------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {},  # neither dates nor a weekly time
        {"dates": "2020-01-07 10:00"},  # in the past
        {"dates": "inte ett datum"},
        {"weekday": "1", "at": "10:00", "weeks": "27"},  # too many
        {"dates": "{future}", "weekday": "1", "at": "10:00", "weeks": "2"},  # both
        {"dates": "{future}", "booked": "outsider"},  # not in the care team
    ],
)
def test_bad_input_is_refused_with_the_form_and_nothing_written(cast, data):
    client = shared_client(cast)
    form = {
        "duration_minutes": "60",
        "place": "Mottagningen",
        "booked": [cast.case_manager.pk],
        **data,
    }
    if form.get("dates") == "{future}":
        form["dates"] = timezone.localtime(in_days(3)).strftime("%Y-%m-%d %H:%M")
    if form.get("booked") == "outsider":
        form["booked"] = [cast.clinic_colleague.pk]
    response = as_(cast.case_manager).post(book_url(client), form)
    assert response.status_code == 400
    assert 'name="place"' in response.content.decode()
    assert not MappingSession.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_the_service_writes_all_or_nothing(cast):
    client = shared_client(cast)
    with pytest.raises(ValidationError):
        session_services.book_sessions(
            user=cast.case_manager,
            client=client,
            starts=[in_days(2), in_days(-2)],
            duration_minutes=60,
            place="Mottagningen",
            planned_steps=[],
            booked=[cast.case_manager],
        )
    assert not MappingSession.objects.exists()


def test_only_the_team_working_jointly_books(cast):
    client = new_client(cast)  # one case manager, no consent yet for a partner
    outsider = as_(cast.clinic_colleague)
    assert outsider.get(page(client)).status_code == 404
    assert outsider.post(book_url(client), {}).status_code == 404
    shared = shared_client(cast, name="Alex Ek")
    partner = as_(cast.municipal_case_manager)
    assert partner.get(page(shared)).status_code == 200
    assert AccessLog.objects.filter(reason="mapping sessions").exists()
    (session,) = book(cast, shared)
    cancel = reverse("coordination:mapping_session_cancel", args=[shared.pk, session.pk])
    assert outsider.post(cancel).status_code == 404
    assert partner.post(cancel).status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED


# --- The client's phone ------------------------------------------------------------------------


def test_the_portal_start_page_lists_the_upcoming_sessions_in_plain_words(cast):
    from egenmakt.portal.tests.factories import as_client, invited_client

    client, account = invited_client(cast)
    book(cast, client, steps=("network_map", "normal_day"), days=(5,))
    (cancelled,) = book(cast, client, days=(6,))
    session_services.cancel_session(user=cast.case_manager, client=client, session=cancelled)
    text = as_client(account).get(reverse("portal:start")).content.decode()
    assert "Mottagningen, rum 3" in text
    assert "Vi ritar en karta över människorna i ditt liv" in text
    assert text.count("Mottagningen, rum 3") == 1


def test_the_list_costs_the_same_queries_for_two_sessions_or_twelve(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = shared_client(cast)
    browser = as_(cast.case_manager)
    book(cast, client, days=(3, 4))
    browser.get(page(client))
    with CaptureQueriesContext(connection) as few:
        assert browser.get(page(client)).status_code == 200
    book(cast, client, days=tuple(range(5, 15)))
    with CaptureQueriesContext(connection) as many:
        assert browser.get(page(client)).status_code == 200
    assert len(many) == len(few)
