"""The words of the definition format: item and respondent kinds, the limits every
instrument shares, a problem found in a file, and the two helpers every reader of a
stored definition uses (``text`` and ``iter_items``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

from django.utils.translation import gettext as _

KEY_PATTERN = r"^[a-z0-9_]+$"
RESPONDENT_KINDS = ("client", "relative", "staff", "applicant", "peer_supporter")
ITEM_TYPES = (
    "scale",
    "vas",
    "single_choice",
    "multiple_choice",
    "yes_partly_no",
    "number",
    "date",
    "short_text",
    "long_text",
    "day_grid",
    "repeating_rows",
)
ROW_COLUMN_TYPES = ("short_text", "long_text", "number", "date")
YES_PARTLY_NO = ("yes", "partly", "no")
DEFAULT_YES_PARTLY_NO_SCORES = {"yes": 2, "partly": 1, "no": 0}
SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 10000
# Item types whose answer has a numeric score (see scoring.item_score).
SCORED_TYPES = ("scale", "vas", "single_choice", "multiple_choice", "yes_partly_no", "number")
# Item types whose answer values can be counted (method: count).
COUNTABLE_TYPES = ("scale", "single_choice", "multiple_choice", "yes_partly_no")


class Problem(NamedTuple):
    """One thing wrong with a definition file; ``line`` is 1-based, None when unknown."""

    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = _("line %(line)s") % {"line": self.line} if self.line else _("(no line)")
        return (
            f"{where}: {self.path or '/'}: {self.message}"
            if self.path
            else f"{where}: {self.message}"
        )


class DefinitionError(ValueError):
    """A definition that cannot be used; ``problems`` lists every reason found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.line or 0, p.path))
        super().__init__("\n".join(str(p) for p in self.problems))


def text(value: dict[str, str] | None, language: str | None) -> str:
    """The text of a ``{sv, en}`` mapping in ``language`` (falling back to Swedish)."""
    if not value:
        return ""
    lang = (language or "sv").split("-")[0]
    return value.get(lang) or value.get("sv") or next(iter(value.values()), "")


def iter_items(definition: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every item of a definition, in order."""
    for section in definition["sections"]:
        yield from section["items"]
