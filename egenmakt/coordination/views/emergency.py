"""Emergency access and the early-warning plan."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access, log_list_access
from egenmakt.coordination.forms.common import add_service_errors
from egenmakt.coordination.forms.emergency import (
    EmergencyChoiceForm,
    EmergencyForm,
    WarningPlanForm,
)
from egenmakt.coordination.models import Client, EarlyWarningPlan
from egenmakt.coordination.rules import may_request_emergency_access
from egenmakt.coordination.selectors import mapping as selectors
from egenmakt.coordination.services import emergency as services
from egenmakt.core.http import page_rule

from .common import OpenedClient, client_page, client_view, joint_work, log_read


@login_required
@require_http_methods(["GET", "POST"])
@page_rule(may_request_emergency_access, "emergency access")
def emergency(request: AuthenticatedRequest) -> HttpResponse:
    """Break the glass: open a record outside one's care team, with a reason, for a while."""
    form = EmergencyForm(request.POST or None)
    matches: list[Client] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            matches = services.find_for_emergency(
                user=request.user, identity_number=data["identity_number"]
            )
        except PermissionDenied as exc:
            raise PermissionDenied("emergency access") from exc
        choice = EmergencyChoiceForm(request.POST)
        chosen = str(choice.cleaned_data["client"] or "") if choice.is_valid() else ""
        if len(matches) == 1 or chosen:
            client = next((c for c in matches if str(c.pk) == chosen), None) or (
                matches[0] if len(matches) == 1 else None
            )
            if client is not None:
                try:
                    services.open_in_emergency(
                        user=request.user, client=client, reason=data["reason"]
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    return redirect("coordination:client", client.pk)
        if not matches:
            log_access(
                request=request,
                action=Action.VIEW,
                reason="emergency search: no match",
                emergency=True,
            )
            form.add_error("identity_number", _("No client with this number is registered."))
    if len(matches) > 1:
        # One number at several organisations: their names are shown to choose from.
        log_list_access(
            request=request, people=matches, reason="emergency search: choose", emergency=True
        )
    return render(
        request,
        "coordination/emergency.html",
        {"form": form, "matches": matches if len(matches) > 1 else []},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@client_view(reason="early-warning plan", log=False)
def warning_plan(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    """The early-warning plan on one printable page: signs, actions, whom to call."""
    client, access = opened
    if request.method == "POST":
        if not joint_work(opened):
            raise PermissionDenied("early-warning plan")
        form = WarningPlanForm(request.POST)
        if form.is_valid():
            services.update_warning_plan(
                user=request.user,
                client=client,
                copies_held_by=form.cleaned_data["copies_held_by"],
                reviewed=form.cleaned_data["reviewed"],
            )
            messages.success(request, _("The early-warning plan is saved."))
            return redirect("coordination:warning_plan", client.pk)
    log_read(request, client, access, reason="early-warning plan")
    latest = selectors.latest_worksheet(access, client, "early_warning_signs")
    row = EarlyWarningPlan.objects.filter(client=client).select_related("reviewed_by").first()
    answers = latest.answers if latest is not None else {}
    return client_page(
        request,
        "coordination/warning_plan.html",
        client,
        access,
        "warning",
        {
            "response": latest,
            "signs": [s for s in answers.get("signs", []) if any(s.values())],
            "people": [p for p in answers.get("contacts", []) if any(p.values())],
            "other": answers.get("other", ""),
            "row": row,
            "form": WarningPlanForm(initial={"copies_held_by": row.copies_held_by if row else ""}),
        },
    )
