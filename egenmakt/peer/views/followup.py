"""Pages for reunions and further training, the placement page, and sick leave."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from egenmakt.accounts.models import Organisation, User
from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import holds_role, organisations_where
from egenmakt.accounts.types import AuthenticatedRequest, Viewer
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access, log_list_access
from egenmakt.core.http import page_rule
from egenmakt.peer.forms.common import PresentForm
from egenmakt.peer.forms.followup import FollowUpEventForm, SickLeaveForm
from egenmakt.peer.models import FollowUpInvitation
from egenmakt.peer.rules import may_see_workplace
from egenmakt.peer.selectors import followup
from egenmakt.peer.selectors.supervision import fidelity_trends
from egenmakt.peer.services import followup as followup_services
from egenmakt.peer.services.recruitment import RecruitmentError
from egenmakt.peer.views.common import OpenedEvent, OpenedPlacement, event_view, placement_view


def _networks(user: User) -> QuerySet[Organisation]:
    return organisations_where(user, Role.COORDINATOR).filter(kind="user_network").order_by("name")


def may_open_follow_up(user: Viewer) -> bool:
    """The coordinators' events; a peer supporter is sent on to their own."""
    return holds_role(user, Role.COORDINATOR) or holds_role(user, Role.PEER_SUPPORTER)


@login_required
@require_http_methods(["GET", "POST"])
@page_rule(may_open_follow_up, "follow-up events")
def event_list(request: AuthenticatedRequest) -> HttpResponse:
    if not holds_role(request.user, Role.COORDINATOR):
        return redirect("peer:follow_up_mine")
    networks = _networks(request.user)
    form = FollowUpEventForm(request.POST or None, networks=networks)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = followup_services.create_event(
                user=request.user,
                network=data["network"],
                kind=data["kind"],
                title=data["title"],
                starts_at=timezone.make_aware(datetime.combine(data["day"], data["start"])),
                ends_at=timezone.make_aware(datetime.combine(data["day"], data["end"])),
                place=data["place"],
                description=data["description"],
            )
        except RecruitmentError as exc:
            form.add_error(None, str(exc))
        else:
            count = event.invitations.count()
            messages.success(
                request,
                _("The event is saved and %(count)s peer supporters are invited.")
                % {"count": count},
            )
            return redirect("peer:follow_up_event", event.pk)
    events = list(followup.events_for(request.user)[:100])
    return render(
        request,
        "peer/follow_up_list.html",
        {"events": events, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@event_view()
def event_detail(request: AuthenticatedRequest, opened: OpenedEvent) -> HttpResponse:
    event = opened.event
    invitations = list(
        event.invitations.select_related("peer_supporter").order_by(
            "was_working", "peer_supporter__full_name"
        )
    )
    log_list_access(
        request=request,
        people=[invitation.peer_supporter for invitation in invitations],
        obj=event,
        reason="follow-up event",
    )
    return render(
        request,
        "peer/follow_up_event.html",
        {
            "event": event,
            "invitations": invitations,
            "present": sum(1 for i in invitations if i.attended),
        },
    )


@login_required
@require_POST
@event_view()
def event_attendance(request: AuthenticatedRequest, opened: OpenedEvent) -> HttpResponse:
    event = opened.event
    form = PresentForm(request.POST)
    present = form.present_ids() if form.is_valid() else set()
    followup_services.mark_attendance(user=request.user, event=event, present=present)
    messages.success(request, _("Attendance is saved."))
    return redirect("peer:follow_up_event", event.pk)


@login_required
def my_events(request: AuthenticatedRequest) -> HttpResponse:
    invitations = list(followup.invitations_of(request.user)[:100])
    return render(request, "peer/follow_up_mine.html", {"invitations": invitations})


@login_required
def event_ics(request: AuthenticatedRequest, event_id: int) -> HttpResponse:
    """The calendar file, for the invited and the network's coordinators."""
    invitation = (
        FollowUpInvitation.objects.select_related("event")
        .filter(event_id=event_id, peer_supporter=request.user.pk)
        .first()
    )
    event = invitation.event if invitation else followup.get_event_for(request.user, event_id)
    response = HttpResponse(followup_services.event_calendar(event), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="egenmakt-{event.pk}.ics"'
    return response


# --- The placement page -----------------------------------------------------------------


@login_required
@placement_view()
def placement_detail(request: AuthenticatedRequest, opened: OpenedPlacement) -> HttpResponse:
    return _render_placement(request, opened, SickLeaveForm())


def _render_placement(
    request: AuthenticatedRequest, opened: OpenedPlacement, form: SickLeaveForm, status: int = 200
) -> HttpResponse:
    placement = opened.placement
    log_access(request=request, action=Action.VIEW, person=placement.peer_supporter, obj=placement)
    trend = fidelity_trends([placement])[placement.pk]
    sick_leave = list(placement.sick_leave.all())
    return render(
        request,
        "peer/placement_detail.html",
        {
            "placement": placement,
            "events": list(placement.events.select_related("by")),
            "trend": trend,
            "sick_leave": sick_leave,
            "sick_days": sum(row.days for row in sick_leave),
            "can_place": opened.may_place,
            "may_review": opened.may_review,
            # The supervisor opens the placement but not the workplace's pages.
            "sees_workplace": may_see_workplace(request.user, placement.workplace),
            "form": form,
        },
        status=status,
    )


@login_required
@require_POST
@placement_view()
def placement_sick_leave(request: AuthenticatedRequest, opened: OpenedPlacement) -> HttpResponse:
    placement = opened.placement
    form = SickLeaveForm(request.POST)
    if form.is_valid():
        try:
            followup_services.report_sick_leave(
                user=request.user,
                placement=placement,
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
            )
        except RecruitmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The sick leave is recorded."))
            return redirect("peer:placement", placement.pk)
    return _render_placement(request, opened, form, status=400)
