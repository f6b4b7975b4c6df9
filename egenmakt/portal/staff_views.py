"""The care team's side of the portal: invite the client, or end their access.

Reached from the client's page in coordination; the same access rules as there.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.audit.services import log_access
from egenmakt.coordination.views.common import OpenedClient, client_view

from . import services
from .forms import InviteForm


@login_required
@require_http_methods(["GET", "POST"])
@client_view(reason="portal invitation", log=False)
def invite(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    """The page, and sending the invitation (or a new link) to the client's address."""
    client = opened.client
    if not services.may_invite(request.user, client):
        raise PermissionDenied("portal invitation")
    account = services.open_account_of(client)
    form = InviteForm(
        request.POST or None,
        initial={"email": account.user.email if account else client.email},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_client(
                user=request.user,
                client=client,
                email=form.cleaned_data["email"],
            )
        except services.PortalError as exc:
            form.add_error("email", str(exc))
        except PermissionDenied as exc:
            raise PermissionDenied("portal invitation") from exc
        else:
            messages.success(request, _("The invitation with a sign-in link is sent."))
            return redirect("portal:invite", client.pk)
    seat = opened.access.seat
    log_access(
        request=request,
        person=client,
        obj=client,
        organisation=seat.organisation if seat is not None else None,
        reason="portal invitation page",
    )
    return render(
        request,
        "portal/invite.html",
        {"client": client, "form": form, "account": account},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
@client_view(reason="portal invitation")
def end_access(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    """End the client's own login at once."""
    client = opened.client
    if not services.may_invite(request.user, client):
        raise PermissionDenied("portal invitation")
    try:
        services.end_access(user=request.user, client=client)
    except PermissionDenied as exc:
        raise PermissionDenied("portal invitation") from exc
    messages.success(request, _("The client's own login is ended."))
    return redirect("portal:invite", client.pk)
