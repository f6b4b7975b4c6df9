"""Valid, scored answers for any instrument, made once per pattern and reused.

Every pattern goes through the instruments app's own cleaning and scoring, so generated
responses read exactly like ones submitted through the forms; a pool of patterns per
instrument keeps a hundred thousand responses from costing a hundred thousand checks.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from typing import Any

from egenmakt.instruments.answers import clean_answers
from egenmakt.instruments.models import InstrumentDefinition
from egenmakt.instruments.schema import iter_items
from egenmakt.instruments.scoring import compute_scores
from egenmakt.instruments.selectors import current_definition
from egenmakt.scale.context import at

PATTERNS = 24
SENTENCES = [
    "Samtalet handlade om vardagen och vad som hjälper just nu.",
    "Vi pratade om gränser i rollen och om att be kollegor om stöd.",
    "Erfarenheten av egen återhämtning kom till användning i mötet.",
    "Det finns frågor att ta vidare till arbetsplatsens ledning.",
    "Allt gick enligt planen; inget särskilt att föra vidare.",
]

DAY = ["Frukost", "Promenad", "Vilar", "Handlar", "Träffar en vän", "Tittar på tv"]

Chooser = Callable[[dict[str, Any], random.Random], Any]


def _value(item: dict[str, Any], rng: random.Random, yes_bias: float) -> Any:
    kind = item["type"]
    if kind == "yes_partly_no":
        roll = rng.random()
        return "yes" if roll < yes_bias else ("partly" if roll < (1 + yes_bias) / 2 else "no")
    if kind == "scale":
        return rng.randint(int(item.get("min", 0)), int(item.get("max", 10)))
    if kind == "vas":
        return round(rng.uniform(0, 10), 1)
    if kind == "number":
        return rng.randint(int(item.get("min", 0)), int(item.get("max", item.get("min", 0) + 10)))
    if kind == "single_choice":
        return rng.choice(item["options"])["value"]
    if kind == "multiple_choice":
        options = [o["value"] for o in item["options"]]
        return rng.sample(options, k=rng.randint(0 if not item.get("required") else 1, 2))
    if kind == "date":
        return date(2026, rng.randint(1, 12), rng.randint(1, 28)).isoformat()
    if kind in {"short_text", "long_text"}:
        limit = item.get("max_length", 200 if kind == "short_text" else 4000)
        return rng.choice(SENTENCES)[:limit] if item.get("required") or rng.random() < 0.7 else ""
    if kind == "day_grid":
        first, last = int(item.get("start_hour", 6)), int(item.get("end_hour", 23))
        hours = sorted(rng.sample(range(first, last + 1), k=min(4, last - first + 1)))
        return {f"{hour:02d}": rng.choice(DAY) for hour in hours}
    if kind == "repeating_rows":
        rows = rng.randint(max(1, int(item.get("min_rows", 1))), 3)
        return [
            {
                col["key"]: _value({**col, "required": True}, rng, yes_bias)
                for col in item["columns"]
            }
            for _row in range(rows)
        ]
    return None


class AnswerPool:
    """``PATTERNS`` complete answer sets of one instrument's current version, with scores."""

    def __init__(
        self,
        key: str,
        rng: random.Random,
        *,
        yes_bias: float = 0.7,
        shape: Callable[[dict[str, Any], random.Random], dict[str, Any]] | None = None,
    ) -> None:
        # The generated installation has no organisation's own versions: the shipped one.
        self.definition: InstrumentDefinition = current_definition(key, None)
        body = self.definition.definition
        self.patterns: list[tuple[dict[str, Any], dict[str, Any]]] = []
        for _n in range(PATTERNS):
            if shape is not None:
                raw = shape(body, rng)
            else:
                raw = {item["key"]: _value(item, rng, yes_bias) for item in iter_items(body)}
            answers = clean_answers(body, raw, complete=True)
            scores = {k: s.as_json() for k, s in compute_scores(body, answers).items()}
            self.patterns.append((answers, scores))

    def pick(self, rng: random.Random) -> tuple[dict[str, Any], dict[str, Any]]:
        return rng.choice(self.patterns)


def ladder_shape(body: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A participation ladder climbed from the bottom: yes up to a step, then no."""
    answers: dict[str, Any] = {}
    for column in ("opening", "opportunity", "obligation"):
        top = rng.randint(0, 5)
        for step in range(1, 6):
            answers[f"level{step}_{column}"] = "yes" if step <= top else "no"
    return answers


def response_row(
    pool: AnswerPool,
    rng: random.Random,
    *,
    subject_type_id: int,
    subject_id: int,
    entered_by_id: int,
    answered_on: date,
    respondent_kind: str = "staff",
) -> Any:
    """A submitted response (not saved), dated as if entered on ``answered_on``."""
    from egenmakt.instruments.models import Response, ResponseStatus

    answers, scores = pool.pick(rng)
    moment = at(answered_on, 14)
    return Response(
        definition_id=pool.definition.pk,
        subject_type_id=subject_type_id,
        subject_id=str(subject_id),
        respondent_kind=respondent_kind,
        entered_by_id=entered_by_id,
        answered_on=answered_on,
        status=ResponseStatus.SUBMITTED,
        answers=answers,
        scores=scores,
        created_at=moment,
        updated_at=moment,
        submitted_at=moment,
        version=2,
    )
