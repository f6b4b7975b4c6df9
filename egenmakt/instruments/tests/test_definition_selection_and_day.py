"""Selection criteria and a normal day: shipped, valid, worked examples."""

from __future__ import annotations

from egenmakt.instruments.schema import load_definition_file, shipped_definition_paths
from egenmakt.instruments.scoring import compute_scores

SHIPPED = {p.stem: load_definition_file(p) for p in shipped_definition_paths()}
CRITERIA = [
    "own_experience",
    "shares_reflectively",
    "listens",
    "care_experience",
    "team_work",
    "half_time",
    "diversity",
    "personality",
]


def test_selection_criteria_has_the_handbooks_eight_criteria_and_a_recommendation():
    definition = SHIPPED["selection_criteria"]
    keys = [i["key"] for i in definition["sections"][0]["items"] if i["type"] == "yes_partly_no"]
    assert keys == CRITERIA
    recommendation = definition["sections"][1]["items"][0]
    assert [o["value"] for o in recommendation["options"]] == ["admit", "reserve", "not_now", "no"]


def test_selection_criteria_worked_example():
    # By hand: six criteria fully met, "half_time" partly and "care_experience" no -> 6 met.
    answers = dict.fromkeys(CRITERIA, "yes")
    answers.update({"half_time": "partly", "care_experience": "no", "recommendation": "reserve"})
    assert compute_scores(SHIPPED["selection_criteria"], answers)["criteria_met"].value == 6


def test_normal_day_maps_the_day_hour_by_hour_from_six():
    grid = SHIPPED["normal_day"]["sections"][0]["items"][0]
    assert grid["type"] == "day_grid"
    assert (grid["start_hour"], grid["end_hour"]) == (6, 23)
