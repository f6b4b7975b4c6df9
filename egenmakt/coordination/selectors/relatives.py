"""Reads about relatives' own answers: the links sent, and the comparison of the client's
own rating of everyday life with each relative's (the follow-up page).

The comparison (RACT, domain.md 2.3): "Hur fungerar vardagen?" is rated by the client
(``everyday_life_self``) and by a relative or staff (``everyday_life_relative``) on the
same items, so each item can be set side by side and followed at each repeat.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import get_language, pgettext

from egenmakt.coordination.access import ClientAccess, visible_q
from egenmakt.coordination.models import Client, RelativeLink, StepRecord
from egenmakt.instruments.models import InstrumentDefinition, Response
from egenmakt.instruments.selectors import find_current_definition

SELF_SHEET = "everyday_life_self"
OTHER_SHEET = "everyday_life_relative"


def links_for(access: ClientAccess, client: Client) -> list[RelativeLink]:
    """The links sent to the client's relatives that this access reads, newest first."""
    return list(
        RelativeLink.objects.filter(client=client)
        .filter(visible_q(access, has_shared_flag=False))
        .select_related("contact", "definition", "sent_by", "organisation")
        .defer("definition__definition")
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class Rating:
    """One submitted rating of everyday life: whose, when, the answers."""

    who: str  # the relative's name and relationship, or the kind of respondent
    source: tuple[str, int | str]  # what groups the repeats of one rater
    answered_on: date
    answers: dict[str, Any]
    response: Response


@dataclass(frozen=True)
class ComparisonRow:
    """One item: the client's value, the other rater's, and the difference kept as data
    (the other rater's value minus the client's: positive when the relative thinks it
    works better than the client does)."""

    key: str
    label: str
    client_value: int | None
    other_value: int | None

    @property
    def difference(self) -> int | None:
        if self.client_value is None or self.other_value is None:
            return None
        return self.other_value - self.client_value


@dataclass(frozen=True)
class Comparison:
    """The client's newest self-rating beside one other rater's newest rating."""

    client: Rating | None
    other: Rating
    rows: list[ComparisonRow]


@dataclass
class EverydayLife:
    items: list[tuple[str, str]] = field(default_factory=list)  # (key, label), sheet order
    comparisons: list[Comparison] = field(default_factory=list)
    # The sheet over time: the client's ratings, then each other rater's, oldest first.
    columns: list[Rating] = field(default_factory=list)
    # (label, values in the order of ``columns``)
    over_time: list[tuple[str, list[Any]]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.columns


def _scale_items(definition: InstrumentDefinition | None, language: str) -> list[tuple[str, str]]:
    if definition is None:
        return []
    items = []
    for section in definition.definition.get("sections", []):
        for item in section.get("items", []):
            if item.get("type") == "scale":
                label = item["label"].get(language) or item["label"]["sv"]
                items.append((item["key"], label))
    return items


def _who(record: StepRecord, response: Response) -> tuple[str, tuple[str, int | str]]:
    if record.relative is not None:
        return (
            f"{record.relative.name} ({record.relative.relationship})",
            ("contact", record.relative.pk),
        )
    return str(response.get_respondent_kind_display()), ("kind", response.respondent_kind)


def _as_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def everyday_life(access: ClientAccess, client: Client) -> EverydayLife:
    """The client's and the other raters' ratings of everyday life, item by item.

    Two queries for the ratings and one for the definition, however many repeats.
    """
    language = (get_language() or "sv")[:2]
    records = list(
        StepRecord.objects.filter(
            client=client,
            response__definition__key__in=[SELF_SHEET, OTHER_SHEET],
            response__status="submitted",
        )
        .filter(visible_q(access, has_shared_flag=True))
        .select_related("response__definition", "relative")
        .defer("response__definition__definition")
        .order_by("response__answered_on", "response__id")
    )
    definition = find_current_definition(SELF_SHEET, client.organisation)
    result = EverydayLife(items=_scale_items(definition, language))
    own: list[Rating] = []
    others: dict[tuple[str, int | str], list[Rating]] = {}
    for record in records:
        response = record.response
        if response is None:
            continue
        if response.definition.key == SELF_SHEET:
            rating = Rating(
                pgettext("everyday life rater", "The client"),
                ("client", 0),
                response.answered_on,
                response.answers,
                response,
            )
            own.append(rating)
        else:
            who, source = _who(record, response)
            rating = Rating(who, source, response.answered_on, response.answers, response)
            others.setdefault(source, []).append(rating)
    latest_own = own[-1] if own else None
    for ratings in others.values():
        latest = ratings[-1]
        result.comparisons.append(
            Comparison(
                latest_own,
                latest,
                [
                    ComparisonRow(
                        key,
                        label,
                        _as_int(latest_own.answers.get(key)) if latest_own else None,
                        _as_int(latest.answers.get(key)),
                    )
                    for key, label in result.items
                ],
            )
        )
    result.columns = own + [rating for ratings in others.values() for rating in ratings]
    result.over_time = [
        (label, [_as_int(column.answers.get(key)) for column in result.columns])
        for key, label in result.items
    ]
    return result
