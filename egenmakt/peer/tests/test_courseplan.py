"""The five-week course plan as data: the shipped default, a network's own copy made on
its first change (another network's plan never changes, the units below inherit), and
building a course's days and homework from it, once."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.urls import reverse

from egenmakt.accounts.models import Membership
from egenmakt.accounts.roles import Role
from egenmakt.peer.models import Assignment, CoursePlanItem, CourseSession, PlanItemKind
from egenmakt.peer.selectors.courseplan import DEFAULT_PLAN, plan_for
from egenmakt.peer.services import courseplan as services

from .test_course import cohort_with

pytestmark = pytest.mark.django_db


def test_the_shipped_plan_has_five_weeks_of_study_and_homework_weeks(cast):
    plan = plan_for(cast.org("network"))
    assert plan.source is None and plan.entries == DEFAULT_PLAN
    kinds = {week: study for week, study, _entries in plan.weeks()}
    assert kinds == {1: True, 2: False, 3: True, 4: False, 5: True}


def test_building_a_course_from_the_plan_creates_days_and_homework_once(client, cast, signed_in):
    cohort = cohort_with(cast)
    start = cohort.round.course_start
    signed_in(cast.training_lead)
    url = reverse("peer:cohort_from_plan", args=[cohort.pk])
    assert client.post(url, {"plan-place": "Brukarnätverket"}).status_code == 302
    days = [e for e in DEFAULT_PLAN if e.is_day]
    homework = [e for e in DEFAULT_PLAN if not e.is_day]
    sessions = list(CourseSession.objects.filter(cohort=cohort).order_by("day"))
    assert len(sessions) == len(days)
    assert sessions[0].day == days[0].on(start) and sessions[0].theme == days[0].title
    assert all(s.place == "Brukarnätverket" for s in sessions)
    assert Assignment.objects.filter(cohort=cohort).count() == len(homework)
    first_homework = Assignment.objects.filter(cohort=cohort).order_by("due").first()
    assert first_homework.due.weekday() == 4  # a Friday
    assert (first_homework.due - start).days < 14
    # Again: nothing twice.
    client.post(url, {"plan-place": "Brukarnätverket"})
    assert CourseSession.objects.filter(cohort=cohort).count() == len(days)
    assert Assignment.objects.filter(cohort=cohort).count() == len(homework)


def test_only_those_who_plan_the_course_build_it_from_the_plan(client, cast, signed_in):
    cohort = cohort_with(cast)
    signed_in(cast.course_leader)
    url = reverse("peer:cohort_from_plan", args=[cohort.pk])
    assert client.post(url, {"plan-place": "X"}).status_code == 403
    signed_in(cast.interviewer)
    assert client.post(url, {"plan-place": "X"}).status_code == 404
    assert not CourseSession.objects.filter(cohort=cohort).exists()


def test_a_networks_edit_does_not_change_another_networks_plan(client, cast, signed_in):
    network, other = cast.org("network"), cast.org("other_network")
    below = cast.org("user_org_a")
    signed_in(cast.coordinator)
    response = client.post(
        reverse("peer:course_plan_add", args=[network.pk]),
        {
            "kind": PlanItemKind.DAY,
            "week": 2,
            "weekday": 2,
            "title": "Extra dag om etik",
            "starts": "10:00",
            "ends": "14:00",
        },
    )
    assert response.status_code == 302
    own = plan_for(network)
    assert own.source == network
    assert len(own.entries) == len(DEFAULT_PLAN) + 1
    assert any(e.title == "Extra dag om etik" for e in own.entries)
    assert plan_for(other).entries == DEFAULT_PLAN  # untouched
    assert plan_for(below).source == network  # inherited down the tree
    # The other network makes its own change: the first network's plan stays as it was.
    Membership.objects.create(user=cast.coordinator, organisation=other, role=Role.COORDINATOR)
    services.remove_plan_item(user=cast.coordinator, organisation=other, position=0)
    assert len(plan_for(other).entries) == len(DEFAULT_PLAN) - 1
    assert len(plan_for(network).entries) == len(DEFAULT_PLAN) + 1
    assert CoursePlanItem.objects.filter(organisation=network).count() == len(DEFAULT_PLAN) + 1


def test_the_plan_page_is_for_the_networks_coordinators_and_administrators(client, cast, signed_in):
    network = cast.org("network")
    url = reverse("peer:course_plan", args=[network.pk])
    signed_in(cast.coordinator)
    assert "Vecka 2" in client.get(url).content.decode()
    signed_in(cast.course_leader)
    assert client.get(url).status_code == 404
    assert client.post(reverse("peer:course_plan_add", args=[network.pk]), {}).status_code == 404


def test_an_invalid_entry_is_refused_and_nothing_is_written(client, cast, signed_in):
    network = cast.org("network")
    signed_in(cast.coordinator)
    response = client.post(
        reverse("peer:course_plan_add", args=[network.pk]),
        {"kind": PlanItemKind.DAY, "week": 6, "weekday": 1, "title": "X", "starts": "10:00"},
    )
    assert response.status_code == 400
    assert not CoursePlanItem.objects.exists()


def test_a_plan_entry_is_dated_from_the_course_start():
    entry = DEFAULT_PLAN[0]
    assert entry.week == 1 and entry.starts == time(9, 30)
    # A course starting on a Wednesday: week 1 is that calendar week.
    assert entry.on(date(2027, 3, 3)) == date(2027, 3, 1)
