"""Checking answers against a definition: one set of rules for the form and any other caller.

``clean_answers`` accepts what a browser posts (strings, "5,5" with a decimal comma) and
what JSON carries (numbers, lists), and returns the stored form of every answer:

scale ``int``; vas ``float`` with one decimal; number ``int`` or ``float``; single choice
and yes/partly/no ``str``; multiple choice ``list[str]``; date ``"YYYY-MM-DD"``; texts
``str``; day grid ``{"07": str}``; repeating rows ``[{column: value}]``.

Unanswered items are left out. A draft is checked for types and ranges only; a submitted
response must also answer every required item. Every problem is reported at once, keyed by
item, so the form can show it next to that item.
"""

from __future__ import annotations

import contextlib
import math
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from egenmakt.core.input import CONTROL_CHARACTER_MESSAGE, DateRangeValidator, check_text

from .schema import LONG_TEXT_MAX, SHORT_TEXT_MAX, YES_PARTLY_NO, iter_items, text

DAY_GRID_TEXT_MAX = 500
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class InvalidAnswersError(ValueError):
    """Answers that cannot be saved; ``errors`` maps item keys to messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))


class _InvalidAnswerError(ValueError):
    pass


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, list | dict):
        return len(value) == 0
    return False


def _number(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise _InvalidAnswerError(_("Enter a number."))
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise _InvalidAnswerError(_("Enter a number."))
        return Decimal(str(value))
    if isinstance(value, str):
        try:
            number = Decimal(value.strip().replace(",", ".").replace("\u2212", "-"))
        except InvalidOperation:
            raise _InvalidAnswerError(_("Enter a number.")) from None
        if not number.is_finite():
            raise _InvalidAnswerError(_("Enter a number."))
        return number
    raise _InvalidAnswerError(_("Enter a number."))


def _fmt(number: Decimal | float | int) -> str:
    return format(Decimal(str(number)).normalize(), "f")


def _decimals(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _text(value: Any, limit: int) -> str:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise _InvalidAnswerError(_("Enter a text."))
    result = str(value).strip()
    try:
        # The same rule as every form field (PostgreSQL refuses NUL in JSONB).
        check_text(result)
    except ValidationError:
        raise _InvalidAnswerError(str(CONTROL_CHARACTER_MESSAGE)) from None
    if len(result) > limit:
        raise _InvalidAnswerError(
            _("Use at most %(limit)s characters (this has %(count)s).")
            % {"limit": limit, "count": len(result)}
        )
    return result


def _date(value: Any) -> str:
    parsed: date | None = value if isinstance(value, date) else None
    if isinstance(value, str) and ISO_DATE.match(value.strip()):
        with contextlib.suppress(ValueError):  # 2026-02-30 matches the pattern
            parsed = date.fromisoformat(value.strip())
    if parsed is None:
        raise _InvalidAnswerError(_("Enter a real date as YYYY-MM-DD, for example 2026-03-01."))
    try:
        DateRangeValidator()(parsed)  # the same plausible range as every form's date field
    except ValidationError as exc:
        raise _InvalidAnswerError(" ".join(exc.messages)) from None
    return parsed.isoformat()


def _clean_number(item: dict[str, Any], value: Any) -> int | float:
    number = _number(value)
    decimals = item.get("decimals", 0)
    if _decimals(number) > decimals:
        if decimals == 0:
            raise _InvalidAnswerError(_("Enter a whole number."))
        raise _InvalidAnswerError(_("Use at most %(count)s decimals.") % {"count": decimals})
    low, high = item.get("min"), item.get("max")
    if low is not None and high is not None and not low <= number <= high:
        raise _InvalidAnswerError(
            _("%(value)s is outside the allowed range %(min)s–%(max)s.")
            % {"value": _fmt(number), "min": _fmt(low), "max": _fmt(high)}
        )
    if low is not None and number < low:
        raise _InvalidAnswerError(_("The lowest allowed value is %(min)s.") % {"min": _fmt(low)})
    if high is not None and number > high:
        raise _InvalidAnswerError(_("The highest allowed value is %(max)s.") % {"max": _fmt(high)})
    return int(number) if decimals == 0 else float(number)


def _clean_scale(item: dict[str, Any], value: Any) -> int:
    number = _number(value)
    if _decimals(number) > 0:
        raise _InvalidAnswerError(_("Choose a whole number on the scale."))
    if not item["min"] <= number <= item["max"]:
        raise _InvalidAnswerError(
            _("%(value)s is outside the scale %(min)s–%(max)s.")
            % {"value": _fmt(number), "min": item["min"], "max": item["max"]}
        )
    return int(number)


def _clean_vas(value: Any) -> float:
    number = _number(value)
    if not 0 <= number <= 10:
        raise _InvalidAnswerError(
            _("%(value)s is outside the line 0–10.") % {"value": _fmt(number)}
        )
    if _decimals(number) > 1:
        raise _InvalidAnswerError(_("Use at most one decimal, for example 6.5."))
    return float(number)


def _clean_choice(item: dict[str, Any], value: Any) -> str:
    values = [o["value"] for o in item["options"]]
    if str(value) not in values:
        raise _InvalidAnswerError(_("“%(value)s” is not one of the options.") % {"value": value})
    return str(value)


def _clean_multiple(item: dict[str, Any], value: Any, complete: bool) -> list[str]:
    chosen = value if isinstance(value, list) else [value]
    allowed = [o["value"] for o in item["options"]]
    unknown = [str(v) for v in chosen if str(v) not in allowed]
    if unknown:
        raise _InvalidAnswerError(
            _("“%(value)s” is not one of the options.") % {"value": unknown[0]}
        )
    # Stored in the order of the options, each once.
    result = [v for v in allowed if v in {str(c) for c in chosen}]
    max_choices = item.get("max_choices")
    if max_choices is not None and len(result) > max_choices:
        raise _InvalidAnswerError(
            _("Choose at most %(count)s (you chose %(chosen)s).")
            % {"count": max_choices, "chosen": len(result)}
        )
    min_choices = item.get("min_choices")
    if complete and min_choices and len(result) < min_choices:
        raise _InvalidAnswerError(_("Choose at least %(count)s.") % {"count": min_choices})
    return result


def _clean_day_grid(item: dict[str, Any], value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise _InvalidAnswerError(_("Give the day as one text per hour."))
    hours = {f"{h:02d}" for h in range(item.get("start_hour", 6), item.get("end_hour", 23) + 1)}
    result: dict[str, str] = {}
    for hour in sorted(value):
        label = str(hour).zfill(2)
        if label not in hours:
            raise _InvalidAnswerError(_("%(hour)s is not an hour of this day.") % {"hour": hour})
        if _blank(value[hour]):
            continue
        try:
            result[label] = _text(value[hour], DAY_GRID_TEXT_MAX)
        except _InvalidAnswerError as exc:
            raise _InvalidAnswerError(f"{label}:00 – {exc}") from None
    return result


def _clean_rows(item: dict[str, Any], value: Any, complete: bool) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise _InvalidAnswerError(_("Give the rows as a list."))
    columns = item["columns"]
    problems: list[str] = []
    rows: list[dict[str, Any]] = []
    for number, raw in enumerate(value, start=1):
        if not isinstance(raw, dict):
            problems.append(_("Row %(row)s is not a row.") % {"row": number})
            continue
        row: dict[str, Any] = {}
        for column in columns:
            cell = raw.get(column["key"])
            if _blank(cell):
                continue
            try:
                row[column["key"]] = _clean_cell(column["type"], cell)
            except _InvalidAnswerError as exc:
                problems.append(
                    _("Row %(row)s, %(column)s: %(problem)s")
                    % {"row": number, "column": _column_label(column), "problem": exc}
                )
        if row:
            rows.append(row)
    if problems:
        raise _InvalidAnswerError(" ".join(problems))
    max_rows = item.get("max_rows")
    if max_rows is not None and len(rows) > max_rows:
        raise _InvalidAnswerError(_("Use at most %(count)s rows.") % {"count": max_rows})
    min_rows = item.get("min_rows")
    if complete and min_rows and len(rows) < min_rows:
        raise _InvalidAnswerError(_("Fill in at least %(count)s rows.") % {"count": min_rows})
    return rows


def _column_label(column: dict[str, Any]) -> str:
    return text(column["label"], get_language())


def _clean_cell(column_type: str, value: Any) -> Any:
    if column_type == "number":
        number = _number(value)
        return int(number) if _decimals(number) == 0 else float(number)
    if column_type == "date":
        return _date(value)
    limit = SHORT_TEXT_MAX if column_type == "short_text" else LONG_TEXT_MAX
    return _text(value, limit)


def clean_answer(item: dict[str, Any], value: Any, *, complete: bool = False) -> Any:
    """One answer in its stored form; raises ``ValueError`` with a message for the user."""
    item_type = item["type"]
    if item_type == "scale":
        return _clean_scale(item, value)
    if item_type == "vas":
        return _clean_vas(value)
    if item_type == "number":
        return _clean_number(item, value)
    if item_type == "single_choice":
        return _clean_choice(item, value)
    if item_type == "multiple_choice":
        return _clean_multiple(item, value, complete)
    if item_type == "yes_partly_no":
        if str(value) not in YES_PARTLY_NO:
            raise _InvalidAnswerError(_("Answer yes, partly or no."))
        return str(value)
    if item_type == "date":
        return _date(value)
    if item_type == "short_text":
        return _text(value, item.get("max_length", SHORT_TEXT_MAX))
    if item_type == "long_text":
        return _text(value, item.get("max_length", LONG_TEXT_MAX))
    if item_type == "day_grid":
        return _clean_day_grid(item, value)
    if item_type == "repeating_rows":
        return _clean_rows(item, value, complete)
    raise _InvalidAnswerError(_("This kind of question cannot be answered here."))


def clean_answers(
    definition: dict[str, Any], answers: dict[str, Any], *, complete: bool
) -> dict[str, Any]:
    """Every answer in stored form, or ``InvalidAnswersError`` listing each item's problem.

    ``complete`` (submitting) also requires every required item; keys that are not items of
    the definition are dropped.
    """
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for item in iter_items(definition):
        key = item["key"]
        value = answers.get(key)
        if not _blank(value):
            try:
                value = clean_answer(item, value, complete=complete)
            except _InvalidAnswerError as exc:
                errors[key] = [str(exc)]
                continue
        if _blank(value):
            if complete and item.get("required"):
                errors[key] = [_("This question needs an answer.")]
            continue
        cleaned[key] = value
    if errors:
        raise InvalidAnswersError(errors)
    return cleaned
