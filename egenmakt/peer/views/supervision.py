"""Supervision pages: the supervisor's meetings and notes, the peer supporter's own view,
and the anonymous list of system-level shortcomings for coordinators."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import holds_role
from egenmakt.audit.services import log_denied, log_list_access
from egenmakt.instruments import services as instrument_services
from egenmakt.instruments.selectors import current_definition
from egenmakt.peer.forms import MeetingForm
from egenmakt.peer.models import SupervisionAttendance
from egenmakt.peer.selectors import supervision
from egenmakt.peer.services import supervision as supervision_services
from egenmakt.peer.services.recruitment import RecruitmentError


@login_required
@require_http_methods(["GET", "POST"])
def meetings(request: HttpRequest) -> HttpResponse:
    is_supervisor = holds_role(request.user, Role.SUPERVISOR)
    form = MeetingForm(
        request.POST or None, people=supervision.supervised_peer_supporters(request.user)
    )
    if request.method == "POST":
        if not is_supervisor:
            log_denied(request, reason="schedule supervision")
            return render(request, "403.html", status=403)
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = supervision_services.schedule_meeting(
                    user=request.user,
                    kind=data["kind"],
                    starts_at=timezone.make_aware(datetime.combine(data["day"], data["start"])),
                    place=data["place"],
                    peer_supporters=list(data["peer_supporters"]),
                    request=request,
                )
            except RecruitmentError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The meeting is planned."))
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
        {"meetings": rows, "form": form, "is_supervisor": is_supervisor},
        status=400 if form.errors else 200,
    )


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = supervision.get_meeting_for(request.user, meeting_id)
    is_supervisor = meeting.supervisor_id == request.user.pk
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
def meeting_attendance(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = supervision.get_meeting_for(request.user, meeting_id)
    present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
    try:
        supervision_services.mark_attendance(
            user=request.user, meeting=meeting, present=present, request=request
        )
    except PermissionDenied:
        log_denied(request, reason="supervision attendance")
        return render(request, "403.html", status=403)
    messages.success(request, _("Attendance is saved."))
    return redirect("peer:supervision_meeting", meeting.pk)


@login_required
@require_POST
def meeting_notes(request: HttpRequest, row_id: int) -> HttpResponse:
    row = SupervisionAttendance.objects.select_related("meeting").filter(pk=row_id).first()
    if row is None or row.meeting.supervisor_id != request.user.pk:
        log_denied(request, reason="supervision notes")
        return render(request, "403.html", status=403)
    existing = supervision.notes_by_row([row]).get(row.pk)
    if existing is not None:
        return redirect(
            "instruments:answer" if existing.is_draft else "instruments:response", existing.pk
        )
    response = instrument_services.start_response(
        user=request.user,
        definition=current_definition("supervision_meeting"),
        subject=row,
        respondent_kind="staff",
        answered_on=min(timezone.localdate(), timezone.localtime(row.meeting.starts_at).date()),
    )
    return redirect("instruments:answer", response.pk)


@login_required
def system_issues(request: HttpRequest) -> HttpResponse:
    try:
        issues = supervision.system_issues_for(request.user)
    except PermissionDenied:
        log_denied(request, reason="system-level shortcomings")
        return render(request, "403.html", status=403)
    return render(request, "peer/system_issues.html", {"issues": issues})
