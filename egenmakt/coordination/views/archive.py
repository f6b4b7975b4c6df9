"""The archive, the reason to open a sealed record, and the restriction of processing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access, log_list_access
from egenmakt.coordination import access as access_kernel
from egenmakt.coordination.access import client_access
from egenmakt.coordination.forms.archive import (
    ArchiveReasonForm,
    LiftRestrictionForm,
    RestrictionForm,
)
from egenmakt.coordination.forms.common import add_service_errors
from egenmakt.coordination.models import Client
from egenmakt.coordination.services import archive as services
from egenmakt.core.http import anyone, page_rule

from .common import PAGE_SIZE, OpenedClient, client_page, log_read, sealed_client_view


@login_required
@require_GET
@page_rule(anyone)  # each person's own closed records, maybe none
def archive(request: AuthenticatedRequest) -> HttpResponse:
    """Closed records of the user's care teams (and, for an auditor, of the organisations
    they audit): names only, each opened with a reason."""
    page = Paginator(access_kernel.archived_clients_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("sida")
    )
    clients = list(page.object_list)
    log_list_access(request=request, people=clients, reason="archive list")
    return render(request, "coordination/archive_list.html", {"clients": clients, "page": page})


def _safe_next(value: str, client: Client) -> str:
    """Back to the page asked for, if it is one of this client's coordination pages."""
    try:
        match = resolve(value)
    except Resolver404:
        return ""
    if match.namespace != "coordination" or match.kwargs.get("client_id") != client.pk:
        return ""
    return value


@login_required
@require_http_methods(["GET", "POST"])
def archive_open(request: AuthenticatedRequest, client_id: int) -> HttpResponse:
    """Say why, then read the archived or restricted record for a few hours."""
    client = Client.objects.select_related("organisation").filter(pk=client_id).first()
    if client is None:
        raise Http404
    access = client_access(request.user, client)
    if not access.may_open_sealed:
        if access.can_view:
            return redirect("coordination:client", client.pk)  # nothing to open
        raise Http404
    form = ArchiveReasonForm(
        request.POST if request.method == "POST" else None,
        initial={"next": request.GET.get("next", "")},
    )
    valid = request.method == "POST" and form.is_valid()
    asked = form.cleaned_data["next"] if valid else form["next"].value()
    target = _safe_next(asked or "", client)
    if valid:
        try:
            services.open_sealed_record(
                user=request.user, client=client, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(target) if target else redirect("coordination:client", client.pk)
    # The page names the client: the visit is logged, before any reason is given.
    log_access(
        request=request,
        action=Action.VIEW,
        person=client,
        obj=client,
        organisation=access.seat.organisation if access.seat is not None else None,
        reason="archive: reason form",
    )
    return render(
        request,
        "coordination/archive_open.html",
        {"client": client, "access": access, "form": form},
        status=400 if form.errors else 200,
    )


def _team(opened: OpenedClient) -> bool:
    return opened.access.in_team


@login_required
@require_GET
@sealed_client_view(allow=_team, reason="restriction")
def restriction(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    """Record the client's request for restriction made on paper, or its lifting."""
    return _restriction_page(request, opened)


def _restriction_page(
    request: AuthenticatedRequest,
    opened: OpenedClient,
    *,
    form: RestrictionForm | None = None,
    lift_form: LiftRestrictionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    client, access = opened
    if request.method == "POST":
        log_read(request, client, access, reason="restriction")
    return client_page(
        request,
        "coordination/restriction.html",
        client,
        access,
        "overview",
        {"form": form or RestrictionForm(), "lift_form": lift_form or LiftRestrictionForm()},
        status=status,
    )


@login_required
@require_POST
@sealed_client_view(allow=_team, reason="restriction")
def restrict(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    form = RestrictionForm(request.POST)
    if form.is_valid():
        try:
            services.restrict_processing(
                user=request.user,
                client=opened.client,
                by_client=False,
                received_on=form.cleaned_data["received_on"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Processing is restricted as the client asked."))
            return redirect("coordination:client", opened.client.pk)
    return _restriction_page(request, opened, form=form, status=400)


@login_required
@require_POST
@sealed_client_view(allow=_team, reason="restriction")
def restriction_lift(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    form = LiftRestrictionForm(request.POST)
    if form.is_valid():
        try:
            services.lift_restriction(user=request.user, client=opened.client, by_client=False)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The restriction is lifted as the client asked."))
            return redirect("coordination:client", opened.client.pk)
    return _restriction_page(request, opened, lift_form=form, status=400)
