"""Sign-in through an organisation's OpenID Connect provider, against a real provider."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client as Browser
from django_otp import DEVICE_ID_SESSION_KEY

from egenmakt.accounts.models import User
from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import AccessLog, Outcome
from egenmakt.portal.models import PortalIdentity
from egenmakt.portal.tests.factories import invited_client
from egenmakt.sso.models import IdentityProviderDevice, StaffIdentity

from .flow import LOA2, LOA3, sign_in, start

pytestmark = pytest.mark.django_db

PNR_CLAIM = "https://id.oidc.se/claim/personalIdentityNumber"
NOBODY_PNR = "191212121212"


def staff_claims(user: Any, *, sub: str = "siths-0001", acr: str = LOA3) -> dict[str, Any]:
    return {"sub": sub, "email": user.email, "email_verified": True, "acr": acr}


def signed_in_user(browser: Browser) -> Any:
    user_id = browser.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def refusals() -> list[AccessLog]:
    return list(
        AccessLog.objects.filter(
            outcome=Outcome.DENIED, reason__startswith=AuditEvent.OIDC_SIGN_IN_REFUSED
        )
    )


# --- Staff ---------------------------------------------------------------------------------------


def test_staff_with_multi_factor_acr_is_signed_in_and_verified(cast, op, providers):
    op.behaviour.claims = staff_claims(cast.case_manager)
    browser = Browser()
    response, _callback = sign_in(browser, providers.staff)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_user(browser) == cast.case_manager
    device = IdentityProviderDevice.objects.get(user=cast.case_manager)
    assert browser.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    # The start page opens: the second factor is done.
    home = browser.get("/", follow=True)
    assert home.status_code == 200
    assert home.redirect_chain[-1][0] != "/konto/tvastegs/"
    assert "tvastegs" not in home.request["PATH_INFO"]
    identity = StaffIdentity.objects.get(user=cast.case_manager)
    assert (identity.provider, identity.subject) == (providers.staff, "siths-0001")
    assert refusals() == []


def test_staff_are_matched_by_the_stored_subject_afterwards(cast, op, providers):
    op.behaviour.claims = staff_claims(cast.case_manager)
    sign_in(Browser(), providers.staff)
    # The provider no longer sends the e-mail: the subject alone finds the person.
    op.behaviour.claims = {"sub": "siths-0001", "acr": LOA3}
    browser = Browser()
    response, _ = sign_in(browser, providers.staff)
    assert response.status_code == 302
    assert signed_in_user(browser) == cast.case_manager
    # Another subject with the same e-mail is not the same person.
    op.behaviour.claims = staff_claims(cast.case_manager, sub="siths-9999")
    other = Browser()
    response, _ = sign_in(other, providers.staff)
    assert response.status_code == 403
    assert signed_in_user(other) is None


def test_staff_without_multi_factor_go_on_to_their_own_second_factor(cast, op, providers):
    op.behaviour.claims = staff_claims(cast.case_manager, acr=LOA2)
    browser = Browser()
    response, _ = sign_in(browser, providers.staff)
    assert response.status_code == 302
    assert signed_in_user(browser) == cast.case_manager
    assert DEVICE_ID_SESSION_KEY not in browser.session
    assert not IdentityProviderDevice.objects.filter(user=cast.case_manager).exists()
    page = browser.get("/samordning/")
    assert page.status_code == 302
    assert page["Location"] in ("/konto/tvastegs/", "/konto/tvastegs/behover-lank/")


def test_amr_values_count_as_multi_factor_when_configured(cast, op, providers):
    op.behaviour.claims = {**staff_claims(cast.case_manager, acr=LOA2), "amr": ["pwd", "hwk"]}
    browser = Browser()
    sign_in(browser, providers.staff)
    assert DEVICE_ID_SESSION_KEY in browser.session
    assert browser.get("/samordning/").status_code == 200


def test_the_provider_device_never_counts_as_an_authenticator_app(cast, op, providers):
    from django_otp import devices_for_user, match_token

    op.behaviour.claims = staff_claims(cast.case_manager)
    sign_in(Browser(), providers.staff)
    assert not any(
        isinstance(d, IdentityProviderDevice) for d in devices_for_user(cast.case_manager)
    )
    assert match_token(cast.case_manager, "123456") is None


def test_staff_without_a_membership_in_the_providers_tree_are_refused(cast, op, providers):
    # The outsider holds the same role, in another region.
    op.behaviour.claims = staff_claims(cast.outsider_case_manager, sub="siths-outsider")
    browser = Browser()
    response, _ = sign_in(browser, providers.staff)
    assert response.status_code == 403
    assert "Vi hittade dig inte" in response.text
    assert "administratören" in response.text
    assert signed_in_user(browser) is None
    assert not StaffIdentity.objects.exists()
    [row] = refusals()
    assert row.object_id == str(providers.staff.pk)
    assert "no membership" in row.reason


def test_a_units_provider_never_vouches_for_a_role_above_or_beside_it(cast, op):
    """A unit's administrators set up the unit's provider; it signs in the unit's own
    staff, never a person who also holds a role they do not administer."""
    from egenmakt.accounts.models import Membership
    from egenmakt.accounts.roles import Role

    from .flow import make_provider

    unit = make_provider(op, cast.org("clinic"), slug="clinic-idp", signs_in="staff")
    region_admin = User.objects.create_user("region.admin@example.org", full_name="Rea Admin")
    Membership.objects.create(user=region_admin, organisation=cast.org("region"), role=Role.ADMIN)
    op.behaviour.claims = staff_claims(region_admin, sub="siths-region-admin")
    assert sign_in(Browser(), unit)[0].status_code == 403
    # A clinic colleague who also holds a role in the municipality: refused as well.
    colleague = cast.clinic_colleague
    Membership.objects.create(
        user=colleague, organisation=cast.org("social_psychiatry"), role=Role.CASE_MANAGER
    )
    op.behaviour.claims = staff_claims(colleague, sub="siths-colleague")
    browser = Browser()
    assert sign_in(browser, unit)[0].status_code == 403
    assert signed_in_user(browser) is None
    reasons = sorted(r.reason.split("refused: ")[1] for r in refusals())
    assert reasons == [
        "a membership outside the provider's organisation",
        "no membership in the provider's organisation",
    ]
    # With only the clinic's role left, the unit's provider signs the colleague in.
    Membership.objects.filter(user=colleague, organisation=cast.org("social_psychiatry")).delete()
    assert sign_in(browser, unit)[0].status_code == 302
    assert signed_in_user(browser) == colleague


def test_an_installation_administrator_is_never_signed_in_by_a_provider(cast, op, providers):
    cast.case_manager.is_superuser = True
    cast.case_manager.save(update_fields=["is_superuser"])
    op.behaviour.claims = staff_claims(cast.case_manager)
    assert sign_in(Browser(), providers.staff)[0].status_code == 403


def test_a_user_without_any_role_is_refused(cast, op, providers):
    User.objects.create_user(email="ingen.roll@example.org", full_name="Ingen Roll")
    op.behaviour.claims = staff_claims(User.objects.get(email="ingen.roll@example.org"))
    response, _ = sign_in(Browser(), providers.staff)
    assert response.status_code == 403


def test_an_unverified_email_does_not_match_the_first_time(cast, op, providers):
    op.behaviour.claims = {**staff_claims(cast.case_manager), "email_verified": False}
    browser = Browser()
    response, _ = sign_in(browser, providers.staff)
    assert response.status_code == 403
    assert signed_in_user(browser) is None


def test_an_unknown_person_gets_a_page_saying_whom_to_ask_and_no_account(cast, op, providers):
    users = User.objects.count()
    op.behaviour.claims = {
        "sub": "siths-unknown",
        "email": "okand@example.org",
        "email_verified": True,
        "acr": LOA3,
    }
    browser = Browser()
    response, _ = sign_in(browser, providers.staff)
    assert response.status_code == 403
    assert "Vi hittade dig inte" in response.text
    assert "Region Västerhav" in response.text
    assert User.objects.count() == users
    assert signed_in_user(browser) is None
    assert len(refusals()) == 1
    # Recorded as a failed sign-in, keyed on the provider's subject (never a password login).
    assert AccessAttempt.objects.filter(username="oidc:siths:siths-unknown").exists()


def test_the_unknown_person_page_in_english(cast, op, providers):
    op.behaviour.claims = {"sub": "x", "email": "okand@example.org", "email_verified": True}
    browser = Browser()
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response, _ = sign_in(browser, providers.staff)
    assert response.status_code == 403
    assert "We could not find you" in response.text
    assert "Ask the administrator of Egenmakt at Region Västerhav" in response.text


# --- Clients -------------------------------------------------------------------------------------


def test_a_client_is_signed_in_by_personal_identity_number(cast, op, providers):
    client, account = invited_client(cast)
    op.behaviour.claims = {
        "sub": "bankid-abc",
        PNR_CLAIM: client.identity_number,
        "acr": LOA3,
    }
    browser = Browser()
    response, _ = sign_in(browser, providers.clients)
    assert response.status_code == 302
    assert response["Location"] == "/mina-sidor/"
    assert signed_in_user(browser) == account.user
    assert browser.get("/mina-sidor/").status_code == 200
    identity = PortalIdentity.objects.get(provider=op.issuer)
    assert (identity.account, identity.subject) == (account, "bankid-abc")


def test_a_client_without_an_invited_account_is_refused(cast, op, providers):
    op.behaviour.claims = {"sub": "bankid-nobody", PNR_CLAIM: NOBODY_PNR, "acr": LOA3}
    browser = Browser()
    response, _ = sign_in(browser, providers.clients)
    assert response.status_code == 403
    assert "vårdteam" in response.text
    assert signed_in_user(browser) is None
    assert not PortalIdentity.objects.filter(provider=op.issuer).exists()


def test_a_staff_provider_does_not_sign_in_clients(cast, op, providers):
    client, _account = invited_client(cast)
    op.behaviour.claims = {"sub": "bankid-abc", PNR_CLAIM: client.identity_number, "acr": LOA3}
    response, _ = sign_in(Browser(), providers.staff)
    assert response.status_code == 403


# --- A token that fails its checks ---------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"audience": "someone-else"},
        {"issued_ago": 3600, "lifetime": 300},
        {"unknown_key": True},
        {"wrong_signature": True},
        {"nonce": "not-the-nonce"},
        {"no_kid": True},
        {"no_id_token": True},
    ],
    ids=[
        "wrong-audience",
        "expired",
        "unknown-key",
        "wrong-signature",
        "nonce-mismatch",
        "no-key-id",
        "no-id-token",
    ],
)
def test_a_token_that_fails_a_check_signs_nobody_in(cast, op, providers, change):
    op.behaviour.claims = staff_claims(cast.case_manager)
    for name, value in change.items():
        setattr(op.behaviour, name, value)
    browser = Browser()
    response, _ = sign_in(browser, providers.staff)
    assert response.status_code == 400
    assert "Inloggningen fungerade inte" in response.text
    assert signed_in_user(browser) is None
    assert len(refusals()) == 1
    assert not StaffIdentity.objects.exists()


def test_a_wrong_pkce_verifier_is_refused_by_the_provider(cast, op, providers):
    op.behaviour.claims = staff_claims(cast.case_manager)
    browser = Browser()
    callback = start(browser, providers.staff)
    session = browser.session
    states = session["oidc_states"]
    for entry in states.values():
        entry["code_verifier"] = "x" * 64
    session["oidc_states"] = states
    session.save()
    response = browser.get(callback)
    assert response.status_code == 400
    assert signed_in_user(browser) is None
    [row] = refusals()
    assert row.reason.endswith("token endpoint: 400")


def test_a_sign_in_left_too_long_at_the_provider_is_refused(cast, op, providers):
    op.behaviour.claims = staff_claims(cast.case_manager)
    browser = Browser()
    callback = start(browser, providers.staff)
    session = browser.session
    states = session["oidc_states"]
    for entry in states.values():
        entry["added_on"] -= 11 * 60
    session["oidc_states"] = states
    session.save()
    assert browser.get(callback).status_code == 400
    assert signed_in_user(browser) is None


def test_a_callback_works_once(cast, op, providers):
    op.behaviour.claims = staff_claims(cast.case_manager)
    browser = Browser()
    response, callback = sign_in(browser, providers.staff)
    assert response.status_code == 302
    browser.logout()
    asked = op.token_requests
    again = browser.get(callback)
    assert again.status_code == 400
    assert signed_in_user(browser) is None
    # In another browser the state is unknown too; the code is never sent again.
    assert Browser().get(callback).status_code == 400
    assert op.token_requests == asked


def test_a_callback_without_a_started_sign_in_is_refused(cast, op, providers):
    for _attempt in range(7):
        response = Browser().get("/logga-in/oidc/tillbaka/?code=abc&state=made-up")
        # Never a lockout: a broken callback is nobody's failed attempt.
        assert response.status_code == 400
    assert len(refusals()) == 7
    assert not AccessAttempt.objects.exists()


def test_the_provider_reporting_an_error_signs_nobody_in(cast, op, providers):
    browser = Browser()
    response = browser.get(f"/logga-in/oidc/{providers.staff.slug}/")
    state = response["Location"].split("state=")[1].split("&")[0]
    answer = browser.get(f"/logga-in/oidc/tillbaka/?error=access_denied&state={state}")
    assert answer.status_code == 400
    assert signed_in_user(browser) is None


# --- Starting, and the buttons -------------------------------------------------------------------


def test_the_person_lands_on_the_page_they_asked_for(cast, op, providers):
    from urllib.parse import quote

    # The staff sign-in page's e-ID button carries the page's ?next= on.
    page = Browser().get("/logga-in/?next=/samordning/")
    assert f'href="/logga-in/oidc/{providers.staff.slug}/?next=/samordning/"' in page.text
    op.behaviour.claims = staff_claims(cast.case_manager)
    response, _ = sign_in(Browser(), providers.staff, "?next=/samordning/")
    assert response["Location"] == "/samordning/"
    # Another site, or a scheme-relative address, is never followed.
    for elsewhere in ("https://evil.example/", "//evil.example/x"):
        response, _ = sign_in(Browser(), providers.staff, f"?next={quote(elsewhere)}")
        assert response["Location"] == "/", elsewhere


def test_a_client_lands_on_the_own_page_they_asked_for_and_only_there(cast, op, providers):
    client, _account = invited_client(cast)
    op.behaviour.claims = {"sub": "bankid-1", PNR_CLAIM: client.identity_number, "acr": LOA3}
    first = Browser().get("/mina-sidor/moten/", follow=True)
    assert "?next=/mina-sidor/moten/" in first.text  # the button on the portal's sign-in
    response, _ = sign_in(Browser(), providers.clients, "?next=/mina-sidor/moten/")
    assert response["Location"] == "/mina-sidor/moten/"
    # A staff page is not a client's way on: the client starts on their own pages.
    response, _ = sign_in(Browser(), providers.clients, "?next=/samordning/")
    assert response["Location"] == "/mina-sidor/"


def test_the_start_sends_state_nonce_and_pkce(cast, op, providers):
    response = Browser().get(f"/logga-in/oidc/{providers.staff.slug}/")
    location = response["Location"]
    assert location.startswith(op.issuer + "/authorize?")
    for part in ("state=", "nonce=", "code_challenge=", "code_challenge_method=S256"):
        assert part in location
    assert "client_secret" not in location


def test_an_inactive_provider_cannot_be_started(cast, op, providers):
    providers.staff.active = False
    providers.staff.save()
    assert Browser().get(f"/logga-in/oidc/{providers.staff.slug}/").status_code == 404
    assert Browser().get("/logga-in/oidc/finns-inte/").status_code == 404


def test_sign_in_pages_show_buttons_for_their_kind_of_person(cast, op, providers):
    staff_page = Browser().get("/logga-in/").text
    assert "Logga in med Testlegitimation siths" in staff_page
    assert "Testlegitimation bankid" not in staff_page
    portal_page = Browser().get("/mina-sidor/logga-in/").text
    assert "Logga in med Testlegitimation bankid" in portal_page
    assert "Testlegitimation siths" not in portal_page
    providers.clients.active = False
    providers.clients.save()
    assert "Testlegitimation bankid" not in Browser().get("/mina-sidor/logga-in/").text


def test_a_signed_in_person_is_replaced_not_mixed(cast, op, providers, signed_in):
    browser = signed_in(cast.coordinator)
    op.behaviour.claims = staff_claims(cast.case_manager)
    response, _ = sign_in(browser, providers.staff)
    assert response.status_code == 302
    assert signed_in_user(browser) == cast.case_manager


def test_anonymising_an_account_removes_its_e_id_subject_and_device(cast, op, providers):
    from egenmakt.accounts.services import anonymise_user

    op.behaviour.claims = staff_claims(cast.case_manager)
    sign_in(Browser(), providers.staff)
    assert StaffIdentity.objects.filter(user=cast.case_manager).exists()
    anonymise_user(user=User.objects.get(pk=cast.case_manager.pk))
    assert not StaffIdentity.objects.filter(user=cast.case_manager).exists()
    assert not IdentityProviderDevice.objects.filter(user=cast.case_manager).exists()
    # The subject no longer finds anyone.
    op.behaviour.claims = {"sub": "siths-0001", "acr": LOA3}
    response, _ = sign_in(Browser(), providers.staff)
    assert response.status_code == 403


def test_a_client_invited_again_after_access_ended_signs_in_to_the_new_login(cast, op, providers):
    from egenmakt.portal import services as portal_services

    client, first = invited_client(cast)
    op.behaviour.claims = {"sub": "bankid-abc", PNR_CLAIM: client.identity_number, "acr": LOA3}
    sign_in(Browser(), providers.clients)
    portal_services.end_access(user=cast.case_manager, client=client)
    ended = Browser()
    response, _ = sign_in(ended, providers.clients)
    assert response.status_code == 403
    assert signed_in_user(ended) is None
    second = portal_services.invite_client(
        user=cast.case_manager, client=client, email="kim.ny@example.org"
    )
    assert second.pk != first.pk
    browser = Browser()
    response, _ = sign_in(browser, providers.clients)
    assert response.status_code == 302
    assert signed_in_user(browser) == second.user
    assert PortalIdentity.objects.get(provider=op.issuer, subject="bankid-abc").account == second
