"""Driving a sign-in through the local provider with Django's test client."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import requests
from django.http import HttpResponse
from django.test import Client as Browser

from egenmakt.sso.models import IdentityProvider

from .provider import CLIENT_ID, CLIENT_SECRET, LocalProvider

LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"
LOA2 = "http://id.elegnamnden.se/loa/1.0/loa2"


def make_provider(
    op: LocalProvider, organisation: Any, *, slug: str, signs_in: str
) -> IdentityProvider:
    return IdentityProvider.objects.create(
        organisation=organisation,
        name=f"Testlegitimation {slug}",
        slug=slug,
        signs_in=signs_in,
        **op.endpoints,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        personal_number_claim="https://id.oidc.se/claim/personalIdentityNumber",
        mfa_acr_values=LOA3,
        mfa_amr_values="mfa hwk",
    )


def start(browser: Browser, provider: IdentityProvider, query: str = "") -> str:
    """Press the button and let the provider sign the person in: the callback address."""
    response = browser.get(f"/logga-in/oidc/{provider.slug}/{query}")
    assert response.status_code == 302, response.status_code
    at_provider = requests.get(response["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["Location"])
    assert back.netloc == "testserver"
    return f"{back.path}?{back.query}"


def sign_in(
    browser: Browser, provider: IdentityProvider, query: str = ""
) -> tuple[HttpResponse, str]:
    callback = start(browser, provider, query)
    return browser.get(callback), callback
