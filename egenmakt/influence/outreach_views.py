"""Joint coordination of an area (a second coordinating organisation with equal rights)
and the coordinators' contact log of outreach to the area's organisations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from egenmakt.accounts.types import AuthenticatedRequest

from . import services
from .forms import CoOrganisationForm, OutreachForm, co_organisation_choices
from .models import CareArea
from .services import InfluenceError
from .views import OpenedArea, _coordinates, area_view


@login_required
@require_POST
@area_view(allow=_coordinates, reason="joint coordination")
def co_organisation(request: AuthenticatedRequest, opened: OpenedArea) -> HttpResponse:
    area = opened.area
    form = CoOrganisationForm(request.POST, choices=co_organisation_choices(area))
    if not form.is_valid():
        messages.error(request, _("Choose one of the organisations offered."))
        return redirect("influence:area", area.pk)
    try:
        services.set_co_organisation(
            user=request.user, area=area, organisation=form.cleaned_data["organisation"]
        )
    except InfluenceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Who coordinates the area is saved."))
    return redirect("influence:area", area.pk)


def _outreach_page(
    request: AuthenticatedRequest, area: CareArea, form: OutreachForm, status: int = 200
) -> HttpResponse:
    contacts = list(
        area.outreach.select_related("organisation", "recorded_by").order_by(
            "-contacted_on", "-id"
        )[:200]
    )
    return render(
        request,
        "influence/outreach.html",
        {"area": area, "form": form, "contacts": contacts},
        status=status,
    )


def _organisations(area: CareArea) -> object:
    return area.organisations.order_by("name")


@login_required
@require_GET
@area_view(allow=_coordinates, reason="outreach")
def outreach(request: AuthenticatedRequest, opened: OpenedArea) -> HttpResponse:
    """The coordinators' contacts with the area's organisations, newest first."""
    area = opened.area
    return _outreach_page(request, area, OutreachForm(organisations=_organisations(area)))


@login_required
@require_POST
@area_view(allow=_coordinates, reason="outreach")
def outreach_add(request: AuthenticatedRequest, opened: OpenedArea) -> HttpResponse:
    area = opened.area
    form = OutreachForm(request.POST, organisations=_organisations(area))
    if form.is_valid():
        try:
            services.record_outreach(user=request.user, area=area, data=form.cleaned_data)
        except InfluenceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The contact is recorded."))
            return redirect("influence:outreach", area.pk)
    return _outreach_page(request, area, form, status=400)
