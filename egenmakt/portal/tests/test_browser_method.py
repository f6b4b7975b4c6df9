"""On a phone: the public information sheet (the method's steps as a flow) and the client's
Checklist K and consent pages, checked with axe-core and for sideways scrolling at 390 px;
screenshots go to ``test-artifacts/portal/``."""

from __future__ import annotations

import pytest

from egenmakt.peer.tests.test_browser import assert_accessible, browser, new_page
from egenmakt.portal import services

from .factories import invited_client
from .test_browser import PHONE, shot

__all__ = ["browser"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= 390")


def test_the_sheets_and_the_clients_method_pages_read_well_on_a_phone(browser, live_server, cast):
    errors: list[str] = []
    page = new_page(browser, errors, **PHONE)
    for path, heading, name in (
        ("/om-resursgruppsarbete/", "Vad är resursgruppsarbete?", "method-about"),
        (
            "/om-resursgruppsarbete/narstaende/",
            "Resursgruppsarbete: för anhöriga",
            "method-relatives",
        ),
    ):
        page.goto(f"{live_server.url}{path}")
        page.get_by_role("heading", name=heading, exact=True).wait_for()
        assert page.locator("ol.method-flow > li").count() == 5
        assert_accessible(page)
        assert fits(page), path
        shot(page, name)

    _client, account = invited_client(cast)
    token = services.issue_link(account)
    page.goto(f"{live_server.url}/mina-sidor/lank/{token}/")
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("heading", name="Hej, Kim Berg").wait_for()
    page.get_by_role("link", name="Checklista K", exact=True).first.click()
    page.get_by_role("heading", name="Checklista K: det som är gjort").wait_for()
    assert_accessible(page)
    assert fits(page)
    shot(page, "checklist")
    page.get_by_role("link", name="Mitt samtycke", exact=True).first.click()
    page.get_by_role("heading", name="Gäller nu").wait_for()
    assert_accessible(page)
    assert fits(page)
    shot(page, "consent")
    page.get_by_role("link", name="Om arbetssättet", exact=True).first.click()
    page.get_by_role("heading", name="Vad är resursgruppsarbete?", exact=True).wait_for()
    assert errors == []
