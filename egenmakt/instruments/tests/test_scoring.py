"""Scoring rules: worked examples, and properties that hold for any answers."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egenmakt.instruments.schema import (
    iter_items,
    load_definition_file,
    parse_definition,
    shipped_definition_paths,
)
from egenmakt.instruments.scoring import (
    Score,
    classify_change,
    compute_scores,
    item_score,
    score_items,
    scores_of,
)
from egenmakt.instruments.tests.examples import ALL_TYPES_YAML
from egenmakt.instruments.tests.strategies import answer_for, answers_for

ENGINE = parse_definition(ALL_TYPES_YAML)
SHIPPED = [load_definition_file(path) for path in shipped_definition_paths()]
SCORED = [d for d in [ENGINE, *SHIPPED] if scores_of(d)]
ORS = next(d for d in SHIPPED if d["key"] == "ors")
ORS_ITEMS = ["individually", "interpersonally", "socially", "overall"]


def ors(*values: float) -> dict[str, float]:
    return dict(zip(ORS_ITEMS, values, strict=True))


def test_ors_total_is_the_sum_of_the_four_lines():
    scores = compute_scores(ORS, ors(5.5, 6.0, 7.1, 6.4))
    assert scores["total"].value == 25.0


def test_ors_total_of_25_is_in_the_clinical_range():
    assert compute_scores(ORS, ors(5.5, 6.0, 7.1, 6.4))["total"].clinical is True


def test_ors_total_above_25_is_not_clinical():
    assert compute_scores(ORS, ors(5.5, 6.0, 7.1, 6.5))["total"].clinical is False


def test_ors_total_is_missing_when_a_line_is_unanswered():
    answers = ors(5.5, 6.0, 7.1, 6.4)
    del answers["overall"]
    assert compute_scores(ORS, answers)["total"] == Score(None, None, None)


@pytest.mark.parametrize(
    ("before", "after", "kind"),
    [
        (18.0, 23.0, "improved"),
        (18.0, 22.9, "no_reliable_change"),
        (30.0, 25.0, "deteriorated"),
        (30.0, 25.1, "no_reliable_change"),
    ],
)
def test_ors_change_of_five_points_or_more_is_reliable(before, after, kind):
    assert classify_change(ORS, "total", before=before, after=after) == kind


def test_lower_is_better_turns_a_rise_into_deterioration():
    assert classify_change(ENGINE, "mean_mood", before=1.0, after=2.0) == "deteriorated"
    assert classify_change(ENGINE, "mean_mood", before=3.0, after=2.0) == "improved"


def test_engine_example_worked_by_hand():
    answers = {
        "mood": 3,  # 3
        "weighted": 2,  # scores map: 2
        "wellbeing": 7.5,  # 7.5
        "often": "4",  # option score 4
        "areas": ["home", "leisure"],  # 1 + 1
        "ready": "partly",  # default map: 1
        "hours": 2.5,  # 2.5
    }
    scores = compute_scores(ENGINE, answers)
    assert scores["total"] == Score(22.0, "high", False)
    assert scores["mean_mood"].value == 2.5
    assert scores["yeses"].value == 1  # "home" ticked; "ready" is partly


def test_count_skips_unanswered_items():
    assert compute_scores(ENGINE, {"ready": "yes"})["yeses"].value == 1


def test_multiple_choice_with_nothing_ticked_scores_zero():
    item = next(i for i in iter_items(ENGINE) if i["key"] == "areas")
    assert item_score(item, []) == 0


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
@pytest.mark.parametrize("definition", SCORED, ids=lambda d: f"{d['key']}-v{d['version']}")
def test_totals_stay_within_the_declared_range(definition: dict[str, Any], data: st.DataObject):
    answers = data.draw(answers_for(definition))
    for key, score in compute_scores(definition, answers).items():
        rule = next(s for s in scores_of(definition) if s["key"] == key)
        assert score.value is not None
        assert rule["min"] <= score.value <= rule["max"]


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
@pytest.mark.parametrize("definition", SCORED, ids=lambda d: f"{d['key']}-v{d['version']}")
def test_changing_one_answer_changes_a_sum_by_the_item_score_difference(
    definition: dict[str, Any], data: st.DataObject
):
    sums = [s for s in scores_of(definition) if s["method"] == "sum"]
    if not sums:
        return
    rule = data.draw(st.sampled_from(sums))
    items = score_items(definition, rule)
    item = data.draw(st.sampled_from(items))
    answers = data.draw(answers_for(definition))
    new_value = data.draw(answer_for(item))
    changed = {**answers, item["key"]: new_value}
    before = compute_scores(definition, answers)[rule["key"]].value
    after = compute_scores(definition, changed)[rule["key"]].value
    expected = item_score(item, new_value) - item_score(item, answers[item["key"]])
    assert after - before == pytest.approx(expected, abs=0.011)


@given(value=st.floats(min_value=0, max_value=40))
def test_band_and_clinical_follow_the_ors_cutoff(value: float):
    value = round(value, 1)
    answers = ors(value / 4, value / 4, value / 4, value / 4)
    score = compute_scores(ORS, answers)["total"]
    assert score.clinical is (score.value <= 25)
