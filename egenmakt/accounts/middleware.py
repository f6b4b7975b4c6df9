"""Sign-in policy applied to every request: session limits, two-factor, no caching."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from egenmakt.accounts.types import Viewer

from .selectors import needs_two_factor

LOGIN_AT_KEY = "egenmakt_login_at"

# Pages a signed-in but not yet two-factor-verified user may reach.
TWO_FACTOR_EXEMPT = frozenset(
    {
        "accounts:logout",
        "accounts:two_factor_verify",
        "accounts:two_factor_enrol",
        "accounts:two_factor_backup_codes",
        "accounts:two_factor_needs_link",
        "accounts:invitation",
        "set_language",
        "healthz",
    }
)


def _url_name(request: HttpRequest) -> str | None:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return match.view_name


def is_verified(user: Viewer) -> bool:
    """True when the user has passed the second factor in this session (django-otp)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


class SessionTimeoutMiddleware:
    """Ends a session past its absolute lifetime; idle expiry is the cookie age (ASVS 7.3)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = int(time.time())
            login_at = request.session.get(LOGIN_AT_KEY)
            if login_at is None:
                request.session[LOGIN_AT_KEY] = now
            elif now - int(login_at) > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("Your session has ended. Please sign in again."))
                return redirect(settings.LOGIN_URL)
        elif settings.SESSION_COOKIE_NAME in request.COOKIES and not request.session.session_key:
            # The browser sent a session cookie the server no longer knows: it expired.
            request.session_expired = True  # type: ignore[attr-defined]
        return self.get_response(request)


class RequireTwoFactorMiddleware:
    """Sends users who must use two factors to enrol or verify before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.EGENMAKT_REQUIRE_2FA
            and user.is_authenticated
            and not is_verified(user)
            and not (settings.EGENMAKT_DEMO and getattr(user, "is_demo_user", False))
            and not request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/"))
            and _url_name(request) not in TWO_FACTOR_EXEMPT
            and needs_two_factor(user)
        ):
            from django_otp import devices_for_user

            has_device = any(True for _device in devices_for_user(user, confirmed=True))
            # Without an app, only an invitation link enrols one (never the password alone).
            target = (
                "accounts:two_factor_verify" if has_device else "accounts:two_factor_needs_link"
            )
            return redirect(target)
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages for signed-in users are never cached by browsers or proxies (ASVS 14.3.2)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "no-store, private"
        return response
