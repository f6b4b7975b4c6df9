"""AUDIT and DUDIT: the shipped definitions, scored against worked examples done by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from egenmakt.instruments.schema import load_definition_file, shipped_definition_paths
from egenmakt.instruments.scoring import compute_scores

DEFINITIONS = {path.stem: path for path in shipped_definition_paths()}


def _load(key: str) -> dict:
    return load_definition_file(Path(DEFINITIONS[key]))


@pytest.mark.parametrize("key", ["audit", "dudit"])
def test_definition_is_valid_and_bilingual(key):
    definition = _load(key)
    assert definition["notes"]
    for section in definition["sections"]:
        for item in section["items"]:
            assert item["label"]["sv"] and item["label"]["en"]
            assert item["required"]


def test_audit_has_ten_items_with_the_standard_scores():
    definition = _load("audit")
    items = definition["sections"][0]["items"]
    assert [item["key"] for item in items] == [f"q{n}" for n in range(1, 11)]
    for item in items[:8]:
        assert [o["score"] for o in item["options"]] == [0, 1, 2, 3, 4]
    for item in items[8:]:
        assert [o["score"] for o in item["options"]] == [0, 2, 4]


def test_audit_worked_example_hazardous_use():
    # By hand: Q1 2-4 times a month (2) + Q2 3-4 drinks (1) + Q3 monthly (2) = consumption 5;
    # Q4 never (0) + Q5 less than monthly (1) + Q6 never (0) = dependence 1;
    # Q7 less than monthly (1) + Q8 never (0) + Q9 no (0) + Q10 yes, last year (4) = harm 5.
    # Total 5 + 1 + 5 = 11: band 8-15, riskbruk; at or above the cut-off 8.
    answers = {
        "q1": "2", "q2": "1", "q3": "2", "q4": "0", "q5": "1",
        "q6": "0", "q7": "1", "q8": "0", "q9": "0", "q10": "4",
    }  # fmt: skip
    scores = compute_scores(_load("audit"), answers)
    assert scores["total"].value == 11
    assert scores["total"].band_key == "hazardous"
    assert scores["total"].clinical is True
    assert scores["consumption"].value == 5
    assert scores["dependence"].value == 1
    assert scores["harm"].value == 5


def test_audit_worked_examples_at_the_band_edges():
    definition = _load("audit")
    # All "never"/lowest answers: 0, low risk, not above the cut-off.
    lowest = {f"q{n}": "0" for n in range(1, 11)}
    assert compute_scores(definition, lowest)["total"].band_key == "low_risk"
    assert compute_scores(definition, lowest)["total"].clinical is False
    # Q1-Q4 at 4 (16): harmful use starts at 16.
    harmful = {**lowest, "q1": "4", "q2": "4", "q3": "4", "q4": "4"}
    assert compute_scores(definition, harmful)["total"].value == 16
    assert compute_scores(definition, harmful)["total"].band_key == "harmful"
    # Everything at its maximum: 8 x 4 + 4 + 4 = 40, probable dependence.
    highest = {**{f"q{n}": "4" for n in range(1, 9)}, "q9": "4", "q10": "4"}
    assert compute_scores(definition, highest)["total"].value == 40
    assert compute_scores(definition, highest)["total"].band_key == "dependence"


def test_audit_total_is_missing_until_every_question_is_answered():
    scores = compute_scores(_load("audit"), {"q1": "2"})
    assert scores["total"].value is None


def test_dudit_worked_example_probable_problems():
    # By hand: Q1 2-4 times a month (2), Q2 less than monthly (1), Q3 1-2 times (1),
    # Q4 monthly (2), Q5-Q9 never (0), Q10 no (0), Q11 yes, but not last year (2).
    # Total 2 + 1 + 1 + 2 + 2 = 8: at or above the men's cut-off 6, "probable problems".
    answers = {f"q{n}": "0" for n in range(1, 12)}
    answers.update({"q1": "2", "q2": "1", "q3": "1", "q4": "2", "q11": "2"})
    total = compute_scores(_load("dudit"), answers)["total"]
    assert total.value == 8
    assert total.band_key == "problems"
    assert total.clinical is True


def test_dudit_range_runs_from_0_to_44():
    definition = _load("dudit")
    assert compute_scores(definition, {f"q{n}": "0" for n in range(1, 12)})["total"].value == 0
    highest = {**{f"q{n}": "4" for n in range(1, 10)}, "q10": "4", "q11": "4"}
    total = compute_scores(definition, highest)["total"]
    assert total.value == 44
    assert total.band_key == "dependence"
    # Two points is the women's cut-off: shown as "possible problems", below the men's.
    two = {**{f"q{n}": "0" for n in range(1, 12)}, "q1": "2"}
    assert compute_scores(definition, two)["total"].band_key == "possible"
