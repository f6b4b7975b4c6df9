"""Read queries for the course: scoped to the user, constant in the number of rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from egenmakt.accounts.models import Organisation, User
from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import held_roles
from egenmakt.accounts.types import Viewer
from egenmakt.peer.models import (
    PRESENT_STATUSES,
    Attendance,
    Cohort,
    CourseSession,
    ObservationNote,
    Participant,
    SessionExercise,
)
from egenmakt.peer.rules import is_participant, is_staff_of, may_observe


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def cohorts_for(user: Viewer) -> QuerySet[Cohort]:
    return (
        Cohort.objects.filter(
            Q(staff__user=user) | Q(round__members__user=user, round__members__role="coordinator")
        )
        .distinct()
        .select_related("round", "round__organisation")
        .annotate(participant_count=Count("participants", distinct=True))
    )


def get_cohort_for(user: Viewer, cohort_id: Any) -> Cohort:
    cohort = (
        Cohort.objects.select_related("round", "round__organisation")
        .filter(pk=_int(cohort_id))
        .first()
    )
    if cohort is None or not is_staff_of(user, cohort):
        raise Http404
    return cohort


def get_session_for(user: Viewer, session_id: Any) -> CourseSession:
    session = (
        CourseSession.objects.select_related("cohort", "cohort__round")
        .filter(pk=_int(session_id))
        .first()
    )
    if session is None or not is_staff_of(user, session.cohort):
        raise Http404
    return session


def get_participant_to_observe(user: Viewer, participant_id: Any) -> Participant:
    """A participant whose observation notes the user may read: 404 for everyone else,
    the participant themself included."""
    participant = (
        Participant.objects.select_related("cohort", "cohort__round", "application")
        .filter(pk=_int(participant_id))
        .first()
    )
    if participant is None or not may_observe(user, participant.cohort):
        raise Http404
    return participant


def observation_notes(participant: Participant) -> list[ObservationNote]:
    return list(participant.observation_notes.select_related("author").order_by("created_at"))


def own_participation(user: User) -> Participant | None:
    if not getattr(user, "is_authenticated", False):
        return None
    participant = (
        Participant.objects.select_related("cohort", "cohort__round", "application", "user")
        .filter(user=user)
        .first()
    )
    if participant is None or not is_participant(user, participant):
        return None
    return participant


def sessions_of(cohort: Cohort) -> list[CourseSession]:
    return list(cohort.sessions.prefetch_related("leaders").order_by("day", "starts"))


def course_content_editable_by(user: Viewer) -> list[Organisation]:
    """Organisations whose course plan and libraries the user edits through a membership
    of their own (``rules.may_edit_plan``; the units below are reached from their courses)."""
    ids = {h.organisation_id for h in held_roles(user) if h.role in {Role.COORDINATOR, Role.ADMIN}}
    return list(Organisation.objects.filter(pk__in=ids).order_by("name")) if ids else []


def exercises_used(cohort: Cohort) -> list[SessionExercise]:
    """The exercises used on the course's days, with their day."""
    return list(
        SessionExercise.objects.filter(session__cohort=cohort)
        .select_related("session")
        .order_by("session__day", "session__starts", "kind", "title")
    )


@dataclass
class ParticipantRow:
    participant: Participant
    held: int
    present: int

    @property
    def rate(self) -> int | None:
        return round(100 * self.present / self.held) if self.held else None

    @property
    def acknowledged(self) -> Any:
        """The participant's acknowledgement of the ethics guidelines, or None (read with
        the row: ``select_related``)."""
        return getattr(self.participant, "ethics_acknowledgement", None)


def participant_rows(cohort: Cohort) -> list[ParticipantRow]:
    """Participants with their attendance over the days held so far, in two queries."""
    today = timezone.localdate()
    # A day counts once it has begun and its attendance has been taken.
    held = cohort.sessions.filter(day__lte=today, attendance__isnull=False).distinct().count()
    participants = list(
        cohort.participants.select_related(
            "application", "user", "ethics_acknowledgement"
        ).annotate(
            present=Count(
                "attendance",
                filter=Q(
                    attendance__status__in=PRESENT_STATUSES, attendance__session__day__lte=today
                ),
            )
        )
    )
    return [ParticipantRow(p, held, p.present) for p in participants]


def attendance_sheet(session: CourseSession) -> list[tuple[Participant, Attendance | None]]:
    participants = list(
        session.cohort.participants.select_related("application").order_by("application__full_name")
    )
    marks = {a.participant_id: a for a in session.attendance.all()}
    return [(p, marks.get(p.pk)) for p in participants]


def assignments_with_counts(cohort: Cohort) -> list[Any]:
    from egenmakt.peer.models import Assignment

    return list(
        Assignment.objects.filter(cohort=cohort).annotate(
            handed_in=Count("submissions", distinct=True),
            with_feedback=Count(
                "submissions", filter=Q(submissions__feedback_at__isnull=False), distinct=True
            ),
        )
    )


def get_assignment_for_staff(user: Viewer, assignment_id: Any) -> Any:
    from egenmakt.peer.models import Assignment

    assignment = (
        Assignment.objects.select_related("cohort", "cohort__round")
        .filter(pk=_int(assignment_id))
        .first()
    )
    if assignment is None or not is_staff_of(user, assignment.cohort):
        raise Http404
    return assignment


def submissions_of(assignment: Any) -> list[tuple[Participant, Any]]:
    participants = list(
        assignment.cohort.participants.select_related("application").order_by(
            "application__full_name"
        )
    )
    handed = {s.participant_id: s for s in assignment.submissions.select_related("feedback_by")}
    return [(p, handed.get(p.pk)) for p in participants]


def get_submission_for(user: Viewer, submission_id: Any) -> Any:
    """The hand-in for the course's staff or its own participant; anyone else 404."""
    from egenmakt.peer.models import Submission

    submission = (
        Submission.objects.select_related(
            "assignment",
            "assignment__cohort",
            "assignment__cohort__round",
            "participant",
            "participant__application",
        )
        .filter(pk=_int(submission_id))
        .first()
    )
    if submission is None:
        raise Http404
    if not (
        is_participant(user, submission.participant)
        or is_staff_of(user, submission.assignment.cohort)
    ):
        raise Http404
    return submission


def own_assignments(participant: Participant) -> list[tuple[Any, Any]]:
    from egenmakt.peer.models import Assignment

    assignments = list(
        Assignment.objects.filter(cohort_id=participant.cohort_id).order_by("due", "id")
    )
    handed = {s.assignment_id: s for s in participant.submissions.all()}
    return [(a, handed.get(a.pk)) for a in assignments]


def _creator_paths(user: Viewer) -> list[str]:
    from egenmakt.accounts.roles import Role
    from egenmakt.accounts.selectors import held_roles

    return [
        h.organisation_path
        for h in held_roles(user)
        if h.role in {Role.TRAINING_LEAD, Role.COORDINATOR}
    ]


def rounds_ready_for_a_cohort(user: Viewer) -> list[Any]:
    """Rounds of the user's organisations with admitted applicants not yet on a course."""
    from egenmakt.peer.models import ApplicationStatus, RecruitmentRound

    paths = _creator_paths(user)
    if not paths:
        return []
    condition = Q()
    for path in paths:
        condition |= Q(organisation__path__startswith=path)
    return list(
        RecruitmentRound.objects.filter(condition)
        .annotate(
            waiting=Count(
                "applications",
                filter=Q(
                    applications__status=ApplicationStatus.ADMITTED,
                    applications__participant__isnull=True,
                ),
            )
        )
        .filter(waiting__gt=0)
        .select_related("organisation")
    )


def get_round_for_cohort(user: Viewer, round_id: Any) -> Any:
    """A round whose admitted applicants the user may form a course from, else 404."""
    from egenmakt.peer.models import RecruitmentRound
    from egenmakt.peer.rules import may_create_cohort_in

    round_ = (
        RecruitmentRound.objects.select_related("organisation").filter(pk=_int(round_id)).first()
    )
    if round_ is None or not may_create_cohort_in(user, round_.organisation):
        raise Http404
    return round_
