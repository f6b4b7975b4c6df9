"""How long closed records are kept: the administrator's page for their organisations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from egenmakt.accounts.models import Organisation, OrganisationKind
from egenmakt.accounts.selectors import AdminScope, admin_scope, administered_tree
from egenmakt.accounts.types import AuthenticatedRequest, Viewer
from egenmakt.coordination.forms.archive import RetentionForm
from egenmakt.coordination.forms.common import add_service_errors
from egenmakt.coordination.models import RETENTION_DEFAULTS, RetentionPolicy
from egenmakt.coordination.services import retention as services
from egenmakt.core.http import page_rule


def _scope(request: AuthenticatedRequest) -> AdminScope:
    scope = admin_scope(request.user)
    if scope is None:
        raise PermissionDenied("retention")
    return scope


def _organisation(scope: AdminScope, organisation_id: int) -> Organisation:
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or not scope.covers(organisation):
        raise Http404
    return organisation


def administers(user: Viewer) -> bool:
    return admin_scope(user) is not None


@login_required
@require_GET
@page_rule(administers, "retention")
def retention(request: AuthenticatedRequest) -> HttpResponse:
    """Every organisation the administrator holds, with the period that applies to it and
    where it comes from (its own, one above it, or the default for the kind)."""
    tree = administered_tree(_scope(request))
    periods = services.retention_map({org.pk for org, _depth in tree})
    rows = [(org, depth, periods[org.pk]) for org, depth in tree]
    return render(
        request,
        "coordination/retention.html",
        {
            "rows": rows,
            "defaults": [
                (OrganisationKind(kind).label, default)
                for kind, default in RETENTION_DEFAULTS.items()
            ],
        },
    )


def _edit_page(
    request: AuthenticatedRequest,
    organisation: Organisation,
    form: RetentionForm,
    *,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "coordination/retention_edit.html",
        {
            "organisation": organisation,
            "current": services.retention_for(organisation),
            "form": form,
        },
        status=status,
    )


@login_required
@require_GET
def retention_edit(request: AuthenticatedRequest, organisation_id: int) -> HttpResponse:
    organisation = _organisation(_scope(request), organisation_id)
    own = RetentionPolicy.objects.filter(organisation=organisation).first()
    initial = {"years": services.retention_for(organisation).years}
    return _edit_page(request, organisation, RetentionForm(instance=own, initial=initial))


@login_required
@require_POST
def retention_save(request: AuthenticatedRequest, organisation_id: int) -> HttpResponse:
    organisation = _organisation(_scope(request), organisation_id)
    form = RetentionForm(request.POST)
    if form.is_valid():
        try:
            services.set_retention(
                user=request.user,
                organisation=organisation,
                years=form.cleaned_data["years"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(organisation)s keeps closed records for %(years)s years.")
                % {"organisation": organisation.name, "years": form.cleaned_data["years"]},
            )
            return redirect("coordination:retention")
    return _edit_page(request, organisation, form, status=400)
