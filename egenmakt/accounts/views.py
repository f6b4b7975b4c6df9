from __future__ import annotations

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_ratelimit.core import get_usage

from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.audit.models import PersonalExport
from egenmakt.audit.rights import (
    exports_of,
    log_personal_export_download,
    request_personal_export,
)
from egenmakt.outbox.forms import StaffNotificationsForm
from egenmakt.outbox.notify import notification_kinds
from egenmakt.outbox.services import channel_choices
from egenmakt.outbox.sms import sms_available

from . import services, two_factor
from .forms import CurrentPasswordForm, EmailAuthenticationForm, EmailPasswordResetForm, TokenForm
from .middleware import is_verified
from .models import Invitation
from .navigation import home_for, start_links_for
from .roles import ROLE_SLUGS, SLUG_ROLES, Role, role_texts
from .selectors import holds_role, organisations_with_role, role_names, where_held
from .start_panels import start_panels_for

BACKUP_CODES_SESSION_KEY = "egenmakt_new_backup_codes"


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["session_expired"] = getattr(self.request, "session_expired", False)
        return context


class LogoutView(auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    form_class = EmailPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    # ASVS 6.4.3: a reset never signs the user in, so it cannot skip the second factor.
    post_reset_login = False
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    roles = role_names(request.user)
    if not roles and (url_name := home_for(request.user)):
        return redirect(url_name)
    if len(roles) == 1:
        return redirect("accounts:role_start", slug=ROLE_SLUGS[roles[0]])
    cards = [
        {
            "label": Role(role).label,
            "summary": " ".join(map(str, _texts(request, role)[0])),
            "slug": ROLE_SLUGS[role],
        }
        for role in roles
    ]
    return render(request, "accounts/home.html", {"cards": cards})


def _texts(request: AuthenticatedRequest, role: str) -> tuple[list[Any], list[Any]]:
    in_care, elsewhere = where_held(request.user, role)
    return role_texts(role, in_care=in_care, elsewhere=elsewhere)


@login_required
def role_start(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    role = SLUG_ROLES.get(slug)
    if role is None:
        raise Http404
    if not holds_role(request.user, role):
        raise PermissionDenied(f"role start page: {role}")
    summaries, tasks = _texts(request, role)
    context = {
        "role_label": Role(role).label,
        "summaries": summaries,
        "tasks": tasks,
        # The pages of the menu meant for this role that the person may open.
        "links": start_links_for(request.user, role),
        "organisations": organisations_with_role(request.user, role),
        "role": role,
        "panels": start_panels_for(request, role),
    }
    return render(request, "accounts/role_start.html", context)


@login_required
@sensitive_post_parameters("token")
@require_http_methods(["GET", "POST"])
def two_factor_enrol(request: AuthenticatedRequest) -> HttpResponse:
    """Replace one's authenticator app, in a session already verified with two factors.

    A first app is enrolled only through an invitation link (``invitation``): a password
    alone never enrols one, or whoever learnt a new user's password would own the account.
    """
    if not is_verified(request.user):
        if any(True for _d in devices_for_user(request.user, confirmed=True)):
            return redirect("accounts:two_factor_verify")
        return redirect("accounts:two_factor_needs_link")
    device = two_factor.pending_totp_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            codes = two_factor.confirm_totp_device(user=request.user, device=device)
            otp_login(request, device)
            request.session[BACKUP_CODES_SESSION_KEY] = codes
            messages.success(request, _("Two-factor sign-in is now on for your account."))
            return redirect("accounts:two_factor_backup_codes")
        form.add_error("token", _("The code is wrong or too old. Try the newest code."))
    context = {
        "form": form,
        "qr_svg": two_factor.qr_code_svg(device.config_url),
        "secret": _group(device.bin_key),
    }
    return render(request, "accounts/two_factor_enrol.html", context)


def _group(key: bytes) -> str:
    from base64 import b32encode

    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@login_required
@sensitive_post_parameters("token")
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: AuthenticatedRequest) -> HttpResponse:
    if request.user.is_verified():  # type: ignore[attr-defined]
        return redirect("accounts:home")
    if not any(True for _d in devices_for_user(request.user, confirmed=True)):
        return redirect("accounts:two_factor_needs_link")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("token", _("The code is wrong or has already been used."))
    return render(request, "accounts/two_factor_verify.html", {"form": form})


def _safe_next(request: HttpRequest) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("accounts:home")


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_backup_codes(request: AuthenticatedRequest) -> HttpResponse:
    if request.method == "POST":
        if not request.user.is_verified():  # type: ignore[attr-defined]
            return redirect("accounts:two_factor_verify")
        request.session[BACKUP_CODES_SESSION_KEY] = two_factor.issue_backup_codes(user=request.user)
        return redirect("accounts:two_factor_backup_codes")
    # New codes are shown once, then forgotten.
    codes = request.session.pop(BACKUP_CODES_SESSION_KEY, None)
    return render(request, "accounts/two_factor_backup_codes.html", {"codes": codes})


@login_required
def two_factor_needs_link(request: AuthenticatedRequest) -> HttpResponse:
    """For someone signed in by password with no authenticator app: only a link from their
    administrator turns on two-factor sign-in, never the password alone."""
    if is_verified(request.user):
        return redirect("accounts:home")
    return render(request, "accounts/two_factor_needs_link.html")


# --- Invitation links ------------------------------------------------------------------------

INVITATION_SESSION_KEY = "egenmakt_invitation"
# Guessing a token among 2**256 is hopeless, but each try costs a query: limit per address.
INVITATION_RATE = "30/h"


def _invitation_step(request: HttpRequest, invitation: Invitation) -> str:
    state = request.session.get(INVITATION_SESSION_KEY) or {}
    return "enrol" if state.get("id") == invitation.pk else "password"


@sensitive_post_parameters("new_password1", "new_password2", "password", "token")
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The only way to set a first password and enrol a first authenticator app.

    Step 1 sets a password (or, for someone who has one, asks for it, so the e-mailed link
    alone cannot take over an account). Step 2 shows the QR code and takes a code; only
    then is the link spent and the person signed in with both factors. GET changes nothing
    (mail scanners open links) beyond preparing the app's key on step 2.
    """
    if get_usage(
        request, group="accounts.invitation", key="ip", rate=INVITATION_RATE, increment=True
    )["should_limit"]:
        return render(request, "accounts/invitation_invalid.html", {"too_many": True}, status=429)
    found = services.usable_invitation(token)
    if found is None:
        return render(request, "accounts/invitation_invalid.html", status=410)
    user = found.user
    if _invitation_step(request, found) == "password":
        form: forms.Form = (
            CurrentPasswordForm(user, request.POST or None)
            if user.has_usable_password()
            else SetPasswordForm(user, request.POST or None)
        )
        if request.method == "POST" and form.is_valid():
            if isinstance(form, SetPasswordForm):
                services.set_first_password(
                    invitation=found, password=form.cleaned_data["new_password1"]
                )
            # This browser proved the password step for this invitation; the next step
            # (and nothing else) trusts that.
            request.session[INVITATION_SESSION_KEY] = {"id": found.pk}
            return redirect("accounts:invitation", token=token)
        return render(
            request,
            "accounts/invitation_password.html",
            {
                "form": form,
                "invitation": found,
                "person": user,
                "new_password": isinstance(form, SetPasswordForm),
            },
            status=400 if form.errors else 200,
        )
    device = two_factor.pending_totp_device(user)
    token_form = TokenForm(request.POST or None)
    token_form.fields["token"].help_text = _("The six digits your authenticator app shows.")
    if request.method == "POST" and token_form.is_valid():
        if device.verify_token(token_form.cleaned_data["token"]):
            codes = services.accept_invitation(invitation=found, device=device)
            if codes is None:
                return render(request, "accounts/invitation_invalid.html", status=410)
            request.session.pop(INVITATION_SESSION_KEY, None)
            if request.user.is_authenticated:
                logout(request)
            # A new session id for the signed-in person (ASVS 7.2.4).
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            request.session[BACKUP_CODES_SESSION_KEY] = codes
            messages.success(request, _("Two-factor sign-in is now on for your account."))
            return redirect("accounts:two_factor_backup_codes")
        token_form.add_error("token", _("The code is wrong or too old. Try the newest code."))
    return render(
        request,
        "accounts/invitation_enrol.html",
        {
            "form": token_form,
            "person": user,
            "qr_svg": two_factor.qr_code_svg(device.config_url),
            "secret": _group(device.bin_key),
        },
        status=400 if token_form.errors else 200,
    )


# --- My data: a copy of everything held about oneself (GDPR art. 15 and 20) -------------------


@login_required
@require_http_methods(["GET"])
def my_data(request: AuthenticatedRequest) -> HttpResponse:
    exports = list(exports_of(request.user, request.user)[:5])
    return render(request, "accounts/my_data.html", {"exports": exports})


@login_required
@require_POST
def my_data_request(request: AuthenticatedRequest) -> HttpResponse:
    request_personal_export(user=request.user, person=request.user)
    messages.success(
        request,
        _("Your copy is being prepared. Reload this page in a minute to download it."),
    )
    return redirect("accounts:my_data")


@login_required
@require_http_methods(["GET"])
def my_data_download(request: AuthenticatedRequest, key: UUID) -> FileResponse:
    export = PersonalExport.objects.filter(key=key, requested_by=request.user).first()
    if export is None or not export.is_ready:
        raise Http404
    log_personal_export_download(user=request.user, export=export, person=request.user)
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.file.name.rsplit("/", 1)[-1],
        content_type="application/json",
    )
    response["Cache-Control"] = "no-store"
    return response


# --- Notifications: e-mail, text message or none, per kind -----------------------------------


def _notifications_form(request: AuthenticatedRequest) -> StaffNotificationsForm:
    return StaffNotificationsForm(
        request.POST if request.method == "POST" else None,
        kinds=notification_kinds("staff"),
        current=channel_choices(request.user.pk),
        phone=request.user.phone,
    )


def _notifications_page(
    request: AuthenticatedRequest, form: StaffNotificationsForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "accounts/notifications.html",
        {"form": form, "sms_available": sms_available()},
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def notifications(request: AuthenticatedRequest) -> HttpResponse:
    return _notifications_page(request, _notifications_form(request))


@login_required
@require_POST
def notifications_save(request: AuthenticatedRequest) -> HttpResponse:
    form = _notifications_form(request)
    if not form.is_valid():
        return _notifications_page(request, form, status=400)
    services.save_notification_settings(
        user=request.user, phone=form.phone(), channels=form.channels()
    )
    messages.success(request, _("Your choices for notifications are saved."))
    return redirect("accounts:notifications")
