"""mozilla-django-oidc's backend, set up from one ``IdentityProvider`` instead of settings.

It is not in ``AUTHENTICATION_BACKENDS``: the callback view (``views.Callback``) builds one
for the provider the sign-in started with and asks it for the person; the session is then
signed in with the ordinary model backend, as the portal's sign-in link does.
"""

from __future__ import annotations

from typing import Any

import jwt
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .models import IdentityProvider
from .services import Match, match_person

# How far the clocks of the provider and Egenmakt may disagree.
LEEWAY_SECONDS = 30
TIMEOUT_SECONDS = 10
# Only asymmetric signatures: the client secret is never a signing key here.
ALGORITHM = "RS256"
REQUIRED_CLAIMS = ["iss", "aud", "exp", "iat", "sub", "nonce"]

SETTINGS: dict[str, Any] = {
    "OIDC_USE_NONCE": True,
    "OIDC_TIMEOUT": TIMEOUT_SECONDS,
    "OIDC_VERIFY_SSL": True,
    "OIDC_TOKEN_USE_BASIC_AUTH": False,
    "OIDC_AUTHENTICATION_CALLBACK_URL": "sso:callback",
    "OIDC_STORE_ACCESS_TOKEN": False,
    "OIDC_STORE_ID_TOKEN": False,
    "OIDC_ALLOW_UNSECURED_JWT": False,
}


class ProviderBackend(OIDCAuthenticationBackend):
    def __init__(self, provider: IdentityProvider) -> None:
        self.provider = provider
        self.OIDC_OP_TOKEN_ENDPOINT = provider.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = None
        self.OIDC_OP_JWKS_ENDPOINT = provider.jwks_uri
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = provider.client_secret
        self.OIDC_RP_SIGN_ALGO = ALGORITHM
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.claims: dict[str, Any] = {}

    def get_settings(self, attr: str, *args: Any) -> Any:
        if attr in SETTINGS:
            return SETTINGS[attr]
        if attr == "OIDC_RP_SCOPES":
            return self.provider.scopes
        return super().get_settings(attr, *args)

    def _verify_jws(self, payload: Any, key: Any) -> dict[str, Any]:
        """The signature against the provider's key set, and the audience, issuer and
        lifetime (the library checks only the signature)."""
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != ALGORITHM:
            raise SuspiciousOperation("unexpected signing algorithm")
        try:
            claims: dict[str, Any] = jwt.decode(
                payload,
                key,
                algorithms=[ALGORITHM],
                audience=self.provider.client_id,
                issuer=self.provider.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"ID token refused: {type(exc).__name__}") from exc
        azp = claims.get("azp")
        if azp is not None and azp != self.provider.client_id:
            raise SuspiciousOperation("ID token refused: authorised party")
        return claims

    def get_or_create_user(self, access_token: Any, id_token: Any, payload: Any) -> Match:
        """The person is matched on the verified ID token's claims alone (no user info
        call, no user created); ``services.NotMatchedError`` goes through to the view."""
        self.claims = payload
        return match_person(provider=self.provider, claims=payload)
