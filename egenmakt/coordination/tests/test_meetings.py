"""The resource group and its meetings: who may change them, invitations with a calendar
file, holding a meeting (attendance, the client present, goal attainment, the early-warning
plan reviewed, the next meeting booked), decisions that change the plan, the second of two
concurrent saves refused, the case manager's list of clients due a meeting, checklist K,
and constant query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from egenmakt.audit.models import AccessLog
from egenmakt.conftest import sign_in
from egenmakt.coordination.access import forget_client_access
from egenmakt.coordination.models import (
    AgendaItem,
    Attendance,
    Consent,
    Decision,
    EarlyWarningPlan,
    Goal,
    GoalReview,
    Meeting,
    MeetingStatus,
    Phase,
    PlanAction,
    ResourceGroupMember,
)
from egenmakt.coordination.selectors.meetings import clients_due_a_meeting
from egenmakt.coordination.services import clients as clients_services
from egenmakt.coordination.services import consent as consent_services
from egenmakt.coordination.services import emergency as emergency_services
from egenmakt.coordination.services import group as group_services
from egenmakt.coordination.services import mapping as mapping_services
from egenmakt.coordination.services import meetings as meeting_services
from egenmakt.coordination.services import plan as plans
from egenmakt.coordination.services.meetings import MeetingRecord
from egenmakt.coordination.tests.factories import consent, new_client, shared_client
from egenmakt.outbox.models import OutgoingEmail

pytestmark = pytest.mark.django_db


def as_(user) -> Browser:
    return sign_in(Browser(), user)


def group_page(client) -> str:
    return reverse("coordination:resource_group", args=[client.pk])


def meeting_page(meeting) -> str:
    return reverse("coordination:meeting", args=[meeting.client_id, meeting.pk])


GROUP_ACTIONS = {"member": "group_member_add", "book": "meeting_book"}
MEETING_ACTIONS = {
    "invite": "meeting_invite",
    "cancel": "meeting_cancel",
    "meeting": "meeting_save",
}


def group_action(client, which: str) -> str:
    return reverse(f"coordination:{GROUP_ACTIONS[which]}", args=[client.pk])


def meeting_action(meeting, which: str) -> str:
    """The URL of one change to a meeting; any other ``which`` is a decision's kind."""
    if which in MEETING_ACTIONS:
        return reverse(
            f"coordination:{MEETING_ACTIONS[which]}", args=[meeting.client_id, meeting.pk]
        )
    return reverse("coordination:meeting_decide", args=[meeting.client_id, meeting.pk, which])


def local_input(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def add_member(cast, client, name: str, email: str = "") -> ResourceGroupMember:
    return group_services.add_group_member(
        user=cast.case_manager,
        client=client,
        chosen_by_client=True,
        data={"name": name, "kind": "relative", "role": "syster", "email": email},
    )


def booked(cast, client, *, days: int = 14, invite: bool = True) -> Meeting:
    return meeting_services.book_meeting(
        user=cast.case_manager,
        client=client,
        starts_at=timezone.now() + timedelta(days=days),
        chair="Kim",
        invite=invite,
    )


def in_the_past(meeting: Meeting, days: int = 1) -> Meeting:
    """The day of the meeting has come (tests book ahead, then move the clock back)."""
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(days=days))
    meeting.refresh_from_db()
    return meeting


def with_goal(cast, client, text: str = "Gå med i kören") -> Goal:
    plan = plans.plan_for(client, cast.case_manager)
    plans.save_plan_header(
        user=cast.case_manager, client=client, plan=plan, expected_version=plan.version,
        long_term_goal="Ett eget liv", responsible_principal="region", responsible_person=None,
    )  # fmt: skip
    return plans.add_goal(
        user=cast.case_manager, client=client, plan=plan, expected_version=plan.version,
        text=text, measure="Två gånger i månaden",
        target_date=timezone.localdate() + timedelta(days=60),
    )  # fmt: skip


# --- Who may change the group ------------------------------------------------------------------


def test_the_team_under_consent_adds_members_the_client_has_chosen(cast):
    client = shared_client(cast)
    partner = as_(cast.municipal_case_manager)
    refused = partner.post(
        group_action(client, "member"),
        {"name": "Maria", "kind": "relative", "role": "mamma"},
    )
    assert refused.status_code == 400
    assert "Klienten bestämmer vem som är med" in refused.content.decode()
    assert not ResourceGroupMember.objects.exists()
    added = partner.post(
        group_action(client, "member"),
        {"name": "Maria", "kind": "relative", "role": "mamma",
         "email": "maria@example.org", "chosen_by_client": "on"},
    )  # fmt: skip
    assert added.status_code == 302
    member = ResourceGroupMember.objects.get(client=client)
    assert member.chosen_by_client and member.organisation == cast.org("social_psychiatry")
    log = AccessLog.objects.filter(person_id=str(client.pk), action="create").order_by("-id")[0]
    assert log.actor == cast.municipal_case_manager
    text = partner.get(group_page(client)).content.decode()
    assert "Maria" in text and "Resursgrupp" in text
    assert "alltid med i gruppen" in text, "the case managers are shown as members"
    ended = partner.post(reverse("coordination:group_member_end", args=[client.pk, member.pk]))
    assert ended.status_code == 302
    member.refresh_from_db()
    assert member.ended_on == timezone.localdate()


def test_a_member_is_picked_from_the_network(cast):
    client = shared_client(cast)
    contact = mapping_services.save_contact(
        user=cast.case_manager,
        client=client,
        data={"name": "Lena", "relationship": "boendestödjare", "sector": "professionals",
              "closeness": 1, "workplace": "Boendestöd Östra", "email": "lena@example.org"},
    )  # fmt: skip
    response = as_(cast.case_manager).post(
        group_action(client, "member"),
        {"source": f"contact-{contact.pk}", "chosen_by_client": "on"},
    )
    assert response.status_code == 302
    member = ResourceGroupMember.objects.get(client=client)
    assert (member.name, member.kind, member.email, member.contact) == (
        "Lena", "professional", "lena@example.org", contact,
    )  # fmt: skip


@pytest.mark.parametrize("person", ["clinic_colleague", "outsider_case_manager", "coordinator"])
def test_outsiders_do_not_find_the_group_or_its_meetings(cast, person):
    client = shared_client(cast)
    meeting = booked(cast, client)
    browser = as_(getattr(cast, person))
    assert browser.get(group_page(client)).status_code == 404
    assert browser.get(meeting_page(meeting)).status_code == 404
    assert browser.post(meeting_action(meeting, "cancel"), {}).status_code == 404


def test_without_consent_the_group_is_read_only(cast):
    client = new_client(cast)
    browser = as_(cast.case_manager)
    assert browser.get(group_page(client)).status_code == 200
    response = browser.post(
        group_action(client, "member"),
        {"name": "Maria", "kind": "relative", "role": "mamma",
         "chosen_by_client": "on"},
    )  # fmt: skip
    assert response.status_code == 403
    assert not ResourceGroupMember.objects.exists()


def test_a_revoked_consent_leaves_the_home_organisation_reading_its_meetings(cast):
    client = shared_client(cast)
    meeting = booked(cast, client)
    consent_services.revoke_consent(
        user=cast.case_manager, client=client, consent=Consent.objects.get(client=client)
    )
    forget_client_access(cast.case_manager)
    home, partner = as_(cast.case_manager), as_(cast.municipal_case_manager)
    assert home.get(meeting_page(meeting)).status_code == 200
    assert home.post(meeting_action(meeting, "meeting"), _meeting_post(meeting)).status_code == 403
    assert partner.get(meeting_page(meeting)).status_code == 404


def test_emergency_access_reads_the_meeting_but_changes_nothing(cast):
    client = shared_client(cast)
    meeting = booked(cast, client)
    emergency_services.open_in_emergency(
        user=cast.clinic_colleague, client=client, reason="Klienten är här i kris nu"
    )
    browser = as_(cast.clinic_colleague)
    assert browser.get(group_page(client)).status_code == 200
    assert browser.get(meeting_page(meeting)).status_code == 200
    assert browser.post(meeting_action(meeting, "cancel"), {}).status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED


# --- Booking and inviting ----------------------------------------------------------------------


def test_booking_builds_the_agenda_and_emails_a_calendar_invitation(cast, settings):
    # Keep the e-mails in the outbox (the test backend would deliver and blank them).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client = shared_client(cast)
    add_member(cast, client, "Maria", "maria@example.org")
    add_member(cast, client, "Johan")  # no e-mail: called instead
    starts = timezone.now() + timedelta(days=10)
    browser = as_(cast.case_manager)
    response = browser.post(
        group_action(client, "book"),
        {"starts_at": local_input(starts), "duration_minutes": 90,
         "place": "", "chair": "Kim", "extra_items": "Boendet\n", "invite": "on"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = Meeting.objects.get(client=client)
    assert meeting.place == "Hamngatan 4, 123 45 Västerhav", "the client's home by default"
    keys = list(AgendaItem.objects.filter(meeting=meeting).values_list("key", flat=True))
    assert keys == ["decide_plan", "goals", "warning_plan", "", "next_meeting"]
    emails = {e.to: e for e in OutgoingEmail.objects.filter(purpose="resource-group invitation")}
    # Maria and both case managers (always in the group) have addresses.
    assert "maria@example.org" in emails and cast.case_manager.email in emails
    assert len(emails) == 3
    ics = Calendar.from_ical(emails["maria@example.org"].calendar)
    assert str(ics["method"]) == "REQUEST"
    event = ics.walk("VEVENT")[0]
    assert event.decoded("dtstart") == starts.replace(second=0, microsecond=0)
    assert str(event["location"]) == meeting.place
    assert "Resursgruppsmöte" in str(event["summary"])
    assert client.full_name not in emails["maria@example.org"].calendar
    assert client.full_name in emails["maria@example.org"].body
    invited = Attendance.objects.filter(meeting=meeting, invited_at__isnull=False)
    assert invited.count() == 3
    assert Attendance.objects.get(meeting=meeting, member__name="Johan").invited_at is None
    meeting.refresh_from_db()
    assert meeting.invitations_sent_at is not None
    text = browser.get(meeting_page(meeting)).content.decode()
    assert "Besluta planen (SIP)" in text and "Johan" in text


def test_no_meeting_with_the_network_without_a_consent_that_covers_it(cast):
    client = new_client(cast)
    consent(cast, client, scope=["share_information", "plan"])
    forget_client_access(cast.case_manager)
    response = as_(cast.case_manager).post(
        group_action(client, "book"),
        {"starts_at": local_input(timezone.now() + timedelta(days=7)),
         "duration_minutes": 90, "invite": "on"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "samtycke omfattar inte resursgruppsmöten" in response.content.decode()
    assert not Meeting.objects.filter(client=client).exists()


def test_a_later_meeting_follows_changes_instead_of_deciding_the_plan(cast):
    client = shared_client(cast)
    with_goal(cast, client)
    plan = plans.plan_for(client, cast.case_manager)
    plans.decide_plan(
        user=cast.case_manager, client=client, plan=plan, expected_version=plan.version,
        decided_on=timezone.localdate(), consent=Consent.objects.get(client=client),
        consent_confirmed=True,
    )  # fmt: skip
    meeting = booked(cast, client, invite=False)
    keys = list(meeting.agenda.values_list("key", flat=True))
    assert keys == ["follow_changes", "goals", "warning_plan", "next_meeting"]
    assert not OutgoingEmail.objects.exists()


def test_the_delivered_invitation_carries_the_calendar_file(cast, mailoutbox):
    client = shared_client(cast)
    add_member(cast, client, "Maria", "maria@example.org")
    booked(cast, client)
    (message,) = [m for m in mailoutbox if m.to == ["maria@example.org"]]
    (name, ics, mimetype) = message.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=90)


# --- Holding the meeting -----------------------------------------------------------------------


def _meeting_post(meeting, **extra) -> dict:
    data = {"version": meeting.version, "minutes": ""}
    for item in meeting.agenda.all():
        data[f"notes_{item.pk}"] = ""
    data.update(extra)
    return data


def test_holding_the_meeting_records_attendance_goals_warning_plan_and_next_meeting(cast):
    client = shared_client(cast)
    goal = with_goal(cast, client)
    maria = add_member(cast, client, "Maria", "maria@example.org")
    meeting = in_the_past(booked(cast, client))
    browser = as_(cast.case_manager)
    item = meeting.agenda.get(key="goals")
    nxt = meeting.starts_at + timedelta(days=91)
    base = _meeting_post(
        meeting,
        **{f"notes_{item.pk}": "Kören går bra.", f"present_{maria.pk}": "yes",
           f"attainment_{goal.pk}": "2", f"comment_{goal.pk}": "Varannan vecka",
           "warning_plan_reviewed": "on", "held": "on", "next_starts_at": local_input(nxt)},
    )  # fmt: skip
    refused = browser.post(meeting_action(meeting, "meeting"), base)
    assert refused.status_code == 400
    assert "Ange om klienten var där" in refused.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED and meeting.version == base["version"]
    response = browser.post(meeting_action(meeting, "meeting"), {**base, "client_present": "yes"})
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.client_present is True
    assert Attendance.objects.get(meeting=meeting, member=maria).present is True
    assert AgendaItem.objects.get(pk=item.pk).notes == "Kören går bra."
    review = GoalReview.objects.get(meeting=meeting, goal=goal)
    assert (review.attainment, review.comment) == (2, "Varannan vecka")
    row = EarlyWarningPlan.objects.get(client=client)
    assert row.reviewed_on == timezone.localtime(meeting.starts_at).date()
    warning = browser.get(reverse("coordination:warning_plan", args=[client.pk])).content.decode()
    assert f"Senast granskad {row.reviewed_on:%Y-%m-%d}" in warning
    following = Meeting.objects.get(client=client, status=MeetingStatus.PLANNED)
    assert following.starts_at == nxt.replace(second=0, microsecond=0)
    assert following.invitations_sent_at is not None


def test_the_next_meeting_is_suggested_three_months_on_but_never_booked_unasked(cast):
    import re

    client = shared_client(cast)
    meeting = booked(cast, client)
    browser = as_(cast.case_manager)
    assert 'name="next_starts_at"' not in browser.get(meeting_page(meeting)).content.decode(), (
        "saving notes before the meeting books nothing"
    )
    meeting = in_the_past(meeting)
    suggested = meeting_services.next_meeting_default(meeting)
    assert 89 <= (suggested - meeting.starts_at).days <= 92
    text = as_(cast.case_manager).get(meeting_page(meeting)).content.decode()
    # Offered in words, the field left empty: a save books nothing and mails nobody.
    assert "Förslag:" in text and "tre månader" in text
    field = re.search(r'<input[^>]*name="next_starts_at"[^>]*>', text)
    assert field is not None and "value=" not in field.group(0)
    mails = OutgoingEmail.objects.count()
    saved = browser.post(
        meeting_action(meeting, "meeting"),
        _meeting_post(meeting, held="on", client_present="yes", next_starts_at=""),
    )
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert Meeting.objects.filter(client=client).count() == 1
    assert OutgoingEmail.objects.count() == mails


def test_standing_items_and_decisions_are_shown_in_the_readers_language(cast):
    client = shared_client(cast)
    goal = with_goal(cast, client)
    meeting = in_the_past(booked(cast, client, invite=False), days=0)
    plan = plans.plan_for(client, cast.case_manager)
    meeting_services.record_decision(
        user=cast.case_manager, client=client, meeting=meeting, kind="goal_status",
        plan_version=plan.version, data={"goal": goal, "status": "achieved"},
    )  # fmt: skip
    meeting_services.record_decision(
        user=cast.case_manager, client=client, meeting=meeting, kind="other",
        plan_version=plans.plan_for(client, cast.case_manager).version,
        data={"text": "Kim ringer boendet"},
    )  # fmt: skip
    swedish = as_(cast.case_manager).get(meeting_page(meeting)).content.decode()
    assert "Boka nästa möte" in swedish and "Delmålet Gå med i kören: Uppnått" in swedish
    english_browser = as_(cast.case_manager)
    english_browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = english_browser.get(meeting_page(meeting)).content.decode()
    assert "Book the next meeting" in english and "Boka nästa möte" not in english
    assert "Sub-goal Gå med i kören: Achieved" in english
    # What a person typed stays as typed, in every language.
    assert "Kim ringer boendet" in english


@pytest.mark.parametrize(
    ("booked_in", "read_in", "shown", "not_shown"),
    [
        ("en", "sv", ("I klientens hem", "Vård- och stödsamordnare"),
         ("In the client's home", "Case manager")),
        ("sv", "en", ("In the client's home", "Case manager"),
         ("I klientens hem", "Vård- och stödsamordnare")),
    ],
)  # fmt: skip
def test_a_care_team_role_and_the_kind_of_place_are_shown_in_the_readers_language(
    cast, booked_in, read_in, shown, not_shown
):
    """Issue 26: labels are kept as codes, whatever language was active when the member
    was copied from the care team and the meeting was booked; typed text stays as typed."""
    client = shared_client(cast, address="", postcode="", city="")
    with translation.override(booked_in):
        meeting = booked(cast, client, invite=False)
        typed = booked(cast, client, days=30, invite=False)
        Meeting.objects.filter(pk=typed.pk).update(place="Kvarnen")
    assert meeting.place == "" and meeting.place_kind == "home"
    seated = ResourceGroupMember.objects.get(client=client, user=cast.case_manager)
    assert seated.role == "" and seated.team_role == "case_manager"
    browser = as_(cast.case_manager)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = read_in
    for page in (group_page(client), meeting_page(meeting)):
        text = browser.get(page).content.decode().replace("&#x27;", "'")
        for label in shown:
            assert label in text, (page, label)
        for label in not_shown:
            assert label not in text, (page, label)
    assert "Kvarnen" in browser.get(group_page(client)).content.decode()


def test_the_invitation_names_the_kind_of_place_in_the_recipients_language(cast, mailoutbox):
    client = shared_client(cast, address="", postcode="", city="", meeting_place="office")
    with translation.override("en"):
        meeting = booked(cast, client)
    assert meeting.place == "" and meeting.place_kind == "office"
    (message,) = [m for m in mailoutbox if m.to == [cast.case_manager.email]]
    assert "På vårdsamordnarens kontor" in message.body
    assert "case manager's office" not in message.body
    (event,) = Calendar.from_ical(message.attachments[0][1]).walk("VEVENT")
    assert str(event["location"]) == "På vårdsamordnarens kontor"


def test_the_second_of_two_concurrent_meeting_saves_is_refused_and_keeps_its_text(cast):
    client = shared_client(cast)
    meeting = booked(cast, client)
    first, second = as_(cast.case_manager), as_(cast.municipal_case_manager)
    ok = first.post(
        meeting_action(meeting, "meeting"), _meeting_post(meeting, minutes="Första texten")
    )
    assert ok.status_code == 302
    late = second.post(
        meeting_action(meeting, "meeting"), _meeting_post(meeting, minutes="Andra texten")
    )
    assert late.status_code == 409
    text = late.content.decode()
    assert "Någon annan har sparat mötet" in text
    assert "Andra texten" in text, "the refused text is there to copy"
    meeting.refresh_from_db()
    assert meeting.minutes == "Första texten"


# --- Decisions ----------------------------------------------------------------------------


def test_decisions_at_the_meeting_change_the_plan(cast):
    client = shared_client(cast)
    goal = with_goal(cast, client)
    meeting = in_the_past(booked(cast, client, invite=False), days=0)
    browser = as_(cast.case_manager)

    def version() -> int:
        return plans.plan_for(client, cast.case_manager).version

    target = (timezone.localdate() + timedelta(days=90)).isoformat()
    response = browser.post(
        meeting_action(meeting, "new_goal"),
        {"plan_version": version(), "new_goal-text": "Söka praktik",
         "new_goal-measure": "Ansökan skickad", "new_goal-target_date": target},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    new_goal = Goal.objects.get(text="Söka praktik")
    response = browser.post(
        meeting_action(meeting, "new_action"),
        {"plan_version": version(), "new_action-goal": new_goal.pk,
         "new_action-what": "Ringa arbetsförmedlingen", "new_action-who": "Kim",
         "new_action-principal": "client", "new_action-when": "nästa vecka"},
    )  # fmt: skip
    assert response.status_code == 302
    action = PlanAction.objects.get(what="Ringa arbetsförmedlingen")
    assert action.goal == new_goal
    response = browser.post(
        meeting_action(meeting, "goal_status"),
        {"plan_version": version(), "goal_status-goal": goal.pk,
         "goal_status-status": "achieved"},
    )  # fmt: skip
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.status == "achieved"
    response = browser.post(
        meeting_action(meeting, "decide_plan"),
        {"plan_version": version(),
         "decide_plan-decided_on": timezone.localdate().isoformat(),
         "decide_plan-consent": Consent.objects.get(client=client).pk,
         "decide_plan-consent_confirmed": "on"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    kinds = dict(Decision.objects.filter(meeting=meeting).values_list("kind", "goal_id"))
    assert kinds["new_goal"] == new_goal.pk and kinds["goal_status"] == goal.pk
    decided = Decision.objects.get(meeting=meeting, kind="decide_plan")
    assert decided.plan_version.number == 1
    assert Decision.objects.get(kind="new_action").action == action
    # A stale plan edit number is refused like on the plan page.
    stale = browser.post(
        meeting_action(meeting, "new_goal"),
        {"plan_version": version() - 1, "new_goal-text": "Sent mål",
         "new_goal-measure": "m", "new_goal-target_date": target},
    )  # fmt: skip
    assert stale.status_code == 409
    assert "Sent mål" in stale.content.decode()
    assert not Goal.objects.filter(text="Sent mål").exists()


# --- Decision forms rendered when opened (issue 25) ----------------------------------------

DECISIONS = ["new_goal", "new_action", "goal_status", "action_status", "decide_plan", "other"]


def decision_form(meeting, kind: str) -> str:
    return reverse("coordination:meeting_decision_form", args=[meeting.client_id, meeting.pk, kind])


def test_the_meeting_page_renders_a_decision_form_only_when_it_is_opened(cast):
    client = shared_client(cast)
    with_goal(cast, client)
    meeting = in_the_past(booked(cast, client, invite=False), days=0)
    browser = as_(cast.case_manager)
    page = browser.get(meeting_page(meeting)).content.decode()
    for kind in DECISIONS:
        assert f'action="{meeting_action(meeting, kind)}"' not in page
        assert f'hx-get="{decision_form(meeting, kind)}"' in page
        assert f'href="?form={kind}#form-{kind}"' in page  # the same without JavaScript
    # Without JavaScript: the link renders the page with that form open, the others closed.
    opened = browser.get(meeting_page(meeting), {"form": "goal_status"}).content.decode()
    assert f'action="{meeting_action(meeting, "goal_status")}"' in opened
    assert f'action="{meeting_action(meeting, "new_goal")}"' not in opened
    assert "Gå med i kören" in opened  # the sub-goal it offers


@pytest.mark.parametrize("kind", DECISIONS)
def test_each_decision_form_comes_alone_when_its_section_opens(cast, kind):
    client = shared_client(cast)
    with_goal(cast, client)
    meeting = in_the_past(booked(cast, client, invite=False), days=0)
    response = as_(cast.case_manager).get(decision_form(meeting, kind))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert f'action="{meeting_action(meeting, kind)}"' in body
    version = plans.plan_for(client, cast.case_manager).version
    assert f'name="plan_version" value="{version}"' in body
    assert AccessLog.objects.filter(
        object_id=str(meeting.pk), reason="resource-group meeting", actor=cast.case_manager
    ).exists()


def test_no_decision_form_before_the_day_for_a_cancelled_meeting_or_for_readers(cast):
    client = shared_client(cast)
    coming = booked(cast, client, invite=False)
    browser = as_(cast.case_manager)
    # Before the day: the page offers no decisions, and neither does the form's URL.
    assert browser.get(decision_form(coming, "other")).status_code == 404
    assert "hx-get" not in browser.get(meeting_page(coming)).content.decode()
    held = in_the_past(booked(cast, client, days=20, invite=False), days=0)
    assert browser.get(decision_form(held, "nothing")).status_code == 404
    for person in ("clinic_colleague", "outsider_case_manager", "coordinator"):
        assert as_(getattr(cast, person)).get(decision_form(held, "other")).status_code == 404
    Meeting.objects.filter(pk=held.pk).update(status=MeetingStatus.CANCELLED)
    assert browser.get(decision_form(held, "other")).status_code == 404
    # In the team but without the client's consent: the group is read only, no form.
    fresh = new_client(cast)
    unconsented = Meeting.objects.create(
        client=fresh,
        organisation=fresh.organisation,
        created_by=cast.case_manager,
        starts_at=timezone.now() - timedelta(days=1),
    )
    assert browser.get(decision_form(unconsented, "other")).status_code == 403


def test_a_refused_decision_comes_back_open_with_what_was_typed(cast):
    client = shared_client(cast)
    with_goal(cast, client)
    meeting = in_the_past(booked(cast, client, invite=False), days=0)
    browser = as_(cast.case_manager)
    version = plans.plan_for(client, cast.case_manager).version
    response = browser.post(
        meeting_action(meeting, "new_goal"),
        {"plan_version": version, "new_goal-text": "Söka praktik", "new_goal-measure": ""},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert '<details class="fold fold--small" id="form-new_goal" open>' in page
    assert "Söka praktik" in page
    # Only the refused decision is built; the others still wait to be opened.
    assert f'action="{meeting_action(meeting, "other")}"' not in page
    assert not Goal.objects.filter(text="Söka praktik").exists()


def test_checklist_k_shows_invitations_the_plan_and_the_first_meeting(cast):
    client = shared_client(cast)
    maria = add_member(cast, client, "Maria", "maria@example.org")
    with_goal(cast, client)
    meeting = in_the_past(booked(cast, client), days=0)
    meeting_services.save_meeting(
        user=cast.case_manager, client=client, meeting=meeting, expected_version=meeting.version,
        record=MeetingRecord(client_present=True, held=True, present={maria.pk: True}),
    )  # fmt: skip
    plan = plans.plan_for(client, cast.case_manager)
    meeting_services.record_decision(
        user=cast.case_manager, client=client, meeting=meeting, kind="decide_plan",
        plan_version=plan.version,
        data={"consent": Consent.objects.get(client=client), "consent_confirmed": True},
    )  # fmt: skip
    page = as_(cast.case_manager).get(reverse("coordination:checklist", args=[client.pk]))
    text = page.content.decode()
    assert "Inbjudningar skickade med e-post" in text
    assert "Planversion 1 beslutad" in text
    assert "Maria, klienten" in text
    assert "1 delmål i planen" in text


# --- The case manager's start page ---------------------------------------------------------


def test_the_start_page_lists_clients_without_a_meeting_within_three_months(cast):
    missing = shared_client(cast, name="Alva Utan")
    far = shared_client(cast, name="Bo Långt")
    fine = shared_client(cast, name="Cia Snart")
    mapping = shared_client(cast, name="Dan Kartläggning")
    for client in (missing, far, fine):
        clients_services.change_phase(
            user=cast.case_manager, client=client, phase=Phase.PLANNING, reason="Test."
        )
    held = in_the_past(booked(cast, far, invite=False), days=20)
    Meeting.objects.filter(pk=held.pk).update(status=MeetingStatus.HELD)
    booked(cast, far, days=120, invite=False)
    booked(cast, fine, days=60, invite=False)
    forget_client_access(cast.case_manager)
    due = {c.full_name: c for c in clients_due_a_meeting(cast.case_manager)}
    assert set(due) == {"Alva Utan", "Bo Långt"}
    assert due["Alva Utan"].next_meeting is None
    assert due["Bo Långt"].last_held == held.starts_at
    assert mapping.full_name not in due
    page = as_(cast.case_manager).get(reverse("accounts:role_start", args=["vardsamordnare"]))
    text = page.content.decode()
    assert "Alva Utan" in text and "Bo Långt" in text and "Cia Snart" not in text
    assert f"{timezone.localtime(held.starts_at):%Y-%m-%d}" in text
    with CaptureQueriesContext(connection) as queries:
        list(clients_due_a_meeting(cast.case_manager))
    assert len(queries) == 1


# --- Constant work -------------------------------------------------------------------------


def _count(browser: Browser, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url).status_code == 200
    return len(queries)


def _grow(cast, client, meeting, n: int) -> None:
    plan = plans.plan_for(client, cast.case_manager)
    for index in range(n):
        member = add_member(cast, client, f"Person {index}", f"p{index}@example.org")
        Attendance.objects.create(meeting=meeting, member=member, present=True)
        AgendaItem.objects.create(meeting=meeting, title=f"Punkt {index}", position=10 + index)
        goal = plans.add_goal(
            user=cast.case_manager, client=client, plan=plan, expected_version=plan.version,
            text=f"Mål {index}", measure="m", target_date=timezone.localdate(),
        )  # fmt: skip
        GoalReview.objects.create(meeting=meeting, goal=goal, attainment=1)
        Decision.objects.create(
            meeting=meeting, kind="new_goal", text=f"Mål {index}", goal=goal,
            recorded_by=cast.case_manager,
        )  # fmt: skip


def test_the_meeting_and_group_pages_run_the_same_queries_with_2_or_20_of_everything(cast):
    client = shared_client(cast)
    meeting = in_the_past(booked(cast, client, invite=False))
    browser = as_(cast.case_manager)
    _grow(cast, client, meeting, 2)
    few = (_count(browser, meeting_page(meeting)), _count(browser, group_page(client)))
    _grow(cast, client, meeting, 18)
    for _index in range(3):
        booked(cast, client, invite=False)
    assert (_count(browser, meeting_page(meeting)), _count(browser, group_page(client))) == few
