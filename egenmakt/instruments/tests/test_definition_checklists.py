"""Early warning signs, workplace readiness and fidelity: shipped, valid, scored by hand."""

from __future__ import annotations

from egenmakt.instruments.schema import load_definition_file, shipped_definition_paths
from egenmakt.instruments.scoring import compute_scores

SHIPPED = {p.stem: load_definition_file(p) for p in shipped_definition_paths()}


def _item_keys(definition: dict, section: str) -> list[str]:
    return [i["key"] for s in definition["sections"] if s["key"] == section for i in s["items"]]


def test_early_warning_signs_rows_hold_sign_own_and_others_actions():
    definition = SHIPPED["early_warning_signs"]
    signs = definition["sections"][0]["items"][0]
    assert signs["type"] == "repeating_rows"
    assert [c["key"] for c in signs["columns"]] == ["sign", "own_action", "others_action"]
    contacts = definition["sections"][1]["items"][0]
    assert [c["key"] for c in contacts["columns"]] == ["name", "role", "phone"]
    assert "scoring" not in definition or not definition["scoring"]


def test_workplace_readiness_worked_example():
    definition = SHIPPED["workplace_readiness"]
    prerequisites = _item_keys(definition, "prerequisites")
    assert len(prerequisites) == 10
    # By hand: all ten prerequisites yes except the budget (partly) and staff training (no):
    # 8 yes -> "not ready yet". With those two fixed: 10 yes -> "ready".
    answers = dict.fromkeys(prerequisites, "yes")
    answers.update({"budget": "partly", "staff_trained": "no"})
    score = compute_scores(definition, answers)["prerequisites_yes"]
    assert (score.value, score.band_key) == (8, "not_ready")
    answers.update({"budget": "yes", "staff_trained": "yes"})
    score = compute_scores(definition, answers)["prerequisites_yes"]
    assert (score.value, score.band_key) == (10, "ready")


def test_fidelity_worked_example():
    definition = SHIPPED["fidelity"]
    practice = _item_keys(definition, "practice")
    # By hand: 11 statements; 9 yes, 1 partly, 1 no -> 9.
    answers = dict.fromkeys(practice, "yes")
    answers[practice[0]] = "partly"
    answers[practice[-1]] = "no"
    assert compute_scores(definition, answers)["faithful"].value == 9
