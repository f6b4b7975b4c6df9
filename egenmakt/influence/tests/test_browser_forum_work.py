"""Forum work in a real browser: a user representative adds an item to the next
meeting's agenda, confirms the minutes of the last one and reports back to her
organisation, whose member then reads the report. Screenshots go to
``test-artifacts/influence/``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from egenmakt.accounts.models import Membership, User
from egenmakt.accounts.roles import Role
from egenmakt.influence.models import (
    AgendaItem,
    CareArea,
    Forum,
    ForumMeeting,
    ForumMember,
    ForumMinutesConfirmation,
    InfluenceOrganisation,
    ReportBack,
)
from egenmakt.peer.tests.test_browser import as_user, assert_accessible, browser, new_page

from .test_browser import shot

__all__ = ["browser"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_representative_adds_to_the_agenda_confirms_and_reports_back(browser, live_server, cast):
    today = timezone.localdate()
    area = CareArea.objects.create(
        name="Västerhav Centrum", slug="vasterhav-centrum", organisation=cast.org("network")
    )
    egen = InfluenceOrganisation.objects.create(
        name="Föreningen Egen Kraft", kind="user", account=cast.org("user_org_a")
    )
    egen.areas.add(area)
    forum = Forum.objects.create(
        area=area, name="Styrgruppen för psykiatrisamverkan", level="system", kind="steering_group"
    )
    ForumMember.objects.create(
        forum=forum,
        name="Kim Ek",
        capacity="representative",
        organisation=egen,
        since=today - timedelta(days=200),
        user=cast.lecturer,
    )
    held = ForumMeeting.objects.create(
        forum=forum,
        day=today - timedelta(days=3),
        minutes="§1 Tolk vid vårdplanering: förvaltningen utreder.",
        minutes_by=cast.coordinator,
    )
    ahead = ForumMeeting.objects.create(forum=forum, day=today + timedelta(days=25))
    errors: list[str] = []
    page = new_page(browser, errors, viewport={"width": 1280, "height": 900})

    # 1. The representative finds the forum through her organisation's forum work.
    as_user(page, live_server, cast.lecturer)
    page.goto(f"{live_server.url}/inflytande/mina-forum/")
    page.get_by_role("link", name="Styrgruppen för psykiatrisamverkan").click()
    page.get_by_role("link", name=ahead.day.isoformat()).click()

    # 2. She adds an item to the next meeting's agenda.
    page.get_by_label("Punkt på dagordningen").fill("Väntetider till mottagningen")
    page.get_by_label("Bakgrund").fill("Medlemmar väntar över tre månader.")
    assert_accessible(page)
    page.get_by_role("button", name="Lägg till på dagordningen").click()
    page.get_by_text("Punkten står på dagordningen.").wait_for()
    assert AgendaItem.objects.get().organisation == egen
    shot(page, "forum-agenda")

    # 3. She confirms the minutes of the last meeting.
    page.goto(f"{live_server.url}/inflytande/moten/{held.pk}/")
    page.get_by_text("§1 Tolk vid vårdplanering").wait_for()
    page.get_by_role("button", name="Bekräfta protokollet, eller skicka rättelsen").click()
    page.get_by_text("Du har bekräftat protokollet.").first.wait_for()
    assert ForumMinutesConfirmation.objects.get(meeting=held).correction == ""

    # 4. She reports back to her organisation.
    page.get_by_role("textbox", name="Återrapport till din organisation").fill(
        "Förvaltningen utreder tolk vid vårdplanering; svar i nästa möte."
    )
    assert_accessible(page)
    page.get_by_role("button", name="Spara återrapporten").click()
    page.get_by_text("Din återrapport är sparad; din organisation kan läsa den.").wait_for()
    assert ReportBack.objects.get().organisation == egen
    shot(page, "forum-minutes-report")

    # 5. A member of the organisation reads it.
    member = User.objects.create_user(
        "medlem.egen@example.org", "losenord-2026-forum", full_name="Medlem Egen"
    )
    Membership.objects.create(
        user=member, organisation=cast.org("user_org_a"), role=Role.PEER_SUPPORTER
    )
    as_user(page, live_server, member)
    page.goto(f"{live_server.url}/inflytande/mina-forum/")
    page.get_by_role("link", name="Föreningen Egen Kraft").click()
    page.get_by_text("Förvaltningen utreder tolk vid vårdplanering").wait_for()
    assert_accessible(page)
    shot(page, "forum-reports")
    assert errors == []
