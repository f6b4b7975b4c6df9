"""What is waiting for a person on their role's start page (``peer/views/start.py``): each
selector is scoped to the person by the same rule as the page its items link to, and
reads in one query whatever the data (the start page's query count is asserted).

Nothing here names an applicant: rounds are counted, interviews are shown by their time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from egenmakt.accounts.models import User
from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import held_roles
from egenmakt.peer.models import (
    OUTCOME_STATUS,
    ApplicationStatus,
    Assignment,
    Attendance,
    CohortRole,
    CohortStaff,
    CourseSession,
    DecisionOutcome,
    Interview,
    InterviewRecord,
    Participant,
    ParticipantStatus,
    PeerWorkplace,
    Placement,
    RecordKind,
    RecruitmentRound,
    RoundMember,
    RoundRole,
    RoundStatus,
    Submission,
    SupervisionAttendance,
    SupervisionMeeting,
    TaskDescription,
)

# A placement whose planned end is this near is shown to the network's coordinators.
ENDING_SOON_DAYS = 30  # INFERRED
# A held course day without attendance is shown for this long (then it is history).
ATTENDANCE_DAYS = 30  # INFERRED
# Homework is shown to the participant from this many days before it is due until due.
HOMEWORK_DAYS = 14  # INFERRED
LIMIT = 10


# --- The coordinator ---------------------------------------------------------------------


def _letter_due() -> Q:
    """A decision with no letter yet, final for now (as ``services.letters.pending_letters``:
    go on to interview has its invitation instead)."""
    final = Q(pk__in=[])
    for outcome, status in OUTCOME_STATUS.items():
        if outcome != DecisionOutcome.GO_ON:
            final |= Q(
                applications__decisions__outcome=outcome,
                applications__status=status,
            )
    return final & Q(applications__decisions__letter_queued_at__isnull=True)


def rounds_waiting(user: User) -> list[RecruitmentRound]:
    """The not yet closed rounds the user coordinates, with what waits in each: applications
    to screen (``to_screen``), to decide after the interview (``to_decide``), and letters
    not sent (``letters``)."""
    return list(
        RecruitmentRound.objects.filter(
            Exists(
                RoundMember.objects.filter(
                    round=OuterRef("pk"), user=user, role=RoundRole.COORDINATOR
                )
            )
        )
        .exclude(status=RoundStatus.CLOSED)
        .annotate(
            to_screen=Count(
                "applications",
                filter=Q(applications__status=ApplicationStatus.APPLIED),
                distinct=True,
            ),
            to_decide=Count(
                "applications",
                filter=Q(applications__status=ApplicationStatus.INTERVIEWED),
                distinct=True,
            ),
            letters=Count("applications", filter=_letter_due(), distinct=True),
        )
        .order_by("course_start", "id")[:LIMIT]
    )


def _network_condition(user: User, prefix: str) -> Q:
    condition = Q(pk__in=[])
    for held in held_roles(user):
        if held.role == Role.COORDINATOR:
            condition |= Q(**{f"{prefix}path__startswith": held.organisation_path})
    return condition


def placements_ending(user: User, today: date | None = None) -> list[Placement]:
    """Placements of the user's networks whose planned end is within
    ``ENDING_SOON_DAYS`` (the placement page's rule: the network's coordinators)."""
    today = today or timezone.localdate()
    return list(
        Placement.objects.filter(
            _network_condition(user, "workplace__network__"),
            ends_on__gte=today,
            ends_on__lte=today + timedelta(days=ENDING_SOON_DAYS),
        )
        .select_related("peer_supporter", "workplace__workplace")
        .order_by("ends_on", "id")[: LIMIT + 1]
    )


# --- The interviewer ----------------------------------------------------------------------


def interviews_to_assess(user: User) -> list[Interview]:
    """Interviews the user is booked for, in rounds they still work on, whose application
    waits for its decision and for which the user has not submitted their own
    assessment against the selection criteria (``assessed`` False), soonest first."""
    from egenmakt.instruments.models import Response

    record_type = ContentType.objects.get_for_model(InterviewRecord)
    submitted = Response.objects.filter(
        subject_type=record_type,
        subject_id=Cast(OuterRef("pk"), output_field=CharField()),
        status="submitted",
    )
    own_assessment = InterviewRecord.objects.filter(
        Exists(submitted),
        interview=OuterRef("pk"),
        author=user,
        kind=RecordKind.ASSESSMENT,
    )
    in_round = RoundMember.objects.filter(round=OuterRef("application__round"), user=user)
    return list(
        Interview.objects.filter(
            Q(interviewer_1=user) | Q(interviewer_2=user),
            Exists(in_round),
            cancelled_at__isnull=True,
            application__status__in=[
                ApplicationStatus.INTERVIEW_BOOKED,
                ApplicationStatus.INTERVIEWED,
            ],
        )
        .exclude(Exists(own_assessment))
        .select_related("application__round")
        .order_by("starts_at", "id")[: LIMIT + 1]
    )


# --- Course staff ----------------------------------------------------------------------------

TEACHING_ROLES = [CohortRole.TRAINING_LEAD, CohortRole.COURSE_LEADER, CohortRole.LECTURER]


@dataclass(frozen=True)
class CourseWork:
    next_session: CourseSession | None
    attendance_missing: Sequence[CourseSession]
    feedback_due: Sequence[Assignment]


def course_work(user: User, today: date | None = None) -> CourseWork:
    """For someone who teaches on courses (the attendance page's rule: the cohort's
    training lead, course leaders and lecturers): the next course day, held days in the
    last ``ATTENDANCE_DAYS`` without attendance, and homework handed in without feedback
    (for those who read homework: course leaders and the training lead). Two queries."""
    today = today or timezone.localdate()
    teaching = CohortStaff.objects.filter(user=user, role__in=TEACHING_ROLES).values("cohort_id")
    sessions = list(
        CourseSession.objects.filter(
            cohort__in=teaching, day__gte=today - timedelta(days=ATTENDANCE_DAYS)
        )
        .annotate(taken=Exists(Attendance.objects.filter(session=OuterRef("pk"))))
        .select_related("cohort")
        .order_by("day", "starts", "id")[:200]
    )
    upcoming = [s for s in sessions if s.day >= today]
    missing = [s for s in sessions if s.day < today and not s.taken]
    reading = CohortStaff.objects.filter(
        user=user, role__in=[CohortRole.TRAINING_LEAD, CohortRole.COURSE_LEADER]
    ).values("cohort_id")
    feedback = list(
        Assignment.objects.filter(cohort__in=reading)
        .annotate(
            unread=Count("submissions", filter=Q(submissions__feedback_at__isnull=True)),
        )
        .filter(unread__gt=0)
        .select_related("cohort")
        .order_by("due", "id")[: LIMIT + 1]
    )
    return CourseWork(upcoming[0] if upcoming else None, missing[: LIMIT + 1], feedback)


# --- The supervisor -----------------------------------------------------------------------


def supervision_waiting(user: User, now: datetime | None = None) -> list[SupervisionMeeting]:
    """The supervisor's meetings to come (``coming`` True) and held meetings where who
    took part is not recorded yet, soonest first; one query."""
    now = now or timezone.now()
    unrecorded = SupervisionAttendance.objects.filter(meeting=OuterRef("pk"), attended=None)
    return list(
        SupervisionMeeting.objects.filter(supervisor=user)
        .filter(Q(starts_at__gte=now) | Exists(unrecorded))
        .annotate(
            people=Count("attendance", distinct=True),
            unrecorded=Exists(unrecorded),
        )
        .order_by("starts_at", "id")[: LIMIT + 1]
    )


# --- The peer supporter ---------------------------------------------------------------------


@dataclass(frozen=True)
class OwnWork:
    next_session: CourseSession | None
    homework: list[Assignment]
    next_supervision: SupervisionMeeting | None
    # A participant who has not yet acknowledged the ethics guidelines.
    guidelines_unread: bool = False


def own_work(user: User, now: datetime | None = None) -> OwnWork:
    """The person's own next course day, homework not handed in (due within
    ``HOMEWORK_DAYS`` or overdue up to a week) and whether the ethics guidelines wait to be
    acknowledged, while they take the course, and their next supervision meeting; three
    queries."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    participant = (
        Participant.objects.filter(user=user, status=ParticipantStatus.ACTIVE)
        .select_related("cohort", "ethics_acknowledgement")
        .first()
    )
    session = None
    homework: list[Assignment] = []
    if participant is not None:
        session = (
            CourseSession.objects.filter(cohort_id=participant.cohort_id, day__gte=today)
            .order_by("day", "starts", "id")
            .first()
        )
        handed = Submission.objects.filter(assignment=OuterRef("pk"), participant=participant)
        homework = list(
            Assignment.objects.filter(
                cohort_id=participant.cohort_id,
                due__gte=today - timedelta(days=7),
                due__lte=today + timedelta(days=HOMEWORK_DAYS),
            )
            .exclude(Exists(handed))
            .order_by("due", "id")[:LIMIT]
        )
    supervision = (
        SupervisionMeeting.objects.filter(attendance__peer_supporter=user, starts_at__gte=now)
        .order_by("starts_at", "id")
        .first()
    )
    unread = participant is not None and not hasattr(participant, "ethics_acknowledgement")
    return OwnWork(session, homework, supervision, unread)


# --- The workplace manager ----------------------------------------------------------------------


def managed_workplaces(user: User, today: date | None = None) -> QuerySet[PeerWorkplace]:
    """The registered workplaces the user manages (the workplace page's rule), with the
    number of peer supporters working there and whether the task description is agreed."""
    today = today or timezone.localdate()
    condition = Q(pk__in=[])
    for held in held_roles(user):
        if held.role == Role.WORKPLACE_MANAGER:
            condition |= Q(workplace__path__startswith=held.organisation_path)
    return (
        PeerWorkplace.objects.filter(condition)
        .annotate(
            working=Count(
                "placements",
                filter=Q(placements__ends_on__isnull=True) | Q(placements__ends_on__gte=today),
                distinct=True,
            ),
        )
        .annotate(
            agreed=Exists(
                TaskDescription.objects.filter(workplace=OuterRef("pk"), agreed_on__isnull=False)
            )
        )
        .select_related("workplace")
        .order_by("workplace__name", "id")
    )


# --- Fidelity reviews -----------------------------------------------------------------------

# A placement the user supervises is due a fidelity review when it has had none for this
# long (or none at all since it started this long ago). INFERRED: the handbook asks for
# regular reviews without a number; half a year is the assumption, change it here.
FIDELITY_EVERY_DAYS = 182


def fidelity_reviews_due(user: User, today: date | None = None) -> list[Placement]:
    """Active placements the user supervises (the placement page's rule: the supervisor
    takes part in its fidelity reviews) whose last submitted review (``last_review``) is
    older than ``FIDELITY_EVERY_DAYS``, or that have none and started that long ago."""
    from django.db.models import Max, Subquery

    from egenmakt.instruments.models import Response

    today = today or timezone.localdate()
    since = today - timedelta(days=FIDELITY_EVERY_DAYS)
    reviews = (
        Response.objects.filter(
            subject_type=ContentType.objects.get_for_model(Placement),
            subject_id=Cast(OuterRef("pk"), output_field=CharField()),
            status="submitted",
            definition__key="fidelity",
        )
        .values("subject_id")
        .annotate(last=Max("answered_on"))
        .values("last")
    )
    return list(
        Placement.objects.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today),
            supervisor=user,
            starts_on__lte=since,
        )
        .annotate(last_review=Subquery(reviews[:1]))
        .filter(Q(last_review__isnull=True) | Q(last_review__lt=since))
        .select_related("workplace__workplace")
        .order_by("starts_on", "id")[: LIMIT + 1]
    )
