"""A case manager's first weeks with a client, in a real browser: register the client,
record the consent, build the network map, fill in three worksheets and write the
summary. Every page is checked with axe-core; screenshots go to
``test-artifacts/coordination/``."""

from __future__ import annotations

from pathlib import Path

import pytest

from egenmakt.coordination.models import Client, Phase, StepRecord, SummaryEntry
from egenmakt.demo.coordination import synthetic_identity_number
from egenmakt.peer.tests.factories import ensure_instruments
from egenmakt.peer.tests.test_browser import as_user, assert_accessible, browser, new_page

__all__ = ["browser"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "coordination"


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def fits_a_phone(page) -> bool:
    """The page is no wider than the phone's screen (390 px): nothing scrolls sideways."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def start_worksheet(page, title: str, respondent: str | None = None) -> None:
    """From wherever the last worksheet ended: back to the client by the breadcrumb."""
    page.locator("nav.crumbs a", has_text="Robin Ek").first.click()
    page.get_by_label("Börja ett arbetsblad").select_option(label=title)
    page.get_by_role("button", name="Börja", exact=True).click()
    page.get_by_role("heading", name=title).wait_for()
    if respondent:
        page.get_by_label(respondent, exact=True).check()
    assert_accessible(page)
    page.get_by_role("button", name="Öppna arbetsbladet").click()
    page.wait_for_url("**/besvara/")


def test_register_consent_network_map_three_worksheets_and_summary(browser, live_server, cast):
    ensure_instruments()
    errors: list[str] = []
    page = new_page(browser, errors, viewport={"width": 1280, "height": 900})
    as_user(page, live_server, cast.case_manager)

    # 1. Register the client.
    page.goto(f"{live_server.url}/samordning/")
    page.get_by_role("link", name="Registrera en klient").click()
    page.get_by_label("Namn").fill("Robin Ek")
    page.get_by_label("Personnummer eller samordningsnummer").fill("19900101-0000")
    page.get_by_label("Adress", exact=True).fill("Storgatan 1")
    page.get_by_role("button", name="Registrera").click()
    page.get_by_text("Sista siffran stämmer inte").wait_for()
    assert_accessible(page)
    shot(page, "register-error")
    number = synthetic_identity_number(__import__("datetime").date(1990, 1, 1), 5)
    page.get_by_label("Personnummer eller samordningsnummer").fill(number)
    page.get_by_role("button", name="Registrera").click()

    # 2. Record the consent (the form offers the team's organisation and case manager).
    page.get_by_role("heading", name="Registrera samtycket").wait_for()
    page.get_by_label("Skriftligt, undertecknat").check()
    assert_accessible(page)
    shot(page, "consent-form")
    page.get_by_role("button", name="Registrera samtycket").click()
    page.get_by_text("Samtycket är registrerat.").wait_for()
    client = Client.objects.get(full_name="Robin Ek")
    assert client.phase == Phase.MAPPING
    assert_accessible(page)
    shot(page, "client-after-consent")

    # 3. The network map: two people, one close in the family, one professional.
    page.get_by_role("link", name="Nätverk", exact=True).click()
    for name, relation, sector, closeness in (
        ("Maria Ek", "mamma", "Familj och släkt", "Mycket nära"),
        ("Dr. Lind", "läkare", "Professionella", "Ganska nära"),
    ):
        page.get_by_label("Namn").fill(name)
        page.get_by_label("Roll eller relation").fill(relation)
        page.get_by_role("radio", name=sector).check()
        page.get_by_role("radio", name=closeness).check()
        page.get_by_role("button", name="Lägg till på kartan").click()
        page.get_by_text(f"{name} är tillagd.").wait_for()
    svg = page.locator("figure.network-map svg")
    assert "Maria Ek" in svg.text_content() and "Dr. Lind" in svg.text_content()
    assert_accessible(page)
    shot(page, "network-map")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "network-map-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # 4. Three worksheets: a normal day, the ORS, QLS-100.
    start_worksheet(page, "En vanlig dag")
    page.locator("#id_a-hours__08").fill("Frukost och promenad")
    page.locator("#id_a-wish_to_change").fill("Ha något att göra på kvällarna")
    page.get_by_role("button", name="Lämna in").click()
    page.get_by_text("Svaren är inlämnade.").wait_for()

    start_worksheet(page, "Skattning av förändring (ORS)")
    marks = page.get_by_label("Din markering som ett tal från 0 till 10")
    for index, value in enumerate(("4", "5.5", "3", "4.5")):
        marks.nth(index).fill(value)
    page.get_by_role("button", name="Lämna in").click()
    page.get_by_text("Svaren är inlämnade.").wait_for()

    start_worksheet(page, "Livskvalitet – vad är du inte nöjd med? (QLS-100)")
    page.get_by_label("Boende: Min bostad").check()
    page.get_by_role("button", name="Lämna in").click()
    page.get_by_text("Svaren är inlämnade.").wait_for()
    assert StepRecord.objects.filter(client=client, response__status="submitted").count() == 3

    # 5. The summary, from the prompt on the client's page.
    page.get_by_role("link", name="Robin Ek").first.click()
    prompt = page.get_by_role("link", name="En vanlig dag", exact=False).first
    prompt.click()
    page.get_by_label("Livsområde").fill("Fritid")
    page.get_by_label("Vad klienten vill förändra").fill("Något meningsfullt på kvällarna")
    page.get_by_label("Vad som står i vägen").fill("Orkar inte gå ut ensam")
    assert_accessible(page)
    page.get_by_role("button", name="Skriv in i sammanfattningen").click()
    page.get_by_text("Inskrivet i sammanfattningen.").wait_for()
    entry = SummaryEntry.objects.get(client=client)
    assert entry.source is not None and entry.source.step == "normal_day"
    shot(page, "summary")

    # 6. Checklist K and the overview show what is done and what is left.
    page.get_by_role("link", name="Checklista K").click()
    assert_accessible(page)
    shot(page, "checklist-k")
    page.get_by_role("link", name="Översikt").click()
    page.get_by_text("Vad som kommer härnäst").wait_for()
    assert_accessible(page)
    shot(page, "client-overview")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "client-overview-phone")
    # At a client's home on a phone: no page of the record scrolls sideways; wide tables
    # scroll within their frame.
    tabs = page.locator("nav.round-tabs")
    for tab in ("Översikt", "Nätverk", "Checklista K", "Plan", "Resursgrupp", "Vårdteam"):
        tabs.get_by_role("link", name=tab, exact=True).click()
        page.wait_for_load_state()
        assert fits_a_phone(page), (tab, page.url)
    page.goto(f"{live_server.url}/instrument/")
    assert fits_a_phone(page), page.url
    assert errors == []
