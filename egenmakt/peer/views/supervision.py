"""Supervision pages: the supervisor's meetings and notes, the peer supporter's own view,
and the anonymous list of system-level shortcomings for coordinators."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import holds_role
from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.audit.services import log_list_access
from egenmakt.core.http import anyone, page_rule
from egenmakt.instruments import services as instrument_services
from egenmakt.instruments.selectors import current_definition
from egenmakt.instruments.subjects import organisation_of
from egenmakt.peer.forms.common import PresentForm
from egenmakt.peer.forms.supervision import MeetingForm
from egenmakt.peer.models import SupervisionAttendance
from egenmakt.peer.selectors import supervision
from egenmakt.peer.selectors.handbook import supervisor_check
from egenmakt.peer.services import supervision as supervision_services
from egenmakt.peer.services.recruitment import RecruitmentError
from egenmakt.peer.views.common import OpenedMeeting, meeting_view, notes_row_view


@login_required
@require_http_methods(["GET", "POST"])
@page_rule(anyone)  # each person's own meetings; scheduling is the supervisor's
def meetings(request: AuthenticatedRequest) -> HttpResponse:
    is_supervisor = holds_role(request.user, Role.SUPERVISOR)
    form = MeetingForm(
        request.POST or None, people=supervision.supervised_peer_supporters(request.user)
    )
    if request.method == "POST":
        if not is_supervisor:
            raise PermissionDenied("schedule supervision")
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = supervision_services.schedule_meeting(
                    user=request.user,
                    kind=data["kind"],
                    starts_at=timezone.make_aware(datetime.combine(data["day"], data["start"])),
                    place=data["place"],
                    peer_supporters=list(data["peer_supporters"]),
                )
            except RecruitmentError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The meeting is planned."))
                check = supervisor_check(request.user)
                if not check.passed:
                    messages.warning(request, check.reason)
                return redirect("peer:supervision_meeting", meeting.pk)
    rows = list(supervision.meetings_for(request.user)[:100])
    # A supervisor sees who attended each meeting; a peer supporter only the supervisor.
    log_list_access(
        request=request,
        people=[
            row.peer_supporter
            for meeting in rows
            if meeting.supervisor_id == request.user.pk
            for row in meeting.attendance.all()
        ],
        reason="supervision meetings",
    )
    return render(
        request,
        "peer/supervision_list.html",
        {
            "meetings": rows,
            "form": form,
            "is_supervisor": is_supervisor,
            "checks": [supervisor_check(request.user)] if is_supervisor else [],
        },
        status=400 if form.errors else 200,
    )


@login_required
@meeting_view()
def meeting_detail(request: AuthenticatedRequest, opened: OpenedMeeting) -> HttpResponse:
    meeting = opened.meeting
    is_supervisor = opened.is_supervisor
    rows = list(meeting.attendance.select_related("peer_supporter"))
    if not is_supervisor:
        rows = [r for r in rows if r.peer_supporter_id == request.user.pk]
    notes = supervision.notes_by_row(rows)
    log_list_access(
        request=request,
        people=[row.peer_supporter for row in rows],
        obj=meeting,
        reason="supervision meeting",
    )
    return render(
        request,
        "peer/supervision_meeting.html",
        {
            "meeting": meeting,
            "rows": [(row, notes.get(row.pk)) for row in rows],
            "is_supervisor": is_supervisor,
        },
    )


@login_required
@require_POST
@meeting_view()
def meeting_attendance(request: AuthenticatedRequest, opened: OpenedMeeting) -> HttpResponse:
    meeting = opened.meeting
    form = PresentForm(request.POST)
    present = form.present_ids() if form.is_valid() else set()
    supervision_services.mark_attendance(user=request.user, meeting=meeting, present=present)
    messages.success(request, _("Attendance is saved."))
    return redirect("peer:supervision_meeting", meeting.pk)


@login_required
@require_POST
@notes_row_view()
def meeting_notes(request: AuthenticatedRequest, row: SupervisionAttendance) -> HttpResponse:
    existing = supervision.notes_by_row([row]).get(row.pk)
    if existing is not None:
        return redirect(
            "instruments:answer" if existing.is_draft else "instruments:response", existing.pk
        )
    response = instrument_services.start_response(
        user=request.user,
        definition=current_definition("supervision_meeting", organisation_of(row)),
        subject=row,
        respondent_kind="staff",
        answered_on=min(timezone.localdate(), timezone.localtime(row.meeting.starts_at).date()),
    )
    return redirect("instruments:answer", response.pk)


@login_required
def system_issues(request: AuthenticatedRequest) -> HttpResponse:
    issues = supervision.system_issues_for(request.user)
    return render(request, "peer/system_issues.html", {"issues": issues})
