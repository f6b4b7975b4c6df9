"""Interview pages: booking, the interview and its record, cancelling, calendar files."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import held_roles
from egenmakt.accounts.types import AuthenticatedRequest, Viewer
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access, log_list_access
from egenmakt.core.http import page_rule
from egenmakt.instruments.display import answer_sections
from egenmakt.peer.forms.recruitment import (
    InterviewForm,
)
from egenmakt.peer.models import (
    RecordKind,
)
from egenmakt.peer.rules import (
    is_interviewer_of,
    is_round_coordinator,
)
from egenmakt.peer.selectors import recruitment as selectors
from egenmakt.peer.services import interviews as interviews_services
from egenmakt.peer.services import recruitment as services
from egenmakt.peer.views.common import (
    OpenedApplication,
    OpenedInterview,
    application_view,
    interview_view,
)

# --- Interviews ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@application_view(allow=lambda o: o.is_coordinator, reason="book interview", log=False)
def interview_book(request: AuthenticatedRequest, opened: OpenedApplication) -> HttpResponse:
    application = opened.application
    round_ = application.round
    people = round_.members.values_list("user_id", flat=True)
    from egenmakt.accounts.models import User

    form = InterviewForm(
        request.POST or None, people=User.objects.filter(pk__in=people).order_by("full_name")
    )
    if request.method == "POST" and form.is_valid():
        try:
            interview = interviews_services.book_interview(
                user=request.user,
                application=application,
                starts_at=form.starts_at(),
                duration_minutes=form.cleaned_data["duration_minutes"],
                place=form.cleaned_data["place"],
                interviewer_1=form.cleaned_data["interviewer_1"],
                interviewer_2=form.cleaned_data["interviewer_2"],
            )
        except services.RecruitmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("The interview is booked and the invitations are on their way.")
            )
            if not selectors.interviewers_from_user_movement(interview):
                messages.warning(
                    request,
                    _(
                        "Neither interviewer represents the user movement. The handbook asks "
                        "for at least one, ideally with own experience."
                    ),
                )
            return redirect("peer:interview", interview.pk)
    log_access(
        request=request,
        action=Action.VIEW,
        person=application,
        obj=application,
        reason="book interview",
    )
    members = selectors.round_people(round_)
    return render(
        request,
        "peer/interview_book.html",
        {
            "application": application,
            "round": round_,
            "form": form,
            "user_movement_people": [m.user for m in members if m.represents_user_movement],
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_safe
@interview_view()
def interview_detail(request: AuthenticatedRequest, opened: OpenedInterview) -> HttpResponse:
    interview = opened.interview
    application = interview.application
    records = selectors.records_of(request.user, interview)
    mine = is_interviewer_of(request.user, interview)
    own = {r.record.kind: r for r in records if r.record.author_id == request.user.pk}
    agreed = {r.record.kind: r for r in records if r.record.is_agreed}
    submitted_by = {
        (r.record.kind, r.record.author_id)
        for r in records
        if r.response is not None and r.response.status == "submitted"
    }
    kinds = []
    for kind, label in RecordKind.choices:
        both_done = all((kind, uid) in submitted_by for uid in interview.interviewer_ids())
        kinds.append(
            {
                "kind": kind,
                "label": label,
                "own": own.get(kind),
                "agreed": agreed.get(kind),
                "can_agree": mine and both_done,
                "others": [
                    r
                    for r in records
                    if r.record.kind == kind
                    and not r.record.is_agreed
                    and r.record.author_id != request.user.pk
                ],
            }
        )
    language = request.LANGUAGE_CODE if hasattr(request, "LANGUAGE_CODE") else "sv"
    agreed_sections = {
        kind: answer_sections(r.response.definition.definition, r.response.answers, language)
        for kind, r in agreed.items()
        if r.response is not None and r.response.status == "submitted"
    }
    return render(
        request,
        "peer/interview_detail.html",
        {
            "interview": interview,
            "application": application,
            "round": application.round,
            "kinds": kinds,
            "is_interviewer": mine,
            "is_coordinator": is_round_coordinator(request.user, application.round),
            "user_movement_ok": selectors.interviewers_from_user_movement(interview),
            "agreed_sections": agreed_sections,
            "can_start": mine
            and interview.cancelled_at is None
            and interview.starts_at <= timezone.now() + timedelta(minutes=30),
        },
    )


@login_required
@require_POST
@interview_view()
def interview_record(
    request: AuthenticatedRequest, opened: OpenedInterview, kind: str
) -> HttpResponse:
    """The interviewer's own notes or assessment."""
    return _start_record(request, opened, kind, agreed=False)


@login_required
@require_POST
@interview_view()
def interview_record_agreed(
    request: AuthenticatedRequest, opened: OpenedInterview, kind: str
) -> HttpResponse:
    """The version both interviewers agree on, once both have submitted their own."""
    return _start_record(request, opened, kind, agreed=True)


def _start_record(
    request: AuthenticatedRequest, opened: OpenedInterview, kind: str, *, agreed: bool
) -> HttpResponse:
    interview = opened.interview
    if kind not in RecordKind.values:
        raise Http404
    try:
        response = interviews_services.start_record(
            user=request.user,
            interview=interview,
            kind=kind,
            agreed=agreed,
        )
    except services.RecruitmentError as exc:
        messages.error(request, str(exc))
        return redirect("peer:interview", interview.pk)
    if response.status == "submitted":
        return redirect("instruments:response", response.pk)
    return redirect("instruments:answer", response.pk)


@login_required
@require_POST
@interview_view()
def interview_cancel(request: AuthenticatedRequest, opened: OpenedInterview) -> HttpResponse:
    interview = opened.interview
    try:
        interviews_services.cancel_interview(user=request.user, interview=interview)
    except services.RecruitmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The interview is cancelled."))
    return redirect("peer:application", interview.application_id)


@login_required
@require_safe
@interview_view(action=Action.EXPORT, reason="calendar file")
def interview_calendar(request: AuthenticatedRequest, opened: OpenedInterview) -> HttpResponse:
    from egenmakt.peer.calendar import interview_calendar as make_calendar

    interview = opened.interview
    body = make_calendar(
        interview,
        summary=_("Interview with an applicant (%(round)s)")
        % {"round": interview.application.round},
        description=_("Interview for the peer support course."),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="intervju-{interview.pk}.ics"'
    return response


def may_open_my_interviews(user: Viewer) -> bool:
    return any(h.role in {Role.INTERVIEWER, Role.COORDINATOR} for h in held_roles(user))


@login_required
@page_rule(may_open_my_interviews, "my interviews")
def my_interviews(request: AuthenticatedRequest) -> HttpResponse:
    interviews = list(selectors.upcoming_interviews_for(request.user))
    log_list_access(
        request=request, people=[i.application for i in interviews], reason="my interviews"
    )
    return render(
        request, "peer/my_interviews.html", {"interviews": interviews, "now": timezone.now()}
    )
