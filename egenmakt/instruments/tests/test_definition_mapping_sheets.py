"""Mapping and follow-up sheets: everyday life, QLS, lifestyle and health, participation."""

from __future__ import annotations

from egenmakt.instruments.schema import iter_items, load_definition_file, shipped_definition_paths
from egenmakt.instruments.scoring import compute_scores

SHIPPED = {p.stem: load_definition_file(p) for p in shipped_definition_paths()}


def _scale_keys(definition: dict) -> list[str]:
    return [item["key"] for item in iter_items(definition) if item["type"] == "scale"]


def test_self_and_relative_rate_the_same_everyday_functions():
    own = _scale_keys(SHIPPED["everyday_life_self"])
    relative = _scale_keys(SHIPPED["everyday_life_relative"])
    assert own == relative
    assert len(own) == 12
    assert SHIPPED["everyday_life_relative"]["respondents"] == ["relative", "staff"]


def test_everyday_life_worked_example_is_the_average():
    # By hand: six functions at 4 and six at 2 -> (6*4 + 6*2) / 12 = 3.0.
    keys = _scale_keys(SHIPPED["everyday_life_self"])
    answers = {key: 4 if i < 6 else 2 for i, key in enumerate(keys)}
    assert compute_scores(SHIPPED["everyday_life_self"], answers)["mean"].value == 3.0


def test_qls_counts_the_areas_ticked():
    # By hand: three ticks (home, income, sleep) -> 3.
    answers = {"not_satisfied": ["housing_1", "economy_1", "health_3"]}
    assert compute_scores(SHIPPED["qls100"], answers)["dissatisfied"].value == 3
    assert compute_scores(SHIPPED["qls100"], {"not_satisfied": []})["dissatisfied"].value == 0


def test_my_participation_worked_example():
    # By hand: 8 statements; 5 yes, 2 partly, 1 no -> 5.
    keys = [item["key"] for item in iter_items(SHIPPED["my_participation"])][:8]
    answers = dict.fromkeys(keys[:5], "yes") | dict.fromkeys(keys[5:7], "partly") | {keys[7]: "no"}
    assert compute_scores(SHIPPED["my_participation"], answers)["yes_count"].value == 5


def test_lifestyle_sheet_points_to_audit_and_dudit():
    items = {item["key"]: item for item in iter_items(SHIPPED["lifestyle_health"])}
    assert "AUDIT" in items["alcohol_concern"]["help"]["sv"]
    assert {"meals_per_day", "active_days", "sleep_ok", "tobacco", "last_check"} <= set(items)
