"""What every peer page does first: open the object named in the URL, once.

One decorator per protected object (``egenmakt/core/http.py``): the object out of the
user's reach answers 404, ``allow`` failing raises ``PermissionDenied(reason)`` (logged by
``handler403``), and on GET the read is logged unless the view logs a list itself
(``log=False``). The view receives the opened value: the object and the user it was
opened for, so the rules about both are asked of the same pair.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple, cast

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from egenmakt.audit.services import log_access
from egenmakt.core.http import protected_object
from egenmakt.peer.models import (
    Application,
    Assignment,
    Cohort,
    CourseSession,
    FollowUpEvent,
    Interview,
    Participant,
    PeerWorkplace,
    Placement,
    RecruitmentRound,
    SupervisionAttendance,
    SupervisionMeeting,
)
from egenmakt.peer.rules import (
    is_round_coordinator,
    may_decide,
    may_place,
    may_plan,
    may_take_attendance,
    placement_access,
)
from egenmakt.peer.selectors import course as course_selectors
from egenmakt.peer.selectors import followup as followup_selectors
from egenmakt.peer.selectors import placement as placement_selectors
from egenmakt.peer.selectors import recruitment as recruitment_selectors
from egenmakt.peer.selectors import supervision as supervision_selectors

if TYPE_CHECKING:
    from egenmakt.accounts.models import User


def _user(request: HttpRequest) -> User:
    """Every peer page is behind ``login_required``: its user is signed in."""
    return cast("User", request.user)


# --- Recruitment ---------------------------------------------------------------------


class OpenedRound(NamedTuple):
    round: RecruitmentRound
    user: User

    @property
    def is_coordinator(self) -> bool:
        return is_round_coordinator(self.user, self.round)


class OpenedApplication(NamedTuple):
    application: Application
    user: User

    @property
    def may_decide(self) -> bool:
        return may_decide(self.user, self.application)

    @property
    def is_coordinator(self) -> bool:
        return is_round_coordinator(self.user, self.application.round)


class OpenedInterview(NamedTuple):
    interview: Interview
    user: User


def _resolve_round(request: HttpRequest, round_id: Any) -> OpenedRound:
    return OpenedRound(recruitment_selectors.get_round_for(request.user, round_id), _user(request))


def _log_round(request: HttpRequest, opened: OpenedRound, *, action: str, reason: str) -> None:
    log_access(request=request, action=action, obj=opened.round, reason=reason)


def _resolve_application(request: HttpRequest, application_id: Any) -> OpenedApplication:
    application = recruitment_selectors.get_application_for(request.user, application_id)
    return OpenedApplication(application, _user(request))


def _log_application(
    request: HttpRequest, opened: OpenedApplication, *, action: str, reason: str
) -> None:
    application = opened.application
    log_access(request=request, action=action, person=application, obj=application, reason=reason)


def _resolve_interview(request: HttpRequest, interview_id: Any) -> OpenedInterview:
    interview = recruitment_selectors.get_interview_for(request.user, interview_id)
    return OpenedInterview(interview, _user(request))


def _log_interview(
    request: HttpRequest, opened: OpenedInterview, *, action: str, reason: str
) -> None:
    interview = opened.interview
    log_access(
        request=request, action=action, person=interview.application, obj=interview, reason=reason
    )


round_view = protected_object(url_kwarg="round_id", resolve=_resolve_round, log_read=_log_round)
application_view = protected_object(
    url_kwarg="application_id", resolve=_resolve_application, log_read=_log_application
)
interview_view = protected_object(
    url_kwarg="interview_id", resolve=_resolve_interview, log_read=_log_interview
)


# --- Course --------------------------------------------------------------------------


class OpenedCohort(NamedTuple):
    cohort: Cohort
    user: User

    @property
    def may_plan(self) -> bool:
        return may_plan(self.user, self.cohort)

    @property
    def may_take_attendance(self) -> bool:
        return may_take_attendance(self.user, self.cohort)

    @property
    def is_coordinator(self) -> bool:
        return is_round_coordinator(self.user, self.cohort.round)


class OpenedSession(NamedTuple):
    session: CourseSession
    user: User

    @property
    def may_take_attendance(self) -> bool:
        return may_take_attendance(self.user, self.session.cohort)


class OpenedAssignment(NamedTuple):
    assignment: Assignment
    user: User


def _resolve_cohort(request: HttpRequest, cohort_id: Any) -> OpenedCohort:
    return OpenedCohort(course_selectors.get_cohort_for(request.user, cohort_id), _user(request))


def _log_cohort(request: HttpRequest, opened: OpenedCohort, *, action: str, reason: str) -> None:
    log_access(request=request, action=action, obj=opened.cohort, reason=reason)


def _resolve_session(request: HttpRequest, session_id: Any) -> OpenedSession:
    return OpenedSession(course_selectors.get_session_for(request.user, session_id), _user(request))


def _resolve_assignment(request: HttpRequest, assignment_id: Any) -> OpenedAssignment:
    assignment = course_selectors.get_assignment_for_staff(request.user, assignment_id)
    return OpenedAssignment(assignment, _user(request))


class OpenedObserved(NamedTuple):
    """A participant opened for their observation notes (``rules.may_observe``)."""

    participant: Participant
    user: User


def _resolve_observed(request: HttpRequest, participant_id: Any) -> OpenedObserved:
    return OpenedObserved(
        course_selectors.get_participant_to_observe(request.user, participant_id),
        _user(request),
    )


def _log_observed(
    request: HttpRequest, opened: OpenedObserved, *, action: str, reason: str
) -> None:
    log_access(
        request=request,
        action=action,
        person=opened.participant.application,
        obj=opened.participant,
        reason=reason or "observation notes",
    )


observed_view = protected_object(
    url_kwarg="participant_id", resolve=_resolve_observed, log_read=_log_observed
)
cohort_view = protected_object(url_kwarg="cohort_id", resolve=_resolve_cohort, log_read=_log_cohort)
session_view = protected_object(url_kwarg="session_id", resolve=_resolve_session)
assignment_view = protected_object(url_kwarg="assignment_id", resolve=_resolve_assignment)


# --- Workplaces and placements -------------------------------------------------------


class OpenedWorkplace(NamedTuple):
    workplace: PeerWorkplace
    user: User

    @property
    def may_place(self) -> bool:
        return may_place(self.user, self.workplace)


class OpenedPlacement(NamedTuple):
    placement: Placement
    user: User

    @property
    def may_place(self) -> bool:
        return may_place(self.user, self.placement.workplace)

    @property
    def may_review(self) -> bool:
        return placement_access(self.user, self.placement, "change")


def _resolve_workplace(request: HttpRequest, workplace_id: Any) -> OpenedWorkplace:
    workplace = placement_selectors.get_workplace_for(request.user, workplace_id)
    return OpenedWorkplace(workplace, _user(request))


def _resolve_placement(request: HttpRequest, placement_id: Any) -> OpenedPlacement:
    """The placement page: its people, its supervisor and whoever sees the workplace."""
    placement = (
        Placement.objects.select_related("peer_supporter", "supervisor", "workplace__workplace")
        .select_related("workplace__network")
        .filter(pk=placement_id)
        .first()
    )
    if placement is None or not placement_access(request.user, placement, "view"):
        raise Http404
    return OpenedPlacement(placement, _user(request))


def _resolve_workplace_placement(request: HttpRequest, placement_id: Any) -> OpenedPlacement:
    """A placement reached through its workplace (ending it is the workplace's business)."""
    placement = (
        Placement.objects.select_related("workplace__network", "workplace__workplace")
        .filter(pk=placement_id)
        .first()
    )
    if placement is None:
        raise Http404
    placement_selectors.get_workplace_for(request.user, placement.workplace_id)
    return OpenedPlacement(placement, _user(request))


workplace_view = protected_object(url_kwarg="workplace_id", resolve=_resolve_workplace)
placement_view = protected_object(url_kwarg="placement_id", resolve=_resolve_placement)
workplace_placement_view = protected_object(
    url_kwarg="placement_id", resolve=_resolve_workplace_placement
)


# --- Supervision and follow-up -------------------------------------------------------


class OpenedMeeting(NamedTuple):
    meeting: SupervisionMeeting
    user: User

    @property
    def is_supervisor(self) -> bool:
        return self.meeting.supervisor_id == self.user.pk


class OpenedEvent(NamedTuple):
    event: FollowUpEvent
    user: User


def _resolve_meeting(request: HttpRequest, meeting_id: Any) -> OpenedMeeting:
    meeting = supervision_selectors.get_meeting_for(request.user, meeting_id)
    return OpenedMeeting(meeting, _user(request))


def _resolve_notes_row(request: HttpRequest, row_id: Any) -> SupervisionAttendance:
    """A supervision note is the supervisor's alone: anyone else is refused, not told 404."""
    row = SupervisionAttendance.objects.select_related("meeting").filter(pk=row_id).first()
    if row is None or row.meeting.supervisor_id != request.user.pk:
        raise PermissionDenied("supervision notes")
    return row


def _resolve_event(request: HttpRequest, event_id: Any) -> OpenedEvent:
    return OpenedEvent(followup_selectors.get_event_for(request.user, event_id), _user(request))


meeting_view = protected_object(url_kwarg="meeting_id", resolve=_resolve_meeting)
notes_row_view = protected_object(url_kwarg="row_id", resolve=_resolve_notes_row)
event_view = protected_object(url_kwarg="event_id", resolve=_resolve_event)
