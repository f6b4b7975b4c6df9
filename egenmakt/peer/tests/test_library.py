"""The homework library and the exercise library are inherited down the organisation tree
with the shipped ones as the installation default; an organisation's first change makes
its own copy, so another organisation's library never changes. Their pages are for the
organisation's coordinators and administrators, as the course plan's is."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.urls import reverse

from egenmakt.accounts.models import Membership, Organisation, OrganisationKind
from egenmakt.accounts.roles import Role
from egenmakt.audit.models import AccessLog
from egenmakt.peer.models import Exercise, ExerciseKind, HomeworkTemplate, PlanItemKind
from egenmakt.peer.selectors.courseplan import DEFAULT_PLAN, plan_for
from egenmakt.peer.selectors.library import (
    DEFAULT_EXERCISES,
    DEFAULT_HOMEWORK,
    exercise_library_for,
    homework_library_for,
)
from egenmakt.peer.services import library as services
from egenmakt.peer.services.courseplan import build_from_plan

from .test_course import cohort_with

pytestmark = pytest.mark.django_db


def region_with_network(cast):
    """A region with a user network below it, the region's coordinator beside the cast."""
    region = Organisation.objects.create(name="Region Österland", kind=OrganisationKind.REGION)
    network = Organisation.objects.create(
        name="Brukarnätverket Österland", kind=OrganisationKind.USER_NETWORK, parent=region
    )
    return region, network


def add_homework(cast, organisation, title="Regionens uppgift", week=2):
    return services.add_homework(
        user=cast.coordinator,
        organisation=organisation,
        title=title,
        instructions="Skriv en sida.",
        week=week,
    )


def coordinate(cast, organisation):
    Membership.objects.create(
        user=cast.coordinator, organisation=organisation, role=Role.COORDINATOR
    )


# --- Inheritance and copy on write -------------------------------------------------------


def test_without_own_items_the_shipped_libraries_apply(cast):
    network = cast.org("network")
    homework, exercises = homework_library_for(network), exercise_library_for(network)
    assert homework.entries == DEFAULT_HOMEWORK and homework.origin == "shipped"
    assert exercises.entries == DEFAULT_EXERCISES and exercises.origin == "shipped"
    assert not HomeworkTemplate.objects.exists() and not Exercise.objects.exists()


def test_a_network_below_a_region_inherits_the_regions_library(cast):
    region, network = region_with_network(cast)
    coordinate(cast, region)
    add_homework(cast, region)
    library = homework_library_for(network)
    assert library.origin == "inherited" and library.source == region
    assert "Regionens uppgift" in [e.title for e in library.entries]
    assert len(library.entries) == len(DEFAULT_HOMEWORK) + 1
    # The network has no rows of its own: a later change in the region reaches it.
    assert not HomeworkTemplate.objects.filter(organisation=network).exists()
    services.remove_homework(user=cast.coordinator, organisation=region, position=0)
    assert len(homework_library_for(network).entries) == len(DEFAULT_HOMEWORK)


def test_the_first_change_copies_the_inherited_library_and_the_region_keeps_its_own(cast):
    region, network = region_with_network(cast)
    coordinate(cast, region)
    add_homework(cast, region)
    before = homework_library_for(region).entries
    services.edit_homework(
        user=cast.coordinator,
        organisation=network,
        position=0,
        title="Nätverkets version",
        instructions="Annan text.",
        week=None,
    )
    own = homework_library_for(network)
    assert own.origin == "own"
    assert len(own.entries) == len(before)
    assert "Nätverkets version" in [e.title for e in own.entries]
    assert before[0].title not in [e.title for e in own.entries]
    assert homework_library_for(region).entries == before  # the region's is untouched


def test_one_networks_change_is_never_seen_by_another(cast):
    network, other = cast.org("network"), cast.org("other_network")
    services.add_exercise(
        user=cast.coordinator,
        organisation=network,
        kind=ExerciseKind.ROLE_PLAY,
        title="Västerhavs rollspel",
        description="Spela.",
    )
    assert "Västerhavs rollspel" in [e.title for e in exercise_library_for(network).entries]
    assert exercise_library_for(other).entries == DEFAULT_EXERCISES
    assert exercise_library_for(other).origin == "shipped"
    # The unit below the network inherits the network's.
    below = exercise_library_for(cast.org("user_org_a"))
    assert below.origin == "inherited" and below.source == network


def test_removing_every_own_item_returns_to_the_inherited_library(cast):
    network = cast.org("network")
    add_homework(cast, network)
    for _ in range(len(DEFAULT_HOMEWORK) + 1):
        services.remove_homework(user=cast.coordinator, organisation=network, position=0)
    library = homework_library_for(network)
    assert library.origin == "shipped" and library.entries == DEFAULT_HOMEWORK


def test_the_shipped_plans_homework_is_the_library_that_applies(cast):
    """A region's own homework reaches the shipped plan of the networks below it, and so
    the courses built from it."""
    region, network = region_with_network(cast)
    coordinate(cast, region)
    assert plan_for(network).entries == DEFAULT_PLAN
    add_homework(cast, region, title="Regionens vecka 4-uppgift", week=4)
    add_homework(cast, region, title="När som helst", week=None)
    titles = [e.title for e in plan_for(network).entries if e.kind == PlanItemKind.HOMEWORK]
    assert "Regionens vecka 4-uppgift" in titles
    assert "När som helst" not in titles  # no week: set by hand
    assert plan_for(cast.org("network")).entries == DEFAULT_PLAN


def test_a_course_is_built_with_the_homework_of_its_organisations_library(cast):
    network = cast.org("network")
    add_homework(cast, network, title="Nätverkets egen uppgift", week=2)
    cohort = cohort_with(cast)
    build_from_plan(user=cast.training_lead, cohort=cohort, place="Lokalen")
    assert cohort.assignments.filter(title="Nätverkets egen uppgift").exists()


# --- The pages ---------------------------------------------------------------------------

PAGES = [
    ("peer:homework_library", "get", {}),
    ("peer:homework_library_add", "post", {}),
    ("peer:homework_library_edit", "post", {}),
    ("peer:homework_library_remove", "post", {}),
    ("peer:exercise_library", "get", {}),
    ("peer:exercise_library_add", "post", {}),
    ("peer:exercise_library_edit", "post", {}),
    ("peer:exercise_library_remove", "post", {}),
]


@pytest.mark.parametrize(("name", "method", "data"), PAGES)
def test_the_library_pages_are_for_the_organisations_coordinators_and_admins(
    client, cast, signed_in, name, method, data
):
    network = cast.org("network")
    url = reverse(name, args=[network.pk])
    ok = 200 if method == "get" else 400  # an empty post is bad input
    for person in ("coordinator", "admin"):
        signed_in(getattr(cast, person))
        assert getattr(client, method)(url, data).status_code == ok, person
    for person in (
        "course_leader",
        "training_lead",
        "peer_supporter",
        "lecturer",
        "outsider_coordinator",
        "outsider_admin",
    ):
        signed_in(getattr(cast, person))
        assert getattr(client, method)(url, data).status_code == 404, person
    assert not HomeworkTemplate.objects.exists() and not Exercise.objects.exists()


def test_a_coordinator_of_a_unit_below_does_not_edit_the_networks_library(client, cast, signed_in):
    """As for the course plan: the network's coordinators (and those above) edit it; a
    coordinator of a unit below edits the unit's own, which starts as the network's."""
    network, below = cast.org("network"), cast.org("user_org_a")
    signed_in(cast.lecturer)  # sits in the unit below
    Membership.objects.create(user=cast.lecturer, organisation=below, role=Role.COORDINATOR)
    assert client.get(reverse("peer:homework_library", args=[network.pk])).status_code == 404
    assert client.get(reverse("peer:homework_library", args=[below.pk])).status_code == 200
    # The network's coordinator reaches the unit below (a role holds in the units under it).
    signed_in(cast.coordinator)
    assert client.get(reverse("peer:homework_library", args=[below.pk])).status_code == 200


def test_the_page_says_where_the_library_comes_from(client, cast, signed_in):
    region, network = region_with_network(cast)
    coordinate(cast, region)
    signed_in(cast.coordinator)
    url = reverse("peer:exercise_library", args=[network.pk])
    assert "Följer med Egenmakt" in client.get(url).content.decode()
    services.add_exercise(
        user=cast.coordinator,
        organisation=region,
        kind=ExerciseKind.WORKSHOP,
        title="Regionens workshop",
        description="I par.",
    )
    page = client.get(url).content.decode()
    assert "Ärvt från Region Österland" in page and "Regionens workshop" in page
    response = client.post(
        reverse("peer:exercise_library_add", args=[network.pk]),
        {"kind": ExerciseKind.ROLE_PLAY, "title": "Eget rollspel", "description": "Spela."},
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert 'class="tag">Egen</span>' in page and "Eget rollspel" in page


def test_the_page_in_english(client, cast, signed_in):
    signed_in(cast.coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("peer:homework_library", args=[cast.org("network").pk]))
    text = page.content.decode()
    assert "Homework library" in text and "Shipped with Egenmakt" in text


def test_editing_on_the_page_makes_the_organisations_own_copy(client, cast, signed_in):
    network = cast.org("network")
    signed_in(cast.coordinator)
    response = client.post(
        reverse("peer:homework_library_edit", args=[network.pk]),
        {"position": 1, "title": "Ändrad", "instructions": "Ny text.", "week": "4"},
    )
    assert response.status_code == 302
    rows = HomeworkTemplate.objects.filter(organisation=network)
    assert rows.count() == len(DEFAULT_HOMEWORK)
    assert rows.filter(title="Ändrad", week=4).exists()
    assert not rows.filter(title=DEFAULT_HOMEWORK[1].title).exists()
    assert AccessLog.objects.filter(actor=cast.coordinator, action="change").exists()
    # The library's history, as the course plan's, is in auditlog.
    changed = rows.get(title="Ändrad")
    assert LogEntry.objects.get_for_object(changed).filter(action=LogEntry.Action.UPDATE).exists()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("peer:homework_library_add", {"title": "", "instructions": "X", "week": "2"}),
        ("peer:homework_library_add", {"title": "X", "instructions": "X", "week": "9"}),
        ("peer:homework_library_add", {"title": "X" * 201, "instructions": "X"}),
        ("peer:homework_library_edit", {"position": 0, "title": "X", "instructions": ""}),
        ("peer:homework_library_edit", {"position": -1, "title": "X", "instructions": "Y"}),
        ("peer:homework_library_edit", {"position": 99, "title": "X", "instructions": "Y"}),
        ("peer:exercise_library_add", {"kind": "dance", "title": "X", "description": "Y"}),
        ("peer:exercise_library_add", {"kind": "workshop", "title": " ", "description": "Y"}),
        (
            "peer:exercise_library_edit",
            {"position": 99, "kind": "workshop", "title": "X", "description": "Y"},
        ),
        ("peer:exercise_library_remove", {"position": "x"}),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(client, cast, signed_in, name, data):
    network = cast.org("network")
    signed_in(cast.coordinator)
    response = client.post(reverse(name, args=[network.pk]), data)
    assert response.status_code == 400
    assert not HomeworkTemplate.objects.exists() and not Exercise.objects.exists()


def test_removing_an_item_no_longer_there_copies_nothing(client, cast, signed_in):
    network = cast.org("network")
    signed_in(cast.coordinator)
    response = client.post(
        reverse("peer:homework_library_remove", args=[network.pk]), {"position": 99}, follow=True
    )
    assert "finns inte längre i biblioteket" in response.content.decode()
    assert not HomeworkTemplate.objects.exists()


def test_the_course_list_leads_a_coordinator_to_the_libraries(client, cast, signed_in):
    network = cast.org("network")
    signed_in(cast.coordinator)
    page = client.get(reverse("peer:cohorts")).content.decode()
    assert reverse("peer:homework_library", args=[network.pk]) in page
    assert reverse("peer:exercise_library", args=[network.pk]) in page
    signed_in(cast.course_leader)
    page = client.get(reverse("peer:cohorts")).content.decode()
    assert reverse("peer:homework_library", args=[network.pk]) not in page
