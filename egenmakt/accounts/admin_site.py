"""Django's admin, for the platform operators (active superusers) only.

Administrators of a region, municipality or network work in the app's own administration
pages, scoped to their organisation (``accounts/administration_views.py``). The admin sees
every organisation, so it answers nobody else: a signed-in non-superuser gets 404 on every
/admin/ URL (the admin is not theirs to know of), and an anonymous visitor is sent to the
app's own sign-in, which has the second factor, rather than to the admin's login form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, reverse

from egenmakt.accounts.types import Viewer


def is_operator(user: Viewer) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


def operators_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if is_operator(request.user):
            return view(request, *args, **kwargs)
        if request.user.is_authenticated:
            raise Http404
        # Imported here: this module is loaded with the app registry, before any model.
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path(), reverse("accounts:login"))

    return guarded


def _guard_all(patterns: Iterable[URLPattern | URLResolver]) -> None:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _guard_all(pattern.url_patterns)
        else:
            pattern.callback = operators_only(pattern.callback)


class OperatorAdminSite(admin.AdminSite):
    site_header = "Egenmakt"
    site_title = "Egenmakt"

    def has_permission(self, request: HttpRequest) -> bool:
        return is_operator(request.user)

    def get_urls(self) -> list[URLPattern | URLResolver]:
        # Every view, including those the admin leaves open (login, logout, the
        # "view on site" redirect, the catch-all), so no /admin/ URL answers others.
        urls = super().get_urls()
        _guard_all(urls)
        return urls


class OperatorAdminConfig(AdminConfig):
    default_site = "egenmakt.accounts.admin_site.OperatorAdminSite"
