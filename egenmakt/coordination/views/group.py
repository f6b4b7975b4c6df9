"""The resource group page: its members, booking a meeting, a member leaving.

Outsiders get 404 (``client_view``), readers who may not add to the joint work get 403 on
a change, and the page writes its access-log row before it renders.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.coordination import access as access_kernel
from egenmakt.coordination.forms.common import add_service_errors
from egenmakt.coordination.forms.meetings import BookMeetingForm, GroupMemberForm
from egenmakt.coordination.models import ResourceGroupMember, TeamRole
from egenmakt.coordination.selectors import mapping as mapping_selectors
from egenmakt.coordination.selectors import meetings as meetings_selectors
from egenmakt.coordination.selectors import team as team_selectors
from egenmakt.coordination.services import common as services
from egenmakt.coordination.services import group as group_services
from egenmakt.coordination.services import meetings as meeting_services

from .common import OpenedClient, client_page, client_view, joint_work, log_read


def _member_form(
    request: AuthenticatedRequest,
    opened: OpenedClient,
    team: list[Any],
    members: list[ResourceGroupMember],
    bound: bool,
) -> GroupMemberForm:
    """Offer the contacts and care-team members who are not in the group already."""
    client, access = opened
    active = [m for m in members if m.ended_on is None]
    contact_ids = {m.contact_id for m in active if m.contact_id}
    user_ids = {m.user_id for m in active if m.user_id}
    return GroupMemberForm(
        request.POST if bound else None,
        contacts=[
            c for c in mapping_selectors.contacts_for(access, client) if c.pk not in contact_ids
        ],
        seats=[seat for seat in team if seat.user_id not in user_ids],
    )


def _book_form(request: AuthenticatedRequest, opened: OpenedClient, bound: bool) -> BookMeetingForm:
    return BookMeetingForm(
        request.POST if bound else None,
        initial={
            "place": meeting_services.default_place(opened.client),
            "chair": request.user.full_name,
        },
    )


def _group_page(  # the page, with the posted form kept (status 400 when it has errors)
    request: AuthenticatedRequest,
    opened: OpenedClient,
    team: list[Any],
    members: list[ResourceGroupMember],
    member_form: GroupMemberForm,
    book_form: BookMeetingForm,
) -> HttpResponse:
    client, access = opened
    log_read(request, client, access, reason="resource group")
    in_group = {m.user_id for m in members if m.user_id and m.ended_on is None}
    return client_page(
        request,
        "coordination/resource_group.html",
        client,
        access,
        "group",
        {
            "members": [m for m in members if m.ended_on is None],
            "former": [m for m in members if m.ended_on is not None],
            # RACT: the case managers are always in the group; they get their row when
            # the first meeting is booked.
            "case_managers": [
                seat
                for seat in team
                if seat.role == TeamRole.CASE_MANAGER and seat.user_id not in in_group
            ],
            "meetings": meetings_selectors.meetings_for(access, client),
            "member_form": member_form,
            "book_form": book_form,
        },
        status=400 if (member_form.errors or book_form.errors) else 200,
    )


@login_required
@require_GET
@client_view(log=False)
def resource_group(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    client, access = opened
    team = team_selectors.active_team(client)
    members = meetings_selectors.group_members_for(access, client)
    member_form = _member_form(request, opened, team, members, False)
    return _group_page(
        request, opened, team, members, member_form, _book_form(request, opened, False)
    )


@login_required
@require_POST
@client_view(allow=joint_work, reason="resource group")
def group_member_add(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    """A person the client has chosen joins the group."""
    client, access = opened
    team = team_selectors.active_team(client)
    members = meetings_selectors.group_members_for(access, client)
    form = _member_form(request, opened, team, members, True)
    if form.is_valid():
        data = form.cleaned_data
        try:
            member = group_services.add_group_member(
                user=request.user, client=client, chosen_by_client=data["chosen_by_client"],
                data=data, contact=form.contact, seat=form.seat,
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        except services.CoordinationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("%(name)s is in the resource group.") % {"name": member.name}
            )
            return redirect("coordination:resource_group", client.pk)
    return _group_page(request, opened, team, members, form, _book_form(request, opened, False))


@login_required
@require_POST
@client_view(allow=joint_work, reason="resource group")
def meeting_book(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    """Book the next meeting: the agenda is built, and the group invited if asked."""
    client, access = opened
    form = _book_form(request, opened, True)
    if form.is_valid():
        data = form.cleaned_data
        try:
            meeting = meeting_services.book_meeting(
                user=request.user, client=client, starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"], place=data["place"],
                chair=data["chair"], extra_items=data["extra_items"].splitlines(),
                invite=data["invite"],
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        except services.CoordinationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The meeting is booked."))
            return redirect("coordination:meeting", client.pk, meeting.pk)
    team = team_selectors.active_team(client)
    members = meetings_selectors.group_members_for(access, client)
    member_form = _member_form(request, opened, team, members, False)
    return _group_page(request, opened, team, members, member_form, form)


@login_required
@require_POST
@client_view(reason="resource group")
def group_member_end(
    request: AuthenticatedRequest, opened: OpenedClient, member_id: int
) -> HttpResponse:
    client, access = opened
    member = (
        ResourceGroupMember.objects.filter(client=client, pk=member_id)
        .filter(access_kernel.visible_q(access, has_shared_flag=False))
        .first()
    )
    if member is None:
        raise Http404
    if not joint_work(opened):
        raise PermissionDenied("resource group")
    try:
        group_services.end_group_member(user=request.user, client=client, member=member)
    except services.CoordinationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("%(name)s has left the resource group.") % {"name": member.name}
        )
    return redirect("coordination:resource_group", client.pk)
