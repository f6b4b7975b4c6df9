"""The administrator's pages for the organisation's e-ID providers."""

from __future__ import annotations

import pytest

from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import AccessLog
from egenmakt.sso.models import IdentityProvider

from .flow import make_provider
from .provider import CLIENT_ID, CLIENT_SECRET

pytestmark = pytest.mark.django_db


def form_data(cast, op, **changes):
    data = {
        "name": "Region Västerhavs IdP",
        "slug": "vasterhav",
        "organisation": str(cast.org("network").pk),
        "signs_in": "staff",
        "issuer": op.issuer,
        "authorization_endpoint": "",
        "token_endpoint": "",
        "jwks_uri": "",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "scopes": "openid email",
        "subject_claim": "sub",
        "email_claim": "email",
        "personal_number_claim": "https://id.oidc.se/claim/personalIdentityNumber",
        "mfa_acr_values": "http://id.elegnamnden.se/loa/1.0/loa3",
        "mfa_amr_values": "",
        "active": "on",
    }
    data.update(changes)
    return data


def test_an_administrator_adds_a_provider_read_from_discovery(cast, op, signed_in):
    browser = signed_in(cast.admin)
    assert browser.get("/administration/e-legitimation/ny/").status_code == 200
    response = browser.post("/administration/e-legitimation/ny/", form_data(cast, op))
    assert response.status_code == 302, response.content.decode()[:2000]
    provider = IdentityProvider.objects.get(slug="vasterhav")
    assert provider.token_endpoint == op.endpoints["token_endpoint"]
    assert provider.jwks_uri == op.endpoints["jwks_uri"]
    assert provider.client_secret == CLIENT_SECRET
    assert AccessLog.objects.filter(
        actor=cast.admin, reason=AuditEvent.OIDC_PROVIDER_SAVED, object_id=str(provider.pk)
    ).exists()
    listing = browser.get("/administration/e-legitimation/")
    assert "Region Västerhavs IdP" in listing.text


def test_the_secret_is_never_shown_and_kept_when_left_empty(cast, op, signed_in):
    provider = make_provider(op, cast.org("network"), slug="natverk", signs_in="staff")
    browser = signed_in(cast.admin)
    page = browser.get(f"/administration/e-legitimation/{provider.pk}/")
    assert page.status_code == 200
    assert CLIENT_SECRET not in page.text
    response = browser.post(
        f"/administration/e-legitimation/{provider.pk}/",
        form_data(cast, op, slug="natverk", client_secret="", name="Nytt namn", active=""),
    )
    assert response.status_code == 302
    provider.refresh_from_db()
    assert (provider.name, provider.client_secret, provider.active) == (
        "Nytt namn",
        CLIENT_SECRET,
        False,
    )


def test_bad_input_keeps_the_form_and_answers_400(cast, op, signed_in):
    browser = signed_in(cast.admin)
    missing_secret = browser.post(
        "/administration/e-legitimation/ny/", form_data(cast, op, client_secret="")
    )
    assert missing_secret.status_code == 400
    assert "Region Västerhavs IdP" in missing_secret.text
    no_discovery = browser.post(
        "/administration/e-legitimation/ny/",
        form_data(cast, op, issuer="http://127.0.0.1:9/"),
    )
    assert no_discovery.status_code == 400
    outside = browser.post(
        "/administration/e-legitimation/ny/",
        form_data(cast, op, organisation=str(cast.org("region").pk)),
    )
    assert outside.status_code == 400
    assert not IdentityProvider.objects.exists()


def test_outside_a_developers_machine_only_https_addresses_are_taken(cast, op, signed_in, settings):
    settings.SSO_ALLOW_HTTP = False
    browser = signed_in(cast.admin)
    response = browser.post(
        "/administration/e-legitimation/ny/",
        form_data(cast, op, authorization_endpoint="http://idp.example/authorize"),
    )
    assert response.status_code == 400
    assert "Adressen måste börja med https://." in response.text
    assert not IdentityProvider.objects.exists()


def test_providers_outside_the_administrators_tree_answer_404(cast, op, signed_in):
    provider = make_provider(op, cast.org("network"), slug="natverk", signs_in="staff")
    browser = signed_in(cast.outsider_admin)
    assert browser.get(f"/administration/e-legitimation/{provider.pk}/").status_code == 404
    posted = browser.post(f"/administration/e-legitimation/{provider.pk}/", form_data(cast, op))
    assert posted.status_code == 404
    assert "natverk" not in browser.get("/administration/e-legitimation/").text


def test_people_without_the_admin_role_are_refused(cast, op, signed_in):
    browser = signed_in(cast.case_manager)
    assert browser.get("/administration/e-legitimation/").status_code == 403
    assert browser.get("/administration/e-legitimation/ny/").status_code == 403


def test_operators_never_see_the_secret_in_djangos_admin(cast, op, client):
    from egenmakt.accounts.models import User

    provider = make_provider(op, cast.org("network"), slug="natverk", signs_in="staff")
    operator = User.objects.create_superuser(
        "drift.matris@example.org", "drift-losenord-2026", full_name="Drift Matris"
    )
    from egenmakt.conftest import sign_in

    browser = sign_in(client, operator)
    page = browser.get(f"/admin/sso/identityprovider/{provider.pk}/change/")
    assert page.status_code == 200
    assert CLIENT_SECRET not in page.text
