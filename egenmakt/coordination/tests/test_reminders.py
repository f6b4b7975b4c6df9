"""Reminders that follow the state of the work (coordination/reminders.py), on a fixed
clock: each rule fires on its day, once per occasion however often the daily job runs,
stops when its cause is gone, speaks the recipient's language, carries nothing sensitive,
and is listed on the client's page; the daily run reads in bounded queries."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from egenmakt.conftest import sign_in
from egenmakt.coordination.models import (
    ActionStatus,
    Client,
    Meeting,
    Phase,
    PlanAction,
    ReminderRole,
    SentReminder,
)
from egenmakt.coordination.reminders import (
    ACTION_DAYS_BEFORE,
    ACTION_TEAM_AFTER_DAYS,
    action_reminders,
    meeting_reminders,
)
from egenmakt.coordination.services import group as group_services
from egenmakt.coordination.services import meetings as meeting_services
from egenmakt.coordination.services import plan as plans
from egenmakt.coordination.services.reminders import send_reminders
from egenmakt.coordination.tests.factories import consent, decided_plan, shared_client
from egenmakt.outbox.models import OutgoingEmail

pytestmark = pytest.mark.django_db

MEETING = (meeting_reminders,)
PLACE = "Mottagningen, Storgatan 1"
SECRET = "Jag vill ha ett eget jobb"  # the plan's long-term goal: never in a message


def book(cast, client, *, days: int = 14) -> Meeting:
    return meeting_services.book_meeting(
        user=cast.case_manager,
        client=client,
        starts_at=timezone.now() + timedelta(days=days),
        place=PLACE,
        chair="Kim",
        invite=False,
    )


def with_member(cast, client, email: str = "syster@example.org"):
    return group_services.add_group_member(
        user=cast.case_manager,
        client=client,
        chosen_by_client=True,
        data={"name": "Eva", "kind": "relative", "role": "syster", "email": email},
    )


def invite(cast, client, meeting) -> None:
    from egenmakt.coordination.services.invitations import send_invitations

    send_invitations(user=cast.case_manager, client=client, meeting=meeting)


def day_of(meeting: Meeting) -> date:
    return timezone.localtime(meeting.starts_at).date()


def reminder_mail(purpose: str):
    return OutgoingEmail.objects.filter(purpose=f"reminder: {purpose}")


def delivered(to: str) -> str:
    """The text as it went out (the outbox blanks its copy once delivered)."""
    return "\n".join(m.subject + "\n" + m.body for m in mail.outbox if to in m.to)


# --- 1. The meeting ----------------------------------------------------------------------


def test_the_client_and_invited_members_are_reminded_two_days_before_once(cast):
    client = shared_client(cast, email="kim@example.org")
    with_member(cast, client)
    meeting = book(cast, client)
    invite(cast, client, meeting)
    OutgoingEmail.objects.all().delete()
    mail.outbox.clear()

    assert send_reminders(rules=MEETING, today=day_of(meeting) - timedelta(days=3)) == 0
    sent = send_reminders(rules=MEETING, today=day_of(meeting) - timedelta(days=2))
    assert sent >= 2
    mails = reminder_mail("meeting_reminder")
    assert set(mails.values_list("to", flat=True)) >= {"kim@example.org", "syster@example.org"}
    # The same day again, and the day after: nothing more.
    assert send_reminders(rules=MEETING, today=day_of(meeting) - timedelta(days=2)) == 0
    assert send_reminders(rules=MEETING, today=day_of(meeting) - timedelta(days=1)) == 0
    assert reminder_mail("meeting_reminder").count() == mails.count()
    for to in ("kim@example.org", "syster@example.org"):
        text = delivered(to)
        assert PLACE in text
        assert timezone.localtime(meeting.starts_at).strftime("%H:%M") in text
        assert client.full_name not in text
    roles = set(SentReminder.objects.filter(client=client).values_list("role", flat=True))
    assert {ReminderRole.CLIENT, ReminderRole.MEMBER} <= roles


def test_a_cancelled_meeting_reminds_nobody(cast):
    client = shared_client(cast, email="kim@example.org")
    meeting = book(cast, client)
    meeting_services.cancel_meeting(user=cast.case_manager, client=client, meeting=meeting)
    assert list(meeting_reminders(day_of(meeting) - timedelta(days=2))) == []


def test_the_language_follows_the_recipient(cast):
    client = shared_client(cast, email="kim@example.org", preferred_language="English")
    meeting = book(cast, client)
    send_reminders(today=day_of(meeting) - timedelta(days=2))
    mail = reminder_mail("meeting_reminder").get(to="kim@example.org")
    assert mail.subject == "Reminder: resource-group meeting"

    other = shared_client(cast, name="Sam Ek", email="sam@example.org")
    meeting = book(cast, other, days=15)
    send_reminders(today=day_of(meeting) - timedelta(days=2))
    mail = reminder_mail("meeting_reminder").get(to="sam@example.org")
    assert mail.subject == "Påminnelse: resursgruppsmöte"


def test_without_a_channel_nothing_is_sent_but_the_occasion_is_used(cast):
    client = shared_client(cast, email="", phone="")
    meeting = book(cast, client)
    send_reminders(today=day_of(meeting) - timedelta(days=2))
    row = SentReminder.objects.get(client=client, role=ReminderRole.CLIENT)
    assert row.channel == "none"
    assert not reminder_mail("meeting_reminder").exists()
    assert send_reminders(today=day_of(meeting) - timedelta(days=2)) == 0


def test_a_client_with_a_login_is_reminded_by_the_channel_they_chose(cast, settings):
    """The choice made on the client's own notifications page: SMS for the meeting, none
    for the rating; without a login the client's e-mail is used, as before."""
    from egenmakt.outbox.models import NotificationPreference, OutgoingSms
    from egenmakt.portal.tests.factories import invited_client

    settings.SMS_BACKEND = "egenmakt.outbox.sms.LocmemBackend"
    client, account = invited_client(cast)
    Client.objects.filter(pk=client.pk).update(email="kim@example.org", phone="0701234567")
    client.refresh_from_db()
    NotificationPreference.objects.create(user=account.user, kind="meeting_reminder", channel="sms")
    meeting = book(cast, client)
    send_reminders(rules=MEETING, today=day_of(meeting) - timedelta(days=2))
    row = SentReminder.objects.get(client=client, role=ReminderRole.CLIENT)
    assert row.channel == "sms"
    assert OutgoingSms.objects.filter(to="+46701234567", purpose="reminder: meeting_reminder")
    assert not reminder_mail("meeting_reminder").filter(to="kim@example.org").exists()

    NotificationPreference.objects.filter(user=account.user).update(channel="none")
    other = book(cast, client, days=21)
    send_reminders(rules=MEETING, today=day_of(other) - timedelta(days=2))
    assert SentReminder.objects.filter(client=client, channel="none").count() == 1


def test_a_second_run_at_the_same_time_sends_nothing_more(cast):
    """The unique key decides, not the pre-check: a run that did not see the first one's
    row still sends nothing (its insert fails, its message is rolled back)."""
    from egenmakt.coordination.services import reminders as service

    client = shared_client(cast, email="kim@example.org")
    meeting = book(cast, client)
    today = day_of(meeting) - timedelta(days=2)
    send_reminders(today=today)
    count = OutgoingEmail.objects.count()
    blind = service._already_sent
    service._already_sent = lambda reminders: set()  # type: ignore[assignment]
    try:
        assert send_reminders(today=today) == 0
    finally:
        service._already_sent = blind
    assert OutgoingEmail.objects.count() == count


# --- 2. The ORS ----------------------------------------------------------------------------


def test_the_client_is_asked_for_the_ors_before_a_meeting_until_it_is_in(cast):
    client = shared_client(cast, email="kim@example.org")
    meeting = book(cast, client)
    send_reminders(today=day_of(meeting) - timedelta(days=3))
    assert reminder_mail("ors_due").get().to == "kim@example.org"
    assert reverse("portal:login") in delivered("kim@example.org")
    send_reminders(today=day_of(meeting) - timedelta(days=3))
    assert reminder_mail("ors_due").count() == 1


# --- 3. Measures of the plan ---------------------------------------------------------------


def measure_due(cast, client, due_on: date) -> PlanAction:
    decided_plan(cast, client)
    action = PlanAction.objects.get(plan__client=client)
    PlanAction.objects.filter(pk=action.pk).update(due_on=due_on)
    action.refresh_from_db()
    return action


def test_a_measure_reminds_the_responsible_before_and_weekly_when_overdue(cast):
    client = shared_client(cast)
    due = date(2026, 12, 10)
    action = measure_due(cast, client, due)
    responsible = cast.case_manager

    assert send_reminders(today=due - timedelta(days=ACTION_DAYS_BEFORE + 1)) == 0
    assert send_reminders(today=due - timedelta(days=ACTION_DAYS_BEFORE)) == 1
    assert send_reminders(today=due - timedelta(days=1)) == 0  # the same occasion
    assert reminder_mail("plan_action_due").get().to == responsible.email
    text = delivered(responsible.email)
    assert "ska vara klar" in text
    assert action.what not in text and SECRET not in text and client.full_name not in text
    # Overdue: once in each week.
    assert send_reminders(today=due + timedelta(days=1)) == 1
    assert send_reminders(today=due + timedelta(days=2)) == 0
    assert send_reminders(today=due + timedelta(days=8)) == 1
    # Two weeks overdue: the other case manager hears too.
    late = due + timedelta(days=ACTION_TEAM_AFTER_DAYS + 1)
    reminders = list(action_reminders(late))
    assert {r.role for r in reminders} == {ReminderRole.RESPONSIBLE, ReminderRole.CASE_MANAGER}
    assert cast.municipal_case_manager.email in {r.recipient.email for r in reminders}
    # Done: it stops.
    plan = action.plan
    plans.set_action_status(
        user=cast.case_manager, client=client, plan=plan, expected_version=plan.version,
        action=action, status=ActionStatus.DONE,
    )  # fmt: skip
    assert list(action_reminders(late)) == []


def test_staff_are_reminded_in_their_own_language(cast):
    cast.case_manager.preferred_language = "en"
    cast.case_manager.save(update_fields=["preferred_language"])
    client = shared_client(cast)
    due = date(2026, 12, 10)
    measure_due(cast, client, due)
    send_reminders(today=due)
    assert reminder_mail("plan_action_due").get().subject == "A measure in a plan is due"


# --- 4. The case managers' alerts ----------------------------------------------------------


def test_no_meeting_booked_alerts_the_case_managers_until_one_is(cast):
    client = shared_client(cast)
    Client.objects.filter(pk=client.pk).update(phase=Phase.WORK)
    today = timezone.localdate()
    send_reminders(today=today)
    rows = SentReminder.objects.filter(client=client, rule="no_meeting")
    assert {r.recipient for r in rows} == {
        f"user:{cast.case_manager.pk}",
        f"user:{cast.municipal_case_manager.pk}",
    }
    assert send_reminders(today=today) == 0
    book(cast, client, days=20)
    SentReminder.objects.all().delete()
    send_reminders(today=today)
    assert not SentReminder.objects.filter(rule="no_meeting").exists()


def test_a_long_mapping_alerts_once(cast):
    client = shared_client(cast)
    Client.objects.filter(pk=client.pk).update(phase=Phase.MAPPING, started_on=date(2026, 1, 10))
    assert send_reminders(today=date(2026, 5, 10)) == 0
    assert send_reminders(today=date(2026, 5, 11)) == 2
    assert send_reminders(today=date(2026, 6, 11)) == 0
    Client.objects.filter(pk=client.pk).update(phase=Phase.PLANNING)
    SentReminder.objects.all().delete()
    send_reminders(today=date(2026, 6, 11))
    assert not SentReminder.objects.filter(rule="long_mapping").exists()


def test_a_consent_running_out_alerts_until_it_is_renewed(cast):
    client = shared_client(cast)
    today = timezone.localdate()
    client.consents.update(valid_until=today + timedelta(days=40))
    assert send_reminders(today=today + timedelta(days=9)) == 0
    assert send_reminders(today=today + timedelta(days=10)) == 2
    assert send_reminders(today=today + timedelta(days=11)) == 0
    consent(cast, client, given_on=today, valid_until=today + timedelta(days=400))
    SentReminder.objects.all().delete()
    send_reminders(today=today + timedelta(days=11))
    assert not SentReminder.objects.filter(rule="consent_expiring").exists()


# --- The command, the page, the query count -----------------------------------------------


def test_the_command_runs_for_a_given_day(cast):
    client = shared_client(cast, email="kim@example.org")
    meeting = book(cast, client)
    out = StringIO()
    call_command(
        "send_reminders", "--date", (day_of(meeting) - timedelta(days=2)).isoformat(), stdout=out
    )
    assert "Sent" in out.getvalue()
    assert reminder_mail("meeting_reminder").exists()


def test_the_client_page_lists_the_reminders_without_their_text(cast):
    client = shared_client(cast, email="kim@example.org")
    meeting = book(cast, client)
    send_reminders(today=day_of(meeting) - timedelta(days=2))
    page = sign_in(Browser(), cast.case_manager).get(
        reverse("coordination:client", args=[client.pk])
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Påminnelser" in html
    assert "Resursgruppsmöte om två dagar" in html
    assert PLACE not in html.split("Påminnelser", 1)[1].split("</section>", 1)[0]
    # Outside the team: the page, and with it the list, stays closed.
    other = sign_in(
        Browser(),
        cast.outsider_case_manager if hasattr(cast, "outsider_case_manager") else cast.coordinator,
    )
    assert other.get(reverse("coordination:client", args=[client.pk])).status_code in (403, 404)


def _clients(cast, count: int) -> None:
    for n in range(count):
        client = shared_client(cast, name=f"Klient {n}", email=f"k{n}@example.org")
        Client.objects.filter(pk=client.pk).update(phase=Phase.WORK)
        book(cast, client, days=14)


def test_the_daily_run_reads_in_bounded_queries(cast):
    """The rules read in constant queries; each reminder sent costs the same few writes,
    so a second run (nothing new) costs the same for 10 clients as for 30."""
    _clients(cast, 10)
    today = timezone.localdate() + timedelta(days=12)
    send_reminders(today=today)
    with CaptureQueriesContext(connection) as ten:
        send_reminders(today=today)
    _clients(cast, 20)
    send_reminders(today=today)
    with CaptureQueriesContext(connection) as thirty:
        send_reminders(today=today)
    assert len(thirty) == len(ten) <= 20
