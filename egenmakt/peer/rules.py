"""Who may do what in the peer programme: recruitment rounds, the course, placements,
supervision notes and fidelity reviews.

Only the round's own people see its applications (its coordinators all of them, its
interviewers those that went on to step 2); holding a coordinator role in the
organisation is what lets someone create a round, not what lets them read one.
Checked in views and services through these predicates, never only in templates.
"""

from __future__ import annotations

from egenmakt.accounts.models import Organisation
from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import holds_role_in
from egenmakt.accounts.types import Viewer
from egenmakt.peer.models import (
    INTERVIEW_STEP_STATUSES,
    USER_ORGANISATION_KINDS,
    Application,
    Cohort,
    CohortRole,
    Interview,
    InterviewRecord,
    Participant,
    PeerWorkplace,
    Placement,
    RecruitmentRound,
    RoundRole,
    SupervisionAttendance,
)


def round_roles(user: Viewer, round_: RecruitmentRound) -> frozenset[str]:
    """The user's roles in the round, read once per round object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cache: dict[int, frozenset[str]] = round_.__dict__.setdefault("_member_roles", {})
    if user.pk not in cache:
        cache[user.pk] = frozenset(round_.members.filter(user=user).values_list("role", flat=True))
    return cache[user.pk]


def may_create_round_in(user: Viewer, organisation: Organisation | None) -> bool:
    return organisation is not None and holds_role_in(user, Role.COORDINATOR, organisation)


def is_round_member(user: Viewer, round_: RecruitmentRound) -> bool:
    return bool(round_roles(user, round_))


def is_round_coordinator(user: Viewer, round_: RecruitmentRound) -> bool:
    return RoundRole.COORDINATOR in round_roles(user, round_)


def may_see_application(user: Viewer, application: Application) -> bool:
    roles = round_roles(user, application.round)
    if RoundRole.COORDINATOR in roles:
        return True
    return RoundRole.INTERVIEWER in roles and application.status in INTERVIEW_STEP_STATUSES


def may_decide(user: Viewer, application: Application) -> bool:
    return RoundRole.COORDINATOR in round_roles(user, application.round)


def may_see_interview(user: Viewer, interview: Interview) -> bool:
    if RoundRole.COORDINATOR in round_roles(user, interview.application.round):
        return True
    return user.pk in interview.interviewer_ids() and is_round_member(
        user, interview.application.round
    )


def is_interviewer_of(user: Viewer, interview: Interview) -> bool:
    return user.pk in interview.interviewer_ids() and is_round_member(
        user, interview.application.round
    )


def record_is_submitted(record: InterviewRecord) -> bool:
    from egenmakt.instruments.selectors import responses_about

    cached = record.__dict__.get("_submitted")
    if cached is None:
        cached = responses_about(record).filter(status="submitted").exists()
        record.__dict__["_submitted"] = cached
    return bool(cached)


def may_see_record(user: Viewer, record: InterviewRecord) -> bool:
    """Own notes stay the writer's own until submitted; then the other interviewer may
    read them too, to agree. The round's coordinators read every record."""
    interview = record.interview
    if RoundRole.COORDINATOR in round_roles(user, interview.application.round):
        return True
    if not is_interviewer_of(user, interview):
        return False
    if record.is_agreed or record.author_id == user.pk:
        return True
    return record_is_submitted(record)


def may_write_record(user: Viewer, record: InterviewRecord) -> bool:
    interview = record.interview
    if not is_interviewer_of(user, interview) or interview.cancelled_at is not None:
        return False
    return record.is_agreed or record.author_id == user.pk


# --- Course -------------------------------------------------------------------------


def cohort_roles(user: Viewer, cohort: Cohort) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cache: dict[int, frozenset[str]] = cohort.__dict__.setdefault("_staff_roles", {})
    if user.pk not in cache:
        roles = set(cohort.staff.filter(user=user).values_list("role", flat=True))
        if is_round_coordinator(user, cohort.round):
            roles.add(CohortRole.COORDINATOR)
        cache[user.pk] = frozenset(roles)
    return cache[user.pk]


def may_create_cohort_in(user: Viewer, organisation: Organisation) -> bool:
    return holds_role_in(user, Role.TRAINING_LEAD, organisation) or holds_role_in(
        user, Role.COORDINATOR, organisation
    )


def is_staff_of(user: Viewer, cohort: Cohort) -> bool:
    return bool(cohort_roles(user, cohort))


def may_plan(user: Viewer, cohort: Cohort) -> bool:
    """Schedule, staff and participants: the training lead (and the coordinator)."""
    return bool(cohort_roles(user, cohort) & {CohortRole.TRAINING_LEAD, CohortRole.COORDINATOR})


def may_take_attendance(user: Viewer, cohort: Cohort) -> bool:
    return bool(
        cohort_roles(user, cohort)
        & {CohortRole.TRAINING_LEAD, CohortRole.COURSE_LEADER, CohortRole.LECTURER}
    )


def may_observe(user: Viewer, cohort: Cohort) -> bool:
    """Observation notes of step 3: the round's coordinators and the course leaders only
    (not lecturers, not the training lead in that role, never the participant)."""
    return bool(cohort_roles(user, cohort) & {CohortRole.COORDINATOR, CohortRole.COURSE_LEADER})


def may_edit_plan(user: Viewer, organisation: Organisation) -> bool:
    """A network's course plan: its coordinators and administrators."""
    return holds_role_in(user, Role.COORDINATOR, organisation) or holds_role_in(
        user, Role.ADMIN, organisation
    )


def is_participant(user: Viewer, participant: Participant) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and participant.user_id == user.pk


# --- Placements ---------------------------------------------------------------------


def is_network_coordinator(user: Viewer, network: Organisation) -> bool:
    return holds_role_in(user, Role.COORDINATOR, network)


def may_see_workplace(user: Viewer, workplace: PeerWorkplace) -> bool:
    return is_network_coordinator(user, workplace.network) or holds_role_in(
        user, Role.WORKPLACE_MANAGER, workplace.workplace
    )


def may_place(user: Viewer, workplace: PeerWorkplace) -> bool:
    return is_network_coordinator(user, workplace.network)


def may_train_user_organisation(user: Viewer, organisation: Organisation) -> bool:
    """A user organisation's own training sessions (handbook p. 20): the coordinators of
    it or of a network above it."""
    return organisation.kind in USER_ORGANISATION_KINDS and holds_role_in(
        user, Role.COORDINATOR, organisation
    )


# --- Supervision notes ----------------------------------------------------------------


def notes_access(user: Viewer, row: SupervisionAttendance, action: str) -> bool:
    """Only the supervisor writes; the supervisor and the peer supporter read."""
    if action == "change":
        return row.meeting.supervisor_id == user.pk
    return user.pk in {row.meeting.supervisor_id, row.peer_supporter_id}


# --- Fidelity --------------------------------------------------------------------------


def placement_access(user: Viewer, placement: Placement, action: str) -> bool:
    """Fidelity reviews: the network's coordinators, the placement's supervisor and the
    peer supporter take part; the workplace's managers read them."""
    if is_network_coordinator(user, placement.workplace.network):
        return True
    if user.pk in {placement.supervisor_id, placement.peer_supporter_id}:
        return True
    return action == "view" and may_see_workplace(user, placement.workplace)
