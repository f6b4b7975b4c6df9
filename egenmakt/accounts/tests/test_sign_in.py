"""Signing in: one message for every failure, lockout, CSRF, two factors, reset, sessions."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from egenmakt.accounts.middleware import LOGIN_AT_KEY
from egenmakt.demo.cast import DEMO_PASSWORD, login_email

WRONG = "The e-mail address or password is wrong."


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _login(client, email, password):
    return client.post("/logga-in/", {"username": email, "password": password})


def test_wrong_password_and_unknown_address_look_the_same(cast, english):
    real = _login(english, login_email("coordinator"), "not-the-password")
    fake = _login(english, "nobody@egenmakt.example", "not-the-password")
    assert real.status_code == fake.status_code == 200
    assert WRONG in real.content.decode()
    assert WRONG in fake.content.decode()
    assert "_auth_user_id" not in english.session


def test_correct_password_signs_in(cast, client):
    response = _login(client, login_email("coordinator"), DEMO_PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.coordinator.pk)


def test_too_long_address_is_a_form_error_not_a_crash(cast, english):
    response = _login(english, "a" * 300 + "@egenmakt.example", "x")
    assert response.status_code == 200
    assert "Ensure this value has at most 254 characters" in response.content.decode()


@pytest.mark.parametrize("email", ["samordnare@egenmakt.example", "madeup@egenmakt.example"])
def test_repeated_failures_lock_the_address_even_for_the_right_password(cast, english, email):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(english, email, "wrong-password-123")
    locked = _login(english, email, DEMO_PASSWORD)
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    assert "_auth_user_id" not in english.session


def test_a_form_without_its_csrf_token_gets_the_friendly_page(cast):
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = _login(client, login_email("coordinator"), DEMO_PASSWORD)
    assert response.status_code == 403
    assert "The form had expired" in response.content.decode()


@pytest.fixture
def two_factor_required(settings):
    settings.EGENMAKT_REQUIRE_2FA = True
    settings.EGENMAKT_DEMO = False
    return settings


NEEDS_LINK = "/konto/tvastegs/behover-lank/"


def test_staff_without_a_device_are_told_to_ask_for_a_link(cast, english, two_factor_required):
    """Issue 17, finding 2: the password alone never reaches an enrolment form."""
    english.force_login(cast.case_manager)
    for path in ("/", "/roll/vardsamordnare/", "/granskning/logg/", "/admin/", "/konto/tvastegs/"):
        response = english.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == NEEDS_LINK
    assert english.get("/konto/tvastegs/aktivera/")["Location"] == NEEDS_LINK
    page = english.get(NEEDS_LINK).content.decode()
    assert "You need a link to turn on two-factor sign-in" in page
    assert 'name="token"' not in page and "<svg" not in page
    # Posting a code straight to the enrolment page enrols nothing either.
    english.post("/konto/tvastegs/aktivera/", {"token": "123456"})
    assert not TOTPDevice.objects.filter(user=cast.case_manager).exists()


def test_a_verified_user_replaces_their_app_and_gets_backup_codes_once(
    cast, english, two_factor_required
):
    from egenmakt.conftest import sign_in

    sign_in(english, cast.case_manager)
    old = TOTPDevice.objects.get(user=cast.case_manager, confirmed=True)
    page = english.get("/konto/tvastegs/aktivera/")
    assert page.status_code == 200
    assert 'style="' not in page.context["qr_svg"]
    device = TOTPDevice.objects.get(user=cast.case_manager, confirmed=False)

    wrong = english.post("/konto/tvastegs/aktivera/", {"token": "000000"})
    assert "The code is wrong or too old" in wrong.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp slows down guessing
    device.throttle_reset()

    response = english.post("/konto/tvastegs/aktivera/", {"token": f"{totp(device.bin_key):06d}"})
    assert response["Location"] == "/konto/tvastegs/reservkoder/"
    device.refresh_from_db()
    assert device.confirmed
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    codes = english.get("/konto/tvastegs/reservkoder/").context["codes"]
    assert len(codes) == 10
    assert english.get("/konto/tvastegs/reservkoder/").context["codes"] is None
    assert english.get("/roll/vardsamordnare/").status_code == 200


def _enrolled(user):
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    from egenmakt.accounts.two_factor import issue_backup_codes

    return device, issue_backup_codes(user=user)


def test_verification_accepts_a_fresh_code_and_refuses_a_replay(cast, english, two_factor_required):
    device, _codes = _enrolled(cast.auditor)
    english.force_login(cast.auditor)
    assert english.get("/roll/loggranskare/")["Location"] == "/konto/tvastegs/"
    code = f"{totp(device.bin_key):06d}"
    assert english.post("/konto/tvastegs/", {"token": code}).status_code == 302
    assert english.get("/roll/loggranskare/").status_code == 200

    other = Client()
    other.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    other.force_login(cast.auditor)
    replay = other.post("/konto/tvastegs/", {"token": code})
    assert "The code is wrong or has already been used." in replay.content.decode()


def test_each_backup_code_works_once(cast, english, two_factor_required):
    _device, codes = _enrolled(cast.supervisor)
    english.force_login(cast.supervisor)
    assert english.post("/konto/tvastegs/", {"token": codes[0]}).status_code == 302
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    again = Client()
    again.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    again.force_login(cast.supervisor)
    assert again.post("/konto/tvastegs/", {"token": codes[0]}).status_code == 200


def test_demo_users_skip_two_factor_only_in_demo_mode(cast, client, settings):
    settings.EGENMAKT_REQUIRE_2FA = True
    client.force_login(cast.coordinator)
    settings.EGENMAKT_DEMO = False
    assert client.get("/roll/samordnare/").status_code == 302
    settings.EGENMAKT_DEMO = True
    assert client.get("/roll/samordnare/").status_code == 200


def test_analyst_who_sees_no_personal_data_is_not_forced(cast, client, two_factor_required):
    client.force_login(cast.analyst)
    assert client.get("/roll/analytiker/").status_code == 200


def test_password_reset_mails_a_link_and_never_signs_in(cast, english):
    response = english.post("/konto/losenord/", {"email": login_email("coordinator")})
    assert response["Location"] == "/konto/losenord/skickat/"
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/konto/losenord/" in line)
    path = link.split("testserver", 1)[1]
    form_page = english.get(path, follow=True)
    assert form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    weak = english.post(set_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert "This password is too short" in weak.content.decode()
    done = english.post(
        set_url,
        {"new_password1": "Ett helt nytt lösen 42", "new_password2": "Ett helt nytt lösen 42"},
    )
    assert done["Location"] == "/konto/losenord/klart/"
    assert "_auth_user_id" not in english.session
    cast.coordinator.refresh_from_db()
    assert cast.coordinator.check_password("Ett helt nytt lösen 42")


def test_reset_for_an_unknown_address_looks_the_same(cast, english):
    response = english.post("/konto/losenord/", {"email": "nobody@egenmakt.example"})
    assert response["Location"] == "/konto/losenord/skickat/"
    assert mail.outbox == []


def test_session_ends_after_its_absolute_lifetime(cast, signed_in, settings):
    client = signed_in(cast.coordinator)
    assert client.get("/roll/samordnare/").status_code == 200
    session = client.session
    session[LOGIN_AT_KEY] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get("/roll/samordnare/")
    assert response.status_code == 302
    assert client.get("/roll/samordnare/")["Location"].startswith("/logga-in/")


def test_idle_sessions_expire_on_the_server(cast, signed_in):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = signed_in(cast.coordinator)
    client.get("/roll/samordnare/")
    Session.objects.update(expire_date=timezone.now())
    response = client.get("/roll/samordnare/")
    assert response.status_code == 302
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    login_page = client.get(response["Location"])
    assert "Your session has expired" in login_page.content.decode()


def test_logout_ends_the_session_on_the_server(cast, signed_in):
    client = signed_in(cast.coordinator)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post("/logga-ut/")
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert replay.get("/roll/samordnare/").status_code == 302
