"""Sign-in through an organisation's OpenID Connect provider: start and callback.

``Start`` is mozilla-django-oidc's authentication request for one active provider (state,
nonce and PKCE S256, kept in the session under the state with the provider's slug);
``Callback`` is its callback: the state must be in this session and is spent before the
code is exchanged, so a callback URL works once.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import requests
from django.contrib.auth import login, logout
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render, resolve_url
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .backend import SETTINGS, ProviderBackend
from .models import IdentityProvider, SignsIn
from .services import NotMatchedError, record_refusal

STATES_KEY = "oidc_states"
# A sign-in not finished at the provider within this time starts again.
STATE_SECONDS = 10 * 60
PROVIDER_KEY = "provider"
NEXT_KEY = "next"
PORTAL_PREFIX = "/mina-sidor/"


def _onward(request: HttpRequest, next_url: str, *, client: bool) -> str:
    """Where a signed-in person goes: the page they asked for when it is a path of this
    site (a client's only under their own pages), else their start page."""
    home = resolve_url("portal:start" if client else "accounts:home")
    if not next_url or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return home
    if client and not urlsplit(next_url).path.startswith(PORTAL_PREFIX):
        return home
    return next_url


@method_decorator(never_cache, name="dispatch")
class Start(OIDCAuthenticationRequestView):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The library reads the endpoint and client id from settings here; they are the
        # provider's, read in ``get``.
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get_settings(self, attr: str, *args: Any) -> Any:
        if attr in SETTINGS:
            return SETTINGS[attr]
        if attr == "OIDC_RP_SCOPES":
            return self.provider.scopes
        if attr == "OIDC_USE_PKCE":
            return True
        if attr == "OIDC_PKCE_CODE_CHALLENGE_METHOD":
            return "S256"
        return super().get_settings(attr, *args)

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        self.provider = get_object_or_404(IdentityProvider, slug=slug, active=True)
        self.OIDC_OP_AUTH_ENDPOINT = self.provider.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = self.provider.client_id
        response = super().get(request)
        state = parse_qs(urlsplit(response["Location"]).query)["state"][0]
        states = request.session[STATES_KEY]
        states[state][PROVIDER_KEY] = self.provider.slug
        # The page asked for before signing in (``?next=``, checked by the library to be a
        # path of this site), kept with this sign-in's state rather than for the session.
        states[state][NEXT_KEY] = request.session.pop("oidc_login_next", None) or ""
        request.session[STATES_KEY] = states
        return response


@method_decorator(never_cache, name="dispatch")
class Callback(OIDCAuthenticationCallbackView):
    provider: IdentityProvider | None = None

    def refused(self, reason: str, *, status: int, subject: str | None = None) -> HttpResponse:
        record_refusal(self.request, provider=self.provider, reason=reason, subject=subject)
        template = "sso/unknown_person.html" if status == 403 else "sso/failed.html"
        return render(self.request, template, {"provider": self.provider}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        state = request.GET.get("state", "")
        states = request.session.get(STATES_KEY)
        entry = states.pop(state, None) if isinstance(states, dict) else None
        if entry is None:
            # No sign-in started here with this state, or it was used already (a replay).
            return self.refused("unknown or spent state", status=400)
        # Spend the state before anything else, so the same callback never works twice.
        request.session[STATES_KEY] = states
        request.session.save()
        self.provider = IdentityProvider.objects.filter(
            slug=entry.get(PROVIDER_KEY, ""), active=True
        ).first()
        if self.provider is None:
            return self.refused("provider missing or inactive", status=400)
        if time.time() - float(entry.get("added_on", 0)) > STATE_SECONDS:
            return self.refused("sign-in started too long ago", status=400)
        if request.GET.get("error") or not request.GET.get("code"):
            return self.refused(
                f"provider answered {request.GET.get('error', 'no code')}"[:80], status=400
            )
        backend = ProviderBackend(self.provider)
        try:
            match = backend.authenticate(
                request, nonce=entry.get("nonce"), code_verifier=entry.get("code_verifier")
            )
        except NotMatchedError as exc:
            subject = str(backend.claims.get(self.provider.subject_claim, ""))
            return self.refused(exc.reason, status=403, subject=subject)
        except requests.RequestException as exc:
            # The provider refused the code (a wrong PKCE verifier, a spent code) or did not
            # answer; its answer's body is not logged.
            status = exc.response.status_code if exc.response is not None else "no answer"
            return self.refused(f"token endpoint: {status}", status=400)
        except (SuspiciousOperation, jwt.PyJWTError, KeyError, ValueError) as exc:
            # A token that fails a check, or an answer from the provider that is not one.
            return self.refused(f"{type(exc).__name__}: {exc}"[:200], status=400)
        if match is None:
            return self.refused("no token", status=400)
        if request.user.is_authenticated:
            logout(request)
        # A new session (new id) for the person signed in (ASVS 7.2.4).
        login(request, match.user, backend="django.contrib.auth.backends.ModelBackend")
        if match.device is not None:
            otp_login(request, match.device)
        client = self.provider.signs_in == SignsIn.CLIENTS
        return HttpResponseRedirect(_onward(request, entry.get(NEXT_KEY, ""), client=client))
