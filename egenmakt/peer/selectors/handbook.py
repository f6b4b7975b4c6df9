"""The handbook's rules (``peer/handbook.py``) evaluated for a course, a round or a
supervisor. Counts only: a declaration of own experience is never shown by name."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from egenmakt.accounts.types import Viewer
from egenmakt.peer.handbook import (
    COORDINATOR,
    COURSE_LEADERS,
    LECTURES,
    SUPERVISOR,
    HandbookRule,
    is_majority,
)
from egenmakt.peer.models import (
    Cohort,
    CohortRole,
    LivedExperience,
    RecruitmentRound,
    RoundRole,
)


@dataclass(frozen=True)
class Check:
    rule: HandbookRule
    passed: bool
    detail: str

    @property
    def refused(self) -> bool:
        """Failing a rule the handbook states with "ska"."""
        return not self.passed and self.rule.refuses

    @property
    def reason(self) -> str:
        """The written reason of a refusal or warning, with its source."""
        return _("%(title)s (the PEER handbook, p. %(page)s: “%(quote)s”). %(detail)s") % {
            "title": self.rule.title,
            "page": self.rule.page,
            "quote": self.rule.quote,
            "detail": self.detail,
        }


def _declared(user_ids: set[int]) -> set[int]:
    """Of these people, those who declared own experience (no declaration: not counted)."""
    return set(
        LivedExperience.objects.filter(user_id__in=user_ids, declared=True).values_list(
            "user_id", flat=True
        )
    )


def _undeclared(user_ids: set[int]) -> int:
    answered = set(
        LivedExperience.objects.filter(user_id__in=user_ids).values_list("user_id", flat=True)
    )
    return len(user_ids - answered)


def course_leaders_check(cohort: Cohort) -> Check:
    leaders = {
        row.user_id: row.represents_user_movement
        for row in cohort.staff.filter(role=CohortRole.COURSE_LEADER)
    }
    experienced = _declared(set(leaders))
    both = sum(1 for uid, movement in leaders.items() if movement and uid in experienced)
    detail = _(
        "%(both)s of %(total)s course leaders both represent the user movement and have "
        "declared own experience; %(missing)s have not declared."
    ) % {"both": both, "total": len(leaders), "missing": _undeclared(set(leaders))}
    return Check(COURSE_LEADERS, is_majority(both, len(leaders)), detail)


def lectures_check(cohort: Cohort) -> Check:
    """A course day counts when at least one of its leaders declared own experience
    (INFERRED reading of "hållas av personer med egen erfarenhet" for shared days); a day
    with no leader recorded does not count."""
    sessions = list(cohort.sessions.prefetch_related("leaders"))
    leader_ids = {leader.pk for s in sessions for leader in s.leaders.all()}
    experienced = _declared(leader_ids)
    led = sum(1 for s in sessions if any(leader.pk in experienced for leader in s.leaders.all()))
    unled = sum(1 for s in sessions if not s.leaders.all())
    detail = _(
        "%(led)s of %(total)s course days are led by someone who declared own experience; "
        "%(unled)s have no leader recorded."
    ) % {"led": led, "total": len(sessions), "unled": unled}
    return Check(LECTURES, is_majority(led, len(sessions)), detail)


def coordinator_check(round_: RecruitmentRound) -> Check:
    """Passes when a coordinator of the round represents the user movement and has own
    experience (recorded on the round, or declared by the person)."""
    rows = list(round_.members.filter(role=RoundRole.COORDINATOR))
    declared = _declared({row.user_id for row in rows})
    fits = sum(
        1
        for row in rows
        if row.represents_user_movement and (row.has_lived_experience or row.user_id in declared)
    )
    detail = _(
        "%(fits)s of the round's %(total)s coordinators represent the user movement with own "
        "experience."
    ) % {"fits": fits, "total": len(rows)}
    return Check(COORDINATOR, fits > 0, detail)


def supervisor_check(supervisor: Viewer) -> Check:
    declared = bool(_declared({supervisor.pk})) if supervisor.pk else False
    detail = (
        _("The supervisor has declared own experience.")
        if declared
        else _("The supervisor has not declared own experience (on their own page).")
    )
    return Check(SUPERVISOR, declared, detail)


def course_checks(cohort: Cohort) -> list[Check]:
    return [
        course_leaders_check(cohort),
        lectures_check(cohort),
        coordinator_check(cohort.round),
    ]


def refusals(cohort: Cohort) -> list[Check]:
    return [check for check in course_checks(cohort) if check.refused]
