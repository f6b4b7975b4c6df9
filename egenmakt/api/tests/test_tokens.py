"""API tokens: only a hash is kept, and scope, expiry, revocation and the rate limit hold."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from egenmakt.api.models import ApiToken, token_digest
from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import AccessLog
from egenmakt.conftest import sign_in

from .factories import bearer, personal_token, service_token

pytestmark = pytest.mark.django_db
ME = "/api/v1/me"


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()


def test_only_the_hash_of_the_secret_is_stored(cast: Any) -> None:
    secret = personal_token(cast.case_manager)
    token = ApiToken.objects.get(user=cast.case_manager)
    assert token.digest == token_digest(secret)
    stored = [str(v) for v in ApiToken.objects.filter(pk=token.pk).values().get().values()]
    assert not any(secret in value for value in stored)
    assert secret.startswith(token.prefix) and len(token.prefix) < len(secret) // 4


def test_a_personal_token_acts_as_its_person(cast: Any) -> None:
    secret = personal_token(cast.case_manager, ["coordination:read"])
    response = Client().get(ME, **bearer(secret))
    assert response.status_code == 200
    body = response.json()
    assert body["user_id"] == cast.case_manager.pk and body["kind"] == "personal"
    assert ApiToken.objects.get(user=cast.case_manager).last_used_at is not None


@pytest.mark.parametrize(
    "header", ["", "Bearer ", "Bearer egm_wrong", "Token abc", "Basic dXNlcjpwYXNz"]
)
def test_no_or_a_wrong_token_is_401(cast: Any, header: str) -> None:
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = Client().get(ME, **extra)
    assert response.status_code == 401
    assert response.json() == {"detail": "A valid token is needed."}


def test_a_session_cookie_does_not_open_the_api(cast: Any) -> None:
    browser = sign_in(Client(), cast.case_manager)
    assert browser.get("/api/v1/clients").status_code == 401


def test_an_expired_token_is_401(cast: Any) -> None:
    secret = personal_token(cast.case_manager)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get(ME, **bearer(secret)).status_code == 401


def test_a_revoked_token_is_401_at_once_and_the_revocation_logged(cast: Any) -> None:
    secret = personal_token(cast.case_manager)
    assert Client().get(ME, **bearer(secret)).status_code == 200
    browser = sign_in(Client(), cast.case_manager)
    token = ApiToken.objects.get(user=cast.case_manager)
    response = browser.post(reverse("api_tokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    assert Client().get(ME, **bearer(secret)).status_code == 401
    assert AccessLog.objects.filter(
        actor=cast.case_manager, reason=AuditEvent.API_TOKEN_REVOKED
    ).exists()


def test_a_deactivated_persons_token_is_401(cast: Any) -> None:
    secret = personal_token(cast.case_manager)
    type(cast.case_manager).objects.filter(pk=cast.case_manager.pk).update(is_active=False)
    assert Client().get(ME, **bearer(secret)).status_code == 401


def test_closing_an_account_revokes_its_tokens_for_good(cast: Any) -> None:
    from egenmakt.accounts.models import Membership
    from egenmakt.accounts.roles import Role
    from egenmakt.accounts.selectors import admin_scope
    from egenmakt.accounts.services import deactivate_account, reactivate_account

    admin = type(cast.case_manager).objects.create_user(
        "regionadmin@example.org", full_name="Rea Admin"
    )
    Membership.objects.create(user=admin, organisation=cast.org("region"), role=Role.ADMIN)
    scope = admin_scope(admin)
    assert scope is not None
    secret = personal_token(cast.case_manager)
    deactivate_account(actor=admin, scope=scope, user=cast.case_manager)
    token = ApiToken.objects.get(user=cast.case_manager)
    assert token.revoked_at is not None and token.revoked_by == admin
    assert AccessLog.objects.filter(
        actor=admin, reason=AuditEvent.API_TOKEN_REVOKED, object_id=str(token.pk)
    ).exists()
    # Opened again, the person signs in, but the old secret stays dead.
    reactivate_account(actor=admin, scope=scope, user=cast.case_manager)
    assert Client().get(ME, **bearer(secret)).status_code == 401
    assert Client().get(ME, **bearer(personal_token(cast.case_manager))).status_code == 200


def test_a_token_without_the_areas_scope_is_403(cast: Any) -> None:
    secret = personal_token(cast.case_manager, ["influence:read"])
    response = Client().get("/api/v1/clients", **bearer(secret))
    assert response.status_code == 403
    assert AccessLog.objects.filter(actor=cast.case_manager, outcome="denied").exists()


def test_a_service_token_never_reaches_care_data(cast: Any) -> None:
    with pytest.raises(ValidationError):
        service_token(cast.admin, cast.org("network"), ["coordination:read"])
    secret = service_token(cast.admin, cast.org("network"))
    # Even a scope written into the row by hand does not open it.
    ApiToken.objects.filter(organisation__isnull=False).update(scopes=["coordination:read"])
    assert Client().get("/api/v1/clients", **bearer(secret)).status_code == 403


def test_only_an_administrator_of_the_organisation_makes_its_service_token(cast: Any) -> None:
    with pytest.raises(PermissionDenied):
        service_token(cast.coordinator, cast.org("network"))
    with pytest.raises(PermissionDenied):
        service_token(cast.admin, cast.org("clinic"))  # not in the admin's tree


@pytest.mark.parametrize("days", [0, 366])
def test_a_token_must_expire_within_a_year(cast: Any, days: int) -> None:
    with pytest.raises(ValidationError):
        personal_token(cast.case_manager, days=days)


@override_settings(API_TOKEN_RATE="3/m")
def test_a_token_is_rate_limited_in_the_shared_cache(cast: Any) -> None:
    secret = personal_token(cast.case_manager)
    codes = [Client().get(ME, **bearer(secret)).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    # Another token has its own count.
    assert Client().get(ME, **bearer(personal_token(cast.coordinator))).status_code == 200


@override_settings(API_BAD_TOKEN_RATE="2/m")
def test_guessing_tokens_is_rate_limited_by_address(cast: Any) -> None:
    codes = [Client().get(ME, **bearer(f"egm_guess{i}")).status_code for i in range(3)]
    assert codes == [401, 401, 429]


# --- The pages -------------------------------------------------------------------------------


def test_the_page_shows_a_new_token_once(cast: Any) -> None:
    browser = sign_in(Client(), cast.case_manager)
    assert browser.get(reverse("api_tokens:tokens")).status_code == 200
    response = browser.post(
        reverse("api_tokens:create"),
        {"name": "Journalsystemet", "scopes": ["coordination:read"], "days": "30"},
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user=cast.case_manager)
    secret = response.context["secret"]
    assert token.digest == token_digest(secret) and secret in response.content.decode()
    assert secret not in browser.get(reverse("api_tokens:tokens")).content.decode()
    assert AccessLog.objects.filter(reason=AuditEvent.API_TOKEN_CREATED).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "scopes": ["coordination:read"], "days": "30"},
        {"name": "x", "scopes": [], "days": "30"},
        {"name": "x", "scopes": ["coordination:admin"], "days": "30"},
        {"name": "x", "scopes": ["coordination:read"], "days": "400"},
    ],
)
def test_invalid_input_is_400_and_makes_nothing(cast: Any, data: dict[str, Any]) -> None:
    browser = sign_in(Client(), cast.case_manager)
    assert browser.post(reverse("api_tokens:create"), data).status_code == 400
    assert not ApiToken.objects.exists()


def test_someone_elses_token_cannot_be_revoked(cast: Any) -> None:
    personal_token(cast.case_manager)
    token = ApiToken.objects.get()
    browser = sign_in(Client(), cast.clinic_colleague)
    assert browser.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_an_administrator_makes_and_revokes_a_service_token(cast: Any) -> None:
    browser = sign_in(Client(), cast.admin)
    response = browser.post(
        reverse("api_tokens:service_create"),
        {
            "organisation": cast.org("network").pk,
            "name": "Intranätet",
            "scopes": ["organisations:read"],
            "days": "90",
        },
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(organisation=cast.org("network"))
    assert token.user is None and token.created_by == cast.admin
    # A care-data scope is not even offered to a service token.
    refused = browser.post(
        reverse("api_tokens:service_create"),
        {
            "organisation": cast.org("network").pk,
            "name": "x",
            "scopes": ["coordination:read"],
            "days": "90",
        },
    )
    assert refused.status_code == 400
    assert browser.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == cast.admin


def test_someone_who_administers_nothing_gets_403_for_a_service_token(cast: Any) -> None:
    browser = sign_in(Client(), cast.coordinator)
    response = browser.post(
        reverse("api_tokens:service_create"),
        {"organisation": cast.org("network").pk, "name": "x", "scopes": ["organisations:read"],
         "days": "9"},
    )  # fmt: skip
    assert response.status_code == 403


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_page_speaks_both_languages(cast: Any, language: str) -> None:
    from django.conf import settings

    browser = sign_in(Client(), cast.case_manager)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    body = browser.get(reverse("api_tokens:tokens")).content.decode()
    assert ("API-nycklar" if language == "sv" else "API tokens") in body
    assert ("Skapa nyckel" if language == "sv" else "Create token") in body
