"""Supervision notes stay between supervisor and peer supporter; system-level problems
reach the coordinator without names; fidelity reviews show a trend and flag drift."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from egenmakt.instruments import services as instrument_services
from egenmakt.instruments.schema import iter_items
from egenmakt.instruments.selectors import current_definition
from egenmakt.peer.models import SupervisionAttendance
from egenmakt.peer.selectors import supervision
from egenmakt.peer.services import placement as placement_services
from egenmakt.peer.services import supervision as supervision_services
from egenmakt.peer.services.recruitment import RecruitmentError

from .factories import ensure_instruments
from .test_placement import peer_supporters, placement_kwargs, workplace

pytestmark = pytest.mark.django_db


def placed(cast, n=1):
    place = workplace(cast)
    people = peer_supporters(cast, n)
    placements = [
        placement_services.place(
            user=cast.coordinator,
            workplace=place,
            override_reason="Pilot.",
            **placement_kwargs(cast, p),
        )
        for p in people
    ]
    return place, people, placements


def meeting_with(cast, people, kind="individual"):
    return supervision_services.schedule_meeting(
        user=cast.supervisor,
        kind=kind,
        starts_at=timezone.now() - timedelta(hours=1),
        place="Nätverkets lokal",
        peer_supporters=people,
    )


def write_notes(cast, row, system_text=""):
    ensure_instruments()
    definition = current_definition("supervision_meeting", None)
    response = instrument_services.start_response(
        user=cast.supervisor, definition=definition, subject=row, respondent_kind="staff"
    )
    return instrument_services.submit_response(
        user=cast.supervisor,
        response=response,
        answers={"work_and_contacts": "Det går bra.", "system_shortcomings": system_text},
        expected_version=response.version,
    )


def test_supervisor_plans_a_meeting_with_the_peer_supporters_they_supervise(
    client, cast, signed_in
):
    _place, people, _p = placed(cast)
    signed_in(cast.supervisor)
    day = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(
        reverse("peer:supervision"),
        {
            "kind": "individual",
            "day": day,
            "start": "10:00",
            "place": "Rum 2",
            "peer_supporters": [people[0].pk],
        },
    )
    assert response.status_code == 302
    assert SupervisionAttendance.objects.filter(peer_supporter=people[0]).exists()


def test_supervisor_cannot_meet_someone_they_do_not_supervise(cast):
    (stranger,) = peer_supporters(cast, 1)
    with pytest.raises(RecruitmentError):
        meeting_with(cast, [stranger])


def test_notes_are_refused_to_the_coordinator_and_the_workplace_manager(client, cast, signed_in):
    _place, people, _p = placed(cast)
    meeting = meeting_with(cast, people)
    row = meeting.attendance.get()
    notes = write_notes(cast, row)
    url = reverse("instruments:response", args=[notes.pk])
    for person in ("coordinator", "workplace_manager", "outsider_supervisor", "case_manager"):
        signed_in(getattr(cast, person))
        assert client.get(url).status_code == 404, person
        assert client.get(reverse("peer:supervision_meeting", args=[meeting.pk])).status_code == 404
    signed_in(cast.supervisor)
    assert client.get(url).status_code == 200
    signed_in(people[0])
    assert client.get(url).status_code == 200
    # The peer supporter reads but does not write.
    assert client.get(reverse("instruments:answer", args=[notes.pk])).status_code in {403, 404}


def test_in_a_group_each_sees_only_their_own_notes(client, cast, signed_in):
    _place, people, _p = placed(cast, n=2)
    meeting = meeting_with(cast, people, kind="group")
    rows = {r.peer_supporter_id: r for r in meeting.attendance.all()}
    first_notes = write_notes(cast, rows[people[0].pk])
    signed_in(people[1])
    assert client.get(reverse("instruments:response", args=[first_notes.pk])).status_code == 404
    page = client.get(reverse("peer:supervision_meeting", args=[meeting.pk])).content.decode()
    assert people[0].full_name not in page.split("<main")[1]


def test_system_level_problems_reach_the_coordinator_without_names(client, cast, signed_in):
    _place, people, _p = placed(cast)
    row = meeting_with(cast, people).attendance.get()
    write_notes(cast, row, system_text="Ingen tolk finns att tillgå på kvällar.")
    signed_in(cast.coordinator)
    page = client.get(reverse("peer:system_issues")).content.decode()
    assert "Ingen tolk finns att tillgå på kvällar." in page
    assert people[0].full_name not in page
    assert cast.supervisor.full_name not in page
    signed_in(cast.supervisor)
    assert client.get(reverse("peer:system_issues")).status_code == 403


def review(cast, placement, kept: int, days_ago: int):
    ensure_instruments()
    definition = current_definition("fidelity", None)
    keys = [i["key"] for i in iter_items(definition.definition) if i["type"] == "yes_partly_no"]
    answers = {key: ("yes" if n < kept else "no") for n, key in enumerate(keys)}
    response = instrument_services.start_response(
        user=cast.coordinator,
        definition=definition,
        subject=placement,
        respondent_kind="staff",
        answered_on=timezone.localdate() - timedelta(days=days_ago),
    )
    return instrument_services.submit_response(
        user=cast.coordinator, response=response, answers=answers, expected_version=response.version
    )


def test_fidelity_trend_flags_drift(client, cast, signed_in):
    _place, _people, (placement,) = placed(cast)
    review(cast, placement, kept=11, days_ago=90)
    trend = supervision.fidelity_trends([placement])[placement.pk]
    assert trend.latest == 11 and not trend.drifting
    review(cast, placement, kept=9, days_ago=1)
    trend = supervision.fidelity_trends([placement])[placement.pk]
    assert [score for _day, score in trend.scores] == [11, 9]
    assert trend.drifting  # two points fewer than last time
    signed_in(cast.coordinator)
    page = client.get(reverse("peer:workplace", args=[placement.workplace_id])).content.decode()
    assert "9 av 11 punkter hålls" in page
    assert "glider från modellen" in page
