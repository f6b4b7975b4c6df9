"""A relative answers themself, in a real browser: the case manager sends the link from the
network page, the relative opens it on a phone (390 px) and answers, and the follow-up page
sets the client's own rating of everyday life beside the relative's. axe-core checks every
page; screenshots go to ``test-artifacts/relatives/``."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from egenmakt.coordination.models import StepRecord
from egenmakt.coordination.services import mapping as services
from egenmakt.coordination.tests.factories import ensure_instruments, shared_client
from egenmakt.instruments import services as instrument_services
from egenmakt.instruments.models import InstrumentDefinition
from egenmakt.instruments.schema.definition import iter_items
from egenmakt.peer.tests.test_browser import as_user, assert_accessible, browser, new_page

__all__ = ["browser"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "relatives"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_the_relative_answers_on_a_phone_and_the_followup_compares(
    browser, live_server, cast, mailoutbox
):
    ensure_instruments()
    client = shared_client(cast, name="Kim Hemligsson")
    services.save_contact(
        user=cast.case_manager,
        client=client,
        data={
            "name": "Maja Berg",
            "relationship": "Mamma",
            "sector": "family",
            "closeness": 1,
            "email": "maja@example.org",
            "on_map": True,
        },
    )
    own = InstrumentDefinition.objects.filter(key="everyday_life_self").latest("version")
    record = services.start_worksheet(
        user=cast.case_manager,
        client=client,
        definition=own,
        respondent_kind="client",
        done_on=timezone.localdate() - timedelta(days=3),
        present=[cast.case_manager],
    )
    instrument_services.submit_response(
        user=cast.case_manager,
        response=record.response,
        answers={i["key"]: 2 for i in iter_items(own.definition) if i["type"] == "scale"},
        expected_version=record.response.version,
    )
    errors: list[str] = []

    # 1. The case manager sends the link from the network page.
    page = new_page(browser, errors, viewport={"width": 1280, "height": 900})
    as_user(page, live_server, cast.case_manager)
    base = f"{live_server.url}/samordning/{client.pk}"
    page.goto(f"{base}/natverk/")
    page.get_by_label("Den närstående").select_option(label="Maja Berg (Mamma)")
    page.get_by_label("Hur fungerar vardagen? – närstående eller personal").check()
    page.get_by_role("button", name="Skicka länken").click()
    page.get_by_text("En länk är skickad till Maja Berg med e-post.").wait_for()
    assert page.get_by_role("button", name="Återkalla länken till Maja Berg").is_visible()
    assert_accessible(page)
    shot(page, "1-network-link-sent")
    (email,) = [m for m in mailoutbox if m.to == ["maja@example.org"]]
    assert "Hemligsson" not in email.body and "Kim" not in email.body
    path = re.search(r"/narstaende/[A-Za-z0-9_-]+/", email.body).group(0)

    # 2. The relative, on a phone, with no account.
    phone = new_page(browser, errors, **PHONE)
    phone.goto(f"{live_server.url}{path}")
    phone.get_by_role(
        "heading", name="Hur fungerar vardagen? – närstående eller personal"
    ).wait_for()
    assert "Hemligsson" not in phone.content()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    assert_accessible(phone)
    shot(phone, "2-relative-sheet")
    fours = phone.locator('input[type="radio"][value="4"]')
    for index in range(fours.count()):
        fours.nth(index).check()
    phone.get_by_role("button", name="Skicka mina svar").click()
    phone.get_by_role("heading", name="Tack för dina svar").wait_for()
    assert_accessible(phone)
    shot(phone, "3-relative-thanks")
    step = StepRecord.objects.get(relative__name="Maja Berg")
    assert step.response.respondent_kind == "relative"
    phone.goto(f"{live_server.url}{path}")
    phone.get_by_role("heading", name="Länken fungerar inte").wait_for()

    # 3. The follow-up page sets the two side by side.
    page.goto(f"{base}/uppfoljning/")
    table = page.locator("table.everyday-compare")
    table.wait_for()
    hygiene = table.get_by_role("row", name=re.compile("Personlig hygien och klädsel"))
    assert hygiene.get_by_role("cell").all_inner_texts() == ["2", "4", "+2"]
    assert page.get_by_text("Maja Berg (Mamma)").first.is_visible()
    assert_accessible(page)
    shot(page, "4-followup-comparison")
    assert not errors, errors
