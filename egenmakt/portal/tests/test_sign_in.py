"""Signing in to the client's own pages: the one-time link, password and TOTP, invitations."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client as Browser
from django.utils import timezone
from django_otp import devices_for_user, match_token

from egenmakt.outbox.models import OutgoingEmail
from egenmakt.portal import services
from egenmakt.portal.models import PortalIdentity, SignInLink, SignInLinkDevice

from .factories import as_client, as_staff, invited_client

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://\S+/mina-sidor/lank/(\S+)/")


def last_link() -> str:
    match = LINK.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_the_invitation_opens_a_login_and_e_mails_a_link_stored_only_as_a_hash(cast):
    _client, account = invited_client(cast)
    assert account.user.email == "kim.berg@example.org"
    assert not account.user.has_usable_password()
    assert PortalIdentity.objects.get(account=account).subject == "kim.berg@example.org"
    assert mail.outbox[-1].to == ["kim.berg@example.org"]
    assert "Din vårdgrupp har öppnat dina egna sidor" in mail.outbox[-1].body
    token = last_link()
    link = SignInLink.objects.get(account=account)
    assert link.token_hash == services.hash_token(token) and token not in link.token_hash


def test_a_link_signs_in_once_with_the_second_factor_done(cast):
    _client, account = invited_client(cast)
    token = last_link()
    browser = Browser()
    confirm = browser.get(f"/mina-sidor/lank/{token}/")
    # Opening the link changes nothing (mail scanners open links too).
    assert confirm.status_code == 200 and "Tryck på knappen" in confirm.content.decode()
    assert SignInLink.objects.get(account=account).used_at is None
    signed_in = browser.post(f"/mina-sidor/lank/{token}/")
    assert signed_in.status_code == 302 and signed_in.url == "/mina-sidor/"
    start = browser.get("/mina-sidor/")
    assert start.status_code == 200
    assert "Hej, Kim Berg" in start.content.decode()

    again = Browser().post(f"/mina-sidor/lank/{token}/")
    assert again.status_code == 410
    assert "Länken fungerar inte" in again.content.decode()
    assert Browser().get(f"/mina-sidor/lank/{token}/").status_code == 410


def test_an_anonymised_client_login_keeps_no_link_device(cast):
    from egenmakt.accounts.services import anonymise_user

    _client, account = invited_client(cast)
    Browser().post(f"/mina-sidor/lank/{last_link()}/")
    assert SignInLinkDevice.objects.filter(user=account.user).exists()
    anonymise_user(user=account.user)
    assert not SignInLinkDevice.objects.filter(user=account.user).exists()


def test_an_expired_link_is_refused(cast):
    _client, account = invited_client(cast)
    token = last_link()
    SignInLink.objects.filter(account=account).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    browser = Browser()
    assert browser.post(f"/mina-sidor/lank/{token}/").status_code == 410
    assert browser.get("/mina-sidor/").status_code == 302


def test_a_made_up_token_is_refused():
    assert Browser().post("/mina-sidor/lank/not-a-real-token/").status_code == 410


def test_asking_for_a_link_answers_the_same_for_unknown_addresses(cast):
    _client, _account = invited_client(cast)
    mail.outbox.clear()
    known = Browser().post("/mina-sidor/logga-in/", {"email": "Kim.Berg@example.org"})
    unknown = Browser().post("/mina-sidor/logga-in/", {"email": "nobody@example.org"})
    staff = Browser().post("/mina-sidor/logga-in/", {"email": cast.case_manager.email})
    assert known.status_code == unknown.status_code == staff.status_code == 302
    assert known.url == unknown.url == staff.url == "/mina-sidor/logga-in/skickad/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["kim.berg@example.org"]
    page = Browser().get(known.url).content.decode()
    assert "Om adressen hör till en inloggning" in page


def test_links_per_account_are_limited_without_saying_so(cast):
    _client, account = invited_client(cast)  # the invitation is the first link
    for _ in range(5):
        response = Browser().post("/mina-sidor/logga-in/", {"email": "kim.berg@example.org"})
        assert response.status_code == 302
    assert SignInLink.objects.filter(account=account).count() == services.LINKS_PER_WINDOW


def test_an_ended_login_gets_no_link_and_its_links_stop_working(cast):
    client, _account = invited_client(cast)
    token = last_link()
    services.end_access(user=cast.case_manager, client=client)
    sent = OutgoingEmail.objects.count()
    Browser().post("/mina-sidor/logga-in/", {"email": "kim.berg@example.org"})
    assert OutgoingEmail.objects.count() == sent
    assert Browser().post(f"/mina-sidor/lank/{token}/").status_code == 410


def test_a_password_login_still_needs_the_authenticator_code(cast):
    _client, account = invited_client(cast)
    as_client(account)  # a link login earlier must not count as "has an app"
    user = account.user
    user.set_password("ett-langt-losenord-2026")
    user.save()
    browser = Browser()
    browser.post("/logga-in/", {"username": user.email, "password": "ett-langt-losenord-2026"})
    response = browser.get("/mina-sidor/")
    # Issue 17, finding 2: the password alone enrols no app; the client's link is the way in.
    assert response.status_code == 302 and response.url == "/konto/tvastegs/behover-lank/"
    assert browser.get("/konto/tvastegs/aktivera/").url == "/konto/tvastegs/behover-lank/"
    assert list(devices_for_user(user, confirmed=True)) == []
    # The link's device accepts no typed code.
    assert match_token(user, "123456") is None
    assert not SignInLinkDevice.objects.get(user=user).verify_token("123456")


def test_after_password_and_code_the_client_starts_on_their_own_pages(cast):
    _client, account = invited_client(cast)
    browser = as_staff(account.user)  # password + TOTP, as after a real login
    home = browser.get("/")
    assert home.status_code == 302 and home.url == "/mina-sidor/"
    assert browser.get("/mina-sidor/").status_code == 200


def test_only_a_case_manager_in_the_team_under_consent_invites(cast):
    client, _account = invited_client(cast)
    assert services.may_invite(cast.case_manager, client)
    for person in (cast.method_supervisor, cast.clinic_colleague, cast.outsider_case_manager):
        assert not services.may_invite(person, client)
    page = as_staff(cast.case_manager).get(f"/mina-sidor/bjud-in/{client.pk}/")
    assert page.status_code == 200
    assert (
        as_staff(cast.clinic_colleague).get(f"/mina-sidor/bjud-in/{client.pk}/").status_code == 404
    )


def test_the_case_manager_invites_from_the_page(cast):
    from egenmakt.coordination.tests.factories import shared_client

    client = shared_client(cast, name="Robin Ek")
    browser = as_staff(cast.case_manager)
    detail = browser.get(f"/samordning/{client.pk}/").content.decode()
    assert f'href="/mina-sidor/bjud-in/{client.pk}/"' in detail
    response = browser.post(
        f"/mina-sidor/bjud-in/{client.pk}/", {"_action": "invite", "email": "robin@example.org"}
    )
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["robin@example.org"]
    taken = browser.post(
        f"/mina-sidor/bjud-in/{client.pk}/",
        {"_action": "invite", "email": cast.coordinator.email},
    )
    assert taken.status_code == 400


def test_the_client_chooses_a_password_and_then_needs_the_app(cast):
    _client, account = invited_client(cast)
    browser = as_client(account)
    page = browser.get("/mina-sidor/inloggning/")
    assert page.status_code == 200 and "Välj ett lösenord" in page.content.decode()
    saved = browser.post(
        "/mina-sidor/inloggning/",
        {"new_password1": "kören-på-tisdagar-2026", "new_password2": "kören-på-tisdagar-2026"},
    )
    assert saved.status_code == 302
    assert browser.get("/mina-sidor/").status_code == 200  # still signed in
    fresh = Browser()
    fresh.post(
        "/logga-in/", {"username": "kim.berg@example.org", "password": "kören-på-tisdagar-2026"}
    )
    response = fresh.get("/mina-sidor/")
    assert response.status_code == 302 and response.url == "/konto/tvastegs/behover-lank/"
    # Issue 17, finding 2: by password alone no enrolment form; the page offers a link.
    needs_link = fresh.get("/konto/tvastegs/behover-lank/").content.decode()
    assert 'name="token"' not in needs_link and 'href="/mina-sidor/logga-in/"' in needs_link
    # Signed in by the link (second factor verified), the client sets up the app.
    assert browser.get("/konto/tvastegs/aktivera/").status_code == 200


def test_asking_for_links_from_one_address_is_rate_limited(cast):
    browser = Browser()
    for _ in range(10):
        assert browser.post("/mina-sidor/logga-in/", {"email": "x@example.org"}).status_code == 302
    limited = browser.post("/mina-sidor/logga-in/", {"email": "x@example.org"})
    assert limited.status_code == 429 and "För många försök" in limited.content.decode()
