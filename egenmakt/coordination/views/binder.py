"""The client's binder for the care team: printed as a PDF, exported as JSON and FHIR.

Each is a download for a care-team member under a valid consent (clients outside the
user's reach answer 404, a seat without a valid consent or an emergency access 403), and
each writes its access-log row before anything is built. The client's own copies come from
the portal, which calls the same functions with no viewer.
"""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.audit.models import Action
from egenmakt.coordination.export.binder import render_binder_pdf
from egenmakt.coordination.export.fhir import export_fhir_bundle
from egenmakt.coordination.export.json import export_json
from egenmakt.coordination.models import Client
from egenmakt.core.http import private_download

from .common import OpenedClient, client_view


def _joint_work(opened: OpenedClient) -> bool:
    return opened.access.joint_work


def _download(content: bytes, content_type: str, client: Client, suffix: str) -> HttpResponse:
    name = f"parm-{client.pk}-{timezone.localdate():%Y%m%d}.{suffix}"
    return private_download(content, content_type, name)


@login_required
@require_GET
@client_view(allow=_joint_work, action=Action.EXPORT, reason="binder printed")
def binder_pdf(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    client = opened.client
    pdf = render_binder_pdf(client, viewer=request.user)
    return _download(pdf, "application/pdf", client, "pdf")


@login_required
@require_GET
@client_view(allow=_joint_work, action=Action.EXPORT, reason="data exported (JSON)")
def binder_json(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    client = opened.client
    data = json.dumps(export_json(client, viewer=request.user), ensure_ascii=False, indent=2)
    return _download(data.encode(), "application/json; charset=utf-8", client, "json")


@login_required
@require_GET
@client_view(allow=_joint_work, action=Action.EXPORT, reason="data exported (FHIR)")
def binder_fhir(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    client = opened.client
    data = json.dumps(export_fhir_bundle(client, viewer=request.user), ensure_ascii=False)
    return _download(data.encode(), "application/fhir+json; charset=utf-8", client, "fhir.json")
