"""The user organisation's own training (handbook p. 20: two to three sessions each for
the workplace's staff and for the user organisation): sessions belong to the user
organisation, count toward its readiness, show on its page and the workplace's, and
weigh on a placement where the user organisation is the employer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import AccessLog
from egenmakt.peer.models import TrainingAudience, WorkplaceTraining
from egenmakt.peer.selectors.placement import readiness, user_organisation_readiness
from egenmakt.peer.services import placement as services

from .test_placement import train_user_organisation, workplace

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("held", "ready"), [(1, False), (2, True), (3, True)])
def test_two_to_three_sessions_make_the_user_organisation_ready(cast, held, ready):
    network = cast.org("network")
    train_user_organisation(cast, network, held)
    # A session still to come counts as planned, not held.
    services.add_user_organisation_training(
        user=cast.coordinator,
        organisation=network,
        day=timezone.localdate() + timedelta(days=3),
        theme="Uppföljning",
        attended=None,
        attendees="",
    )
    (state,) = user_organisation_readiness([network])
    assert (state.held, state.planned, state.ready) == (held, 1, ready)
    assert (state.needed, state.at_most) == (2, 3)
    # Another user organisation's count is its own.
    (other,) = user_organisation_readiness([cast.org("user_org_a")])
    assert (other.held, other.ready) == (0, False)
    assert (
        AccessLog.objects.filter(reason=AuditEvent.USER_ORGANISATION_TRAINING).count() == held + 1
    )


def test_a_session_recorded_on_the_workplace_page_belongs_to_its_user_organisation(cast):
    place = workplace(cast)
    services.add_training(
        user=cast.workplace_manager,
        workplace=place,
        audience=TrainingAudience.USER_ORGANISATION,
        day=timezone.localdate(),
        theme="Brukarföreningens roll",
        attended=5,
        attendees="",
    )
    row = WorkplaceTraining.objects.get()
    assert row.user_organisation == place.network and row.workplace == place
    state = readiness(place)
    assert state.user_organisation.held == 1 and not state.user_organisation.ready
    # A user-organisation session does not count as staff training.
    assert state.staff_trainings == 0


def test_the_employer_user_organisation_untrained_is_a_placement_warning(cast):
    place = workplace(cast)
    text = "Brukarnätverket Västerhav är arbetsgivare"
    as_employer = services.placement_warnings(place, 50, employer="user_organisation")
    assert any(text in w for w in as_employer)
    # Employed by the workplace, the user organisation's training is not the employer's.
    assert not any(text in w for w in services.placement_warnings(place, 50, employer="workplace"))
    train_user_organisation(cast, place.network, 2)
    as_employer = services.placement_warnings(place, 50, employer="user_organisation")
    assert not any(text in w for w in as_employer)


def test_the_user_organisations_page_and_recording_a_session(client, cast, signed_in):
    network = cast.org("network")
    url = reverse("peer:user_organisation_training", args=[network.pk])
    add = reverse("peer:user_organisation_training_add", args=[network.pk])
    signed_in(cast.coordinator)
    assert "0 utbildningstillfällen" in client.get(url).content.decode()
    response = client.post(
        add, {"day": timezone.localdate().isoformat(), "theme": "Vad är peer support?"}
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "1 utbildningstillfälle" in page and "Vad är peer support?" in page
    # Bad input: a clear 400, nothing written.
    assert client.post(add, {"day": "", "theme": ""}).status_code == 400
    assert WorkplaceTraining.objects.count() == 1
    # The coordinator of the network reaches a user organisation below it too.
    below = cast.org("user_org_a")
    assert (
        client.get(reverse("peer:user_organisation_training", args=[below.pk])).status_code == 200
    )
    # The workplace list shows the user organisations with their state.
    assert url in client.get(reverse("peer:workplaces")).content.decode()


def test_only_the_user_organisations_coordinators_reach_its_training(client, cast, signed_in):
    network = cast.org("network")
    url = reverse("peer:user_organisation_training", args=[network.pk])
    add = reverse("peer:user_organisation_training_add", args=[network.pk])
    for person in (
        cast.outsider_coordinator,
        cast.workplace_manager,
        cast.course_leader,
        cast.peer_supporter,
    ):
        signed_in(person)
        assert client.get(url).status_code == 404
        assert client.post(add, {"day": "2026-12-01", "theme": "X"}).status_code == 404
    # Not a user organisation: no such page, even for a coordinator above it.
    signed_in(cast.coordinator)
    clinic = cast.org("clinic")
    assert (
        client.get(reverse("peer:user_organisation_training", args=[clinic.pk])).status_code == 404
    )
    assert not WorkplaceTraining.objects.exists()


def test_the_workplace_page_shows_its_user_organisations_training(client, cast, signed_in):
    place = workplace(cast)
    train_user_organisation(cast, place.network, 1)
    signed_in(cast.workplace_manager)
    page = client.get(reverse("peer:workplace", args=[place.pk])).content.decode()
    assert "Brukarorganisationen: Brukarnätverket Västerhav" in page
    assert "1 utbildningstillfälle" in page
    # The manager does not coordinate the user organisation: no link to its page.
    assert reverse("peer:user_organisation_training", args=[place.network_id]) not in page
    signed_in(cast.coordinator)
    page = client.get(reverse("peer:workplace", args=[place.pk])).content.decode()
    assert reverse("peer:user_organisation_training", args=[place.network_id]) in page
