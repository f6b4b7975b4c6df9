"""A definition version's content is parsed once per process, found again by its checksum."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.urls import reverse

from egenmakt.instruments import services
from egenmakt.instruments.models import DefinitionField, InstrumentDefinition, forget_contents
from egenmakt.instruments.tests.factories import ORS_ANSWERS, ors_definition, submitted


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every content the database handed over to be parsed (the JSON of a version)."""
    seen: list[Any] = []
    original = DefinitionField.from_db_value

    def counting(self: Any, value: Any, expression: Any, connection: Any) -> Any:
        if value is not None:
            seen.append(value)
        return original(self, value, expression, connection)

    monkeypatch.setattr(DefinitionField, "from_db_value", counting)
    return seen


def _new_ors_version() -> InstrumentDefinition:
    """The ORS again, one version up and with another title: another checksum."""
    content = copy.deepcopy(ors_definition().definition)
    content["version"] += 1
    content["title"] = {"sv": "ORS, ny version", "en": "ORS, new version"}
    services.load_definition(content, source_file="ors.next.yaml")
    return InstrumentDefinition.objects.get(key="ors", version=content["version"])


def test_two_requests_reading_one_version_parse_it_once_and_a_new_version_anew(
    cast, signed_in, parses
):
    browser = signed_in(cast.coordinator)
    first = submitted(ors_definition(), cast.peer_supporter, cast.coordinator, ORS_ANSWERS)
    forget_contents()  # a process that has not read the ORS yet
    parses.clear()
    for _ in range(2):
        page = browser.get(reverse("instruments:response", args=[first.pk]))
        assert page.status_code == 200
    assert len(parses) == 1

    newer = _new_ors_version()
    second = submitted(newer, cast.peer_supporter, cast.coordinator, ORS_ANSWERS)
    old = first.definition
    forget_contents(keep={old.checksum: old.definition})
    parses.clear()
    for response in (second, first, second):
        page = browser.get(reverse("instruments:response", args=[response.pk]))
        assert page.status_code == 200
    assert len(parses) == 1  # the new version once; the old one is still known
    assert "ORS, ny version" in browser.get(
        reverse("instruments:response", args=[second.pk])
    ).content.decode("utf-8")


def test_queries_leave_the_content_out_and_a_known_checksum_costs_no_query(
    cast, parses, django_assert_num_queries
):
    ors = ors_definition()
    content = ors.definition
    with django_assert_num_queries(1):
        again = InstrumentDefinition.objects.get(pk=ors.pk)
        assert again.definition is content
    assert parses == []


def test_a_changed_unanswered_version_is_read_with_its_new_checksum(cast, parses):
    newer = _new_ors_version()
    before = newer.definition
    edited = copy.deepcopy(before)
    edited["title"] = {"sv": "ORS, rättad", "en": "ORS, corrected"}
    assert services.load_definition(edited, source_file="ors.next.yaml").action == "updated"
    newer.refresh_from_db()
    assert newer.checksum == services.checksum_of(edited)
    assert newer.definition["title"]["sv"] == "ORS, rättad"
    assert InstrumentDefinition.objects.get(pk=newer.pk).definition["title"]["sv"] == (
        "ORS, rättad"
    )
    # The first content is still the one its own checksum names.
    assert before["title"]["sv"] == "ORS, ny version"
