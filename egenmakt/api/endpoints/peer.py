"""Recruitment (rounds, applications, decisions) and courses (sessions, attendance)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Status
from ninja.errors import HttpError

from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import (
    held_roles,
)
from egenmakt.api.auth import person_for
from egenmakt.api.models import Area
from egenmakt.api.schemas import (
    ApplicationOut,
    AttendanceIn,
    AttendanceRowOut,
    AttendanceSaved,
    CohortOut,
    DecisionIn,
    DecisionOut,
    RoundOut,
    SessionOut,
)
from egenmakt.audit.services import log_access, log_list_access
from egenmakt.peer.models import ApplicationStatus
from egenmakt.peer.rules import may_decide, may_take_attendance
from egenmakt.peer.selectors import course, recruitment
from egenmakt.peer.services import course as course_services
from egenmakt.peer.services import recruitment as recruitment_services
from egenmakt.peer.services.recruitment import RecruitmentError

from .common import DENIED, HIDDEN, LIST_LIMIT

router = Router()


# --- Recruitment (``peer:rounds``, the application list) -----------------------------------


@router.get(
    "/rounds", response={200: list[RoundOut], **DENIED}, url_name="rounds", tags=["recruitment"]
)
def rounds(request: HttpRequest) -> Any:
    user = person_for(request, Area.RECRUITMENT)
    rows = list(recruitment.rounds_for(user)[:LIST_LIMIT])
    # As ``peer:round_list``: coordinators and interviewers, and anyone in a round.
    roles = {held.role for held in held_roles(user)}
    if not rows and not roles & {Role.COORDINATOR, Role.INTERVIEWER}:
        raise PermissionDenied("recruitment rounds")
    return rows


@router.get(
    "/rounds/{round_id}/applications",
    response={200: list[ApplicationOut], **HIDDEN},
    url_name="round_applications",
    tags=["recruitment"],
)
def round_applications(
    request: HttpRequest, round_id: int, status: ApplicationStatus | None = None
) -> Any:
    """The applications the caller's part in the round shows (a coordinator all, an
    interviewer those at the interview step), each read logged."""
    user = person_for(request, Area.RECRUITMENT)
    round_ = recruitment.get_round_for(user, round_id)
    chosen = status.value if status is not None else ""
    rows = list(recruitment.applications_in(user, round_, status=chosen)[:LIST_LIMIT])
    log_list_access(request=request, people=rows, obj=round_, reason="application list")
    return rows


@router.get(
    "/applications/{application_id}",
    response={200: ApplicationOut, **HIDDEN},
    url_name="application",
    tags=["recruitment"],
)
def application(request: HttpRequest, application_id: int) -> Any:
    """One application's status (``peer:application``)."""
    user = person_for(request, Area.RECRUITMENT)
    found = recruitment.get_application_for(user, application_id)
    log_access(request=request, person=found, obj=found, reason="application")
    return found


@router.post(
    "/applications/{application_id}/decisions",
    response={201: DecisionOut, **HIDDEN},
    url_name="application_decide",
    tags=["recruitment"],
)
def application_decide(request: HttpRequest, application_id: int, payload: DecisionIn) -> Any:
    """Take a step's decision, which moves the application's status (``peer:decide``, its
    service ``decide``): the round's coordinators only (else 403), the page's refusals as
    400 (an outcome of another step, a status the step cannot be taken from)."""
    user = person_for(request, Area.RECRUITMENT, write=True)
    found = recruitment.get_application_for(user, application_id)
    if not may_decide(user, found):
        raise PermissionDenied("application decision")
    # As the page's decorator: the opening is logged, then the service logs the change.
    log_access(request=request, person=found, obj=found, reason="application decision")
    try:
        decision = recruitment_services.decide(
            user=user,
            application=found,
            step=payload.step.value,
            outcome=payload.outcome.value,
            reason=payload.reason.value,
            comment=payload.comment,
        )
    except RecruitmentError as exc:
        raise HttpError(400, str(exc)) from None
    return Status(
        201,
        {
            "id": decision.pk,
            "application_id": found.pk,
            "step": decision.step,
            "outcome": decision.outcome,
            "reason": decision.reason,
            "decided_at": decision.decided_at,
            "application_status": decision.application.status,
        },
    )


# --- Courses (``peer:cohorts``, attendance) -------------------------------------------------


@router.get(
    "/cohorts", response={200: list[CohortOut], **DENIED}, url_name="cohorts", tags=["courses"]
)
def cohorts(request: HttpRequest) -> Any:
    user = person_for(request, Area.COURSES)
    return list(course.cohorts_for(user).order_by("-id")[:LIST_LIMIT])


@router.get(
    "/cohorts/{cohort_id}/sessions",
    response={200: list[SessionOut], **HIDDEN},
    url_name="cohort_sessions",
    tags=["courses"],
)
def cohort_sessions(request: HttpRequest, cohort_id: int) -> Any:
    user = person_for(request, Area.COURSES)
    cohort = course.get_cohort_for(user, cohort_id)
    log_access(request=request, obj=cohort, reason="cohort")
    return course.sessions_of(cohort)


def _session_for_attendance(request: HttpRequest, session_id: int, *, write: bool) -> Any:
    """As ``peer:attendance``: the session's staff reach it (else 404), and only those who
    take attendance may read or change the sheet (else 403, logged)."""
    user = person_for(request, Area.COURSES, write=write)
    session = course.get_session_for(user, session_id)
    if not may_take_attendance(user, session.cohort):
        raise PermissionDenied("attendance")
    return user, session


def _sheet(request: HttpRequest, session: Any) -> list[dict[str, Any]]:
    sheet = course.attendance_sheet(session)
    log_list_access(
        request=request, people=[p.application for p, _m in sheet], obj=session, reason="attendance"
    )
    return [
        {
            "participant_id": participant.pk,
            "full_name": participant.application.full_name,
            "status": mark.status if mark is not None else None,
        }
        for participant, mark in sheet
    ]


@router.get(
    "/sessions/{session_id}/attendance",
    response={200: list[AttendanceRowOut], **HIDDEN},
    url_name="attendance",
    tags=["courses"],
)
def attendance(request: HttpRequest, session_id: int) -> Any:
    _user, session = _session_for_attendance(request, session_id, write=False)
    return _sheet(request, session)


@router.put(
    "/sessions/{session_id}/attendance",
    response={200: AttendanceSaved, **HIDDEN},
    url_name="attendance_save",
    tags=["courses"],
)
def attendance_save(request: HttpRequest, session_id: int, payload: AttendanceIn) -> Any:
    """Record attendance through the page's service (``take_attendance``): the marks given
    change, the others stay."""
    user, session = _session_for_attendance(request, session_id, write=True)
    marks = {mark.participant_id: mark.status for mark in payload.marks}
    try:
        changed = course_services.take_attendance(user=user, session=session, marks=marks)
    except RecruitmentError as exc:
        return Status(400, {"detail": str(exc)})
    return {"changed": changed}
