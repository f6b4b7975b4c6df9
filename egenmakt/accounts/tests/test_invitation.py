"""The invitation link: the only way to a first password and a first second factor.

Issue 17, finding 2: a user with no authenticator app enrolled one with the password alone.
Now the link from the administrator (single use, expiring, stored hashed) sets the password
and enrols the app; the password alone reaches only a page that says to ask for a link.
"""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from egenmakt.accounts import services
from egenmakt.accounts.models import Invitation, InvitationPurpose, User
from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import admin_scope, needs_two_factor
from egenmakt.accounts.two_factor import issue_backup_codes
from egenmakt.conftest import sign_in
from egenmakt.demo.cast import DEMO_PASSWORD

LINK = re.compile(r"https?://\S+(/konto/inbjudan/[^/\s]+/)")
NEW_PASSWORD = "Tre-bla-hus-vid-havet-2026"


@pytest.fixture(autouse=True)
def two_factor_for_real(settings):
    settings.EGENMAKT_REQUIRE_2FA = True
    settings.EGENMAKT_DEMO = False


def _link() -> str:
    match = LINK.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def _browser() -> Client:
    browser = Client()
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return browser


def _invite(cast, email: str = "nora.ny@example.org", language: str = "en") -> User:
    return services.invite_person(
        actor=cast.admin,
        scope=admin_scope(cast.admin),
        email=email,
        full_name="Nora Ny",
        language=language,
        role=Role.PEER_SUPPORTER,
        organisation=cast.org("user_org_a"),
    )


def _enrol(browser: Client, link: str, user: User):
    assert "qr_svg" in browser.get(link).context  # the app's key is made when shown
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    return browser.post(link, {"token": f"{totp(device.bin_key):06d}"})


def test_the_invited_person_sets_a_password_and_an_app_and_is_signed_in(cast):
    person = _invite(cast)
    assert mail.outbox[-1].to == ["nora.ny@example.org"]
    assert mail.outbox[-1].subject == "You are invited to Egenmakt"  # her language
    link = _link()
    assert not Invitation.objects.filter(token_hash=link.split("/")[-2]).exists()  # hashed

    browser = _browser()
    page = browser.get(link)
    assert page.status_code == 200 and "Step 1 of 2: choose a password" in page.content.decode()
    weak = browser.post(link, {"new_password1": "abc", "new_password2": "abc"})
    assert weak.status_code == 400  # Django's validators
    chosen = browser.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert chosen["Location"] == link
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert "_auth_user_id" not in browser.session  # not signed in before the app is on

    enrol = browser.get(link)
    assert "<svg" in enrol.context["qr_svg"]
    assert browser.post(link, {"token": "000000"}).status_code == 400
    TOTPDevice.objects.get(user=person, confirmed=False).throttle_reset()
    done = _enrol(browser, link, person)
    assert done["Location"] == "/konto/tvastegs/reservkoder/"
    assert len(browser.get("/konto/tvastegs/reservkoder/").context["codes"]) == 10
    assert browser.session["_auth_user_id"] == str(person.pk)
    assert browser.get("/roll/peer-supporter/").status_code == 200  # verified, both factors
    assert Invitation.objects.get(user=person).used_at is not None

    # The link works once: afterwards one neutral page.
    again = _browser().get(link)
    assert again.status_code == 410
    assert "Ask your administrator to send you a new link." in again.content.decode()


def test_password_alone_never_reaches_an_enrolment_form(cast):
    """Finding 2: half-way through, someone who knows the password but not the link gets no
    form; a second browser with the link must type the password before the app."""
    person = _invite(cast)
    link = _link()
    first = _browser()
    first.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    by_password = _browser()
    by_password.post("/logga-in/", {"username": person.email, "password": NEW_PASSWORD})
    assert by_password.get("/")["Location"] == "/konto/tvastegs/behover-lank/"
    assert by_password.get("/konto/tvastegs/aktivera/")["Location"] == (
        "/konto/tvastegs/behover-lank/"
    )
    assert not TOTPDevice.objects.filter(user=person).exists()

    other = _browser()
    asked = other.get(link)
    assert "Step 1 of 2: type your password" in asked.content.decode()
    assert "qr_svg" not in asked.context
    assert other.post(link, {"password": "wrong-guess-2026"}).status_code == 400
    assert other.post(link, {"password": NEW_PASSWORD})["Location"] == link
    assert _enrol(other, link, person).status_code == 302


def test_an_expired_link_is_refused(cast):
    person = _invite(cast)
    link = _link()
    Invitation.objects.filter(user=person).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = _browser().post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 410
    person.refresh_from_db()
    assert not person.has_usable_password()


def test_links_expire_after_the_configured_days(cast, settings):
    settings.INVITATION_DAYS = 3
    person = _invite(cast)
    invitation = Invitation.objects.get(user=person)
    assert invitation.expires_at - invitation.created_at == timedelta(days=3)


def test_a_newer_link_replaces_the_older_one(cast):
    person = _invite(cast)
    older = _link()
    services.issue_invitation(user=person, purpose=InvitationPurpose.INVITE)
    assert _browser().get(older).status_code == 410
    assert Invitation.objects.filter(user=person, expires_at__gt=timezone.now()).count() == 1


def test_an_unknown_token_gets_the_same_page_and_guessing_is_limited(cast):
    browser = _browser()
    first = browser.get("/konto/inbjudan/guess-0/")
    assert first.status_code == 410
    for n in range(1, 30):
        browser.get(f"/konto/inbjudan/guess-{n}/")
    assert browser.get("/konto/inbjudan/guess-31/").status_code == 429


def test_a_link_for_a_closed_account_does_nothing(cast):
    person = _invite(cast)
    link = _link()
    User.objects.filter(pk=person.pk).update(is_active=False)
    assert _browser().get(link).status_code == 410


def test_resetting_a_colleagues_second_factor_end_to_end(cast):
    colleague = cast.peer_supporter  # in Föreningen Egen Kraft, under the admin's network
    colleague.preferred_language = "en"
    colleague.save(update_fields=["preferred_language"])
    their_session = sign_in(_browser(), colleague)
    assert their_session.get("/roll/peer-supporter/").status_code == 200
    issue_backup_codes(user=colleague)

    admin = sign_in(_browser(), cast.admin)
    response = admin.post(f"/administration/personer/{colleague.pk}/tvastegs/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    assert not StaticDevice.objects.filter(user=colleague).exists()
    # Signed out everywhere.
    assert their_session.get("/roll/peer-supporter/")["Location"].startswith("/logga-in/")
    assert mail.outbox[-1].to == [colleague.email]
    assert mail.outbox[-1].subject == "Your new sign-in to Egenmakt"

    link = _link()
    browser = _browser()
    assert "Step 1 of 2: type your password" in browser.get(link).content.decode()
    assert browser.post(link, {"password": DEMO_PASSWORD})["Location"] == link
    assert _enrol(browser, link, colleague)["Location"] == "/konto/tvastegs/reservkoder/"
    assert browser.get("/roll/peer-supporter/").status_code == 200
    assert TOTPDevice.objects.filter(user=colleague, confirmed=True).count() == 1


def test_create_operator_prints_a_link_that_sets_up_the_operator(cast):
    out = StringIO()
    call_command(
        "create_operator", "--email", "Drift@Example.org", "--name", "Dana Drift", stdout=out
    )
    operator = User.objects.get(email="drift@example.org")
    assert operator.is_superuser and operator.is_staff and not operator.has_usable_password()
    assert needs_two_factor(operator)
    link = re.search(r"https?://\S+(/konto/inbjudan/\S+/)", out.getvalue()).group(1)
    assert out.getvalue().count("/konto/inbjudan/") == 1
    browser = _browser()
    browser.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert _enrol(browser, link, operator).status_code == 302
    assert browser.get("/admin/").status_code == 200
    assert _browser().get(link).status_code == 410


def test_create_operator_promotes_an_existing_account(cast):
    out = StringIO()
    call_command("create_operator", "--email", cast.auditor.email, "--name", "Ignored", stdout=out)
    cast.auditor.refresh_from_db()
    assert cast.auditor.is_superuser and cast.auditor.check_password(DEMO_PASSWORD)


def test_demo_users_still_skip_two_factor_in_demo_mode(cast, client, settings):
    settings.EGENMAKT_DEMO = True
    client.post("/logga-in/", {"username": cast.coordinator.email, "password": DEMO_PASSWORD})
    assert client.get("/roll/samordnare/").status_code == 200
