"""Pages to make, list and revoke API tokens: one's own, and an administrator's
service tokens of their organisations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from egenmakt.accounts.selectors import admin_scope
from egenmakt.accounts.types import AuthenticatedRequest

from . import selectors, services
from .forms import ServiceTokenForm, TokenForm


def _service_form(request: AuthenticatedRequest, data: Any = None) -> ServiceTokenForm | None:
    scope = admin_scope(request.user)
    if scope is None:
        return None
    return ServiceTokenForm(data, organisations=scope.organisations().order_by("path"))


def _page(
    request: AuthenticatedRequest,
    *,
    form: TokenForm | None = None,
    service_form: ServiceTokenForm | None = None,
    secret: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "api/tokens.html",
        {
            "form": form or TokenForm(),
            "service_form": service_form or _service_form(request),
            "tokens": selectors.personal_tokens(request.user),
            "service_tokens": selectors.service_tokens(request.user),
            "secret": secret,
        },
        status=status,
    )


@login_required
@require_GET
def tokens(request: AuthenticatedRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
def token_create(request: AuthenticatedRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            _token, secret = services.create_personal_token(
                user=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # Shown once, on this answer; never stored, never put in a redirect.
            return _page(request, secret=secret)
    return _page(request, form=form, status=400)


@login_required
@require_POST
def service_token_create(request: AuthenticatedRequest) -> HttpResponse:
    form = _service_form(request, request.POST)
    if form is None:
        raise PermissionDenied("service token")
    if form.is_valid():
        try:
            _token, secret = services.create_service_token(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _page(request, secret=secret)
    return _page(request, service_form=form, status=400)


@login_required
@require_POST
def token_revoke(request: AuthenticatedRequest, token_id: int) -> HttpResponse:
    token = selectors.token_for(request.user, token_id)
    services.revoke_token(actor=request.user, token=token)
    messages.success(request, _("The token is revoked and no longer works."))
    return redirect("api_tokens:tokens")
