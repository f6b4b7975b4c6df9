"""Scoring: from answers to scores, bands, clinical range, and reliable change.

Pure functions over a validated definition (see ``schema.parse_definition``); nothing here
touches the database, so the same rules serve the form, the chart and the content tests.

Rules (the format contract, ``README.md`` "Instruments"):

* an item's score: ``scale`` its value (or its ``scores`` map), ``vas`` and ``number`` the
  value, ``single_choice`` the chosen option's ``score``, ``yes_partly_no`` its ``scores``
  map (default yes 2, partly 1, no 0), ``multiple_choice`` the sum of the chosen options'
  scores (nothing ticked is a valid answer worth 0);
* ``sum`` and ``mean`` are None when any of their items is unanswered: a partial ORS total
  would look like a worse score, not like a missing one;
* ``count`` counts the items (or, for multiple choice, the ticked options) whose value is in
  ``count_values``; an unanswered item is simply not counted, as on a paper checklist;
* ``items: all`` means every item of a type the method can use.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from .schema.definition import (
    COUNTABLE_TYPES,
    DEFAULT_YES_PARTLY_NO_SCORES,
    SCORED_TYPES,
    YES_PARTLY_NO,
    iter_items,
)

ChangeKind = Literal["improved", "deteriorated", "no_reliable_change"]
DECIMALS = 2


@dataclass(frozen=True)
class Score:
    value: float | None
    band_key: str | None
    clinical: bool | None

    def as_json(self) -> dict[str, Any]:
        return {"value": self.value, "band_key": self.band_key, "clinical": self.clinical}


def is_missing(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def item_score(item: dict[str, Any], value: Any) -> float | None:
    """The score of one answer, or None when unanswered or not scoreable."""
    item_type = item["type"]
    if item_type == "multiple_choice":
        chosen = set(value or [])
        return float(sum(o.get("score", 0) for o in item["options"] if o["value"] in chosen))
    if is_missing(value):
        return None
    if item_type == "scale":
        scores = item.get("scores") or {}
        return float(scores.get(str(value), value))
    if item_type in ("vas", "number"):
        return float(value)
    if item_type == "single_choice":
        for option in item["options"]:
            if option["value"] == str(value):
                score = option.get("score")
                return float(score) if score is not None else None
        return None
    if item_type == "yes_partly_no":
        scores = item.get("scores") or DEFAULT_YES_PARTLY_NO_SCORES
        score = scores.get(str(value))
        return float(score) if score is not None else None
    return None


def item_score_range(item: dict[str, Any]) -> tuple[float, float] | None:
    """The lowest and highest score an item can give; None when unbounded."""
    item_type = item["type"]
    if item_type == "scale":
        scores = item.get("scores") or {}
        values = [float(scores.get(str(v), v)) for v in range(item["min"], item["max"] + 1)]
        return min(values), max(values)
    if item_type == "vas":
        return 0.0, 10.0
    if item_type == "number":
        if "min" in item and "max" in item:
            return float(item["min"]), float(item["max"])
        return None
    if item_type == "single_choice":
        option_scores = [float(o.get("score", 0)) for o in item["options"]]
        return min(option_scores), max(option_scores)
    if item_type == "multiple_choice":
        option_scores = [float(o.get("score", 0)) for o in item["options"]]
        # Bounds without min/max_choices: good enough to check a declared range.
        return sum(s for s in option_scores if s < 0), sum(s for s in option_scores if s > 0)
    if item_type == "yes_partly_no":
        scores = [float(s) for s in (item.get("scores") or DEFAULT_YES_PARTLY_NO_SCORES).values()]
        return min(scores), max(scores)
    return None


def _possible_values(item: dict[str, Any]) -> list[str]:
    if item["type"] == "scale":
        return [str(v) for v in range(item["min"], item["max"] + 1)]
    if item["type"] == "yes_partly_no":
        return list(YES_PARTLY_NO)
    return [str(o["value"]) for o in item.get("options", [])]


def score_items(definition: dict[str, Any], score: dict[str, Any]) -> list[dict[str, Any]]:
    """The items a score reads, in definition order."""
    allowed = COUNTABLE_TYPES if score["method"] == "count" else SCORED_TYPES
    items = {item["key"]: item for item in iter_items(definition)}
    if score["items"] == "all":
        return [item for item in items.values() if item["type"] in allowed]
    return [items[key] for key in score["items"] if key in items]


def possible_range(definition: dict[str, Any], score: dict[str, Any]) -> tuple[float, float] | None:
    """The lowest and highest value a score can take; None when an item is unbounded."""
    items = score_items(definition, score)
    if score["method"] == "count":
        counted = set(map(str, score.get("count_values", [])))
        high = 0
        for item in items:
            possible = _possible_values(item)
            matches = sum(1 for v in possible if v in counted)
            high += matches if item["type"] == "multiple_choice" else min(matches, 1)
        return 0.0, float(high)
    ranges = [item_score_range(item) for item in items]
    if not ranges or any(r is None for r in ranges):
        return None
    lows = [r[0] for r in ranges if r is not None]
    highs = [r[1] for r in ranges if r is not None]
    if score["method"] == "mean":
        return sum(lows) / len(lows), sum(highs) / len(highs)
    return sum(lows), sum(highs)


def score_definition(definition: dict[str, Any], score_key: str) -> dict[str, Any]:
    for score in scores_of(definition):
        if score["key"] == score_key:
            return score
    raise KeyError(score_key)


def scores_of(definition: dict[str, Any]) -> list[dict[str, Any]]:
    return list((definition.get("scoring") or {}).get("scores", []))


def primary_score(definition: dict[str, Any]) -> dict[str, Any] | None:
    """The score charted over time: the one marked primary, else the first."""
    scores = scores_of(definition)
    return next((s for s in scores if s.get("primary")), scores[0] if scores else None)


def _count(items: Iterable[dict[str, Any]], answers: dict[str, Any], values: list[str]) -> float:
    counted = set(values)
    total = 0
    for item in items:
        answer = answers.get(item["key"])
        if is_missing(answer):
            continue
        if isinstance(answer, list):
            total += sum(1 for v in answer if str(v) in counted)
        elif str(answer) in counted:
            total += 1
    return float(total)


def compute_score(
    definition: dict[str, Any], score: dict[str, Any], answers: dict[str, Any]
) -> Score:
    items = score_items(definition, score)
    value: float | None
    if score["method"] == "count":
        value = _count(items, answers, [str(v) for v in score.get("count_values", [])])
    else:
        item_scores = [item_score(item, answers.get(item["key"])) for item in items]
        if not item_scores or any(s is None for s in item_scores):
            value = None
        else:
            total = sum(s for s in item_scores if s is not None)
            value = total / len(item_scores) if score["method"] == "mean" else total
    if value is None:
        return Score(None, None, None)
    value = round(value, DECIMALS)
    return Score(value, band_for(score, value), is_clinical(score, value))


def compute_scores(definition: dict[str, Any], answers: dict[str, Any]) -> dict[str, Score]:
    """Every score of the definition for these answers ({} for unscored forms)."""
    return {s["key"]: compute_score(definition, s, answers) for s in scores_of(definition)}


def band_for(score: dict[str, Any], value: float) -> str | None:
    for band in score.get("bands", []):
        if band["min"] <= value <= band["max"]:
            return str(band["key"])
    return None


def is_clinical(score: dict[str, Any], value: float) -> bool | None:
    cutoff = score.get("cutoff")
    if not cutoff:
        return None
    if cutoff["clinical_when"] == "at_or_below":
        return bool(value <= cutoff["value"])
    return bool(value >= cutoff["value"])


def classify_change(
    definition: dict[str, Any], score_key: str, *, before: float | None, after: float | None
) -> ChangeKind:
    """Whether going from ``before`` to ``after`` is a reliable improvement or deterioration.

    Without a ``reliable_change`` threshold no change counts as reliable. A change of
    exactly the threshold is reliable (ORS: "a change of 5 points or more").
    """
    score = score_definition(definition, score_key)
    threshold = score.get("reliable_change")
    if threshold is None or before is None or after is None:
        return "no_reliable_change"
    change = round(after - before, 6)
    if not score.get("higher_is_better", True):
        change = -change
    if change >= threshold:
        return "improved"
    if change <= -threshold:
        return "deteriorated"
    return "no_reliable_change"
