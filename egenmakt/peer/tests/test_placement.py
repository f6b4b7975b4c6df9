"""Workplaces: readiness, task description, agreement, trainings; placements with their
warnings and reasons, the waiting list and the history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from egenmakt.accounts.models import Membership
from egenmakt.accounts.roles import Role
from egenmakt.instruments import services as instrument_services
from egenmakt.instruments.schema import iter_items
from egenmakt.instruments.selectors import current_definition
from egenmakt.peer.models import Placement
from egenmakt.peer.selectors.placement import readiness, waiting_for_a_job
from egenmakt.peer.services import placement as services

from .factories import ensure_instruments

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"
TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def workplace(cast):
    return services.register_workplace(
        user=cast.coordinator, workplace=cast.org("outpatient"), network=cast.org("network")
    )


def fill_readiness(user, place, value="yes"):
    ensure_instruments()
    definition = current_definition("workplace_readiness", None)
    answers = {
        item["key"]: value
        for item in iter_items(definition.definition)
        if item["type"] == "yes_partly_no"
    }
    response = instrument_services.start_response(
        user=user, definition=definition, subject=place, respondent_kind="staff"
    )
    return instrument_services.submit_response(
        user=user, response=response, answers=answers, expected_version=response.version
    )


def make_ready(cast, place):
    fill_readiness(cast.workplace_manager, place)
    services.save_task_description(
        user=cast.workplace_manager,
        workplace=place,
        agreed_items=[key for key, _kind in services.TASK_POINTS],
        record_keeping="does_not",
        notes="",
        agreed_by_peers="Anna, Bo",
        agreed_on=TODAY(),
    )
    services.record_agreement(
        user=cast.coordinator,
        workplace=place,
        parties="Brukarnätverket Västerhav och Psykiatrisk öppenvård Nordstaden",
        recruitment=True,
        training=True,
        coordination=True,
        supervision=True,
        valid_from=TODAY() - timedelta(days=30),
        valid_until=None,
        signed_on=TODAY() - timedelta(days=30),
        document=SimpleUploadedFile("avtal.pdf", PDF),
    )
    for days in (20, 10):
        services.add_training(
            user=cast.workplace_manager,
            workplace=place,
            audience="staff",
            day=TODAY() - timedelta(days=days),
            theme="Vad är peer support?",
            attended=12,
            attendees="",
        )
    # The user organisation that employs the peer supporters (user-run staffing) has had
    # its own two sessions too.
    train_user_organisation(cast, place.network, 2)


def train_user_organisation(cast, organisation, n, *, days_ago=5):
    for k in range(n):
        services.add_user_organisation_training(
            user=cast.coordinator,
            organisation=organisation,
            day=TODAY() - timedelta(days=days_ago + k),
            theme="Peer support och föreningen",
            attended=8,
            attendees="",
        )


def peer_supporters(cast, n):
    from egenmakt.accounts.models import User

    people = []
    for i in range(n):
        user = User.objects.create_user(f"ps{i}@example.org", "x", full_name=f"Peer Supporter {i}")
        Membership.objects.create(
            user=user, organisation=cast.org("network"), role=Role.PEER_SUPPORTER
        )
        people.append(user)
    return people


def placement_kwargs(cast, person, **kw):
    values = {
        "peer_supporter": person,
        "starts_on": TODAY() + timedelta(days=7),
        "employer": "user_organisation",
        "share_percent": 50,
        "contact_person": "Enhetschefen",
        "supervisor": cast.supervisor,
    }
    values.update(kw)
    return values


def test_a_new_workplace_lists_what_is_missing(cast):
    state = readiness(workplace(cast))
    assert not state.ready
    assert "Checklistan för beredskap har inte fyllts i." in state.missing
    assert any("samverkansavtal" in m for m in state.missing)
    assert any("0 av 2" in m for m in state.missing)


def test_a_workplace_with_everything_in_place_is_ready(cast):
    place = workplace(cast)
    make_ready(cast, place)
    state = readiness(place)
    assert state.missing == []
    item = state.items[0]
    assert item.value == "yes"
    assert item.confirmed_by == cast.workplace_manager.full_name
    assert item.confirmed_on == TODAY()


def test_a_later_no_takes_back_the_confirmation(cast):
    place = workplace(cast)
    make_ready(cast, place)
    fill_readiness(cast.coordinator, place, value="partly")
    state = readiness(place)
    assert not state.ready
    assert state.items[0].confirmed_by == ""


def test_the_agreement_must_be_a_pdf(cast):
    place = workplace(cast)
    with pytest.raises(services.RecruitmentError, match="PDF"):
        services.record_agreement(
            user=cast.coordinator,
            workplace=place,
            parties="x",
            valid_from=TODAY(),
            signed_on=TODAY(),
            document=SimpleUploadedFile("avtal.docx", b"PK\x03\x04rest"),
        )
    assert not place.agreements.exists()


def test_placement_warnings_need_a_written_reason(cast):
    place = workplace(cast)  # not ready
    (person,) = peer_supporters(cast, 1)
    with pytest.raises(services.PlacementWarningsError) as refused:
        services.place(
            user=cast.coordinator,
            workplace=place,
            **placement_kwargs(cast, person, share_percent=40),
        )
    warnings = refused.value.warnings
    # Not ready, the employing user organisation untrained, alone, under half time.
    assert len(warnings) == 4
    assert any("Brukarnätverket Västerhav är arbetsgivare" in w for w in warnings)
    assert not Placement.objects.exists()
    placement = services.place(
        user=cast.coordinator,
        workplace=place,
        override_reason="Den andra börjar om två veckor; 40 % första månaden.",
        **placement_kwargs(cast, person, share_percent=40),
    )
    assert placement.warnings == warnings
    assert placement.override_reason.startswith("Den andra")
    assert placement.events.get().kind == "started"


def test_two_peer_supporters_at_a_ready_workplace_need_no_reason_for_the_second(cast):
    place = workplace(cast)
    make_ready(cast, place)
    first, second = peer_supporters(cast, 2)
    with pytest.raises(services.PlacementWarningsError) as refused:
        services.place(user=cast.coordinator, workplace=place, **placement_kwargs(cast, first))
    assert len(refused.value.warnings) == 1  # only "alone"
    services.place(
        user=cast.coordinator,
        workplace=place,
        override_reason="Nummer två är rekryterad.",
        **placement_kwargs(cast, first),
    )
    services.place(user=cast.coordinator, workplace=place, **placement_kwargs(cast, second))
    assert Placement.objects.filter(workplace=place).count() == 2


def test_only_trained_peer_supporters_are_placed(cast):
    place = workplace(cast)
    with pytest.raises(services.RecruitmentError):
        services.place(
            user=cast.coordinator,
            workplace=place,
            override_reason="x",
            **placement_kwargs(cast, cast.interviewer),
        )


def test_waiting_list_and_ending_a_placement_keeps_the_history(cast):
    place = workplace(cast)
    first, second = peer_supporters(cast, 2)
    assert set(waiting_for_a_job(cast.coordinator)) >= {first, second}
    placement = services.place(
        user=cast.coordinator,
        workplace=place,
        override_reason="Start ändå.",
        **placement_kwargs(cast, first),
    )
    assert first not in set(waiting_for_a_job(cast.coordinator))
    services.end_placement(
        user=cast.coordinator,
        placement=placement,
        ends_on=TODAY() + timedelta(days=8),
        reason="Flyttar",
    )
    placement.refresh_from_db()
    assert [e.kind for e in placement.events.all()] == ["started", "ended"]


def test_placement_page_asks_for_a_reason(client, cast, signed_in):
    place = workplace(cast)
    (person,) = peer_supporters(cast, 1)
    signed_in(cast.coordinator)
    url = reverse("peer:workplace_place", args=[place.pk])
    data = {
        "peer_supporter": person.pk,
        "starts_on": (TODAY() + timedelta(days=7)).isoformat(),
        "employer": "workplace",
        "share_percent": 30,
        "contact_person": "Chefen",
        "supervisor": cast.supervisor.pk,
    }
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Kontrollera detta innan du går vidare" in page
    assert "under halvtid" in page
    response = client.post(url, {**data, "override_reason": "Tillfälligt, höjs i mars."})
    assert response.status_code == 302
    assert Placement.objects.get().override_reason == "Tillfälligt, höjs i mars."


def test_who_sees_the_workplace(client, cast, signed_in):
    place = workplace(cast)
    url = reverse("peer:workplace", args=[place.pk])
    for person in ("coordinator", "workplace_manager"):
        signed_in(getattr(cast, person))
        assert client.get(url).status_code == 200, person
    for person in (
        "outsider_coordinator",
        "outsider_workplace_manager",
        "case_manager",
        "supervisor",
        "interviewer",
    ):
        signed_in(getattr(cast, person))
        assert client.get(url).status_code == 404, person


def test_workplace_manager_cannot_place(client, cast, signed_in):
    place = workplace(cast)
    signed_in(cast.workplace_manager)
    assert client.post(reverse("peer:workplace_place", args=[place.pk]), {}).status_code == 403


def test_readiness_checklist_is_answered_about_the_workplace(client, cast, signed_in):
    place = workplace(cast)
    ensure_instruments()
    signed_in(cast.workplace_manager)
    page = client.get(
        reverse("instruments:start", args=["workplace_readiness", "arbetsplats", place.pk])
    )
    assert page.status_code == 200
    assert reverse("peer:workplace", args=[place.pk]) in page.content.decode()


def test_task_description_agreed_without_a_date_is_not_saved(client, cast, signed_in):
    from egenmakt.peer.models import TaskDescription

    row = workplace(cast)
    signed_in(cast.coordinator)
    url = reverse("peer:workplace_task_description", args=[row.pk])
    response = client.post(url, {"record_keeping": "does_not", "agreed": "1", "agreed_on": "igår"})
    assert response.status_code == 302
    assert not TaskDescription.objects.filter(workplace=row).exists()
    client.post(
        url,
        {
            "points": ["everyday_focus", "part_of_team"],
            "record_keeping": "does_not",
            "agreed": "1",
            "agreed_on": TODAY().isoformat(),
        },
    )
    description = TaskDescription.objects.get(workplace=row)
    assert description.agreed_items == ["everyday_focus", "part_of_team"]
    assert description.agreed_on == TODAY()


def test_the_workplace_page_links_a_fidelity_review_only_to_who_may_answer_it(
    client, cast, signed_in
):
    """The workplace's manager reads the reviews but does not answer them: the page linked
    the manager to a form that answered 403 (issue 26)."""
    ensure_instruments()
    place = workplace(cast)
    (person,) = peer_supporters(cast, 1)
    placement = services.place(
        user=cast.coordinator,
        workplace=place,
        override_reason="Start ändå.",
        **placement_kwargs(cast, person),
    )
    url = reverse("peer:workplace", args=[place.pk])
    review = reverse("instruments:start", args=["fidelity", "placering", placement.pk])
    signed_in(cast.workplace_manager)
    page = client.get(url)
    assert page.status_code == 200
    assert review not in page.content.decode()
    assert client.get(review).status_code == 403
    signed_in(cast.coordinator)
    assert review in client.get(url).content.decode()


def test_the_matching_aid_sets_waiting_people_against_open_places(client, cast, signed_in):
    from egenmakt.accounts.models import Organisation
    from egenmakt.peer.models import Application, Cohort, Participant, ParticipantStatus
    from egenmakt.peer.selectors.placement import matching

    from .factories import apply, make_round

    ready = workplace(cast)  # the outpatient clinic under Region Västerhav
    make_ready(cast, ready)
    other = services.register_workplace(
        user=cast.coordinator, workplace=cast.org("housing_support"), network=cast.org("network")
    )
    alva, bo = peer_supporters(cast, 2)
    round_ = make_round(cast)
    cohort = Cohort.objects.create(round=round_, title="Kurs", created_by=cast.coordinator)
    region = Organisation.objects.get(pk=int(ready.workplace.path.strip("/").split("/")[0]))
    for person, municipality in ((alva, region.name.split()[-1]), (bo, "Långtbortistan")):
        application = apply(round_, municipality=municipality)
        Application.objects.filter(pk=application.pk).update(status="admitted")
        Participant.objects.create(
            cohort=cohort,
            application=application,
            user=person,
            status=ParticipantStatus.COMPLETED,
            completed_at=timezone.now(),
        )
    # One peer supporter already works at the ready workplace: one place is open there.
    Placement.objects.create(
        workplace=ready, created_by=cast.coordinator, **placement_kwargs(cast, cast.peer_supporter)
    )
    Placement.objects.filter(peer_supporter=cast.peer_supporter).update(starts_on=TODAY())

    waiting, open_places = matching(cast.coordinator)
    rows = {row.person: row for row in waiting}
    assert {alva, bo} <= set(rows)
    assert cast.peer_supporter not in rows  # working
    places = {p.workplace: p for p in open_places}
    assert places[ready].open_places == 1 and places[ready].ready
    assert places[other].open_places == 2 and not places[other].ready
    # Ready places first; Alva lives where the ready workplace is, Bo far away.
    assert open_places[0].workplace == ready
    assert ready in [p.workplace for p in rows[alva].near]
    assert rows[bo].near == [] and ready in [p.workplace for p in rows[bo].elsewhere]

    # The page: the coordinator only; it links to the workplace's page to place them.
    url = reverse("peer:waiting_list")
    signed_in(cast.coordinator)
    page = client.get(url).content.decode()
    assert alva.full_name in page and reverse("peer:workplace", args=[ready.pk]) in page
    for person in (cast.workplace_manager, cast.peer_supporter, cast.case_manager):
        signed_in(person)
        assert client.get(url).status_code == 403
    # Another network's coordinator opens the page for their own network: neither these
    # people nor these places are there.
    signed_in(cast.outsider_coordinator)
    assert alva.full_name not in client.get(url).content.decode()
    outsider_waiting, outsider_places = matching(cast.outsider_coordinator)
    assert alva not in {row.person for row in outsider_waiting}
    assert ready not in {p.workplace for p in outsider_places}
