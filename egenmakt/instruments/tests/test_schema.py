"""The definition format: problems are found, explained, and placed on the right line."""

from __future__ import annotations

import pytest
from django.utils import translation

from egenmakt.instruments.schema import (
    DefinitionError,
    Problem,
    parse_definition,
    shipped_definition_paths,
)
from egenmakt.instruments.tests.examples import ALL_TYPES_YAML

MINIMAL = """\
key: tiny
version: 1
title: {sv: Litet, en: Tiny}
respondents: [client]
sections:
  - key: main
    title: {sv: Huvud, en: Main}
    items:
      - key: q1
        type: scale
        label: {sv: Fråga, en: Question}
        min: 0
        max: 10
"""


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def problems_of(text: str) -> list[Problem]:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(text)
    return caught.value.problems


def test_minimal_definition_parses_to_plain_data():
    definition = parse_definition(MINIMAL)
    assert definition["key"] == "tiny"
    assert definition["sections"][0]["items"][0]["max"] == 10


def test_every_item_type_parses():
    definition = parse_definition(ALL_TYPES_YAML)
    types = {i["type"] for s in definition["sections"] for i in s["items"]}
    assert len(types) == 11


def test_malformed_yaml_reports_the_line_of_the_error():
    text = MINIMAL.replace("        min: 0\n", "        min: [0\n")
    [problem] = problems_of(text)
    assert problem.line is not None
    assert 12 <= problem.line <= 14
    assert "not valid YAML" in problem.message


def test_missing_swedish_text_is_reported_on_its_line():
    text = MINIMAL.replace("label: {sv: Fråga, en: Question}", "label: {en: Question}")
    [problem] = problems_of(text)
    assert problem.line == 11
    assert problem.path == "sections[0].items[0].label"
    assert "Swedish" in problem.message


def test_text_given_as_a_plain_string_asks_for_both_languages():
    text = MINIMAL.replace("title: {sv: Litet, en: Tiny}", "title: Litet")
    [problem] = problems_of(text)
    assert problem.line == 3
    assert "both languages" in problem.message


def test_unknown_item_type_is_reported_on_its_line():
    [problem] = problems_of(MINIMAL.replace("type: scale", "type: slider"))
    assert problem.line == 10
    assert "unknown item type 'slider'" in problem.message


def test_key_that_does_not_belong_to_the_item_type_is_reported_on_the_key():
    text = MINIMAL.replace("        max: 10\n", "        max: 10\n        options: []\n")
    [problem] = problems_of(text)
    assert problem.line == 14
    assert "'options' is not allowed for an item of type 'scale'" in problem.message


def test_misspelt_top_level_key_is_unknown():
    [problem] = problems_of(MINIMAL + "scorings: {}\n")
    assert problem.line == 14
    assert "unknown key 'scorings'" in problem.message


def test_duplicate_yaml_key_is_reported():
    text = MINIMAL.replace("        max: 10\n", "        max: 10\n        max: 12\n")
    [problem] = problems_of(text)
    assert problem.line == 14
    assert "appears twice" in problem.message


def test_duplicate_item_keys_are_reported():
    extra = "      - key: q1\n        type: vas\n        label: {sv: Igen, en: Again}\n"
    [problem] = problems_of(MINIMAL + extra)
    assert problem.line == 14
    assert "used twice" in problem.message


def test_score_naming_a_missing_item_is_reported():
    scoring = (
        "scoring:\n  scores:\n"
        "    - {key: t, label: {sv: S, en: T}, method: sum, items: [q1, q9], min: 0, max: 10}\n"
    )
    [problem] = problems_of(MINIMAL + scoring)
    assert problem.line == 16
    assert "'q9' that does not exist" in problem.message


def test_declared_range_must_hold_every_possible_total():
    scoring = (
        "scoring:\n  scores:\n"
        "    - {key: t, label: {sv: S, en: T}, method: sum, items: all, min: 0, max: 5}\n"
    )
    [problem] = problems_of(MINIMAL + scoring)
    assert "from 0 to 10" in problem.message


def test_overlapping_bands_are_reported():
    scoring = """\
scoring:
  scores:
    - key: t
      label: {sv: S, en: T}
      method: sum
      items: [q1]
      min: 0
      max: 10
      bands:
        - {min: 0, max: 5, key: low, label: {sv: L, en: L}}
        - {min: 5, max: 10, key: high, label: {sv: H, en: H}}
"""
    [problem] = problems_of(MINIMAL + scoring)
    assert problem.line == 24
    assert "overlaps" in problem.message


def test_scale_anchor_outside_the_scale_is_reported():
    text = MINIMAL.replace(
        "        max: 10\n", "        max: 10\n        anchors: {11: {sv: a, en: b}}\n"
    )
    [problem] = problems_of(text)
    assert problem.line == 14
    assert "outside the scale" in problem.message


def test_count_values_yes_and_no_stay_strings():
    text = MINIMAL.replace("type: scale", "type: yes_partly_no").replace(
        "        min: 0\n        max: 10\n", "        scores: {yes: 2, partly: 1, no: 0}\n"
    )
    definition = parse_definition(text)
    assert definition["sections"][0]["items"][0]["scores"] == {"yes": 2, "partly": 1, "no": 0}


def test_all_problems_are_reported_at_once():
    text = MINIMAL.replace("type: scale", "type: slider").replace(
        "{sv: Huvud, en: Main}", "{sv: H}"
    )
    assert len(problems_of(text)) == 2


def test_empty_file_is_a_problem_not_a_crash():
    [problem] = problems_of("")
    assert "empty" in problem.message


def test_shipped_definitions_include_the_ors():
    names = [path.name for path in shipped_definition_paths()]
    assert "ors.yaml" in names
