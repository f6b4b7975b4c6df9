"""The client's notifications page: e-mail, text message or none, per kind."""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.coordination.models import Client
from egenmakt.outbox.forms import ClientNotificationsForm
from egenmakt.outbox.notify import notification_kinds
from egenmakt.outbox.services import channel_choices, set_notification_channels
from egenmakt.outbox.sms import sms_available

from .common import log_own_read, portal_page, render_tab

# --- Notifications: e-mail, text message or none, per kind ---------------------------------------


def _notifications_form(request: AuthenticatedRequest, client: Client) -> ClientNotificationsForm:
    return ClientNotificationsForm(
        request.POST if request.method == "POST" else None,
        kinds=notification_kinds("client"),
        current=channel_choices(request.user.pk),
        client_phone=client.phone,
    )


def _notifications_page(
    request: AuthenticatedRequest, client: Client, form: ClientNotificationsForm, status: int = 200
) -> HttpResponse:
    return render_tab(
        request,
        "portal/notifications.html",
        client,
        "notifications",
        {"form": form, "phone": form.client_phone, "sms_available": sms_available()},
        status=status,
    )


@portal_page
@require_http_methods(["GET"])
def notifications(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    """The client's choice of channel per kind of notice; the phone number is the one in
    their record, which the care team changes."""
    log_own_read(request, client, "notifications")
    return _notifications_page(request, client, _notifications_form(request, client))


@portal_page
@require_POST
def notifications_save(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    form = _notifications_form(request, client)
    if not form.is_valid():
        log_own_read(request, client, "notifications")
        return _notifications_page(request, client, form, status=400)
    set_notification_channels(user_id=request.user.pk, channels=form.channels())
    flash.success(request, _("Your choices for notifications are saved."))
    return redirect("portal:notifications")
