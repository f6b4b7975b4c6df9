"""Pages of the course (step 3): cohorts, schedule, attendance, the participant's page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from egenmakt.accounts.models import User
from egenmakt.accounts.types import AuthenticatedRequest, Viewer
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access, log_list_access
from egenmakt.core.http import anyone, page_rule
from egenmakt.peer.forms.course import (
    AbsenceForm,
    AttendanceForm,
    CohortForm,
    CompletionForm,
    HandInForm,
    HomeworkForm,
    LinkExerciseForm,
    LivedExperienceForm,
    RemindersForm,
    SessionForm,
    StaffForm,
    SubmissionFeedbackForm,
)
from egenmakt.peer.forms.courseplan import BuildFromPlanForm
from egenmakt.peer.models import ApplicationStatus, AttendanceStatus
from egenmakt.peer.rules import (
    is_round_coordinator,
    may_edit_plan,
    may_observe,
    may_take_attendance,
)
from egenmakt.peer.selectors import course as selectors
from egenmakt.peer.selectors import handbook as handbook_selectors
from egenmakt.peer.selectors.ethics import acknowledgement_of
from egenmakt.peer.selectors.library import exercise_library_for, homework_library_for
from egenmakt.peer.services import course as services
from egenmakt.peer.services import homework as homework_services
from egenmakt.peer.services.ethics import require_acknowledged
from egenmakt.peer.services.recruitment import RecruitmentError
from egenmakt.peer.views.common import (
    OpenedAssignment,
    OpenedCohort,
    OpenedSession,
    assignment_view,
    cohort_view,
    session_view,
)


@login_required
@page_rule(anyone)  # each person's own cohorts, maybe none
def cohort_list(request: AuthenticatedRequest) -> HttpResponse:
    cohorts = list(selectors.cohorts_for(request.user))
    return render(
        request,
        "peer/cohort_list.html",
        {
            "cohorts": cohorts,
            "ready": selectors.rounds_ready_for_a_cohort(request.user),
            "content_of": selectors.course_content_editable_by(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cohort_create(request: AuthenticatedRequest, round_id: int) -> HttpResponse:
    round_ = selectors.get_round_for_cohort(request.user, round_id)
    admitted = list(round_.applications.filter(status=ApplicationStatus.ADMITTED, participant=None))
    reserves = round_.applications.filter(status=ApplicationStatus.RESERVE, participant=None)
    form = CohortForm(request.POST or None, reserves=reserves, initial={"title": round_.title})
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.create_cohort(
                user=request.user,
                round_=round_,
                title=form.cleaned_data["title"],
                attendance_threshold=form.cleaned_data["attendance_threshold"],
                reserves=list(form.cleaned_data["reserves"]),
            )
        except RecruitmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The course is created and the participants are invited."))
            return redirect("peer:cohort", cohort.pk)
    log_list_access(
        request=request, people=[*admitted, *reserves], obj=round_, reason="form a cohort"
    )
    return render(
        request,
        "peer/cohort_form.html",
        {"round": round_, "form": form, "admitted": admitted},
        status=400 if form.errors else 200,
    )


@login_required
@cohort_view(log=False)
def cohort_detail(request: AuthenticatedRequest, opened: OpenedCohort) -> HttpResponse:
    cohort = opened.cohort
    rows = selectors.participant_rows(cohort)
    log_list_access(
        request=request,
        people=[row.participant.application for row in rows],
        obj=cohort,
        reason="cohort page",
    )
    return render(
        request,
        "peer/cohort_detail.html",
        {
            "cohort": cohort,
            "sessions": selectors.sessions_of(cohort),
            "staff": list(cohort.staff.select_related("user").order_by("role", "user__full_name")),
            "checks": handbook_selectors.course_checks(cohort),
            "rows": rows,
            "acknowledged_count": sum(1 for row in rows if row.acknowledged),
            "can_plan": opened.may_plan,
            "is_coordinator": opened.is_coordinator,
            "may_observe": may_observe(request.user, cohort),
            "may_edit_plan": may_edit_plan(request.user, cohort.round.organisation),
            "plan_form": BuildFromPlanForm(),
            "can_take_attendance": opened.may_take_attendance,
            "today": timezone.localdate(),
            "staff_form": StaffForm(),
            "session_form": SessionForm(staff=_staff_users(cohort)),
        },
    )


def _staff_users(cohort: Any) -> Any:
    return User.objects.filter(cohort_roles__cohort=cohort).distinct().order_by("full_name")


@login_required
@require_POST
@cohort_view()
def cohort_add_staff(request: AuthenticatedRequest, opened: OpenedCohort) -> HttpResponse:
    cohort = opened.cohort
    form = StaffForm(request.POST)
    if form.is_valid():
        person = User.objects.filter(
            email__iexact=form.cleaned_data["email"], is_active=True
        ).first()
        if person is None:
            messages.error(request, _("Nobody with that e-mail address uses Egenmakt."))
        else:
            services.add_staff(
                user=request.user,
                cohort=cohort,
                person=person,
                role=form.cleaned_data["role"],
                represents_user_movement=form.cleaned_data["represents_user_movement"],
            )
            messages.success(
                request, _("%(name)s is added to the course.") % {"name": person.full_name}
            )
    else:
        messages.error(request, _("Give an e-mail address and a role."))
    return redirect("peer:cohort", cohort.pk)


@login_required
@require_POST
@cohort_view(allow=lambda o: o.may_plan, reason="add course day")
def cohort_add_session(request: AuthenticatedRequest, opened: OpenedCohort) -> HttpResponse:
    cohort = opened.cohort
    form = SessionForm(request.POST, staff=_staff_users(cohort))
    if form.is_valid():
        try:
            services.add_session(user=request.user, cohort=cohort, **form.cleaned_data)
        except RecruitmentError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The course day is added."))
    else:
        for field_errors in form.errors.values():
            for error in field_errors:
                messages.error(request, str(error))
    return redirect("peer:cohort", cohort.pk)


@login_required
@require_http_methods(["GET", "POST"])
@session_view(allow=lambda o: o.may_take_attendance, reason="attendance")
def attendance(request: AuthenticatedRequest, opened: OpenedSession) -> HttpResponse:
    session = opened.session
    if request.method == "POST":
        marks = AttendanceForm(request.POST).marks()
        try:
            services.take_attendance(user=request.user, session=session, marks=marks)
        except RecruitmentError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Attendance is saved."))
            return redirect("peer:attendance", session.pk)
    sheet = selectors.attendance_sheet(session)
    log_list_access(
        request=request, people=[p.application for p, _m in sheet], obj=session, reason="attendance"
    )
    return render(
        request,
        "peer/attendance.html",
        {
            "session": session,
            "cohort": session.cohort,
            "sheet": sheet,
            "statuses": AttendanceStatus.choices,
        },
    )


def takes_a_course(user: Viewer) -> bool:
    """A course participant (who may hold no role): their own course page."""
    if not isinstance(user, User):
        return False
    return selectors.own_participation(user) is not None


@login_required
@require_http_methods(["GET", "POST"])
@page_rule(takes_a_course, missing=True)
def my_course(request: AuthenticatedRequest) -> HttpResponse:
    participant = selectors.own_participation(request.user)
    if participant is None:
        raise Http404
    cohort = participant.cohort
    upcoming = cohort.sessions.filter(day__gte=timezone.localdate()).order_by("day", "starts")
    form = AbsenceForm(request.POST or None, sessions=upcoming)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_absence(
                user=request.user,
                participant=participant,
                session=form.cleaned_data["session"],
                note=form.cleaned_data["note"],
            )
        except RecruitmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Thank you: the course leaders know you will be away."))
            return redirect("peer:my_course")
    own = {a.session_id: a for a in participant.attendance.all()}
    sessions = [(s, own.get(s.pk)) for s in selectors.sessions_of(cohort)]
    return render(
        request,
        "peer/my_course.html",
        {
            "participant": participant,
            "cohort": cohort,
            "sessions": sessions,
            "form": form,
            "assignments": selectors.own_assignments(participant),
            "acknowledged": acknowledgement_of(participant),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def lived_experience(request: AuthenticatedRequest) -> HttpResponse:
    """A course leader's or lecturer's own, voluntary declaration (only counts are shown)."""
    from egenmakt.peer.models import LivedExperience

    current = LivedExperience.objects.filter(user_id=request.user.pk or 0).first()
    if request.method == "POST":
        form = LivedExperienceForm(request.POST)
        declared = form.is_valid() and form.cleaned_data["declared"]
        services.declare_lived_experience(user=request.user, declared=declared)
        messages.success(request, _("Saved. Thank you."))
        return redirect("peer:lived_experience")
    return render(
        request, "peer/lived_experience.html", {"declared": current.declared if current else None}
    )


# --- Homework and exercises ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@cohort_view(log=False)
def cohort_homework(request: AuthenticatedRequest, opened: OpenedCohort) -> HttpResponse:
    cohort = opened.cohort
    can_set = opened.may_take_attendance
    organisation = cohort.round.organisation
    library = homework_library_for(organisation)
    initial: dict[str, Any] = {}
    chosen = request.GET.get("mall", "")
    if chosen.isdigit() and int(chosen) < len(library.entries):
        entry = library.entries[int(chosen)]
        initial = {"title": entry.title, "instructions": entry.instructions}
    form = HomeworkForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_set:
            raise PermissionDenied("set homework")
        if form.is_valid():
            homework_services.set_homework(user=request.user, cohort=cohort, **form.cleaned_data)
            messages.success(request, _("The homework is set; the participants see it now."))
            return redirect("peer:cohort_homework", cohort.pk)
    log_access(request=request, action=Action.VIEW, obj=cohort, reason="homework")
    exercises = exercise_library_for(organisation)
    used = selectors.exercises_used(cohort)
    rows = [
        (
            position,
            entry,
            [u.session for u in used if (u.kind, u.title) == (entry.kind, entry.title)],
        )
        for position, entry in enumerate(exercises.entries)
    ]
    in_library = {(e.kind, e.title) for e in exercises.entries}
    return render(
        request,
        "peer/cohort_homework.html",
        {
            "cohort": cohort,
            "assignments": selectors.assignments_with_counts(cohort),
            "library": library,
            "exercises": exercises,
            "exercise_rows": rows,
            "used_elsewhere": [u for u in used if (u.kind, u.title) not in in_library],
            "sessions": selectors.sessions_of(cohort),
            "form": form,
            "can_set": can_set,
            "may_edit_library": may_edit_plan(request.user, organisation),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
@cohort_view()
def link_exercise(request: AuthenticatedRequest, opened: OpenedCohort) -> HttpResponse:
    cohort = opened.cohort
    form = LinkExerciseForm(request.POST, sessions=cohort.sessions.all())
    if not form.is_valid():
        raise Http404
    session = form.cleaned_data["session"]
    try:
        homework_services.link_exercise(
            user=request.user,
            session=session,
            position=form.cleaned_data["position"],
            title=form.cleaned_data["title"],
        )
    except RecruitmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The exercise is linked to the course day."))
    return redirect("peer:cohort_homework", session.cohort_id)


@login_required
@require_http_methods(["GET", "POST"])
@assignment_view()
def assignment_detail(request: AuthenticatedRequest, opened: OpenedAssignment) -> HttpResponse:
    assignment = opened.assignment
    if request.method == "POST":
        form = SubmissionFeedbackForm(request.POST, submissions=assignment.submissions.all())
        if not form.is_valid() and "submission" in form.errors:
            raise Http404
        if form.is_valid():
            homework_services.give_feedback(
                user=request.user,
                submission=form.cleaned_data["submission"],
                feedback=form.cleaned_data["feedback"],
            )
            messages.success(request, _("The feedback is saved; the participant sees it now."))
        else:
            messages.error(request, _("Write the feedback first."))
        return redirect("peer:assignment", assignment.pk)
    rows = selectors.submissions_of(assignment)
    log_list_access(
        request=request,
        people=[p.application for p, _s in rows],
        obj=assignment,
        reason="homework hand-ins",
    )
    return render(
        request,
        "peer/assignment_detail.html",
        {
            "assignment": assignment,
            "cohort": assignment.cohort,
            "rows": rows,
            "can_give_feedback": may_take_attendance(request.user, assignment.cohort),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_assignment(request: AuthenticatedRequest, assignment_id: int) -> HttpResponse:
    participant = selectors.own_participation(request.user)
    if participant is None:
        raise Http404
    assignment = participant.cohort.assignments.filter(pk=assignment_id).first()
    if assignment is None:
        raise Http404
    submission = assignment.submissions.filter(participant=participant).first()
    form = HandInForm(
        request.POST or None,
        request.FILES or None,
        initial={"text": submission.text if submission else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            homework_services.hand_in(
                user=request.user,
                participant=participant,
                assignment=assignment,
                text=form.cleaned_data["text"],
                upload=form.cleaned_data["file"],
            )
        except RecruitmentError as exc:
            form.add_error("file" if form.cleaned_data["file"] else "text", str(exc))
        else:
            messages.success(request, _("Handed in. Thank you!"))
            return redirect("peer:my_assignment", assignment.pk)
    return render(
        request,
        "peer/my_assignment.html",
        {"assignment": assignment, "submission": submission, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def submission_file(request: AuthenticatedRequest, submission_id: int) -> HttpResponseBase:
    """The attached file, to the course's staff and to the participant who handed it in."""
    from django.http import FileResponse

    submission = selectors.get_submission_for(request.user, submission_id)
    if not submission.file:
        raise Http404
    log_access(
        request=request,
        action=Action.VIEW,
        person=submission.participant.application,
        obj=submission,
        reason="homework file",
    )
    return FileResponse(
        submission.file.open("rb"),
        as_attachment=True,
        filename=submission.file_name or submission.file.name.rsplit("/", 1)[-1],
    )


# --- The third step, certificates, calendars -------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@cohort_view(allow=lambda o: o.is_coordinator, reason="course completion", log=False)
def cohort_completion(request: AuthenticatedRequest, opened: OpenedCohort) -> HttpResponse:
    cohort = opened.cohort
    errors: dict[int, str] = {}
    if request.method == "POST":
        form = CompletionForm(request.POST, participants=cohort.participants.all())
        if not form.is_valid():
            raise Http404
        participant = form.cleaned_data["participant"]
        try:
            services.complete_course(
                user=request.user,
                participant=participant,
                completed=form.cleaned_data["completed"],
                recommended=form.cleaned_data["recommended"],
                reason=form.cleaned_data["reason"],
            )
        except RecruitmentError as exc:
            errors[participant.pk] = str(exc)
        else:
            messages.success(
                request,
                _("Recorded for %(name)s.") % {"name": participant.application.full_name},
            )
            return redirect("peer:cohort_completion", cohort.pk)
    rows = selectors.participant_rows(cohort)
    log_list_access(
        request=request,
        people=[row.participant.application for row in rows],
        obj=cohort,
        reason="course completion",
    )
    return render(
        request,
        "peer/cohort_completion.html",
        {"cohort": cohort, "rows": rows, "errors": errors},
        status=400 if errors else 200,
    )


@login_required
def certificate(request: AuthenticatedRequest, participant_id: int) -> HttpResponse:
    from egenmakt.peer.models import Participant, ParticipantStatus

    participant = (
        Participant.objects.select_related("cohort__round__organisation", "application", "user")
        .filter(pk=participant_id)
        .first()
    )
    if participant is None or not (
        participant.user_id == request.user.pk
        or is_round_coordinator(request.user, participant.cohort.round)
    ):
        raise Http404
    if participant.status != ParticipantStatus.COMPLETED:
        raise Http404
    # The certificate says the course covered ethics: not before the guidelines are read.
    require_acknowledged(participant)
    log_access(
        request=request,
        action=Action.EXPORT,
        person=participant.application,
        obj=participant,
        reason="course certificate",
    )
    language = request.LANGUAGE_CODE if hasattr(request, "LANGUAGE_CODE") else "sv"
    response = HttpResponse(
        services.certificate_pdf(participant, language=language), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="kursintyg-{participant.pk}.pdf"'
    return response


def cohort_feed(request: HttpRequest, key: str) -> HttpResponse:
    """The cohort's schedule for calendar apps: a private, unguessable address."""
    from egenmakt.peer.models import Cohort

    cohort = Cohort.objects.filter(calendar_key=key).first()
    if cohort is None:
        raise Http404
    return _calendar_response(services.course_calendar(cohort), f"kurs-{cohort.pk}.ics")


def participant_feed(request: HttpRequest, key: str) -> HttpResponse:
    from egenmakt.peer.models import Participant

    participant = Participant.objects.select_related("cohort").filter(calendar_key=key).first()
    if participant is None:
        raise Http404
    return _calendar_response(
        services.course_calendar(participant.cohort, participant=participant), "min-kurs.ics"
    )


def _calendar_response(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
@require_POST
def my_reminders(request: AuthenticatedRequest) -> HttpResponse:
    participant = selectors.own_participation(request.user)
    if participant is None:
        raise Http404
    form = RemindersForm(request.POST)
    participant.wants_reminders = form.is_valid() and form.cleaned_data["wants_reminders"]
    participant.save(update_fields=["wants_reminders"])
    messages.success(
        request,
        _("You will get reminders by e-mail.")
        if participant.wants_reminders
        else _("You will not get reminders."),
    )
    return redirect("peer:my_course")
