"""Step 3's observation notes: the round's coordinators and the course leaders write and
read them; nobody else sees them, the participant included (404)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from egenmakt.audit.models import AccessLog
from egenmakt.peer.models import ObservationNote
from egenmakt.peer.personal_data import PERSONAL_DATA
from egenmakt.peer.services import course as course_services

from .test_course import cohort_with

pytestmark = pytest.mark.django_db


def test_coordinator_writes_and_the_course_leader_reads(client, cast, signed_in):
    cohort = cohort_with(cast, n=1)
    participant = cohort.participants.get()
    signed_in(cast.coordinator)
    url = reverse("peer:observation_notes", args=[participant.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        reverse("peer:observation_add", args=[participant.pk]), {"text": "Lyssnar väl i grupp."}
    )
    assert response.status_code == 302
    note = ObservationNote.objects.get()
    assert note.author == cast.coordinator and note.participant == participant
    signed_in(cast.course_leader)
    page = client.get(url).content.decode()
    assert "Lyssnar väl i grupp." in page
    assert AccessLog.objects.filter(object_id=str(participant.pk)).exists()


def test_an_empty_note_is_refused_with_the_form_again(client, cast, signed_in):
    cohort = cohort_with(cast, n=1)
    participant = cohort.participants.get()
    signed_in(cast.course_leader)
    response = client.post(reverse("peer:observation_add", args=[participant.pk]), {"text": " "})
    assert response.status_code == 400
    assert not ObservationNote.objects.exists()


@pytest.mark.parametrize("who", ["lecturer", "training_lead", "interviewer", "participant"])
def test_nobody_else_sees_the_notes(client, cast, signed_in, who):
    cohort = cohort_with(cast, n=1)
    participant = cohort.participants.get()
    course_services.add_observation_note(
        user=cast.coordinator, participant=participant, text="Hemligt"
    )
    signed_in(participant.user if who == "participant" else getattr(cast, who))
    for name in ("peer:observation_notes", "peer:observation_add"):
        url = reverse(name, args=[participant.pk])
        response = client.post(url, {"text": "x"}) if name.endswith("add") else client.get(url)
        assert response.status_code == 404
    assert ObservationNote.objects.count() == 1
    if who == "participant":
        assert "Hemligt" not in client.get(reverse("peer:my_course")).content.decode()


def test_the_notes_are_in_the_registry_and_in_the_participants_export(cast):
    cohort = cohort_with(cast, n=1)
    participant = cohort.participants.get()
    course_services.add_observation_note(
        user=cast.coordinator, participant=participant, text="Tar ansvar"
    )
    entry = next(e for e in PERSONAL_DATA if getattr(e, "model", None) is ObservationNote)
    texts = [
        row
        for part in entry.of
        if part.person is type(participant.application)
        for row in part.rows(participant.application).values_list("text", flat=True)
    ]
    assert texts == ["Tar ansvar"]
