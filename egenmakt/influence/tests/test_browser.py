"""User influence in a real browser: a member of a user organisation submits a study
circle, the coordinator approves it, the public calendar shows it to anyone; a unit's
manager climbs the participation ladder and the coordinator compares the units.
Screenshots go to ``test-artifacts/influence/``."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from egenmakt.influence.models import CareArea, InfluenceOrganisation
from egenmakt.peer.tests.factories import ensure_instruments
from egenmakt.peer.tests.test_browser import as_user, assert_accessible, browser, new_page

__all__ = ["browser"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "influence"


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_submit_approve_publish_and_climb_the_ladder(browser, live_server, cast):
    ensure_instruments()
    area = CareArea.objects.create(
        name="Västerhav Centrum", slug="vasterhav-centrum", organisation=cast.org("network")
    )
    area.units.set([cast.org("outpatient"), cast.org("housing_support")])
    egen = InfluenceOrganisation.objects.create(
        name="Föreningen Egen Kraft", kind="user", account=cast.org("user_org_a"), published=True
    )
    egen.areas.add(area)
    errors: list[str] = []
    page = new_page(browser, errors, viewport={"width": 1280, "height": 900})
    day = (timezone.localdate() + timedelta(days=10)).isoformat()

    # 1. A member of the user organisation submits a study circle.
    as_user(page, live_server, cast.lecturer)
    page.goto(f"{live_server.url}/inflytande/aktiviteter/ny/")
    page.get_by_label("Studiecirkel").check()
    page.get_by_label("Rubrik").fill("Studiecirkel: vägar till återhämtning")
    page.get_by_label("Datum").fill(day)
    page.get_by_label("Börjar").fill("18:00")
    page.get_by_label("Slutar").fill("20:00")
    page.get_by_label("Plats").fill("Träffpunkt Kvarnen")
    page.get_by_label("Beskrivning").fill("Sex träffar med samtal och läsning.")
    assert_accessible(page)
    page.get_by_role("button", name="Lämna in aktiviteten").click()
    page.get_by_text("Tack! Aktiviteten syns i kalendern när den har godkänts.").wait_for()
    page.get_by_text("Väntar på godkännande").wait_for()
    shot(page, "submitted")

    # 2. Nobody sees it yet; the coordinator approves it.
    anonymous = new_page(browser, errors, viewport={"width": 390, "height": 844}, is_mobile=True)
    anonymous.goto(f"{live_server.url}/oppet/kalender/{area.slug}/")
    anonymous.get_by_text("Inget i kalendern just nu.").wait_for()
    as_user(page, live_server, cast.coordinator)
    page.goto(f"{live_server.url}/inflytande/")
    page.get_by_role("link", name="Västerhav Centrum").click()
    page.get_by_role("heading", name="Aktiviteter som väntar på godkännande").wait_for()
    assert_accessible(page)
    shot(page, "area")
    page.get_by_role("button", name="Godkänn", exact=True).click()
    page.get_by_text("Godkänd: den syns i den öppna kalendern.").wait_for()

    # 3. Anyone sees it in the public calendar, on a phone.
    anonymous.reload()
    anonymous.get_by_role("heading", name="Studiecirkel: vägar till återhämtning").wait_for()
    assert_accessible(anonymous)
    shot(anonymous, "public-calendar-phone")

    # 4. The outpatient clinic's manager answers the ladder for the unit.
    as_user(page, live_server, cast.workplace_manager)
    page.goto(
        f"{live_server.url}/instrument/participation_ladder/organisation/"
        f"{cast.org('outpatient').pk}/"
    )
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name="Börja").click()
    page.get_by_role("button", name="Lämna in").wait_for()
    yes = page.locator("input[type=radio][value=yes]")
    for index in range(yes.count()):
        name = yes.nth(index).get_attribute("name") or ""
        # Steps 1-2 reached on every question, step 3 only on "am I ready?".
        value = "yes" if name.split("_")[0] in {"a-level1", "a-level2"} else "no"
        if name.startswith("a-level3_opening"):
            value = "yes"
        page.locator(f"input[type=radio][name='{name}'][value={value}]").check()
    page.get_by_role("button", name="Lämna in").click()
    page.get_by_text("Inlämnad").first.wait_for()

    # 5. The coordinator compares the units.
    as_user(page, live_server, cast.coordinator)
    page.goto(f"{live_server.url}/inflytande/omraden/{area.pk}/trappan/")
    row = page.locator("tr", has_text="Psykiatrisk öppenvård Nordstaden")
    cells = [c.strip() for c in row.locator("td").all_inner_texts()]
    assert cells[1:4] == ["3", "2", "2"]
    assert "Inte besvarad ännu." in page.locator("tr", has_text="Boendestöd Östra").inner_text()
    assert_accessible(page)
    shot(page, "ladder")
    assert errors == []
