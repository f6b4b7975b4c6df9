"""The handbook's rules about who leads the work, on their edges: exactly half is not a
majority, a majority is, a missing declaration does not count. Required rules ("ska")
refuse completing the course with the rule as the written reason; recommended rules
("bör") only warn."""

from __future__ import annotations

from datetime import time, timedelta
from itertools import count

import pytest
from django.urls import reverse
from django.utils import timezone

from egenmakt.accounts.models import User
from egenmakt.peer.handbook import RULES, Severity, is_majority
from egenmakt.peer.models import ParticipantStatus, RoundMember, RoundRole
from egenmakt.peer.selectors import handbook
from egenmakt.peer.services import course as course_services
from egenmakt.peer.services.recruitment import RecruitmentError

from .test_course import cohort_with, meet_the_handbook

pytestmark = pytest.mark.django_db

_n = count(1)


def person(declared: bool | None = None) -> User:
    user = User.objects.create_user(f"ledare{next(_n)}@example.org", None, full_name="Ledare")
    if declared is not None:
        course_services.declare_lived_experience(user=user, declared=declared)
    return user


def leader(cast, cohort, *, movement: bool, declared: bool | None) -> User:
    user = person(declared)
    course_services.add_staff(
        user=cast.training_lead,
        cohort=cohort,
        person=user,
        role="course_leader",
        represents_user_movement=movement,
    )
    return user


def bare_cohort(cast):
    """A cohort whose only course leader is the cast's, removed from the count."""
    cohort = cohort_with(cast)
    cohort.staff.filter(role="course_leader").delete()
    return cohort


def day(cast, cohort, leaders, offset: int = -1):
    return course_services.add_session(
        user=cast.training_lead,
        cohort=cohort,
        day=timezone.localdate() + timedelta(days=offset),
        starts=time(9, 0),
        ends=time(12, 0),
        place="Brukarnätverket",
        theme="Återhämtning",
        leaders=leaders,
    )


def test_each_rule_says_whether_the_handbook_requires_or_recommends_it():
    assert {key: rule.severity for key, rule in RULES.items()} == {
        "course_leaders": Severity.REQUIRED,
        "lectures": Severity.REQUIRED,
        "coordinator": Severity.ADVISED,
        "supervisor": Severity.ADVISED,
    }
    assert all(rule.quote and rule.page for rule in RULES.values())
    assert "ska" in RULES["course_leaders"].quote and "bör" in RULES["coordinator"].quote


def test_majority_is_more_than_half():
    assert not is_majority(0, 0)
    assert not is_majority(1, 2)
    assert not is_majority(2, 4)
    assert is_majority(2, 3)
    assert is_majority(1, 1)


def test_course_leaders_exactly_half_fails(cast):
    cohort = bare_cohort(cast)
    leader(cast, cohort, movement=True, declared=True)
    leader(cast, cohort, movement=True, declared=False)
    check = handbook.course_leaders_check(cohort)
    assert not check.passed and check.refused
    assert "1 av 2" in check.detail


def test_course_leaders_majority_passes(cast):
    cohort = bare_cohort(cast)
    leader(cast, cohort, movement=True, declared=True)
    leader(cast, cohort, movement=True, declared=True)
    leader(cast, cohort, movement=False, declared=False)
    assert handbook.course_leaders_check(cohort).passed


def test_course_leaders_need_both_experience_and_the_user_movement(cast):
    cohort = bare_cohort(cast)
    leader(cast, cohort, movement=True, declared=False)
    leader(cast, cohort, movement=False, declared=True)
    leader(cast, cohort, movement=True, declared=True)
    assert not handbook.course_leaders_check(cohort).passed  # 1 of 3 has both


def test_a_missing_declaration_does_not_count(cast):
    cohort = bare_cohort(cast)
    leader(cast, cohort, movement=True, declared=None)
    check = handbook.course_leaders_check(cohort)
    assert not check.passed
    assert "1 har inte svarat" in check.detail or "1 har inte" in check.detail


def test_no_course_leaders_fails(cast):
    assert not handbook.course_leaders_check(bare_cohort(cast)).passed


def test_lecturers_do_not_count_as_course_leaders(cast):
    cohort = bare_cohort(cast)
    leader(cast, cohort, movement=True, declared=True)
    for _ in range(3):
        course_services.add_staff(
            user=cast.training_lead, cohort=cohort, person=person(False), role="lecturer"
        )
    assert handbook.course_leaders_check(cohort).passed  # 1 of 1 course leader


def test_course_days_exactly_half_fails_and_a_majority_passes(cast):
    cohort = bare_cohort(cast)
    with_experience, without = person(True), person(False)
    for user in (with_experience, without):
        course_services.add_staff(
            user=cast.training_lead, cohort=cohort, person=user, role="lecturer"
        )
    day(cast, cohort, [with_experience], -3)
    day(cast, cohort, [without], -2)
    check = handbook.lectures_check(cohort)
    assert not check.passed and check.refused and "1 av 2" in check.detail
    day(cast, cohort, [with_experience, without], -1)
    assert handbook.lectures_check(cohort).passed  # 2 of 3


def test_course_days_without_a_leader_or_a_declaration_do_not_count(cast):
    cohort = bare_cohort(cast)
    silent = person(None)
    course_services.add_staff(
        user=cast.training_lead, cohort=cohort, person=silent, role="lecturer"
    )
    day(cast, cohort, [], -2)
    day(cast, cohort, [silent], -1)
    check = handbook.lectures_check(cohort)
    assert not check.passed and "0 av 2" in check.detail


def test_coordinator_rule_warns_and_uses_the_round_record_or_the_declaration(cast):
    cohort = cohort_with(cast)
    member = RoundMember.objects.get(round=cohort.round, role=RoundRole.COORDINATOR)
    RoundMember.objects.filter(pk=member.pk).update(
        represents_user_movement=True, has_lived_experience=False
    )
    check = handbook.coordinator_check(cohort.round)
    assert not check.passed and not check.refused  # "bör": a warning only
    course_services.declare_lived_experience(user=member.user, declared=True)
    assert handbook.coordinator_check(cohort.round).passed
    RoundMember.objects.filter(pk=member.pk).update(represents_user_movement=False)
    assert not handbook.coordinator_check(cohort.round).passed


def test_supervisor_rule_warns_only(client, cast, signed_in):
    check = handbook.supervisor_check(cast.supervisor)
    assert not check.passed and not check.refused
    signed_in(cast.supervisor)
    page = client.get(reverse("peer:supervision")).content.decode()
    assert "Handledningen hålls av en person med egen erfarenhet" in page
    course_services.declare_lived_experience(user=cast.supervisor, declared=True)
    assert handbook.supervisor_check(cast.supervisor).passed


def test_completing_is_refused_with_the_rule_as_the_reason_while_a_required_rule_fails(
    client, cast, signed_in
):
    cohort = cohort_with(cast, n=2)
    first, second = cohort.participants.order_by("pk")
    with pytest.raises(RecruitmentError, match="En majoritet av kursledarna ska"):
        course_services.complete_course(
            user=cast.coordinator, participant=first, completed=True, recommended=True, reason="Ja"
        )
    signed_in(cast.coordinator)
    response = client.post(
        reverse("peer:cohort_completion", args=[cohort.pk]),
        {"participant": first.pk, "completed": "yes", "recommended": "yes", "reason": "Ja"},
    )
    assert response.status_code == 400
    assert "Majoriteten av föreläsningarna" in response.content.decode()
    first.refresh_from_db()
    assert first.status == ParticipantStatus.ACTIVE
    # Recording that someone did not complete is never refused.
    course_services.complete_course(
        user=cast.coordinator, participant=second, completed=False, recommended=False, reason="Nej"
    )
    meet_the_handbook(cast, cohort)
    course_services.complete_course(
        user=cast.coordinator, participant=first, completed=True, recommended=True, reason="Ja"
    )
    first.refresh_from_db()
    assert first.status == ParticipantStatus.COMPLETED


def test_the_user_movement_is_recorded_per_course_leader_on_the_page(client, cast, signed_in):
    cohort = cohort_with(cast)
    signed_in(cast.training_lead)
    response = client.post(
        reverse("peer:cohort_staff", args=[cohort.pk]),
        {
            "email": cast.course_leader.email,
            "role": "course_leader",
            "represents_user_movement": "on",
        },
    )
    assert response.status_code == 302
    assert cohort.staff.get(user=cast.course_leader, role="course_leader").represents_user_movement
