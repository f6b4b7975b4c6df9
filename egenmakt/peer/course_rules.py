"""Who may do what on a course (step 3).

Course staff are the cohort's training lead(s), course leaders and lecturers; the round's
coordinators follow the cohort too. A participant sees only their own things.
"""

from __future__ import annotations

from typing import Any

from egenmakt.accounts.models import Organisation
from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import holds_role_in

from .models import Cohort, CohortRole, Participant
from .rules import is_round_coordinator


def cohort_roles(user: Any, cohort: Cohort) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cache: dict[int, frozenset[str]] = cohort.__dict__.setdefault("_staff_roles", {})
    if user.pk not in cache:
        roles = set(cohort.staff.filter(user=user).values_list("role", flat=True))
        if is_round_coordinator(user, cohort.round):
            roles.add(CohortRole.COORDINATOR)
        cache[user.pk] = frozenset(roles)
    return cache[user.pk]


def may_create_cohort_in(user: Any, organisation: Organisation) -> bool:
    return holds_role_in(user, Role.TRAINING_LEAD, organisation) or holds_role_in(
        user, Role.COORDINATOR, organisation
    )


def is_staff_of(user: Any, cohort: Cohort) -> bool:
    return bool(cohort_roles(user, cohort))


def may_plan(user: Any, cohort: Cohort) -> bool:
    """Schedule, staff and participants: the training lead (and the coordinator)."""
    return bool(cohort_roles(user, cohort) & {CohortRole.TRAINING_LEAD, CohortRole.COORDINATOR})


def may_take_attendance(user: Any, cohort: Cohort) -> bool:
    return bool(
        cohort_roles(user, cohort)
        & {CohortRole.TRAINING_LEAD, CohortRole.COURSE_LEADER, CohortRole.LECTURER}
    )


def is_participant(user: Any, participant: Participant) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and participant.user_id == user.pk
