"""The resource group in a real browser: add a member the client has chosen, book a
meeting, then hold it. Every page is checked with axe-core; screenshots go to
``test-artifacts/coordination/``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from egenmakt.coordination.models import Meeting, MeetingStatus
from egenmakt.coordination.services import meetings
from egenmakt.coordination.tests.factories import shared_client
from egenmakt.coordination.tests.test_browser import shot
from egenmakt.peer.tests.test_browser import as_user, assert_accessible, browser, new_page

__all__ = ["browser"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_add_a_member_book_and_hold_a_meeting(browser, live_server, cast):
    client = shared_client(cast, name="Robin Ek")
    errors: list[str] = []
    page = new_page(browser, errors, viewport={"width": 1280, "height": 900})
    as_user(page, live_server, cast.case_manager)

    page.goto(f"{live_server.url}/samordning/{client.pk}/")
    page.get_by_role("link", name="Resursgrupp", exact=True).click()
    page.get_by_role("heading", name="Resursgrupp", exact=True).wait_for()
    assert_accessible(page)
    page.get_by_label("Namn", exact=True).fill("Maria")
    page.get_by_label("Typ", exact=True).select_option(label="Anhörig eller närstående")
    page.get_by_label("Roll eller relation").fill("mamma")
    page.get_by_label("E-post", exact=True).fill("maria@example.org")
    page.get_by_label("Klienten har valt den här personen till resursgruppen").check()
    page.get_by_role("button", name="Lägg till i gruppen").click()
    page.get_by_text("Maria är med i resursgruppen.").wait_for()

    starts = timezone.localtime(timezone.now() + timedelta(days=14)).replace(hour=10, minute=0)
    page.get_by_label("Datum och tid").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Boka mötet").click()
    page.get_by_text("Mötet är bokat.").wait_for()
    assert page.get_by_label("Besluta planen (SIP)").is_visible()
    assert_accessible(page)
    shot(page, "meeting-booked")

    # The day comes.
    meeting = Meeting.objects.get(client=client)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=2))
    page.reload()
    page.locator("#id_client_present_1").check()
    page.get_by_label("Besluta planen (SIP)").fill("Planen gicks igenom; beslut nästa gång.")
    page.get_by_label("Mötet har hållits").check()
    # The next meeting is suggested in words, and booked only when its day is filled in.
    assert "Förslag:" in page.locator("form").filter(has_text="Spara mötet").first.inner_text()
    meeting.refresh_from_db()
    suggested = timezone.localtime(meetings.next_meeting_default(meeting))
    page.get_by_label("Boka nästa möte (datum och tid)").fill(suggested.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Spara mötet").click()
    page.get_by_text("Mötet är sparat.").wait_for()
    assert_accessible(page)
    shot(page, "meeting-held")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.client_present is True
    following = Meeting.objects.get(client=client, status=MeetingStatus.PLANNED)
    proposed = meetings.next_meeting_default(meeting)
    assert timezone.localtime(following.starts_at).date() == timezone.localtime(proposed).date()
    assert not errors
