"""Signing in to the client's pages: a link by e-mail, and a password with an app."""

from __future__ import annotations

from typing import cast

from django.contrib import messages as flash
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_ratelimit.core import get_usage

from egenmakt.accounts.models import User
from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.coordination.models import Client
from egenmakt.portal import selectors, services
from egenmakt.portal.forms import (
    LinkRequestForm,
)

from .common import log_own_read, portal_page, render_tab

# Per address of the requester: enough for a person, too few to probe many addresses.
LINK_REQUEST_RATE = "10/h"


LINK_USE_RATE = "30/h"


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """Ask for a sign-in link, or go on to the password and code."""
    if request.user.is_authenticated and selectors.open_account(request.user) is not None:
        return redirect("portal:start")
    form = LinkRequestForm(request.POST or None)
    if request.method == "POST":
        if get_usage(
            request, group="portal.link", key="ip", rate=LINK_REQUEST_RATE, increment=True
        )["should_limit"]:
            return render(request, "portal/too_many.html", status=429)
        if form.is_valid():
            services.request_sign_in_link(email=form.cleaned_data["email"])
            # The same answer whether or not the address has a login.
            return redirect("portal:link_sent")
    return render(
        request,
        "portal/sign_in.html",
        {"form": form, "password_url": f"{reverse('accounts:login')}?next=/mina-sidor/"},
        status=400 if form.errors else 200,
    )


def link_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/link_sent.html", {"minutes": services.LINK_MINUTES})


@require_http_methods(["GET", "POST"])
def use_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button and changes nothing (mail scanners open links); POST signs in."""
    if get_usage(request, group="portal.use", key="ip", rate=LINK_USE_RATE, increment=True)[
        "should_limit"
    ]:
        return render(request, "portal/too_many.html", status=429)
    if request.method == "GET":
        if not services.link_is_usable(token):
            return render(request, "portal/link_invalid.html", status=410)
        return render(request, "portal/link_confirm.html")
    outcome = services.use_sign_in_link(token=token)
    if outcome is None:
        return render(request, "portal/link_invalid.html", status=410)
    user, device = outcome
    if request.user.is_authenticated:
        logout(request)
    # A new session (new id) for the signed-in client (ASVS 7.2.4).
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, device)
    return redirect("portal:start")


@portal_page
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def sign_in_settings(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    """Choose a password, to sign in with it and an authenticator app instead of links."""
    user = cast(User, request.user)  # portal_page let only a signed-in client through
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, user)
        flash.success(request, _("Your password is saved."))
        return redirect("portal:settings")
    log_own_read(request, client, "sign-in settings")
    has_app = any(True for _d in devices_for_user(user, confirmed=True))
    return render_tab(
        request,
        "portal/settings.html",
        client,
        "settings",
        {"form": form, "has_password": user.has_usable_password(), "has_app": has_app},
        status=400 if form.errors else 200,
    )
