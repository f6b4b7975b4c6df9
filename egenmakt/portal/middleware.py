"""Portal users stay on the portal: every other page answers 404 for them."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve

from .selectors import is_portal_user

# Besides the portal's own pages: signing in and out, the second factor, the language, the
# information sheets about the method, the public pages of user influence.
ALLOWED = frozenset(
    {
        "accounts:home",
        "accounts:login",
        "accounts:logout",
        "accounts:two_factor_verify",
        "accounts:two_factor_enrol",
        "accounts:two_factor_backup_codes",
        "accounts:two_factor_needs_link",
        "accounts:invitation",
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_confirm",
        "accounts:password_reset_complete",
        "sso:start",
        "sso:callback",
        "set_language",
        "healthz",
        "favicon",
        # What resource-group work is: public pages, no personal data.
        "method:about",
        "method:relatives",
        # The public directory of user organisations and the areas' calendars, which the
        # portal's associations page links to: published, open to anyone without a login.
        "influence_public:directory",
        "influence_public:calendar",
        "influence_public:feed",
        # The public forum lists and published consultations: the same, open to anyone.
        "influence_public:forum_areas",
        "influence_public:forums",
        "influence_public:consultations",
        "influence_public:consultation",
    }
)


class PortalBoundaryMiddleware:
    """A client's login reaches their own pages and nothing else (no staff page, no
    instrument page, not the admin), whatever a staff page's own checks would say."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.user.is_authenticated
            and not request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/"))
            and is_portal_user(request.user)
        ):
            try:
                name = resolve(request.path_info).view_name
            except Resolver404:
                name = ""
            own_pages = name.startswith("portal:") and name != "portal:invite"
            if name not in ALLOWED and not own_pages:
                return render(request, "404.html", status=404)
        return self.get_response(request)
