"""The care team around a client: seats, ending a seat."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from egenmakt.accounts.roles import Role
from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.coordination.forms.common import add_service_errors
from egenmakt.coordination.forms.team import LeaveTeamForm, TeamMemberForm
from egenmakt.coordination.models import CareTeamMember, Client, TeamRole
from egenmakt.coordination.selectors import meetings as meetings_selectors
from egenmakt.coordination.selectors import plan as plan_selectors
from egenmakt.coordination.selectors import sessions as sessions_selectors
from egenmakt.coordination.selectors import team as team_selectors
from egenmakt.coordination.services import common as common_services
from egenmakt.coordination.services import team as team_services
from egenmakt.coordination.services.team import needs_handover

from .common import OpenedClient, client_page, client_view, in_team, log_read


def _team_form(request: AuthenticatedRequest, client: Client) -> TeamMemberForm:
    roles = [Role.CASE_MANAGER, Role.SUPERVISOR, Role.PEER_SUPPORTER]
    organisations = team_selectors.team_organisations(client).filter(memberships__role__in=roles)
    return TeamMemberForm(
        request.POST if request.method == "POST" else None,
        people=team_selectors.team_candidates(client, roles),
        organisations=organisations.distinct().order_by("name"),
    )


@login_required
@require_http_methods(["GET", "POST"])
@client_view(reason="care team", log=False)
def team(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    client, access = opened
    if request.method == "POST" and not access.in_team:
        raise PermissionDenied("care team")
    form = _team_form(request, client)
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            team_services.add_team_member(
                user=request.user,
                client=client,
                member=data["member"],
                organisation=data["organisation"],
                role=data["role"],
                reason=data["reason"],
            )
        except common_services.NeedsConfirmationError as exc:
            warnings = exc.warnings
        except common_services.CoordinationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(name)s is added to the care team.") % {"name": data["member"].full_name},
            )
            return redirect("coordination:team", client.pk)
    log_read(request, client, access, reason="care team")
    members = list(
        client.team.select_related("user", "organisation", "added_by").order_by(
            "ended_on", "role", "started_on"
        )
    )
    return client_page(
        request,
        "coordination/team.html",
        client,
        access,
        "team",
        {
            "members": members,
            "form": form,
            "warnings": warnings,
            "same_organisation": _same_organisation_warning(members),
        },
        status=400 if (form.errors or warnings) else 200,
    )


def _same_organisation_warning(members: list[CareTeamMember]) -> str:
    managers = [m for m in members if m.active and m.role == TeamRole.CASE_MANAGER]
    if len(managers) == 2 and managers[0].organisation_id == managers[1].organisation_id:
        return _("Both case managers are from %(organisation)s.") % {
            "organisation": managers[0].organisation.name
        }
    return ""


def _seat(client: Client, seat_id: int) -> CareTeamMember:
    seat = (
        CareTeamMember.objects.filter(pk=seat_id, client=client, ended_on__isnull=True)
        .select_related("user", "organisation")
        .first()
    )
    if seat is None:
        raise Http404
    return seat


def _leave_page(
    request: AuthenticatedRequest,
    opened: OpenedClient,
    seat: CareTeamMember,
    form: LeaveTeamForm,
    status: int = 200,
) -> HttpResponse:
    client, access = opened
    log_read(request, client, access, reason="care team")
    return client_page(
        request,
        "coordination/team_leave.html",
        client,
        access,
        "team",
        {
            "seat": seat,
            "form": form,
            "open_actions": plan_selectors.open_actions(client),
            "next_meeting": meetings_selectors.next_meeting_for(access, client),
            "sessions": sessions_selectors.upcoming_for_client(client),
        },
        status=status,
    )


@login_required
@require_GET
@client_view(allow=in_team, reason="care team", log=False)
def team_leave(request: AuthenticatedRequest, opened: OpenedClient, seat_id: int) -> HttpResponse:
    """Before a seat ends: the hand-over note, with what is open to help write it."""
    seat = _seat(opened.client, seat_id)
    return _leave_page(request, opened, seat, LeaveTeamForm(needs_note=needs_handover(seat)))


@login_required
@require_POST
@client_view(allow=in_team, reason="care team")
def team_end(request: AuthenticatedRequest, opened: OpenedClient, seat_id: int) -> HttpResponse:
    client = opened.client
    seat = _seat(client, seat_id)
    form = LeaveTeamForm(request.POST, needs_note=needs_handover(seat))
    if not form.is_valid():
        return _leave_page(request, opened, seat, form, status=400)
    try:
        team_services.end_team_member(
            user=request.user,
            client=client,
            seat=seat,
            handover_note=form.cleaned_data["handover_note"],
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _leave_page(request, opened, seat, form, status=400)
    except common_services.CoordinationError as exc:
        messages.error(request, str(exc))
        return redirect("coordination:team", client.pk)
    messages.success(request, _("%(name)s has left the care team.") % {"name": seat.user.full_name})
    if seat.user_id == request.user.pk:
        return redirect("coordination:clients")
    return redirect("coordination:team", client.pk)
