"""In a real browser: the network's administrator invites a new peer supporter, who opens
the link, chooses a password, sets up the authenticator app and lands signed in. Every page
on the way passes axe-core's checks. Screenshots go to ``test-artifacts/accounts/``."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from egenmakt.accounts.models import User

from .test_browser import ARTIFACTS, assert_no_serious_violations, page, sign_in_through_the_form

__all__ = ["page"]  # the fixture, shared with the sign-in browser tests

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "Tre-bla-hus-vid-havet-2026"


def test_an_administrator_invites_and_the_invitee_signs_up(page, live_server, cast):
    sign_in_through_the_form(page, live_server, cast.admin.email)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Administration"
    ).click()
    page.wait_for_selector("h1:has-text('Administration')")
    assert_no_serious_violations(page)
    page.screenshot(path=str(ARTIFACTS / "administration-tree.png"), full_page=True)

    page.get_by_role("link", name="Bjud in en person").first.click()
    page.get_by_label("Fullständigt namn").fill("Nora Ny")
    page.get_by_label("E-postadress").fill("nora.ny@example.org")
    page.get_by_label("Roll").select_option("peer_supporter")
    page.get_by_label("Organisation eller enhet").select_option(
        label="\u00a0\u00a0Föreningen Egen Kraft"
    )
    assert_no_serious_violations(page)
    page.screenshot(path=str(ARTIFACTS / "administration-invite.png"), full_page=True)
    page.get_by_role("button", name="Skicka inbjudan").click()
    page.wait_for_selector("h1:has-text('Nora Ny')")
    assert_no_serious_violations(page)
    page.screenshot(path=str(ARTIFACTS / "administration-person.png"), full_page=True)
    page.get_by_role("link", name="Stäng kontot").click()
    page.wait_for_selector("h1:has-text('Stänga kontot?')")
    assert_no_serious_violations(page)
    page.screenshot(path=str(ARTIFACTS / "administration-confirm.png"), full_page=True)
    page.get_by_role("link", name="Avbryt").click()
    page.get_by_role("link", name="Alla personer").click()
    page.wait_for_selector("table")
    assert_no_serious_violations(page)
    page.screenshot(path=str(ARTIFACTS / "administration-people.png"), full_page=True)
    page.get_by_role("button", name="Logga ut").click()

    link = re.search(r"https?://\S+(/konto/inbjudan/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(f"{live_server.url}{link}")
    assert_no_serious_violations(page)
    page.screenshot(path=str(ARTIFACTS / "invitation-password.png"), full_page=True)
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.get_by_label("Bekräfta nytt lösenord").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Fortsätt").click()

    page.wait_for_selector("figure.qr svg")
    assert_no_serious_violations(page)
    page.screenshot(path=str(ARTIFACTS / "invitation-enrol.png"), full_page=True)
    person = User.objects.get(email="nora.ny@example.org")
    device = TOTPDevice.objects.get(user=person, confirmed=False)
    page.get_by_label("Kod").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Slå på").click()

    page.wait_for_selector(".backup-codes")
    assert_no_serious_violations(page)
    page.get_by_role("link", name="Jag har sparat dem – fortsätt").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Peer supporter"
    assert "Nora Ny" in page.locator(".site-user").inner_text()
