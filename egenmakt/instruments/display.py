"""Answers and scores as people read them: option labels, units, bands, change over time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .models import Response
from .progress import Progress, expected_progress_rule, progress_series
from .renderer import YES_PARTLY_NO_LABELS
from .schema import text
from .scoring import classify_change, primary_score, scores_of


def format_number(value: float | int | None) -> str:
    if value is None:
        return "–"
    if float(value).is_integer():
        return number_format(int(value))
    return number_format(value, decimal_pos=None if round(value, 1) != value else 1)


@dataclass
class ScoreRow:
    label: str
    value: str
    band: str
    clinical: bool | None
    range: str


def band_label(score: dict[str, Any], band_key: str | None, language: str) -> str:
    for band in score.get("bands", []):
        if band["key"] == band_key:
            return text(band["label"], language)
    return ""


def score_rows(response: Response, language: str) -> list[ScoreRow]:
    rows = []
    for score in scores_of(response.definition.definition):
        stored = response.scores.get(score["key"]) or {}
        rows.append(
            ScoreRow(
                label=text(score["label"], language),
                value=format_number(stored.get("value")),
                band=band_label(score, stored.get("band_key"), language),
                clinical=stored.get("clinical"),
                range=f"{format_number(score['min'])}–{format_number(score['max'])}",
            )
        )
    return rows


@dataclass
class AnswerRow:
    label: str
    type: str
    value: str = ""
    answered: bool = True
    hours: list[tuple[str, str]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    table: list[list[str]] = field(default_factory=list)

    @property
    def labelled_table(self) -> list[list[tuple[str, str]]]:
        """Each cell with its column's name, so a list on a phone names what each says."""
        return [list(zip(self.columns, cells, strict=True)) for cells in self.table]


@dataclass
class AnswerSection:
    title: str
    rows: list[AnswerRow]


def _display(item: dict[str, Any], value: Any, language: str) -> str:
    item_type = item["type"]
    if item_type in ("single_choice", "multiple_choice"):
        labels = {o["value"]: text(o["label"], language) for o in item["options"]}
        chosen = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(str(v), str(v)) for v in chosen) or _("none chosen")
    if item_type == "yes_partly_no":
        return str(YES_PARTLY_NO_LABELS.get(str(value), value))
    if item_type == "scale":
        anchor = text((item.get("anchors") or {}).get(str(value)), language)
        return f"{value} ({anchor})" if anchor else f"{value} / {item['max']}"
    if item_type == "vas":
        return _("%(value)s of 10") % {"value": format_number(value)}
    if item_type == "number":
        unit = text(item.get("unit"), language)
        return f"{format_number(value)} {unit}".strip()
    return str(value)


def answer_sections(
    definition: dict[str, Any], answers: dict[str, Any], language: str
) -> list[AnswerSection]:
    sections = []
    for section in definition["sections"]:
        rows = []
        for item in section["items"]:
            value = answers.get(item["key"])
            row = AnswerRow(label=text(item["label"], language), type=item["type"])
            if value in (None, "", [], {}) and item["type"] != "multiple_choice":
                row.answered = False
            elif item["type"] == "day_grid":
                row.hours = sorted((value or {}).items())
            elif item["type"] == "repeating_rows":
                row.columns = [text(c["label"], language) for c in item["columns"]]
                row.table = [
                    [str(r.get(c["key"], "")) for c in item["columns"]] for r in value or []
                ]
                row.answered = bool(row.table)
            else:
                row.value = _display(item, value if value is not None else [], language)
            rows.append(row)
        sections.append(AnswerSection(text(section["title"], language), rows))
    return sections


# --- Change over time -------------------------------------------------------------------------


@dataclass
class ChartPoint:
    response: Response
    answered_on: date
    value: float
    band: str
    clinical: bool | None
    change: float | None
    change_kind: str  # "improved" | "deteriorated" | "no_reliable_change" | "" for the first
    # Against the expected progress from the intake (``progress``); None without a rule.
    progress: Progress | None = None

    @property
    def change_text(self) -> str:
        if self.change is None:
            return ""
        sign = "+" if self.change > 0 else ("\u2212" if self.change < 0 else "±")
        return f"{sign}{format_number(abs(self.change))}"

    @property
    def change_label(self) -> str:
        return {
            "improved": _("reliable improvement"),
            "deteriorated": _("reliable deterioration"),
            "no_reliable_change": _("no reliable change"),
        }.get(self.change_kind, "")


@dataclass
class ChartData:
    score: dict[str, Any] | None
    label: str
    points: list[ChartPoint]
    cutoff: float | None
    cutoff_label: str
    reliable_change: float | None
    expected_label: str = ""  # the band's label; empty when the score has no rule

    @property
    def has_expected(self) -> bool:
        return bool(self.expected_label)

    @property
    def latest_progress(self) -> Progress | None:
        return self.points[-1].progress if self.points else None


def chart_data(definition: dict[str, Any], responses: list[Response], language: str) -> ChartData:
    """The primary score of the newest version, over every response that has it."""
    score = primary_score(definition)
    if score is None:
        return ChartData(None, "", [], None, "", None)
    points: list[ChartPoint] = []
    for response in responses:
        value = response.score_value(score["key"])
        if value is None:
            continue
        stored = response.scores.get(score["key"]) or {}
        previous = points[-1].value if points else None
        points.append(
            ChartPoint(
                response=response,
                answered_on=response.answered_on,
                value=float(value),
                band=band_label(score, stored.get("band_key"), language),
                clinical=stored.get("clinical"),
                change=None if previous is None else round(float(value) - previous, 2),
                change_kind=""
                if previous is None
                else classify_change(definition, score["key"], before=previous, after=value),
            )
        )
    for point, progress in zip(
        points, progress_series(score, [p.value for p in points]), strict=True
    ):
        point.progress = progress
    cutoff = score.get("cutoff") or {}
    rule = expected_progress_rule(score)
    return ChartData(
        score=score,
        label=text(score["label"], language),
        points=points,
        cutoff=cutoff.get("value"),
        cutoff_label=text(cutoff.get("label"), language) or _("Clinical cut-off"),
        reliable_change=score.get("reliable_change"),
        expected_label=""
        if rule is None
        else (text(rule.get("label"), language) or _("Expected progress")),
    )
