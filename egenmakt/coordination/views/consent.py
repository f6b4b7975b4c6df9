"""Consent: recording, revoking and the signed form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.coordination.access import client_access
from egenmakt.coordination.forms.common import add_service_errors
from egenmakt.coordination.forms.consent import ConsentRecordForm, RevokeConsentForm
from egenmakt.coordination.models import Client, Consent
from egenmakt.coordination.selectors import consent as consent_selectors
from egenmakt.coordination.selectors import team as team_selectors
from egenmakt.coordination.services import common as common_services
from egenmakt.coordination.services import consent as consent_services

from .common import OpenedClient, client_page, client_view, in_team, log_read


@login_required
@require_http_methods(["GET", "POST"])
@client_view(reason="consent", log=False)
def consent(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    client, access = opened
    if request.method == "POST" and not access.in_team:
        raise PermissionDenied("consent")
    team_seats = team_selectors.active_team(client)
    form = ConsentRecordForm(request.POST or None, request.FILES or None, team=team_seats)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent_services.record_consent(
                user=request.user,
                client=client,
                given_on=data["given_on"],
                form=data["form"],
                scope=data["scope"],
                details=data["details"],
                valid_until=data["valid_until"],
                organisations=data["organisations"],
                case_managers=data["case_managers"],
                document=data["document"] or None,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The consent is recorded."))
            return redirect("coordination:client", client.pk)
    log_read(request, client, access, reason="consent")
    return client_page(
        request,
        "coordination/consent.html",
        client,
        access,
        "consent",
        {
            "consents": consent_selectors.consents_of(client),
            "form": form,
            "revoke_form": RevokeConsentForm(),
        },
        status=400 if form.errors else 200,
    )


def _consent_of(client: Client, consent_id: int) -> Consent:
    row = Consent.objects.filter(pk=consent_id, client=client).first()
    if row is None:
        raise Http404
    return row


@login_required
@require_POST
@client_view(allow=in_team, reason="consent")
def consent_revoke(
    request: AuthenticatedRequest, opened: OpenedClient, consent_id: int
) -> HttpResponse:
    client = opened.client
    row = _consent_of(client, consent_id)
    form = RevokeConsentForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        consent_services.revoke_consent(user=request.user, client=client, consent=row, note=note)
    except common_services.CoordinationError as exc:
        messages.error(request, str(exc))
        return redirect("coordination:consent", client.pk)
    messages.success(
        request,
        _("The consent is revoked. From now on only your own organisation's records are open."),
    )
    if not client_access(request.user, client).can_view:
        return redirect("coordination:clients")
    return redirect("coordination:consent", client.pk)


@login_required
@require_GET
@client_view(log=False)
def consent_document(
    request: AuthenticatedRequest, opened: OpenedClient, consent_id: int
) -> FileResponse:
    client, access = opened
    if not access.in_team:
        raise Http404
    row = _consent_of(client, consent_id)
    if not row.document:
        raise Http404
    log_read(request, client, access, obj=row, reason="signed consent form")
    response = FileResponse(row.document.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="samtycke-{row.given_on}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
