"""The rules a JSON Schema cannot say: keys used once, ranges and bands that fit, scores
that refer to items that exist and can be scored."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml
from django.utils.translation import gettext as _

from .definition import COUNTABLE_TYPES, SCORED_TYPES, Problem
from .yaml_reader import format_path, line_of


class Checker:
    def __init__(self, data: dict[str, Any], root: yaml.Node | None) -> None:
        self.data = data
        self.root = root
        self.problems: list[Problem] = []

    def add(self, parts: Sequence[str | int], message: str, *, key: bool = False) -> None:
        self.problems.append(
            Problem(line_of(self.root, parts, key=key), format_path(parts), message)
        )

    def run(self) -> list[Problem]:
        items = self.check_sections()
        self.check_scoring(items)
        return self.problems

    def check_sections(self) -> dict[str, dict[str, Any]]:
        items: dict[str, dict[str, Any]] = {}
        section_keys: set[str] = set()
        for s_index, section in enumerate(self.data["sections"]):
            if section["key"] in section_keys:
                self.add(
                    ["sections", s_index, "key"],
                    _("the section key '%(key)s' is used twice") % {"key": section["key"]},
                )
            section_keys.add(section["key"])
            for i_index, item in enumerate(section["items"]):
                parts: list[str | int] = ["sections", s_index, "items", i_index]
                if item["key"] in items:
                    self.add(
                        [*parts, "key"],
                        _("the item key '%(key)s' is used twice in this instrument")
                        % {"key": item["key"]},
                    )
                else:
                    items[item["key"]] = item
                self.check_item(item, parts)
        return items

    def check_item(self, item: dict[str, Any], parts: list[str | int]) -> None:
        item_type = item["type"]
        low, high = item.get("min"), item.get("max")
        if low is not None and high is not None and low >= high:
            self.add([*parts, "max"], _("max must be greater than min"))
        if item_type == "scale":
            for name in ("anchors", "scores"):
                for point in item.get(name, {}):
                    if low is not None and high is not None and not low <= int(point) <= high:
                        self.add(
                            [*parts, name, point],
                            _("%(point)s is outside the scale %(min)s–%(max)s")
                            % {"point": point, "min": low, "max": high},
                            key=True,
                        )
        if item_type == "vas":
            for point in item.get("anchors", {}):
                if not 0 <= int(point) <= 10:
                    self.add(
                        [*parts, "anchors", point],
                        _("a visual analogue scale runs from 0 to 10; %(point)s is outside it")
                        % {"point": point},
                        key=True,
                    )
        if item_type in ("single_choice", "multiple_choice"):
            values: set[str] = set()
            for o_index, option in enumerate(item["options"]):
                value = str(option["value"])
                if value in values:
                    self.add(
                        [*parts, "options", o_index, "value"],
                        _("the option value '%(value)s' is used twice") % {"value": value},
                    )
                values.add(value)
            count = len(item["options"])
            min_choices, max_choices = item.get("min_choices"), item.get("max_choices")
            if max_choices is not None and max_choices > count:
                self.add(
                    [*parts, "max_choices"],
                    _("max_choices is larger than the number of options (%(count)s)")
                    % {"count": count},
                )
            if min_choices is not None and min_choices > (max_choices or count):
                self.add([*parts, "min_choices"], _("min_choices is larger than max_choices"))
        if item_type == "day_grid" and item.get("start_hour", 6) > item.get("end_hour", 23):
            self.add([*parts, "end_hour"], _("end_hour must not be before start_hour"))
        if item_type == "repeating_rows":
            column_keys: set[str] = set()
            for c_index, column in enumerate(item["columns"]):
                if column["key"] in column_keys:
                    self.add(
                        [*parts, "columns", c_index, "key"],
                        _("the column key '%(key)s' is used twice") % {"key": column["key"]},
                    )
                column_keys.add(column["key"])
            min_rows, max_rows = item.get("min_rows"), item.get("max_rows")
            if min_rows is not None and max_rows is not None and min_rows > max_rows:
                self.add([*parts, "min_rows"], _("min_rows is larger than max_rows"))

    def check_scoring(self, items: dict[str, dict[str, Any]]) -> None:
        scoring = self.data.get("scoring")
        if not scoring:
            return
        score_keys: set[str] = set()
        primaries = 0
        for index, score in enumerate(scoring["scores"]):
            parts: list[str | int] = ["scoring", "scores", index]
            if score["key"] in score_keys:
                self.add(
                    [*parts, "key"],
                    _("the score key '%(key)s' is used twice") % {"key": score["key"]},
                )
            score_keys.add(score["key"])
            if score.get("primary"):
                primaries += 1
                if primaries > 1:
                    self.add([*parts, "primary"], _("only one score can be primary"))
            if score["min"] >= score["max"]:
                self.add([*parts, "max"], _("max must be greater than min"))
            before = len(self.problems)
            self.check_score_items(score, parts, items)
            if len(self.problems) == before:
                self.check_score_range(score, parts)
            self.check_bands(score, parts)
            cutoff = score.get("cutoff")
            if cutoff and not score["min"] <= cutoff["value"] <= score["max"]:
                self.add(
                    [*parts, "cutoff", "value"],
                    _("the cut-off lies outside the score's range %(min)s–%(max)s")
                    % {"min": score["min"], "max": score["max"]},
                )
            progress = score.get("expected_progress")
            if progress and not score["min"] <= progress["target"] <= score["max"]:
                self.add(
                    [*parts, "expected_progress", "target"],
                    _("the expected-progress target lies outside the score's range %(min)s–%(max)s")
                    % {"min": score["min"], "max": score["max"]},
                )

    def check_score_items(
        self, score: dict[str, Any], parts: list[str | int], items: dict[str, dict[str, Any]]
    ) -> None:
        method = score["method"]
        if method == "count" and "count_values" not in score:
            self.add(parts, _("a score with method 'count' needs count_values"))
        if method != "count" and "count_values" in score:
            self.add(
                [*parts, "count_values"],
                _("count_values only applies to method 'count'"),
                key=True,
            )
        allowed = COUNTABLE_TYPES if method == "count" else SCORED_TYPES
        if score["items"] == "all":
            if not any(item["type"] in allowed for item in items.values()):
                self.add([*parts, "items"], _("no item in this instrument can be scored"))
            return
        for i_index, item_key in enumerate(score["items"]):
            item_parts = [*parts, "items", i_index]
            item = items.get(item_key)
            if item is None:
                self.add(
                    item_parts,
                    _("the score refers to an item '%(key)s' that does not exist")
                    % {"key": item_key},
                )
            elif item["type"] not in allowed:
                self.add(
                    item_parts,
                    _("the item '%(key)s' of type '%(type)s' cannot be used in a %(method)s")
                    % {"key": item_key, "type": item["type"], "method": method},
                )
            elif (
                method != "count"
                and item["type"] in ("single_choice", "multiple_choice")
                and any("score" not in option for option in item["options"])
            ):
                self.add(
                    item_parts,
                    _("every option of the item '%(key)s' needs a score to be summed")
                    % {"key": item_key},
                )

    def check_score_range(self, score: dict[str, Any], parts: list[str | int]) -> None:
        """The declared min/max must hold every total the items can give."""
        from egenmakt.instruments.scoring import possible_range  # scoring imports this package

        reach = possible_range(self.data, score)
        if reach is None:
            return
        low, high = reach
        if low < score["min"] or high > score["max"]:
            self.add(
                parts,
                _(
                    "the items can give scores from %(low)s to %(high)s, "
                    "outside the declared range %(min)s–%(max)s"
                )
                % {"low": _num(low), "high": _num(high), "min": score["min"], "max": score["max"]},
            )

    def check_bands(self, score: dict[str, Any], parts: list[str | int]) -> None:
        previous: dict[str, Any] | None = None
        band_keys: set[str] = set()
        for b_index, band in enumerate(score.get("bands", [])):
            band_parts = [*parts, "bands", b_index]
            if band["key"] in band_keys:
                self.add(
                    [*band_parts, "key"],
                    _("the band key '%(key)s' is used twice") % {"key": band["key"]},
                )
            band_keys.add(band["key"])
            if band["min"] > band["max"]:
                self.add(band_parts, _("the band's min is greater than its max"))
            if not (score["min"] <= band["min"] and band["max"] <= score["max"]):
                self.add(
                    band_parts,
                    _("the band lies outside the score's range %(min)s–%(max)s")
                    % {"min": score["min"], "max": score["max"]},
                )
            if previous is not None and band["min"] <= previous["max"]:
                self.add(
                    band_parts,
                    _(
                        "the band '%(key)s' overlaps the band before it or is out of order "
                        "(bands go from low to high and share no value)"
                    )
                    % {"key": band["key"]},
                )
            previous = band


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def normalise_values(data: dict[str, Any]) -> None:
    """Option values and count_values are strings whatever the author typed."""
    for section in data["sections"]:
        for item in section["items"]:
            for option in item.get("options", []):
                option["value"] = str(option["value"])
    for score in (data.get("scoring") or {}).get("scores", []):
        if "count_values" in score:
            score["count_values"] = [str(v) for v in score["count_values"]]
