"""In a real browser: fill in the ORS with the keyboard, save a draft, submit, see the chart.

Screenshots of the form (desktop and phone width) and of the chart page are written to
``test-artifacts/instruments/`` for a person to look at.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from egenmakt.conftest import chromium, sign_in
from egenmakt.instruments.models import Response, ResponseStatus
from egenmakt.instruments.tests.factories import (
    ORS_ANSWERS,
    engine_definition,
    ors_definition,
    start,
    submitted,
)

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "instruments"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def page(live_server, monkeypatch, chromium_executable):
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # between browser steps are still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with chromium(chromium_executable) as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        page = context.new_page()
        errors: list[str] = []
        # Console errors such as CSP violations; a 400 for a form with errors is expected.
        page.on(
            "console",
            lambda m: (
                errors.append(m.text)
                if m.type == "error" and not m.text.startswith("Failed to load resource")
                else None
            ),
        )
        page.on("pageerror", lambda e: errors.append(str(e)))
        yield page
        context.close()
        # A CSP violation or a script error shows up here.
        assert errors == []


def assert_accessible(page) -> None:
    """axe-core finds no WCAG 2.1 A/AA violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa"]}}
    )
    assert results.violations_count == 0, results.generate_report()


def sign_in_browser(page, live_server, user) -> None:
    client = sign_in(Client(), user)
    cookies = [
        {"name": name, "value": morsel.value, "url": live_server.url}
        for name, morsel in client.cookies.items()
    ]
    cookies.append({"name": "egenmakt_language", "value": "en", "url": live_server.url})
    page.context.add_cookies(cookies)


def test_fill_in_the_ors_and_see_the_chart(page, live_server, cast):
    definition = ors_definition()
    sign_in_browser(page, live_server, cast.coordinator)
    subject = cast.peer_supporter
    start_url = f"{live_server.url}/instrument/ors/user/{subject.pk}/"

    page.goto(start_url)
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name="Start").click()
    page.wait_for_url("**/besvara/")

    # The slider, driven by the keyboard, writes its value into the number field.
    slider = page.locator("#range-individually")
    slider.focus()
    slider.press("Home")
    for _ in range(45):
        slider.press("ArrowRight")
    assert page.locator("#id_a-individually").input_value() == "4.5"
    assert page.locator("#item-individually output").inner_text() == "4.5"
    # htmx saves the draft a moment after a change.
    page.get_by_text("Draft saved at").wait_for(timeout=10_000)
    response = Response.objects.get(entered_by=cast.coordinator, definition=definition)
    assert response.answers == {"individually": 4.5}

    page.get_by_label("Your mark as a number from 0 to 10").nth(1).fill("5")
    page.get_by_label("Your mark as a number from 0 to 10").nth(2).fill("6.5")
    assert_accessible(page)
    page.screenshot(path=str(ARTIFACTS / "ors-form-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "ors-form-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Submitting with the last line unmarked: the error is next to it, nothing submitted.
    page.get_by_role("button", name="Submit").click()
    page.locator("#error-overall").wait_for()
    assert "This question needs an answer." in page.locator("#error-overall").inner_text()
    assert_accessible(page)
    page.screenshot(path=str(ARTIFACTS / "ors-form-error.png"), full_page=True)
    response.refresh_from_db()
    assert response.status == ResponseStatus.DRAFT

    page.get_by_label("Your mark as a number from 0 to 10").nth(3).fill("7")
    page.get_by_role("button", name="Submit").click()
    page.get_by_role("heading", name="Scores").wait_for()
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    assert response.scores["total"]["value"] == 23.0
    assert_accessible(page)
    page.screenshot(path=str(ARTIFACTS / "ors-response.png"), full_page=True)

    # Three earlier ratings, so the chart has a history to show.
    today = response.answered_on
    for weeks, value in [(12, 4.0), (8, 4.5), (4, 6.5)]:
        submitted(
            definition,
            subject,
            cast.coordinator,
            dict.fromkeys(ORS_ANSWERS, value),
            answered_on=today - timedelta(weeks=weeks),
        )
    page.goto(f"{start_url}forandring/")
    image = page.locator("figure.chart img")
    image.wait_for()
    page.wait_for_function("document.querySelector('figure.chart img').naturalWidth > 0")
    rows = page.locator("table.chart-table tbody tr")
    assert rows.count() == 4
    assert "23" in rows.first.inner_text()
    assert "no reliable change" in rows.first.inner_text()  # 26 -> 23 is less than 5
    assert "reliable improvement" in rows.nth(1).inner_text()  # 18 -> 26
    assert_accessible(page)
    page.screenshot(path=str(ARTIFACTS / "ors-chart.png"), full_page=True)


def test_every_item_type_on_one_form_and_adding_a_row_with_htmx(page, live_server, cast):
    definition = engine_definition()
    response = start(definition, cast.org("outpatient"), cast.workplace_manager)
    sign_in_browser(page, live_server, cast.workplace_manager)
    page.goto(f"{live_server.url}/instrument/svar/{response.pk}/besvara/")

    page.locator("#id_a-mood_3").check()
    page.get_by_role("radio", name="Partly").check()
    page.get_by_label("Summary").fill("En bra vecka")
    page.locator("#id_a-signs__0__sign").fill("Sover dåligt")
    page.get_by_role("button", name="Add a row").click()
    # htmx swaps in the item with a second row and puts the cursor in it.
    page.locator("#id_a-signs__1__sign").wait_for()
    # The focus moves once htmx has settled the swap, a moment after the row appears.
    page.wait_for_function("document.activeElement.id === 'id_a-signs__1__sign'")
    assert page.locator("#id_a-signs__0__sign").input_value() == "Sover dåligt"
    page.keyboard.type("Drar mig undan")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved at").first.wait_for()
    response.refresh_from_db()
    assert response.answers["signs"] == [{"sign": "Sover dåligt"}, {"sign": "Drar mig undan"}]
    assert response.answers["mood"] == 3
    assert_accessible(page)
    page.screenshot(path=str(ARTIFACTS / "all-types-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "all-types-phone.png"), full_page=True)


def test_admin_sees_the_problems_of_a_broken_upload(page, live_server, cast, tmp_path):
    from egenmakt.instruments.tests.examples import ALL_TYPES_YAML

    broken = tmp_path / "region.yaml"
    broken.write_text(
        ALL_TYPES_YAML.replace("type: vas", "type: slider").replace(
            "title: {sv: Fakta, en: Facts}", "title: {en: Facts}"
        ),
        encoding="utf-8",
    )
    ors_definition()
    sign_in_browser(page, live_server, cast.admin)
    page.goto(f"{live_server.url}/instrument/")
    assert_accessible(page)
    page.screenshot(path=str(ARTIFACTS / "instrument-list.png"), full_page=True)
    page.get_by_role("link", name="Import a new instrument or version").click()
    page.get_by_label("Definition file (YAML)").set_input_files(str(broken))
    page.get_by_role("button", name="Check and import").click()
    page.get_by_text("Nothing was saved.").wait_for()
    assert page.locator("table.problems tbody tr").count() == 3
    assert_accessible(page)
    page.screenshot(path=str(ARTIFACTS / "import-problems.png"), full_page=True)


def test_a_tap_where_the_unmarked_handle_rests_marks_the_line_on_a_phone(page, live_server, cast):
    ors_definition()
    sign_in_browser(page, live_server, cast.coordinator)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/instrument/ors/user/{cast.peer_supporter.pk}/")
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name="Start").click()
    page.wait_for_url("**/besvara/")
    slider = page.locator("#range-individually")
    assert page.locator("#id_a-individually").input_value() == ""
    # The unmarked handle rests mid-line; a tap right on it changes no value.
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.locator("#id_a-individually").input_value() == "5.0"
    assert page.locator("#item-individually output").inner_text() == "5.0"
    page.get_by_text("Draft saved at").wait_for(timeout=10_000)
