"""The client on a phone: signs in with a one-time link, reads the plan, fills in the ORS,
and reads who has read their record. Every page is checked with axe-core; screenshots go
to ``test-artifacts/portal/``."""

from __future__ import annotations

from pathlib import Path

import pytest

from egenmakt.coordination.tests.factories import decided_plan
from egenmakt.instruments.models import Response
from egenmakt.peer.tests.test_browser import assert_accessible, browser, new_page
from egenmakt.portal import services

from .factories import ensure_instruments, invited_client

__all__ = ["browser"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "portal"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_the_client_signs_in_with_a_link_reads_the_plan_and_fills_in_the_ors(
    browser, live_server, cast
):
    ensure_instruments()
    client, account = invited_client(cast)
    decided_plan(cast, client)
    errors: list[str] = []
    page = new_page(browser, errors, **PHONE)

    # 1. Asking for a link: the same answer for any address.
    page.goto(f"{live_server.url}/mina-sidor/logga-in/")
    page.get_by_role("heading", name="Logga in på mina sidor").wait_for()
    assert_accessible(page)
    shot(page, "sign-in")
    page.get_by_label("Din e-postadress").fill("kim.berg@example.org")
    page.get_by_role("button", name="Skicka en länk till mig").click()
    page.get_by_role("heading", name="Titta i din e-post").wait_for()
    assert_accessible(page)
    shot(page, "link-sent")

    # 2. The link from the e-mail: opening it only shows a button.
    token = services.issue_link(account)
    page.goto(f"{live_server.url}/mina-sidor/lank/{token}/")
    assert_accessible(page)
    shot(page, "link-confirm")
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("heading", name="Hej, Kim Berg").wait_for()
    assert_accessible(page)
    shot(page, "start")

    # 3. The plan, as decided.
    page.get_by_role("link", name="Min plan").first.click()
    page.get_by_text("Gå med i kören").wait_for()
    assert_accessible(page)
    shot(page, "plan")

    page.get_by_role("link", name="Tidiga varningstecken").first.click()
    page.get_by_role("heading", name="Min plan för tidiga varningstecken").wait_for()
    assert_accessible(page)
    shot(page, "warning-plan")

    # 4. The ORS, filled in by the client.
    page.get_by_role("link", name="Mina arbetsblad").first.click()
    assert_accessible(page)
    shot(page, "worksheets")
    page.get_by_role("button", name="Skattning av förändring (ORS)").click()
    page.wait_for_url("**/besvara/")
    assert_accessible(page)
    shot(page, "ors-form")
    marks = page.get_by_label("Din markering som ett tal från 0 till 10")
    for index, value in enumerate(("4", "6.5", "5", "5.5")):
        marks.nth(index).fill(value)
    page.get_by_role("button", name="Skicka till min vårdgrupp").click()
    page.get_by_text("Tack. Dina svar är skickade till din vårdgrupp.").wait_for()
    assert_accessible(page)
    shot(page, "ors-sent")
    response = Response.objects.get(entered_by=account.user)
    assert response.status == "submitted" and response.score_value("total") == 21.0

    page.get_by_role("link", name="Se hur dina ORS-skattningar har ändrats").click()
    page.get_by_role("heading", name="Så har mina skattningar ändrats").wait_for()
    assert_accessible(page)
    shot(page, "ors-chart")

    # 5. Who has read my record, and my data.
    page.get_by_role("link", name="Vem har läst om mig").first.click()
    page.get_by_text(cast.case_manager.full_name).first.wait_for()
    assert_accessible(page)
    shot(page, "access-log")
    page.get_by_role("link", name="Mina uppgifter").first.click()
    assert_accessible(page)
    shot(page, "my-data")
    page.get_by_role("link", name="Så loggar jag in").first.click()
    page.get_by_role("heading", name="Välj ett lösenord").wait_for()
    assert_accessible(page)
    shot(page, "settings")
    page.get_by_role("link", name="Mina arbetsblad").first.click()
    page.get_by_text("ifyllt av dig").wait_for()
    assert_accessible(page)
    shot(page, "worksheets-after")

    # 6. The same pages in English.
    page.get_by_role("button", name="In English").click()
    page.get_by_role("heading", name="My worksheets", exact=True).wait_for()
    page.get_by_role("link", name="Start page").click()
    page.get_by_role("heading", name="Hello, Kim Berg").wait_for()
    assert_accessible(page)
    shot(page, "start-english")
    assert errors == []
