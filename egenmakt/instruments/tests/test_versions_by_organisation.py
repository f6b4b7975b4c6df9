"""Instrument versions belong to an organisation and are inherited down its tree; the
shipped version is the installation's default, and no organisation's upload changes
another organisation's form."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from egenmakt.accounts.models import Membership, Organisation, User
from egenmakt.accounts.roles import Role
from egenmakt.coordination.models import StepRecord
from egenmakt.coordination.tests.factories import shared_client
from egenmakt.instruments import services
from egenmakt.instruments.models import InstrumentDefinition, Response
from egenmakt.instruments.selectors import (
    current_definition,
    current_definitions,
    definitions_for_paths,
    find_current_definition,
)
from egenmakt.instruments.tests.factories import ORS_ANSWERS

_serial = iter(range(1000))


def holder(organisation: Organisation, role: str = Role.ADMIN) -> User:
    """A new person holding ``role`` in ``organisation``."""
    user = User.objects.create_user(
        email=f"holder{next(_serial)}@example.org", password=None, full_name="Alva Holm"
    )
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def own_text(key: str, title: str) -> str:
    """The shipped ``key`` retitled, with the next free version number (JSON is YAML)."""
    content = copy.deepcopy(find_current_definition(key, None).definition)  # type: ignore[union-attr]
    latest = InstrumentDefinition.objects.filter(key=key).aggregate(v=Max("version"))["v"]
    content["version"] = latest + 1
    content["title"] = {"sv": title, "en": title}
    return json.dumps(content, ensure_ascii=False)


def own_version(
    organisation: Organisation, key: str, title: str, user: User | None = None
) -> InstrumentDefinition:
    return services.import_definition(
        user=user or holder(organisation),
        text=own_text(key, title),
        file_name=f"{key}.yaml",
        organisation=organisation,
    )


def shipped(key: str) -> InstrumentDefinition:
    row = find_current_definition(key, None)
    assert row is not None and row.organisation_id is None
    return row


# --- Inheritance -----------------------------------------------------------------------------


def test_a_regions_upload_applies_to_its_units_and_nowhere_else(cast):
    mine = own_version(cast.org("region"), "ors", "Regionens ORS")
    assert current_definition("ors", cast.org("region")) == mine
    assert current_definition("ors", cast.org("clinic")) == mine
    assert current_definition("ors", cast.org("outpatient")) == mine
    # Another principal of the same area, another region: the shipped version.
    for elsewhere in ("municipality", "network", "user_org_a", "other_region", "other_network"):
        assert current_definition("ors", cast.org(elsewhere)) == shipped("ors"), elsewhere
    assert current_definition("ors", None) == shipped("ors")


def test_the_nearest_organisations_version_wins_over_a_newer_one_above(cast):
    clinic_own = own_version(cast.org("clinic"), "ors", "Mottagningens ORS")
    region_own = own_version(cast.org("region"), "ors", "Regionens ORS")
    assert region_own.version > clinic_own.version
    assert current_definition("ors", cast.org("clinic")) == clinic_own
    # The clinic's sibling is not under the clinic: the region's version.
    assert current_definition("ors", cast.org("outpatient")) == region_own


def test_an_instrument_only_an_organisation_has_is_not_there_for_others(cast):
    text = own_text("ors", "Nätverkets blad").replace('"key": "ors"', '"key": "network_sheet"')
    services.import_definition(
        user=cast.coordinator, text=text, file_name="x.yaml", organisation=cast.org("network")
    )
    assert find_current_definition("network_sheet", cast.org("user_org_b")) is not None
    assert find_current_definition("network_sheet", cast.org("other_network")) is None
    assert find_current_definition("network_sheet", None) is None


def test_the_resolver_runs_one_query_whatever_the_tree(cast, django_assert_num_queries):
    own_version(cast.org("region"), "ors", "Regionens ORS")
    own_version(cast.org("clinic"), "alliance", "Mottagningens allians")
    keys = ["ors", "alliance", "normal_day", "qls100"]
    with django_assert_num_queries(1):
        found = current_definitions(keys, cast.org("clinic"))
    assert set(found) == set(keys)
    paths = [cast.org(k).path for k in ("clinic", "outpatient", "network", "other_region")]
    with django_assert_num_queries(1):
        many = definitions_for_paths(keys, paths)
    assert many[(cast.org("clinic").path, "alliance")].organisation == cast.org("clinic")
    assert many[(cast.org("outpatient").path, "alliance")] == shipped("alliance")


# --- Isolation -------------------------------------------------------------------------------


def test_another_regions_version_cannot_be_started_about_our_client(cast):
    client = shared_client(cast)
    theirs = own_version(cast.org("other_region"), "ors", "Nordmarks ORS")
    with pytest.raises(services.InstrumentError):
        services.start_response(
            user=cast.case_manager, definition=theirs, subject=client, respondent_kind="client"
        )
    assert not Response.objects.filter(definition=theirs).exists()


def _start_worksheet(browser: Any, client: Any, key: str = "ors") -> Response:
    page = browser.post(
        reverse("coordination:worksheet_start", args=[client.pk]),
        {
            "arbetsblad": key,
            "respondent_kind": "client",
            "done_on": timezone.localdate().isoformat(),
            "present": [],
            "client_present": "on",
            "shared": "on",
        },
    )
    assert page.status_code == 302, page.content.decode()[:500]
    record = StepRecord.objects.filter(client=client).latest("pk")
    assert record.response is not None
    return record.response


def test_the_worksheet_page_uses_the_clients_organisations_version(cast, signed_in):
    client = shared_client(cast)
    browser = signed_in(cast.case_manager)
    theirs = own_version(cast.org("other_region"), "ors", "Nordmarks ORS")
    page = browser.get(reverse("coordination:client", args=[client.pk]))
    assert "Nordmarks ORS" not in page.content.decode()
    first = _start_worksheet(browser, client)
    assert first.definition == shipped("ors") != theirs
    services.submit_response(
        user=cast.case_manager, response=first, answers=ORS_ANSWERS, expected_version=1
    )
    ours = own_version(cast.org("region"), "ors", "Regionens ORS")
    assert (
        "Regionens ORS"
        in browser.get(reverse("coordination:client", args=[client.pk])).content.decode()
    )
    second = _start_worksheet(browser, client)
    assert second.definition == ours


def test_the_api_starts_a_worksheet_on_the_clients_organisations_version(cast, client):
    from egenmakt.api.tests.factories import personal_token
    from egenmakt.api.tests.test_writes import _post

    registered = shared_client(cast)
    secret = personal_token(cast.case_manager, ["coordination:read", "coordination:write"])
    own_version(cast.org("other_region"), "ors", "Nordmarks ORS")
    body = _post(
        f"/api/v1/clients/{registered.pk}/worksheets",
        {"instrument": "ors", "respondent_kind": "client"},
        secret,
    ).json()
    assert Response.objects.get(pk=body["id"]).definition == shipped("ors")
    assert body["instrument_version"] == shipped("ors").version
    ours = own_version(cast.org("region"), "ors", "Regionens ORS")
    # A new worksheet of the same kind: the first is submitted, so a new draft is begun.
    services.submit_response(
        user=cast.case_manager,
        response=Response.objects.get(pk=body["id"]),
        answers=ORS_ANSWERS,
        expected_version=body["version"],
    )
    again = _post(
        f"/api/v1/clients/{registered.pk}/worksheets",
        {"instrument": "ors", "respondent_kind": "client"},
        secret,
    ).json()
    assert Response.objects.get(pk=again["id"]).definition == ours
    assert again["instrument_version"] == ours.version


def test_a_networks_interview_template_is_its_rounds_and_no_one_elses(cast):
    from egenmakt.peer.models import RecordKind
    from egenmakt.peer.services.interviews import start_record
    from egenmakt.peer.tests.factories import apply, held_interview, make_round, screen

    theirs = own_version(cast.org("other_network"), "applicant_interview", "Nordmarks mall")
    round_ = make_round(cast)
    first = start_record(
        user=cast.interviewer,
        interview=held_interview(cast, screen(cast, apply(round_))),
        kind=RecordKind.NOTES,
    )
    assert first.definition == shipped("applicant_interview") != theirs
    ours = own_version(
        cast.org("network"), "applicant_interview", "Nätverkets mall", user=cast.coordinator
    )
    second = start_record(
        user=cast.interviewer,
        interview=held_interview(cast, screen(cast, apply(round_, email="b@example.org"))),
        kind=RecordKind.NOTES,
    )
    assert second.definition == ours
    # The first interview's notes stay on the version they were begun on.
    first.refresh_from_db()
    assert first.definition == shipped("applicant_interview")


# --- Immutability ----------------------------------------------------------------------------


def test_answered_responses_keep_their_version_and_still_render(cast, signed_in):
    client = shared_client(cast)
    browser = signed_in(cast.case_manager)
    old = services.submit_response(
        user=cast.case_manager,
        response=_start_worksheet(browser, client),
        answers=ORS_ANSWERS,
        expected_version=1,
    )
    own_version(cast.org("region"), "ors", "Regionens ORS")
    old.refresh_from_db()
    assert old.definition == shipped("ors")
    page = browser.get(reverse("instruments:response", args=[old.pk]))
    assert page.status_code == 200
    assert "Regionens ORS" not in page.content.decode()
    chart = browser.get(reverse("instruments:chart", args=["ors", "klient", client.pk]))
    assert chart.status_code == 200


def test_the_shipped_loader_never_takes_an_organisations_version_number(cast):
    mine = own_version(cast.org("region"), "ors", "Regionens ORS")
    content = copy.deepcopy(shipped("ors").definition)
    content["version"] = mine.version
    outcome = services.load_definition(content, source_file=f"ors.v{mine.version}.yaml")
    assert outcome.action == "refused"
    mine.refresh_from_db()
    assert mine.organisation == cast.org("region") and mine.title("sv") == "Regionens ORS"


# --- The import page -------------------------------------------------------------------------


def _upload(organisation: Organisation | None, key: str = "ors") -> dict[str, Any]:
    data: dict[str, Any] = {
        "file": SimpleUploadedFile(
            "own.yaml", own_text(key, "Uppladdad").encode("utf-8"), content_type="text/yaml"
        )
    }
    if organisation is not None:
        data["organisation"] = organisation.pk
    return data


@pytest.mark.parametrize(
    ("person", "role", "home", "target", "code"),
    [
        # Administrators and coordinators upload for their own organisation.
        ("admin", Role.ADMIN, "network", "network", 302),
        ("coordinator", Role.COORDINATOR, "network", "network", 302),
        (None, Role.ADMIN, "region", "region", 302),
        (None, Role.COORDINATOR, "clinic", "clinic", 302),
        # Not for a unit beside theirs, another principal or another region.
        (None, Role.ADMIN, "user_org_a", "user_org_b", 403),
        ("admin", Role.ADMIN, "network", "region", 403),
        ("admin", Role.ADMIN, "network", "other_network", 403),
        ("outsider_admin", Role.ADMIN, "other_network", "network", 403),
        (None, Role.COORDINATOR, "clinic", "outpatient", 403),
        # Other roles not at all, even for their own organisation.
        ("case_manager", Role.CASE_MANAGER, "clinic", "clinic", 403),
        ("auditor", Role.AUDITOR, "region", "region", 403),
        ("interviewer", Role.INTERVIEWER, "network", "network", 403),
        ("peer_supporter", Role.PEER_SUPPORTER, "user_org_a", "user_org_a", 403),
    ],
)
def test_import_permission_matrix(cast, signed_in, person, role, home, target, code):
    user = getattr(cast, person) if person else holder(cast.org(home), role)
    before = InstrumentDefinition.objects.count()
    page = signed_in(user).post(reverse("instruments:import"), _upload(cast.org(target)))
    assert page.status_code == code
    if code == 302:
        row = InstrumentDefinition.objects.latest("pk")
        assert row.organisation == cast.org(target) and row.created_by == user
    else:
        assert InstrumentDefinition.objects.count() == before


def test_with_one_organisation_the_upload_is_that_organisations(cast, signed_in):
    page = signed_in(cast.admin).get(reverse("instruments:import"))
    assert cast.org("network").name in page.content.decode()
    done = signed_in(cast.admin).post(reverse("instruments:import"), _upload(None))
    assert done.status_code == 302
    assert InstrumentDefinition.objects.latest("pk").organisation == cast.org("network")


def test_with_several_organisations_one_is_chosen(cast, signed_in):
    user = holder(cast.org("clinic"))
    Membership.objects.create(user=user, organisation=cast.org("outpatient"), role=Role.ADMIN)
    browser = signed_in(user)
    form = browser.get(reverse("instruments:import")).content.decode()
    assert cast.org("clinic").name in form and cast.org("outpatient").name in form
    assert browser.post(reverse("instruments:import"), _upload(None)).status_code == 400
    assert not InstrumentDefinition.objects.filter(organisation__isnull=False).exists()
    assert (
        browser.post(reverse("instruments:import"), _upload(cast.org("outpatient"))).status_code
        == 302
    )
    assert InstrumentDefinition.objects.latest("pk").organisation == cast.org("outpatient")


# --- The list --------------------------------------------------------------------------------


def _english(signed_in: Any, user: User) -> Any:
    browser = signed_in(user)
    browser.cookies["egenmakt_language"] = "en"
    return browser


def test_the_list_shows_the_version_in_use_and_its_owner(cast, signed_in):
    own_version(cast.org("region"), "ors", "Regionens ORS")
    own_version(cast.org("other_region"), "ors", "Nordmarks ORS")
    page = _english(signed_in, cast.case_manager).get(reverse("instruments:list"))
    body = page.content.decode()
    assert "Own version of Region Västerhav" in body
    assert "Shipped with Egenmakt" in body
    assert "Nordmarks ORS" not in body and "Region Nordmark" not in body
    outsider = _english(signed_in, cast.outsider_case_manager).get(reverse("instruments:list"))
    assert "Own version of Region Nordmark" in outsider.content.decode()
    assert "Region Västerhav" not in outsider.content.decode()
    # The network is another principal: the region's own version is not shown there.
    network = _english(signed_in, cast.admin).get(reverse("instruments:list")).content.decode()
    assert "Regionens ORS" not in network and "Own version of" not in network


def test_the_list_in_swedish_names_the_shipped_versions(cast, signed_in):
    browser = signed_in(cast.case_manager)
    browser.cookies["egenmakt_language"] = "sv"
    body = browser.get(reverse("instruments:list")).content.decode()
    assert "Följer med Egenmakt" in body


def test_a_persons_own_answers_use_the_version_of_the_organisation_above_all_theirs(cast):
    from egenmakt.accounts.selectors import home_organisation
    from egenmakt.instruments.subjects import organisation_of

    person = holder(cast.org("clinic"), Role.CASE_MANAGER)
    assert organisation_of(person) == cast.org("clinic")
    Membership.objects.create(user=person, organisation=cast.org("outpatient"), role=Role.ADMIN)
    assert home_organisation(person) == cast.org("region")
    assert home_organisation(person, Role.ADMIN) == cast.org("outpatient")
    Membership.objects.create(user=person, organisation=cast.org("network"), role=Role.LECTURER)
    assert home_organisation(person) is None  # two principals: the shipped versions
    ours = own_version(cast.org("region"), "ors", "Regionens ORS")
    assert current_definition("ors", home_organisation(person, Role.ADMIN)) == ours
