"""The instrument list and the import page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from egenmakt.instruments.models import InstrumentDefinition
from egenmakt.instruments.tests.examples import ALL_TYPES_YAML


@pytest.fixture
def english(signed_in):
    def _sign_in(user):
        client = signed_in(user)
        client.cookies["egenmakt_language"] = "en"
        return client

    return _sign_in


def upload(text: str, name: str = "region.yaml") -> dict:
    return {"file": SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/yaml")}


def test_staff_may_read_the_instrument_list(cast, english):
    page = english(cast.case_manager).get(reverse("instruments:list"))
    assert page.status_code == 200
    assert "Outcome Rating Scale" in page.content.decode()


def test_instrument_list_runs_a_bounded_number_of_queries(
    cast, english, django_assert_max_num_queries
):
    client = english(cast.admin)
    for version in range(1, 6):
        InstrumentDefinition.objects.create(
            key="many", version=version, definition={"title": {"sv": "M", "en": "M"}}, checksum="x"
        )
    with django_assert_max_num_queries(12):
        assert client.get(reverse("instruments:list")).status_code == 200


def test_only_admins_and_coordinators_may_import(cast, english):
    page = english(cast.case_manager).post(reverse("instruments:import"), upload(ALL_TYPES_YAML))
    assert page.status_code == 403
    assert not InstrumentDefinition.objects.filter(key="engine_test").exists()


def test_admin_imports_a_new_instrument(cast, english):
    page = english(cast.admin).post(reverse("instruments:import"), upload(ALL_TYPES_YAML))
    assert page.status_code == 302
    assert InstrumentDefinition.objects.get(key="engine_test").created_by == cast.admin


def test_a_malformed_upload_shows_line_and_reason_and_saves_nothing(cast, english):
    broken = ALL_TYPES_YAML.replace("type: vas", "type: slider").replace(
        "title: {sv: Fakta, en: Facts}", "title: {en: Facts}"
    )
    page = english(cast.admin).post(reverse("instruments:import"), upload(broken))
    body = page.content.decode()
    assert page.status_code == 400
    assert "The file has 3 problems. Nothing was saved." in body
    assert "<td>26</td>" in body
    assert "unknown item type &#x27;slider&#x27;" in body
    assert "the Swedish text (sv) is missing" in body
    assert not InstrumentDefinition.objects.filter(key="engine_test").exists()


def test_uploading_an_existing_version_again_is_refused(cast, english):
    client = english(cast.admin)
    client.post(reverse("instruments:import"), upload(ALL_TYPES_YAML))
    page = client.post(reverse("instruments:import"), upload(ALL_TYPES_YAML))
    assert page.status_code == 400
    assert "set version: 2" in page.content.decode()


def test_keys_file_names_and_answer_counts_are_for_administrators_only(cast, english):
    InstrumentDefinition.objects.create(
        key="regional_sheet",
        version=1,
        definition={
            "title": {"sv": "Regionens blad", "en": "The region's sheet"},
            "help": {"sv": "Om veckan som gått.", "en": "About the week that passed."},
        },
        checksum="x",
        source_file="regional-sheet.yaml",
    )
    staff = english(cast.case_manager).get(reverse("instruments:list")).content.decode()
    assert "The region&#x27;s sheet" in staff and "About the week that passed." in staff
    assert "regional-sheet.yaml" not in staff
    assert "regional_sheet</code>" not in staff
    assert "0 responses" not in staff
    # A coordinator may upload her network's own version, but reads no technical details.
    coordinator = english(cast.coordinator).get(reverse("instruments:list")).content.decode()
    assert reverse("instruments:import") in coordinator
    assert "regional-sheet.yaml" not in coordinator and "regional_sheet</code>" not in coordinator
    assert "0 responses" not in coordinator
    admin = english(cast.admin).get(reverse("instruments:list")).content.decode()
    assert "regional-sheet.yaml" in admin
    assert "regional_sheet</code>" in admin
    assert "Version 1: 0 responses" in admin
