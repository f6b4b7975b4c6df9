"""The whole planning journey in a real browser (issue: plan, resource group, meetings,
client portal, binder): the case manager builds the plan from the mapping summary, invites
the resource group, holds the first meeting and records the decision; then the client, on a
phone, signs in with the link from the e-mail, fills in the ORS, reads the decided plan and
downloads the binder, whose text names the goal. axe-core checks every page; screenshots
go to ``test-artifacts/journey/``."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from egenmakt.coordination.models import (
    Decision,
    DecisionKind,
    Meeting,
    MeetingStatus,
    PlanVersion,
)
from egenmakt.coordination.services import mapping as services
from egenmakt.coordination.tests.factories import ensure_instruments, shared_client
from egenmakt.instruments.models import Response
from egenmakt.peer.tests.test_browser import as_user, assert_accessible, browser, new_page
from egenmakt.portal import services as portal_services

__all__ = ["browser"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "journey"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
GOAL = "Jag vill ha ett eget jobb och vänner att träffa."
SUB_GOAL = "Börja sjunga i kören"


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_plan_group_first_meeting_then_the_client_on_a_phone(
    browser, live_server, cast, mailoutbox
):
    ensure_instruments()
    client = shared_client(cast, name="Kim Berg")
    services.add_summary_entry(
        user=cast.case_manager,
        client=client,
        area="Fritid",
        wants_to_change="Träffa folk och sjunga igen",
        obstacles="Vågar inte gå dit ensam",
        resources="Har sjungit i kör förut",
    )
    errors: list[str] = []
    page = new_page(browser, errors, viewport={"width": 1280, "height": 900})
    as_user(page, live_server, cast.case_manager)
    base = f"{live_server.url}/samordning/{client.pk}"

    # 1. The plan, built from the summary.
    page.goto(f"{base}/sammanfattning/")
    page.get_by_text("Träffa folk och sjunga igen").wait_for()
    page.get_by_role("link", name="Plan", exact=True).click()
    plan_summary = page.get_by_role("region", name="Från sammanfattningen av kartläggningen")
    plan_summary.get_by_text("Träffa folk och sjunga igen").wait_for()
    page.get_by_label("Långsiktigt mål, med klientens egna ord").fill(GOAL)
    page.get_by_label("Huvudman med övergripande ansvar").select_option(index=1)
    page.get_by_label("Person med övergripande ansvar").select_option(index=1)
    page.get_by_role("button", name="Spara", exact=True).first.click()
    page.get_by_text(GOAL).first.wait_for()
    # The other forms open where they are used (fetched by htmx when opened).
    page.get_by_text("Skriv ett delmål", exact=True).click()
    page.locator("#id_text").fill(SUB_GOAL)
    page.get_by_label("Hur vi vet att det är nått").fill("Går på kören två gånger i månaden")
    target = timezone.localdate() + timedelta(days=90)
    page.get_by_label("Måldatum").fill(target.isoformat())
    page.get_by_role("button", name="Lägg till delmålet").click()
    page.get_by_role("cell", name=SUB_GOAL).or_(page.get_by_text(SUB_GOAL)).first.wait_for()
    page.get_by_text("Skriv en insats", exact=True).click()
    page.get_by_label("Vad ska göras").fill("Följa med till första övningen")
    page.get_by_label("Vem gör det").fill("Lena, boendestödjare")
    page.locator("#id_principal").select_option("municipality")
    page.locator("#id_when").fill("Tisdag vecka 3")
    page.get_by_role("button", name="Lägg till insatsen").click()
    page.get_by_text("Följa med till första övningen").first.wait_for()
    assert_accessible(page)
    shot(page, "1-plan")

    # 2. The resource group the client chose, invited to the first meeting.
    page.get_by_role("link", name="Resursgrupp", exact=True).click()
    page.get_by_label("Namn", exact=True).fill("Maria Berg")
    page.get_by_label("Typ", exact=True).select_option(label="Anhörig eller närstående")
    page.get_by_label("Roll eller relation").fill("syster")
    page.get_by_label("E-post", exact=True).fill("maria@example.org")
    page.get_by_label("Klienten har valt den här personen till resursgruppen").check()
    page.get_by_role("button", name="Lägg till i gruppen").click()
    page.get_by_text("Maria Berg är med i resursgruppen.").wait_for()
    starts = timezone.localtime(timezone.now() + timedelta(days=14)).replace(hour=10, minute=0)
    page.get_by_label("Datum och tid").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Boka mötet").click()
    page.get_by_text("Mötet är bokat.").wait_for()
    assert_accessible(page)
    shot(page, "2-meeting-booked")
    (invitation,) = [m for m in mailoutbox if m.to == ["maria@example.org"]]
    ((_name, ics, _mimetype),) = invitation.attachments
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    assert event.decoded("dtstart") == starts.replace(second=0, microsecond=0)

    # 3. The first meeting: the client is there and the plan is decided.
    meeting = Meeting.objects.get(client=client)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=2))
    page.reload()
    page.locator("#id_client_present_1").check()
    page.get_by_label("Mötet har hållits").check()
    following = timezone.localtime(timezone.now() + timedelta(days=90)).replace(hour=10, minute=0)
    page.get_by_label("Boka nästa möte (datum och tid)").fill(following.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Spara mötet").click()
    page.get_by_text("Mötet är sparat.").wait_for()
    decide = page.locator("details", has_text="Besluta planen (SIP)").last
    decide.locator("summary").click()
    decide.get_by_label("Klienten har bekräftat samtycket för den här versionen av planen").check()
    decide.get_by_role("button", name="Registrera beslutet").click()
    page.get_by_text("Beslutet är registrerat.").wait_for()
    assert page.get_by_text("Planen är beslutad (version 1).").is_visible()
    assert_accessible(page)
    shot(page, "3-meeting-held")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.client_present is True
    version = PlanVersion.objects.get(plan__client=client)
    assert version.content["long_term_goal"] == GOAL
    assert Decision.objects.filter(
        meeting=meeting, kind=DecisionKind.DECIDE_PLAN, plan_version=version
    ).exists()

    page.get_by_role("link", name="Plan", exact=True).click()
    held_on = timezone.localtime(meeting.starts_at).date()
    page.get_by_role("link", name=f"vid resursgruppsmötet {held_on:%Y-%m-%d}").click()
    page.get_by_role("heading", name="Resursgruppsmöte", exact=False).first.wait_for()
    page.get_by_role("link", name="Översikt").click()
    assert page.get_by_text("Nästa resursgruppsmöte:").is_visible()

    # 4. The client, on a phone, with the link from the invitation e-mail.
    account = portal_services.invite_client(
        user=cast.case_manager, client=client, email="kim.berg@example.org"
    )
    token = portal_services.issue_link(account)
    phone = new_page(browser, errors, **PHONE, accept_downloads=True)
    phone.goto(f"{live_server.url}/mina-sidor/lank/{token}/")
    phone.get_by_role("button", name="Logga in").click()
    phone.get_by_role("heading", name="Hej, Kim Berg").wait_for()
    assert_accessible(phone)
    shot(phone, "4-client-start")

    phone.get_by_role("link", name="Mina arbetsblad").first.click()
    phone.get_by_role("button", name="Skattning av förändring (ORS)").click()
    phone.wait_for_url("**/besvara/")
    marks = phone.get_by_label("Din markering som ett tal från 0 till 10")
    for index, value in enumerate(("4", "6.5", "5", "5.5")):
        marks.nth(index).fill(value)
    phone.get_by_role("button", name="Skicka till min vårdgrupp").click()
    phone.get_by_text("Tack. Dina svar är skickade till din vårdgrupp.").wait_for()
    assert Response.objects.get(entered_by=account.user).score_value("total") == 21.0

    phone.get_by_role("link", name="Min plan").first.click()
    phone.get_by_text(SUB_GOAL).wait_for()
    assert phone.get_by_text(GOAL).is_visible()
    assert_accessible(phone)
    shot(phone, "5-client-plan")

    phone.get_by_role("link", name="Mina uppgifter").first.click()
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Ladda ner PDF").click()
    pdf = Path(download.value.path()).read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert GOAL in text and SUB_GOAL in text
    assert "Maria Berg" in text  # the meeting's attendance is in the minutes
    assert errors == []
