"""What waits for each role of the peer programme on its start page: the person's own
items, each a link that opens for them, never another network's, in few queries."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from egenmakt.accounts.models import Organisation, OrganisationKind
from egenmakt.accounts.roles import ROLE_SLUGS, Role
from egenmakt.peer.models import (
    Assignment,
    Cohort,
    CohortRole,
    CohortStaff,
    CourseSession,
    Participant,
    Placement,
    SupervisionAttendance,
    SupervisionMeeting,
)
from egenmakt.peer.services import placement as placement_services

from .factories import apply, book, make_round, screen
from .test_placement import peer_supporters, placement_kwargs, workplace
from .test_supervision import review

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def start_page(client, role):
    return client.get(reverse("accounts:role_start", args=[ROLE_SLUGS[role]]))


def links(response):
    return [item.url for item in response.context["panels"][0].context["waiting"].items]


def outsider_round(cast):
    """A round of the other network, run by its own coordinator only."""
    round_ = make_round(cast, people=False)
    round_.organisation = cast.org("other_network")
    round_.save()
    round_.members.all().delete()
    round_.members.create(
        user=cast.outsider_coordinator, role="coordinator", represents_user_movement=True
    )
    return round_


# --- Coordinator ---


def test_the_coordinator_sees_applications_to_screen_in_their_round_only(client, cast, signed_in):
    mine = make_round(cast)
    apply(mine)
    theirs = outsider_round(cast)
    apply(theirs)
    signed_in(cast.coordinator)
    response = start_page(client, Role.COORDINATOR)
    assert response.status_code == 200
    url = reverse("peer:applications", args=[mine.pk]) + "?status=applied"
    assert url in links(response)
    assert not any(f"/{theirs.pk}/" in link for link in links(response))
    assert client.get(url).status_code == 200


def test_the_coordinator_sees_a_placement_ending_soon_of_their_network(client, cast, signed_in):
    place = workplace(cast)
    (person,) = peer_supporters(cast, 1)
    placement = placement_services.place(
        user=cast.coordinator,
        workplace=place,
        override_reason="Pilot.",
        **placement_kwargs(cast, person),
    )
    Placement.objects.filter(pk=placement.pk).update(
        starts_on=TODAY() - timedelta(days=100), ends_on=TODAY() + timedelta(days=10)
    )
    signed_in(cast.coordinator)
    response = start_page(client, Role.COORDINATOR)
    url = reverse("peer:placement", args=[placement.pk])
    assert url in links(response)
    assert person.full_name in response.content.decode()
    assert client.get(url).status_code == 200
    # Another network's coordinator is not shown it.
    client.logout()
    signed_in(cast.outsider_coordinator)
    assert url not in links(start_page(client, Role.COORDINATOR))


# --- Interviewer ---


def test_the_interviewer_sees_the_interviews_booked_for_them_not_yet_assessed(
    client, cast, signed_in
):
    round_ = make_round(cast)
    interview = book(cast, screen(cast, apply(round_)))
    signed_in(cast.interviewer)
    response = start_page(client, Role.INTERVIEWER)
    url = reverse("peer:interview", args=[interview.pk])
    assert url in links(response)
    # No applicant's name on the start page: the interview is shown by its time.
    assert interview.application.full_name not in response.content.decode()
    assert client.get(url).status_code == 200
    client.logout()
    signed_in(cast.outsider_interviewer)
    assert url not in links(start_page(client, Role.INTERVIEWER))


# --- Course staff ---


def cohort_of(cast, round_=None):
    round_ = round_ or make_round(cast)
    return Cohort.objects.create(round=round_, title="Kurs Västerhav", created_by=cast.coordinator)


def session(cohort, days):
    return CourseSession.objects.create(
        cohort=cohort,
        day=TODAY() + timedelta(days=days),
        starts=time(9),
        ends=time(15),
        place="Kvarnen",
        theme=f"Tema {days}",
    )


def test_the_course_leader_sees_a_held_day_without_attendance_and_the_next_day(
    client, cast, signed_in
):
    cohort = cohort_of(cast)
    CohortStaff.objects.create(
        cohort=cohort, user=cast.course_leader, role=CohortRole.COURSE_LEADER
    )
    held = session(cohort, -2)
    coming = session(cohort, 3)
    other = cohort_of(cast)
    CohortStaff.objects.create(
        cohort=other, user=cast.outsider_course_leader, role=CohortRole.COURSE_LEADER
    )
    theirs = session(other, -2)
    signed_in(cast.course_leader)
    response = start_page(client, Role.COURSE_LEADER)
    shown = links(response)
    assert reverse("peer:attendance", args=[held.pk]) in shown
    assert reverse("peer:attendance", args=[coming.pk]) in shown
    assert reverse("peer:attendance", args=[theirs.pk]) not in shown
    assert client.get(reverse("peer:attendance", args=[held.pk])).status_code == 200


# --- Supervisor ---


def test_the_supervisor_sees_their_coming_meeting_and_not_anothers(client, cast, signed_in):
    (person,) = peer_supporters(cast, 1)
    mine = SupervisionMeeting.objects.create(
        supervisor=cast.supervisor,
        kind="individual",
        starts_at=timezone.now() + timedelta(days=2),
        place="Nätverkets lokal",
    )
    SupervisionAttendance.objects.create(meeting=mine, peer_supporter=person)
    theirs = SupervisionMeeting.objects.create(
        supervisor=cast.outsider_supervisor,
        kind="individual",
        starts_at=timezone.now() + timedelta(days=2),
        place="Annan lokal",
    )
    signed_in(cast.supervisor)
    response = start_page(client, Role.SUPERVISOR)
    shown = links(response)
    assert reverse("peer:supervision_meeting", args=[mine.pk]) in shown
    assert reverse("peer:supervision_meeting", args=[theirs.pk]) not in shown
    assert client.get(shown[0]).status_code == 200


# --- Peer supporter (a participant of the course) ---


def test_the_peer_supporter_sees_their_next_course_day_and_homework(client, cast, signed_in):
    round_ = make_round(cast)
    cohort = cohort_of(cast, round_)
    Participant.objects.create(cohort=cohort, application=apply(round_), user=cast.peer_supporter)
    session(cohort, 4)
    homework = Assignment.objects.create(
        cohort=cohort,
        title="Min återhämtningsberättelse",
        instructions="Skriv en sida.",
        due=TODAY() + timedelta(days=5),
        created_by=cast.course_leader,
    )
    other = cohort_of(cast)
    Assignment.objects.create(
        cohort=other,
        title="Någon annans uppgift",
        instructions="-",
        due=TODAY() + timedelta(days=5),
        created_by=cast.course_leader,
    )
    signed_in(cast.peer_supporter)
    response = start_page(client, Role.PEER_SUPPORTER)
    shown = links(response)
    url = reverse("peer:my_assignment", args=[homework.pk])
    assert url in shown
    assert reverse("peer:my_course") in shown
    assert "Någon annans uppgift" not in response.content.decode()
    assert client.get(url).status_code == 200


def test_nothing_waiting_says_so_and_offers_the_next_actions(client, cast, signed_in):
    signed_in(cast.outsider_peer_supporter)
    response = start_page(client, Role.PEER_SUPPORTER)
    panel = response.context["panels"][0].context["waiting"]
    assert panel.items == []
    assert response.context["panels"][0].context["waiting"].next_actions
    for action in panel.next_actions:
        assert client.get(action.url).status_code == 200


# --- Workplace manager ---


def test_the_workplace_manager_sees_their_workplace(client, cast, signed_in):
    place = workplace(cast)
    elsewhere = Organisation.objects.create(
        name="Annan mottagning", kind=OrganisationKind.WORKPLACE, parent=cast.org("other_region")
    )
    theirs = placement_services.register_workplace(
        user=cast.outsider_coordinator, workplace=elsewhere, network=cast.org("other_network")
    )
    signed_in(cast.workplace_manager)
    response = start_page(client, Role.WORKPLACE_MANAGER)
    shown = links(response)
    assert reverse("peer:workplace", args=[place.pk]) in shown
    assert reverse("peer:workplace", args=[theirs.pk]) not in shown
    assert client.get(shown[0]).status_code == 200


# --- Query counts ---


@pytest.mark.parametrize(
    ("person", "role"),
    [
        ("coordinator", Role.COORDINATOR),
        ("interviewer", Role.INTERVIEWER),
        ("course_leader", Role.COURSE_LEADER),
        ("training_lead", Role.TRAINING_LEAD),
        ("lecturer", Role.LECTURER),
        ("supervisor", Role.SUPERVISOR),
        ("peer_supporter", Role.PEER_SUPPORTER),
        ("workplace_manager", Role.WORKPLACE_MANAGER),
    ],
)
def test_a_start_page_reads_in_few_queries_whatever_waits(
    client, cast, signed_in, django_assert_max_num_queries, person, role
):
    round_ = make_round(cast)
    for n in range(3):
        book(cast, screen(cast, apply(round_)), days=3 + n)
        apply(round_)
    cohort = cohort_of(cast, round_)
    for user, cohort_role in (
        (cast.course_leader, CohortRole.COURSE_LEADER),
        (cast.training_lead, CohortRole.TRAINING_LEAD),
        (cast.lecturer, CohortRole.LECTURER),
    ):
        CohortStaff.objects.create(cohort=cohort, user=user, role=cohort_role)
    for days in (-3, -2, -1, 1, 2):
        session(cohort, days)
    Participant.objects.create(cohort=cohort, application=apply(round_), user=cast.peer_supporter)
    for days in (1, 2):
        Assignment.objects.create(
            cohort=cohort,
            title="Uppgift",
            instructions="-",
            due=TODAY() + timedelta(days=days),
            created_by=cast.course_leader,
        )
    place = workplace(cast)
    for person_ in peer_supporters(cast, 3):
        placement = placement_services.place(
            user=cast.coordinator,
            workplace=place,
            override_reason="Pilot.",
            **placement_kwargs(cast, person_),
        )
        Placement.objects.filter(pk=placement.pk).update(ends_on=TODAY() + timedelta(days=20))
        meeting = SupervisionMeeting.objects.create(
            supervisor=cast.supervisor,
            kind="individual",
            starts_at=timezone.now() - timedelta(days=1),
            place="Lokal",
        )
        SupervisionAttendance.objects.create(meeting=meeting, peer_supporter=person_)
    signed_in(getattr(cast, person))
    # Session, user, second factor, roles, the menu's rules, the panel, the access log.
    with django_assert_max_num_queries(18):
        response = start_page(client, role)
    assert response.status_code == 200
    assert response.context["panels"][0].context["waiting"].items


def test_the_supervisor_sees_a_placement_due_a_fidelity_review(client, cast, signed_in):
    place = workplace(cast)
    (person,) = peer_supporters(cast, 1)
    placement = placement_services.place(
        user=cast.coordinator,
        workplace=place,
        override_reason="Pilot.",
        **placement_kwargs(cast, person),
    )
    Placement.objects.filter(pk=placement.pk).update(starts_on=TODAY() - timedelta(days=200))
    url = reverse("peer:placement", args=[placement.pk])
    signed_in(cast.supervisor)
    response = start_page(client, Role.SUPERVISOR)
    assert url in links(response)
    # By its workplace, not by the peer supporter's name.
    assert person.full_name not in response.content.decode()
    assert client.get(url).status_code == 200
    # A review a month ago: not due any more.
    review(cast, placement, kept=10, days_ago=30)
    assert url not in links(start_page(client, Role.SUPERVISOR))
    client.logout()
    signed_in(cast.outsider_supervisor)
    assert url not in links(start_page(client, Role.SUPERVISOR))
