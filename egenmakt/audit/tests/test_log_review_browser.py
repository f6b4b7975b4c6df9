"""An auditor does one period's log review in a real browser: opens it from the menu,
draws the review of the clinic, gives every read an outcome, and finishes it; axe-core
checks each page. Screenshots go to ``test-artifacts/audit/``."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from egenmakt.audit.models import LogReview
from egenmakt.audit.services import log_access
from egenmakt.coordination.tests.factories import new_client
from egenmakt.peer.tests.test_browser import as_user, assert_accessible, browser, new_page

__all__ = ["browser"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "audit"


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_an_auditor_reviews_one_period_from_start_to_finish(browser, live_server, cast):
    client = new_client(cast)
    log_access(actor=cast.case_manager, person=client)
    log_access(actor=cast.clinic_colleague, person=client)  # outside the care team
    log_access(actor=cast.case_manager, person=cast.clinic_colleague)  # a colleague
    today = timezone.localdate().isoformat()
    errors: list[str] = []
    page = new_page(browser, errors, viewport={"width": 1280, "height": 900})
    as_user(page, live_server, cast.auditor)

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Loggkontroll").first.click()
    page.get_by_role("heading", level=1, name="Loggkontroll").wait_for()
    assert_accessible(page)
    shot(page, "log-reviews")

    page.get_by_label("Enhet").select_option(label="Psykiatrimottagning Centrum")
    page.get_by_label("Från").fill(today)
    page.get_by_label("Till").fill(today)
    page.get_by_label("Antal läsningar att lotta fram").fill("2")
    page.get_by_role("button", name="Lotta fram loggkontrollen").click()
    heading = "Loggkontroll: Psykiatrimottagning Centrum"
    page.get_by_role("heading", level=1, name=heading).wait_for()
    assert_accessible(page)
    shot(page, "log-review-drawn")

    review = LogReview.objects.get()
    items = list(review.items.order_by("log_row_id", "id"))
    assert len(items) >= 2
    flagged = [item for item in items if "outside_care_team" in item.reason_codes]
    assert flagged, "the colleague's read outside the care team is in the review"
    page.locator(f"#item-{flagged[0].pk}").get_by_text("Utanför vårdteamet").wait_for()

    # Finishing before every read has an outcome is refused, saying why.
    page.get_by_role("button", name="Avsluta loggkontrollen").click()
    page.get_by_text("Bedöm varje läsning innan du avslutar loggkontrollen.").wait_for()

    for item in items:
        row = page.locator(f"#item-{item.pk}")
        outcome = "Behöver följas upp" if item in flagged else "Befogad"
        row.get_by_label(outcome, exact=True).check()
        row.get_by_label("Anteckning").fill("Kontrollerad i journalen.")
        row.get_by_role("button", name="Spara bedömningen").click()
        page.locator(f"#item-{item.pk}").get_by_text(outcome, exact=True).first.wait_for()

    page.get_by_role("button", name="Avsluta loggkontrollen").click()
    page.get_by_text("Loggkontrollen är avslutad.").first.wait_for()
    assert page.get_by_role("button", name="Spara bedömningen").count() == 0
    assert_accessible(page)
    shot(page, "log-review-finished")
    review.refresh_from_db()
    assert review.finished
    assert set(review.items.values_list("outcome", flat=True)) <= {"justified", "follow_up"}
    assert errors == []
