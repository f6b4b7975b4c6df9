"""The client's resource-group meetings: the agenda before each one, the minutes after,
and the client's confirmation of them (``coordination.services.minutes``)."""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.coordination.forms.meetings import MinutesConfirmForm
from egenmakt.coordination.models import Client, Meeting, MeetingStatus, MinutesConfirmation
from egenmakt.coordination.selectors import minutes as minutes_selectors
from egenmakt.coordination.services import minutes as minutes_services
from egenmakt.coordination.services.common import CoordinationError
from egenmakt.portal import selectors

from .common import log_own_read, portal_page, render_tab


@portal_page
@require_GET
def meetings(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    log_own_read(request, client, "meetings")
    rows = selectors.my_meetings(client)
    waiting = {m.pk for m in minutes_selectors.waiting_for(client, request.user, rows)}
    return render_tab(
        request,
        "portal/meetings.html",
        client,
        "start",
        {
            "coming": [m for m in rows if m.status == MeetingStatus.PLANNED][::-1],
            "held": [m for m in rows if m.status == MeetingStatus.HELD],
            "waiting": waiting,
        },
    )


def _meeting_page(
    request: AuthenticatedRequest,
    client: Client,
    meeting: Meeting,
    form: MinutesConfirmForm | None = None,
    status: int = 200,
) -> HttpResponse:
    log_own_read(request, client, "meeting", meeting)
    has_minutes = minutes_selectors.has_minutes(meeting)
    answer = MinutesConfirmation.objects.filter(meeting=meeting, user=request.user).first()
    current = answer is not None and answer.digest == minutes_selectors.minutes_digest(meeting)
    return render_tab(
        request,
        "portal/meeting.html",
        client,
        "start",
        {
            "meeting": meeting,
            "is_past": meeting.starts_at <= timezone.now(),
            "has_minutes": has_minutes,
            "present": minutes_selectors.present(meeting, you=str(_("you"))) if has_minutes else [],
            "decisions": list(meeting.decisions.all()) if has_minutes else [],
            "answer": answer,
            "answer_current": current,
            "form": form or MinutesConfirmForm(),
            "may_confirm": has_minutes and not client.is_frozen,
        },
        status=status,
    )


@portal_page
@require_GET
def meeting(request: AuthenticatedRequest, client: Client, meeting_id: int) -> HttpResponse:
    return _meeting_page(request, client, selectors.my_meeting(client, meeting_id))


@portal_page
@require_POST
def meeting_confirm(request: AuthenticatedRequest, client: Client, meeting_id: int) -> HttpResponse:
    meeting = selectors.my_meeting(client, meeting_id)
    if not minutes_services.may_confirm(request.user, client, meeting):
        raise PermissionDenied("portal: meeting")
    form = MinutesConfirmForm(request.POST)
    if not form.is_valid():
        return _meeting_page(request, client, meeting, form, status=400)
    correction = form.cleaned_data["correction"]
    try:
        minutes_services.confirm_minutes(
            user=request.user, client=client, meeting=meeting, correction=correction
        )
    except CoordinationError as exc:
        flash.error(request, str(exc))
        return redirect("portal:meeting", meeting.pk)
    if correction:
        flash.success(
            request,
            _("Thank you. Your case managers get what you wrote as a message and will answer."),
        )
    else:
        flash.success(request, _("Thank you. You have confirmed the minutes."))
    return redirect("portal:meeting", meeting.pk)
