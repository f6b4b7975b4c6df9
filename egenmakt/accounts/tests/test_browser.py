"""In a real browser: every demo role signs in through the form, switches language, and the
login and start pages pass axe-core's WCAG 2.1 AA checks.

Screenshots go to ``test-artifacts/accounts/`` for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from egenmakt.accounts.roles import ROLE_SLUGS, Role
from egenmakt.conftest import chromium
from egenmakt.demo.cast import DEMO_PASSWORD, login_email

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "accounts"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(live_server, monkeypatch, settings, chromium_executable):
    settings.EGENMAKT_DEMO = True  # the demo cast skips two-factor sign-in, as with `make run`
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with chromium(
        chromium_executable, "--disable-gpu", "--disable-background-networking"
    ) as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on(
            "console",
            lambda m: (
                errors.append(m.text)
                if m.type == "error" and not m.text.startswith("Failed to load resource")
                else None
            ),
        )
        yield page
        context.close()
        assert errors == []  # a CSP violation or script error would show here


def assert_no_serious_violations(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [
        v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}
    ]
    assert serious == [], results.generate_report()


def sign_in_through_the_form(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/logga-in/")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()


def test_login_page_is_accessible_in_both_languages(page, live_server, cast):
    page.goto(f"{live_server.url}/logga-in/")
    assert page.locator("html").get_attribute("lang") == "sv"
    assert_no_serious_violations(page)
    page.screenshot(path=str(ARTIFACTS / "login-sv.png"), full_page=True)
    page.get_by_role("button", name="In English").click()
    page.wait_for_selector("html[lang=en]")
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in to Egenmakt"
    assert_no_serious_violations(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "login-en-phone.png"), full_page=True)


def test_every_role_signs_in_and_sees_its_start_page(page, live_server, cast):
    for role in Role:
        page.context.clear_cookies()
        sign_in_through_the_form(page, live_server, login_email(role.value))
        with translation.override("sv"):
            label = str(role.label)
        page.get_by_role("heading", level=1, name=label).wait_for()
        assert page.url == f"{live_server.url}/roll/{ROLE_SLUGS[role]}/"
        assert page.get_by_role("button", name="Logga ut").is_visible()
        assert_no_serious_violations(page)
        if role == Role.CASE_MANAGER:
            page.screenshot(path=str(ARTIFACTS / "start-case-manager.png"), full_page=True)


def test_switching_language_keeps_the_user_on_the_page(page, live_server, cast):
    sign_in_through_the_form(page, live_server, login_email("auditor"))
    page.get_by_role("heading", name="Loggranskare").wait_for()
    page.get_by_role("button", name="In English").click()
    page.get_by_role("heading", name="Auditor").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("button", name="Sign out").is_visible()
    assert_no_serious_violations(page)
    page.screenshot(path=str(ARTIFACTS / "start-auditor-en.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "start-auditor-en-phone.png"), full_page=True)
    page.get_by_role("button", name="På svenska").click()
    page.get_by_role("heading", name="Loggranskare").wait_for()
