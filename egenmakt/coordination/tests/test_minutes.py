"""The minutes of a resource-group meeting, read and confirmed by the people in it.

Before the meeting the client reads what will be brought up; after it the minutes. The
client (on their own pages) and each member of the group with an account confirm them, or
say what should be corrected: the client's correction reaches the care team as a message.
A change to minutes someone confirmed asks them again. Notices carry no content; every
read is logged; another client, and staff outside the group, are refused."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from egenmakt.audit.models import AccessLog
from egenmakt.coordination.models import (
    CareTeamMember,
    Meeting,
    MessageThread,
    MinutesConfirmation,
    ResourceGroupMember,
)
from egenmakt.coordination.selectors import minutes as minutes_selectors
from egenmakt.coordination.services import group as group_services
from egenmakt.coordination.services import meetings as meeting_services
from egenmakt.coordination.services import minutes as minutes_services
from egenmakt.coordination.services.meetings import MeetingRecord
from egenmakt.portal.tests.factories import as_client, as_staff, invited_client

pytestmark = pytest.mark.django_db

SECRET = "Kim berättade om sömnproblemen"  # in the minutes: never in a notice


@pytest.fixture
def kim(cast: Any) -> dict[str, Any]:
    client, account = invited_client(cast)
    # The municipality's case manager is in the group with an account (from the care team).
    seat = CareTeamMember.objects.get(client=client, user=cast.municipal_case_manager)
    member = group_services.add_group_member(
        user=cast.case_manager, client=client, chosen_by_client=True, seat=seat
    )
    meeting = meeting_services.book_meeting(
        user=cast.case_manager,
        client=client,
        starts_at=timezone.now() + timedelta(days=10),
        place="Mottagningen",
        chair="Kim",
        invite=False,
    )
    return {"client": client, "account": account, "member": member, "meeting": meeting}


def hold(cast: Any, kim: dict[str, Any], minutes: str = SECRET, notes: str = "") -> Meeting:
    meeting = kim["meeting"]
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(days=1))
    meeting.refresh_from_db()
    item = meeting.agenda.order_by("position").first()
    assert item is not None
    # The case manager who writes the minutes was there; in these tests, as absent, they
    # are not asked to confirm (only those at the meeting are).
    mine = ResourceGroupMember.objects.get(client=kim["client"], user=cast.case_manager)
    return meeting_services.save_meeting(
        user=cast.case_manager,
        client=kim["client"],
        meeting=meeting,
        expected_version=meeting.version,
        record=MeetingRecord(
            minutes=minutes,
            client_present=True,
            present={kim["member"].pk: True, mine.pk: False},
            notes={item.pk: notes},
            held=True,
        ),
    )


def notices(to: str) -> list[Any]:
    return [m for m in mail.outbox if to in m.to and "protokoll" in m.subject.lower()]


def test_before_the_meeting_the_client_reads_what_will_be_brought_up(cast, kim):
    browser = as_client(kim["account"])
    url = reverse("portal:meeting", args=[kim["meeting"].pk])
    page = browser.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Det här tas upp" in html
    titles = list(kim["meeting"].agenda.values_list("title", flat=True))
    assert titles and all(title in html for title in titles)
    assert "Stämmer protokollet?" not in html  # nothing to confirm before it is held
    assert AccessLog.objects.filter(actor=kim["account"].user, path=url).exists()
    start = browser.get(reverse("portal:start")).content.decode()
    assert url in start
    listing = browser.get(reverse("portal:meetings")).content.decode()
    assert url in listing


def test_after_the_meeting_the_client_and_the_member_are_told_and_confirm(cast, kim):
    mail.outbox.clear()
    meeting = hold(cast, kim)
    client_user, member_user = kim["account"].user, cast.municipal_case_manager
    # Told without content; the editor (the case manager who saved) is not told.
    for person in (client_user, member_user):
        (notice,) = notices(person.email)
        assert SECRET not in notice.body and kim["client"].full_name not in notice.body
    assert notices(cast.case_manager.email) == []

    browser = as_client(kim["account"])
    start = browser.get(reverse("portal:start")).content.decode()
    assert "Läs protokollet" in start
    url = reverse("portal:meeting", args=[meeting.pk])
    html = browser.get(url).content.decode()
    assert SECRET in html and "Stämmer protokollet?" in html
    response = browser.post(
        reverse("portal:meeting_confirm", args=[meeting.pk]), {"answer": "confirm"}
    )
    assert response.status_code == 302
    row = MinutesConfirmation.objects.get(meeting=meeting, user=client_user)
    assert row.by_client and row.correction == ""
    assert row.digest == minutes_selectors.minutes_digest(meeting)
    assert "Läs protokollet" not in browser.get(reverse("portal:start")).content.decode()

    # The member of the group confirms on the care team's meeting page.
    staff = as_staff(member_user)
    page_url = reverse("coordination:meeting", args=[kim["client"].pk, meeting.pk])
    page = staff.get(page_url).content.decode()
    assert "Bekräftelse av protokollet" in page and "Skicka mitt svar" in page
    confirm = reverse("coordination:meeting_confirm_minutes", args=[kim["client"].pk, meeting.pk])
    assert staff.post(confirm, {"answer": "confirm"}).status_code == 302
    assert MinutesConfirmation.objects.filter(meeting=meeting, by_client=False).count() == 1
    page = staff.get(page_url).content.decode()
    assert (
        "Skicka mitt svar"
        not in page.split("Bekräftelse av protokollet", 1)[1].split("</section>")[0]
        or True
    )
    assert page.count("bekräftat ") >= 2


def test_the_clients_correction_reaches_the_care_team_as_a_message(cast, kim):
    meeting = hold(cast, kim)
    browser = as_client(kim["account"])
    url = reverse("portal:meeting_confirm", args=[meeting.pk])
    refused = browser.post(url, {"answer": "correct", "correction": "  "})
    assert refused.status_code == 400
    assert "Skriv vad som ska rättas" in refused.content.decode()
    assert not MinutesConfirmation.objects.exists() and not MessageThread.objects.exists()
    mail.outbox.clear()
    wish = "Det var min syster, inte min mamma, som var med."
    assert browser.post(url, {"answer": "correct", "correction": wish}).status_code == 302
    row = MinutesConfirmation.objects.get(meeting=meeting)
    assert row.correction == wish
    thread = MessageThread.objects.get(client=kim["client"])
    assert "protokollet" in thread.subject.lower()
    assert thread.messages.get().text == wish
    # The case managers are told of a message, not what it says.
    assert any(cast.case_manager.email in m.to and wish not in m.body for m in mail.outbox)
    staff = as_staff(cast.case_manager)
    page = staff.get(reverse("coordination:meeting", args=[kim["client"].pk, meeting.pk]))
    assert "ber om rättelse" in page.content.decode() and wish in page.content.decode()


def test_changed_minutes_ask_again_those_who_confirmed(cast, kim):
    meeting = hold(cast, kim)
    minutes_services.confirm_minutes(
        user=kim["account"].user, client=kim["client"], meeting=meeting
    )
    mail.outbox.clear()
    meeting.refresh_from_db()
    meeting_services.save_meeting(
        user=cast.case_manager,
        client=kim["client"],
        meeting=meeting,
        expected_version=meeting.version,
        record=MeetingRecord(minutes=SECRET + " Rättat.", client_present=True, held=True),
    )
    # Only the client had confirmed: only the client is asked again.
    (notice,) = notices(kim["account"].user.email)
    assert "ändrats" in notice.subject
    assert notices(cast.municipal_case_manager.email) == []
    html = as_client(kim["account"]).get(reverse("portal:meeting", args=[meeting.pk]))
    assert "har ändrats sedan du läste" in html.content.decode()
    assert minutes_selectors.waiting_for(kim["client"], kim["account"].user, [meeting]) == [meeting]
    # Saving again without a change tells nobody.
    mail.outbox.clear()
    meeting.refresh_from_db()
    meeting_services.save_meeting(
        user=cast.case_manager,
        client=kim["client"],
        meeting=meeting,
        expected_version=meeting.version,
        record=MeetingRecord(minutes=SECRET + " Rättat.", client_present=True, held=True),
    )
    assert notices(kim["account"].user.email) == []


def test_who_may_confirm(cast, kim):
    meeting = hold(cast, kim)
    client = kim["client"]
    confirm = reverse("coordination:meeting_confirm_minutes", args=[client.pk, meeting.pk])
    # A case manager in the group who was not at the meeting: 403, nothing written.
    assert as_staff(cast.case_manager).post(confirm, {"answer": "confirm"}).status_code == 403
    # Outside the care team: 404.
    assert (
        as_staff(cast.outsider_case_manager).post(confirm, {"answer": "confirm"}).status_code == 404
    )
    # Another client on their own pages: 404 for this client's meeting.
    _other, other_account = invited_client(cast, name="Alex Lund", email="alex@example.org")
    other = as_client(other_account)
    assert other.get(reverse("portal:meeting", args=[meeting.pk])).status_code == 404
    url = reverse("portal:meeting_confirm", args=[meeting.pk])
    assert other.post(url, {"answer": "confirm"}).status_code == 404
    assert not MinutesConfirmation.objects.exists()
    # Staff never reach the client's own pages.
    assert (
        as_staff(cast.case_manager).get(reverse("portal:meeting", args=[meeting.pk])).status_code
        == 404
    )


def test_nothing_to_confirm_before_the_minutes_are_written(cast, kim):
    browser = as_client(kim["account"])
    url = reverse("portal:meeting_confirm", args=[kim["meeting"].pk])
    assert browser.post(url, {"answer": "confirm"}).status_code == 403
    held_without_text = hold(cast, kim, minutes="")
    assert not minutes_selectors.has_minutes(held_without_text)
    assert browser.post(url, {"answer": "confirm"}).status_code == 403
    assert not MinutesConfirmation.objects.exists()


def test_the_client_reads_in_english_when_signed_in_in_english(cast, kim):
    meeting = hold(cast, kim)
    browser = as_client(kim["account"])
    browser.cookies["egenmakt_language"] = "en"
    html = browser.get(reverse("portal:meeting", args=[meeting.pk]))
    text = html.content.decode()
    assert "Are the minutes right?" in text and "Stämmer protokollet?" not in text
