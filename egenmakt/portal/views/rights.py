"""The client's rights over their record: who has read it (PDL), a copy of everything
(GDPR art. 15), restriction of processing (art. 18) and the downloads of the binder."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.audit.models import Action
from egenmakt.audit.rights import (
    exports_of,
    log_personal_export_download,
    request_personal_export,
)
from egenmakt.coordination.export.binder import render_binder_pdf
from egenmakt.coordination.export.fhir import export_fhir_bundle
from egenmakt.coordination.export.json import export_json
from egenmakt.coordination.models import Client
from egenmakt.coordination.services.archive import lift_restriction, restrict_processing
from egenmakt.core.http import private_download
from egenmakt.portal import selectors
from egenmakt.portal.forms import (
    PortalLiftForm,
    PortalRestrictionForm,
)

from .common import log_own_read, portal_page, render_tab

ACCESS_LOG_PAGE = 50


@portal_page
def access_log(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    """Who has read my record: every access-log row about the client (PDL 8 kap. 5 §)."""
    # Logged first, so the extract includes this very reading.
    log_own_read(request, client, "access log extract")
    # Others' reads first; the client's own visits with one link (``?egna=1``).
    with_own = request.GET.get("egna") == "1"
    rows = selectors.access_log_extract(client, leave_out=None if with_own else request.user)
    paginator = Paginator(rows, ACCESS_LOG_PAGE)
    page = paginator.get_page(request.GET.get("sida"))
    return render_tab(
        request,
        "portal/access_log.html",
        client,
        "log",
        {
            "page": page,
            "rows": page.object_list,
            "me": request.user.pk,
            "with_own": with_own,
            "keep": "&egna=1" if with_own else "",
        },
    )


@portal_page
def my_data(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    log_own_read(request, client, "my data")
    exports = list(exports_of(request.user, client)[:3])
    return render_tab(request, "portal/my_data.html", client, "data", {"exports": exports})


@portal_page
@require_POST
def my_data_request(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    """A copy of everything held about the client, made in the task queue (GDPR art. 15)."""
    request_personal_export(user=request.user, person=client)
    flash.success(
        request, _("Your copy is being prepared. Reload this page in a minute to download it.")
    )
    return redirect("portal:my_data")


@portal_page
@require_http_methods(["GET"])
def my_data_download(request: AuthenticatedRequest, client: Client, key: UUID) -> HttpResponse:
    export = exports_of(request.user, client).filter(key=key).first()
    if export is None or not export.is_ready:
        raise Http404
    log_personal_export_download(user=request.user, export=export, person=client)
    with export.file.open("rb") as handle:
        return private_download(handle.read(), "application/json", "allt-om-mig.json")


@portal_page
@require_http_methods(["GET"])
def restriction(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    """What a restriction means, and the box to tick before it is asked for (or lifted)."""
    log_own_read(request, client, "restriction")
    return _restriction_page(request, client, PortalRestrictionForm(), PortalLiftForm())


def _restriction_page(
    request: AuthenticatedRequest,
    client: Client,
    form: PortalRestrictionForm,
    lift_form: PortalLiftForm,
    status: int = 200,
) -> HttpResponse:
    return render_tab(
        request,
        "portal/restriction.html",
        client,
        "data",
        {"form": form, "lift_form": lift_form},
        status=status,
    )


@portal_page
@require_POST
def restrict(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    form = PortalRestrictionForm(request.POST)
    if form.is_valid() and not client.is_restricted:
        restrict_processing(user=request.user, client=client, by_client=True)
        flash.success(request, _("Your care team will not use your data until you say otherwise."))
        return redirect("portal:my_data")
    log_own_read(request, client, "restriction")
    return _restriction_page(request, client, form, PortalLiftForm(), status=400)


@portal_page
@require_POST
def restriction_lift(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    form = PortalLiftForm(request.POST)
    if form.is_valid() and client.is_restricted:
        lift_restriction(user=request.user, client=client, by_client=True)
        flash.success(request, _("Your care team may work with your data again."))
        return redirect("portal:my_data")
    log_own_read(request, client, "restriction")
    return _restriction_page(request, client, PortalRestrictionForm(), form, status=400)


def _json_bytes(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")


@portal_page
def download_pdf(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    log_own_read(request, client, "download binder pdf", action=Action.EXPORT)
    return private_download(render_binder_pdf(client), "application/pdf", "min-parm.pdf")


@portal_page
def download_json(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    log_own_read(request, client, "download json", action=Action.EXPORT)
    return private_download(
        _json_bytes(export_json(client)), "application/json", "mina-uppgifter.json"
    )


@portal_page
def download_fhir(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    log_own_read(request, client, "download fhir", action=Action.EXPORT)
    return private_download(
        _json_bytes(export_fhir_bundle(client)),
        "application/fhir+json",
        "mina-uppgifter-fhir.json",
    )
