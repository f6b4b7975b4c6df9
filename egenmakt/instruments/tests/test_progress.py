"""The expected-progress band from the intake score, on worked examples of the shipped ORS
rule (target 35, a quarter of the distance left at each rating, band ± 2.5, reliable
change 5), and the schema of the rule."""

from __future__ import annotations

import pytest
from django.utils import translation

from egenmakt.instruments.progress import Expected, expected_at, progress_of, progress_series
from egenmakt.instruments.schema import (
    DefinitionError,
    load_definition_file,
    parse_definition,
    shipped_definition_paths,
)
from egenmakt.instruments.scoring import primary_score


def _shipped(name: str) -> dict:
    path = next(p for p in shipped_definition_paths() if p.name == name)
    return load_definition_file(path)


@pytest.fixture
def ors() -> dict:
    score = primary_score(_shipped("ors.v2.yaml"))
    assert score is not None
    return score


def test_the_shipped_ors_v2_carries_the_rule_and_v1_is_unchanged():
    v1, v2 = _shipped("ors.yaml"), _shipped("ors.v2.yaml")
    assert (v1["version"], v2["version"]) == (1, 2)
    assert "expected_progress" not in primary_score(v1)
    rule = primary_score(v2)["expected_progress"]
    assert rule == {
        "target": 35,
        "rate": 0.25,
        "band": 2.5,
        "label": {"sv": "Förväntad utveckling", "en": "Expected progress"},
        "source": rule["source"],
    }
    assert "INFERRED" in rule["source"] and "INFERRED" in v2["notes"]
    # Apart from the version, the notes and the new block, the items are the same.
    assert v1["sections"] == v2["sections"]


def test_intake_15_is_expected_to_gain_most(ors):
    assert expected_at(ors, 15, 1) == Expected(20.0, 17.5, 22.5)
    assert expected_at(ors, 15, 2) == Expected(23.75, 21.25, 26.25)
    assert expected_at(ors, 15, 3) == Expected(26.56, 24.06, 29.06)


def test_intake_30_is_expected_to_gain_a_little(ors):
    assert expected_at(ors, 30, 1) == Expected(31.25, 28.75, 33.75)
    assert expected_at(ors, 30, 2) == Expected(32.19, 29.69, 34.69)


def test_an_intake_above_the_target_is_expected_to_hold_and_the_band_stays_in_range(ors):
    assert expected_at(ors, 38, 4) == Expected(38.0, 35.5, 40.0)
    assert expected_at(ors, 0, 0) == Expected(0.0, 0.0, 2.5)


def test_each_status_on_fixed_numbers(ors):
    # Intake 15: the first rating after it is expected at 20 (17.5–22.5).
    assert progress_of(ors, 15, 15, 0).kind == "intake"
    assert progress_of(ors, 15, 17.5, 1).kind == "on_track"  # the band's edge counts
    assert progress_of(ors, 15, 25, 1).kind == "on_track"  # better than expected
    assert progress_of(ors, 15, 17.4, 1).kind == "below_expected"
    assert progress_of(ors, 15, 10.1, 1).kind == "below_expected"  # 4.9 down: not reliable
    assert progress_of(ors, 15, 10, 1).kind == "reliably_worse"  # 5 down from the intake
    # Intake 30, second rating: expected 32.19 (29.69–34.69).
    assert progress_of(ors, 30, 29.7, 2).kind == "on_track"
    assert progress_of(ors, 30, 29.6, 2).kind == "below_expected"
    assert progress_of(ors, 30, 25, 2).kind == "reliably_worse"
    assert progress_of(ors, 30, 25, 2).off_track


def test_a_series_is_measured_from_its_first_rating(ors):
    kinds = [p.kind for p in progress_series(ors, [18, 24, 22, 30.5, 12])]
    assert kinds == ["intake", "on_track", "below_expected", "on_track", "reliably_worse"]
    with translation.override("sv"):
        assert str(progress_series(ors, [18, 12])[1].label) == "säkert sämre"


def test_without_a_rule_there_is_no_status():
    score = primary_score(_shipped("ors.yaml"))
    assert progress_of(score, 15, 10, 1) is None
    assert expected_at(score, 15, 1) is None


def test_lower_is_better_turns_the_rule_around(ors):
    reverse = {
        **ors,
        "higher_is_better": False,
        "expected_progress": {**ors["expected_progress"], "target": 5},
    }
    assert expected_at(reverse, 25, 1) == Expected(20.0, 17.5, 22.5)
    assert progress_of(reverse, 25, 22.5, 1).kind == "on_track"
    assert progress_of(reverse, 25, 23, 1).kind == "below_expected"
    assert progress_of(reverse, 25, 30, 1).kind == "reliably_worse"


RULE_TEMPLATE = """
key: x
version: 1
title: {sv: X, en: X}
respondents: [client]
sections:
  - key: main
    title: {sv: A, en: A}
    items:
      - {key: a, type: vas, label: {sv: A, en: A}}
scoring:
  scores:
    - key: total
      label: {sv: T, en: T}
      method: sum
      items: [a]
      min: 0
      max: 10
      expected_progress: RULE
"""


def test_a_target_outside_the_range_and_a_bad_rate_are_refused():
    text = RULE_TEMPLATE.replace("RULE", "{target: 12, rate: 1.5, band: -1, colour: red}")
    with translation.override("en"), pytest.raises(DefinitionError) as caught:
        parse_definition(text)
    messages = " ".join(p.message for p in caught.value.problems)
    assert "colour" in messages
    text = RULE_TEMPLATE.replace("RULE", "{target: 12, rate: 0.5, band: 1}")
    with translation.override("en"), pytest.raises(DefinitionError) as caught:
        parse_definition(text)
    (problem,) = caught.value.problems
    assert problem.message == "the expected-progress target lies outside the score's range 0–10"
    assert problem.path == "scoring.scores[0].expected_progress.target"


def test_a_valid_rule_is_kept():
    data = parse_definition(RULE_TEMPLATE.replace("RULE", "{target: 8, rate: 0.5, band: 1}"))
    assert data["scoring"]["scores"][0]["expected_progress"] == {
        "target": 8,
        "rate": 0.5,
        "band": 1,
    }


def test_the_alliance_definition_has_four_items_a_total_and_an_inferred_cut_off():
    alliance = _shipped("alliance.yaml")
    items = [item for section in alliance["sections"] for item in section["items"]]
    assert [i["key"] for i in items] == ["listened", "goals", "approach", "overall"]
    assert {i["type"] for i in items} == {"vas"}
    score = primary_score(alliance)
    assert (score["min"], score["max"]) == (0, 40)
    assert score["cutoff"] == {
        "value": 35.9,
        "clinical_when": "at_or_below",
        "label": score["cutoff"]["label"],
    }
    assert alliance["respondents"] == ["client"] and "INFERRED" in alliance["notes"]
