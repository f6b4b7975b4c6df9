"""The client answers a message from the care team on a phone (390 px): the list shows
it unread, the thread reads, the answer is sent. Each page is checked with axe-core."""

from __future__ import annotations

import pytest

from egenmakt.coordination.models import Message
from egenmakt.coordination.services.messages import start_thread
from egenmakt.peer.tests.test_browser import assert_accessible, browser, new_page
from egenmakt.portal import services

from .factories import invited_client
from .test_browser import PHONE, shot

__all__ = ["browser"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_client_answers_a_message_on_a_phone(browser, live_server, cast):
    client, account = invited_client(cast)
    thread = start_thread(
        user=cast.case_manager,
        client=client,
        subject="Inför nästa möte",
        text="Hej Kim! Vill du att din mamma är med på mötet?",
    )
    errors: list[str] = []
    page = new_page(browser, errors, **PHONE)
    token = services.issue_link(account)
    page.goto(f"{live_server.url}/mina-sidor/lank/{token}/")
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("heading", name="Hej, Kim Berg").wait_for()

    page.get_by_role("link", name="Meddelanden").first.click()
    page.get_by_role("heading", name="Meddelanden", exact=True).wait_for()
    page.get_by_text("1 oläst").wait_for()
    assert_accessible(page)
    shot(page, "messages")

    page.get_by_role("link", name="Inför nästa möte").click()
    page.get_by_text("Vill du att din mamma är med på mötet?").wait_for()
    assert_accessible(page)
    page.locator("#id_text").fill("Ja, gärna. Hon kan på torsdagar.")
    page.get_by_role("button", name="Skicka").click()
    page.get_by_text("Ditt meddelande är skickat till ditt vårdteam.").wait_for()
    assert_accessible(page)
    shot(page, "message-answered")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    assert errors == []
    answer = Message.objects.filter(thread=thread).order_by("-sent_at", "-id").first()
    assert answer is not None and answer.by_client
    assert answer.text == "Ja, gärna. Hon kan på torsdagar."


def test_the_client_confirms_the_minutes_on_a_phone(browser, live_server, cast):
    """After the meeting: the start page asks, the minutes read, the client confirms."""
    from datetime import timedelta

    from django.utils import timezone

    from egenmakt.coordination.models import Meeting, MinutesConfirmation
    from egenmakt.coordination.services import meetings as meeting_services
    from egenmakt.coordination.services.meetings import MeetingRecord

    client, account = invited_client(cast)
    meeting = meeting_services.book_meeting(
        user=cast.case_manager,
        client=client,
        starts_at=timezone.now() + timedelta(days=7),
        place="Mottagningen",
        chair="Kim",
        invite=False,
    )
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(days=1))
    meeting.refresh_from_db()
    meeting_services.save_meeting(
        user=cast.case_manager,
        client=client,
        meeting=meeting,
        expected_version=meeting.version,
        record=MeetingRecord(
            minutes="Kim vill börja i kören. Nästa möte i mars.", client_present=True, held=True
        ),
    )
    errors: list[str] = []
    page = new_page(browser, errors, **PHONE)
    token = services.issue_link(account)
    page.goto(f"{live_server.url}/mina-sidor/lank/{token}/")
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("heading", name="Hej, Kim Berg").wait_for()
    page.get_by_role("link", name="Läs protokollet").click()
    page.get_by_text("Kim vill börja i kören.").wait_for()
    assert_accessible(page)
    shot(page, "minutes")
    page.get_by_label("Ja, jag bekräftar protokollet").check()
    page.get_by_role("button", name="Skicka mitt svar").click()
    page.get_by_text("Tack. Du har bekräftat protokollet.").wait_for()
    assert_accessible(page)
    shot(page, "minutes-confirmed")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    assert errors == []
    assert MinutesConfirmation.objects.filter(meeting=meeting, by_client=True).exists()
