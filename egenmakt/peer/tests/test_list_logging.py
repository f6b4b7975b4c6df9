"""Pages that list named applicants, participants and peer supporters log each one shown.

PDL 4 kap. 3 § and HSLF-FS 2016:40 4 kap. 9 §: the log must show whose data a user took
part of; a list page that wrote one row without a person (as before) could not answer that.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from egenmakt.audit.models import AccessLog, Action
from egenmakt.peer.models import Application
from egenmakt.peer.services import supervision

from .factories import apply, make_round
from .test_course import add_day, cohort_with
from .test_placement import peer_supporters
from .test_supervision import placed

pytestmark = pytest.mark.django_db


def _last_id() -> int:
    latest = AccessLog.objects.order_by("-id").first()
    return latest.pk if latest else 0


def _people_logged(actor, since, path):
    """(kind of person, id) of the rows ``actor``'s request to ``path`` wrote."""
    rows = AccessLog.objects.filter(actor=actor, pk__gt=since, path=path)
    assert rows.exists()
    assert {row.action for row in rows} == {Action.VIEW}
    return {(row.person_type.model if row.person_type else None, row.person_id) for row in rows}


def _applicants(applications):
    return {("application", str(a.pk)) for a in applications}


def _users(users):
    return {("user", str(u.pk)) for u in users}


def test_application_list_logs_each_applicant_on_the_page_and_only_those(client, cast, signed_in):
    round_ = make_round(cast)
    applications = [apply(round_) for _ in range(27)]
    signed_in(cast.coordinator)
    url = reverse("peer:applications", args=[round_.pk])
    since = _last_id()
    response = client.get(url)
    on_page = list(response.context["page"].object_list)
    assert len(on_page) == 25  # A page of 25 of the 27.
    assert _people_logged(cast.coordinator, since, url) == _applicants(on_page)
    since = _last_id()
    second = list(client.get(url, {"sida": 2}).context["page"].object_list)
    assert _people_logged(cast.coordinator, since, url) == _applicants(second)
    assert {a.pk for a in on_page} | {a.pk for a in second} == {a.pk for a in applications}


def test_application_board_logs_the_applicants_on_its_cards(client, cast, signed_in):
    round_ = make_round(cast)
    applications = [apply(round_) for _ in range(3)]
    signed_in(cast.coordinator)
    url = reverse("peer:board", args=[round_.pk])
    since = _last_id()
    assert client.get(url).status_code == 200
    assert _people_logged(cast.coordinator, since, url) == _applicants(applications)
    # A search that finds nobody still leaves its row, with no person.
    since = _last_id()
    client.get(url, {"q": "Ingen Alls"})
    assert _people_logged(cast.coordinator, since, url) == {(None, "")}


def test_cohort_page_and_attendance_log_each_participant(client, cast, signed_in):
    cohort = cohort_with(cast, n=3)
    day = add_day(cast, cohort, 0)
    participants = set(Application.objects.filter(participant__cohort=cohort))
    assert len(participants) == 3
    signed_in(cast.course_leader)
    for url in (
        reverse("peer:cohort", args=[cohort.pk]),
        reverse("peer:attendance", args=[day.pk]),
    ):
        since = _last_id()
        assert client.get(url).status_code == 200
        assert _people_logged(cast.course_leader, since, url) == _applicants(participants)


def test_forming_a_cohort_logs_the_admitted_and_the_reserves_it_lists(client, cast, signed_in):
    from egenmakt.peer.models import DecisionOutcome

    from .factories import admitted

    round_ = make_round(cast)
    shown = [admitted(cast, round_), admitted(cast, round_, DecisionOutcome.RESERVE)]
    signed_in(cast.training_lead)
    url = reverse("peer:cohort_create", args=[round_.pk])
    since = _last_id()
    assert client.get(url).status_code == 200
    assert _people_logged(cast.training_lead, since, url) == _applicants(shown)


def test_waiting_list_logs_each_peer_supporter_waiting(client, cast, signed_in):
    people = peer_supporters(cast, 2)
    signed_in(cast.coordinator)
    url = reverse("peer:waiting_list")
    since = _last_id()
    response = client.get(url)
    shown = [row.person for row in response.context["waiting"]]
    assert {p.pk for p in shown} >= {p.pk for p in people}
    assert _people_logged(cast.coordinator, since, url) == _users(shown)


def test_workplace_page_logs_the_placed_and_those_offered_for_a_placement(client, cast, signed_in):
    place, people, _placements = placed(cast, n=2)
    signed_in(cast.coordinator)
    url = reverse("peer:workplace", args=[place.pk])
    since = _last_id()
    response = client.get(url)
    offered = set(response.context["placement_form"].fields["peer_supporter"].queryset)
    assert cast.peer_supporter in offered  # Trained, not placed: in the form's list.
    assert _people_logged(cast.coordinator, since, url) == _users([*people, *offered])
    # The workplace's manager sees the placed, but no form and so no one waiting.
    signed_in(cast.workplace_manager)
    since = _last_id()
    assert client.get(url).status_code == 200
    assert _people_logged(cast.workplace_manager, since, url) == _users(people)


def test_supervision_pages_log_the_peer_supporters_the_supervisor_sees(client, cast, signed_in):
    _place, people, _placements = placed(cast, n=2)
    meeting = supervision.schedule_meeting(
        user=cast.supervisor,
        kind="group",
        starts_at=timezone.now() - timedelta(hours=1),
        place="Nätverkets lokal",
        peer_supporters=people,
    )
    signed_in(cast.supervisor)
    for url in (
        reverse("peer:supervision"),
        reverse("peer:supervision_meeting", args=[meeting.pk]),
    ):
        since = _last_id()
        assert client.get(url).status_code == 200
        assert _people_logged(cast.supervisor, since, url) == _users(people)


def test_interviewers_list_logs_the_applicants_they_will_meet(client, cast, signed_in):
    from .factories import book, screen

    round_ = make_round(cast)
    booked = [screen(cast, apply(round_)) for _ in range(2)]
    for hour, application in zip((10, 13), booked, strict=True):
        book(cast, application, hour=hour)
    signed_in(cast.interviewer)
    url = reverse("peer:my_interviews")
    since = _last_id()
    assert client.get(url).status_code == 200
    assert _people_logged(cast.interviewer, since, url) == _applicants(booked)


def test_follow_up_event_logs_the_invited_peer_supporters(client, cast, signed_in):
    from egenmakt.peer.services import followup

    _place, _people, _placements = placed(cast, n=2)
    event = followup.create_event(
        user=cast.coordinator,
        network=cast.org("network"),
        kind="further_training",
        title="Nätverksträff",
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=3, hours=2),
        place="Nätverkets lokal",
        description="",
    )
    invited = {("user", str(i.peer_supporter_id)) for i in event.invitations.all()}
    assert invited
    signed_in(cast.coordinator)
    url = reverse("peer:follow_up_event", args=[event.pk])
    since = _last_id()
    assert client.get(url).status_code == 200
    assert _people_logged(cast.coordinator, since, url) == invited
