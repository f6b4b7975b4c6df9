"""Sign-in through the local OpenID Connect provider in a real browser: a case manager at a
desktop, and a client on a phone. Every page is checked with axe-core; screenshots go to
``test-artifacts/sso/``."""

from __future__ import annotations

from pathlib import Path

import pytest

from egenmakt.peer.tests.test_browser import assert_accessible, browser, new_page
from egenmakt.portal.tests.factories import invited_client

from .flow import LOA2, LOA3

__all__ = ["browser"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "sso"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
PNR_CLAIM = "https://id.oidc.se/claim/personalIdentityNumber"


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_a_case_manager_signs_in_through_the_regions_idp(browser, live_server, cast, op, providers):
    errors: list[str] = []
    page = new_page(browser, errors)
    op.behaviour.claims = {
        "sub": "siths-0001",
        "email": cast.case_manager.email,
        "email_verified": True,
        "acr": LOA3,
    }
    page.goto(f"{live_server.url}/logga-in/")
    assert_accessible(page)
    shot(page, "staff-sign-in")
    page.get_by_role("link", name="Logga in med Testlegitimation siths").click()
    # Back from the provider, signed in with two factors: the case manager's start page.
    page.wait_for_url(f"{live_server.url}/roll/**")
    assert_accessible(page)
    shot(page, "staff-start")

    # Signed in with a single factor at the provider: Egenmakt's own second step follows.
    other = new_page(browser, errors)
    op.behaviour.claims = {**op.behaviour.claims, "acr": LOA2}
    other.goto(f"{live_server.url}/logga-in/")
    other.get_by_role("link", name="Logga in med Testlegitimation siths").click()
    other.wait_for_url("**/konto/tvastegs/**")
    assert_accessible(other)
    shot(other, "staff-second-factor")

    # Someone the region knows but Egenmakt does not: told whom to ask.
    stranger = new_page(browser, errors)
    op.behaviour.claims = {"sub": "x", "email": "okand@example.org", "email_verified": True}
    stranger.goto(f"{live_server.url}/logga-in/oidc/{providers.staff.slug}/")
    stranger.get_by_role("heading", name="Vi hittade dig inte").wait_for()
    assert_accessible(stranger)
    shot(stranger, "staff-unknown")
    assert errors == []


def test_a_client_signs_in_with_bankid_on_a_phone(browser, live_server, cast, op, providers):
    client, _account = invited_client(cast)
    op.behaviour.claims = {"sub": "bankid-1", PNR_CLAIM: client.identity_number, "acr": LOA3}
    errors: list[str] = []
    page = new_page(browser, errors, **PHONE)
    page.goto(f"{live_server.url}/mina-sidor/logga-in/")
    assert_accessible(page)
    shot(page, "client-sign-in")
    page.get_by_role("link", name="Logga in med Testlegitimation bankid").click()
    page.get_by_role("heading", name="Hej, Kim Berg").wait_for()
    assert_accessible(page)
    shot(page, "client-start")

    # A person with no invitation to their own pages: told to ask the care team.
    stranger = new_page(browser, errors, **PHONE)
    op.behaviour.claims = {"sub": "bankid-2", PNR_CLAIM: "191212121212", "acr": LOA3}
    stranger.goto(f"{live_server.url}/mina-sidor/logga-in/")
    stranger.get_by_role("link", name="Logga in med Testlegitimation bankid").click()
    stranger.get_by_role("heading", name="Vi hittade dig inte").wait_for()
    assert_accessible(stranger)
    shot(stranger, "client-unknown")
    assert errors == []
