"""Results of the participation ladder ("Vägar till brukarinflytande", Shier 2001).

Five steps, each asked three ways: am I ready (opening), are there routines
(opportunity), is it a policy requirement (obligation). The step reached on a question is
the highest step answered "yes" with every step below it also "yes" — a ladder is climbed
from the bottom (INFERRED: the sources give the questions, not a scoring rule; "partly"
does not count as reached).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models.fields.json import KT
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import Organisation
from egenmakt.instruments.models import InstrumentDefinition, Response

from .models import CareArea

LADDER_KEY = "participation_ladder"
STEPS = 5
# The seed's own names of the three stages and the five levels ("Vägar till
# brukarinflytande", seed 003), as the ladder instrument's version 2 asks them.
COLUMNS = [
    ("opening", _("Openings")),
    ("opportunity", _("Opportunities")),
    ("obligation", _("Obligations")),
]
STEP_LABELS = {
    1: _("Users are listened to"),
    2: _("Users get support in expressing their views and opinions"),
    3: _("Users' views and opinions are considered"),
    4: _("Users are involved in decision-making processes"),
    5: _("Users share power and responsibility over decision-making"),
}


def highest_steps(answers: dict[str, Any]) -> dict[str, int]:
    result = {}
    for column, _label in COLUMNS:
        reached = 0
        for step in range(1, STEPS + 1):
            if answers.get(f"level{step}_{column}") != "yes":
                break
            reached = step
        result[column] = reached
    return result


@dataclass(frozen=True)
class LadderResult:
    response_id: int
    answered_on: date
    steps: dict[str, int]

    @property
    def mean(self) -> float:
        return sum(self.steps.values()) / len(self.steps)

    def step(self, column: str) -> int:
        return self.steps[column]


# The answers a result is made of: read one by one in the database, never the whole
# answers document (at 100,000 clients a network's ladders hold thousands of documents).
ANSWER_KEYS = [f"level{step}_{column}" for step in range(1, STEPS + 1) for column, _l in COLUMNS]
_ANSWER_COLUMNS = [KT(f"answers__{k}") for k in ANSWER_KEYS]


def results_by_subject(model: type, ids: list[int]) -> dict[int, list[LadderResult]]:
    """Every submitted ladder about the given subjects, oldest first, in one query (the
    content type by its id, the ladder's versions by a subquery)."""
    found: dict[int, list[LadderResult]] = defaultdict(list)
    for pk, subject_id, answered_on, *values in _ladders(model, ids).values_list(
        "pk", "subject_id", "answered_on", *_ANSWER_COLUMNS
    ):
        answers = dict(zip(ANSWER_KEYS, values, strict=True))
        found[int(subject_id)].append(LadderResult(pk, answered_on, highest_steps(answers)))
    return found


def _ladders(model: type, ids: list[int]) -> Any:
    """The submitted ladders about the given subjects, oldest first."""
    content_type = ContentType.objects.get_for_model(model)
    return Response.objects.filter(
        subject_type_id=content_type.pk,
        subject_id__in=[str(i) for i in ids],
        definition_id__in=InstrumentDefinition.objects.filter(key=LADDER_KEY).values("pk"),
        status="submitted",
    ).order_by("answered_on", "id")


def latest_by_subject(
    model: type, ids: list[int], days: list[date]
) -> list[dict[int, LadderResult]]:
    """For each day, each subject's latest submitted ladder on or before it (what
    ``latest_before`` picks from ``results_by_subject``: the latest day, the newest of that
    day), reading the answers of those ladders only. A unit answers the ladder year after
    year; the dashboard needs one result per quarter, so the history is read as ids and
    days (no answers), the ones wanted picked here, and their answers read by id."""
    if not ids or not days:
        return [{} for _day in days]
    history: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for pk, subject_id, answered_on in _ladders(model, ids).values_list(
        "pk", "subject_id", "answered_on"
    ):
        history[int(subject_id)].append((answered_on, pk))
    wanted: list[dict[int, int]] = []
    for day in days:
        latest = {}
        for subject, rows in history.items():
            earlier = [pk for answered_on, pk in rows if answered_on <= day]
            if earlier:
                latest[subject] = earlier[-1]
        wanted.append(latest)
    chosen = {pk for latest in wanted for pk in latest.values()}
    results = {
        pk: LadderResult(
            pk, answered_on, highest_steps(dict(zip(ANSWER_KEYS, values, strict=True)))
        )
        for pk, answered_on, *values in Response.objects.filter(pk__in=chosen).values_list(
            "pk", "answered_on", *_ANSWER_COLUMNS
        )
    }
    return [{subject: results[pk] for subject, pk in latest.items()} for latest in wanted]


@dataclass(frozen=True)
class UnitRow:
    unit: Organisation
    history: list[LadderResult]

    @property
    def latest(self) -> LadderResult | None:
        return self.history[-1] if self.history else None

    @property
    def previous(self) -> LadderResult | None:
        return self.history[-2] if len(self.history) > 1 else None


def area_comparison(area: CareArea) -> list[UnitRow]:
    units = list(area.units.order_by("name"))
    history = results_by_subject(Organisation, [u.pk for u in units])
    return [UnitRow(unit, history.get(unit.pk, [])) for unit in units]


def latest_before(history: list[LadderResult], day: date) -> LadderResult | None:
    earlier = [r for r in history if r.answered_on <= day]
    return earlier[-1] if earlier else None
