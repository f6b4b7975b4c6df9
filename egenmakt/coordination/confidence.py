"""What the client sees of what a relative said: only what was agreed in the interview.

RACT lets the case managers interview a relative alone and agree with the client
beforehand how much of it the client will see (``relative_interview``: everything, a
summary written for the client, or the parts agreed on). The relative's rating of their
own strain (``relative_rating``) is never shown to the client unless that was agreed too.

``client_copies`` is the one place this is decided. Every output the client reads goes
through it: the portal's worksheet pages and ORS chart (``portal.selectors``), and the
client's copy of the binder (``export.binder.collect_binder`` with ``viewer=None``), which
is what the PDF, the JSON, the FHIR bundle and the client's copy of their data
(``personal_data.export_client_record``) are made of. Staff copies are not narrowed: the
case managers held the interview.

A sheet is a relative's words when it is the interview with a relative, or was answered by
a relative (``respondent_kind``). Which relative it was is ``StepRecord.relative``; their
agreement is the newest submitted interview with that same relative. No agreement — an
interview not yet held, a sheet not tied to a contact, a contact since removed — shows
nothing (fail closed).

A narrowed copy carries both its answers and its definition cut down to what may be read,
so every renderer (``instruments.display``, the FHIR and JSON exports) shows exactly that
and nothing else, not even the unanswered questions. It is marked as a copy and cannot be
saved (``instruments.models.Response.save``).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from egenmakt.instruments.models import RespondentKind, Response

from .models import StepRecord

INTERVIEW = "relative_interview"
# The agreement, as items of the interview (version 2; version 1 asked ``client_sees`` only).
SEES_ITEM = "client_sees"
SUMMARY_ITEM = "client_summary"
PARTS_ITEM = "agreed_parts"
RATING_ITEM = "rating_shared"
SEES_ALL, SEES_SUMMARY, SEES_PARTS = "all", "summary", "agreed_parts"
# What the client always reads of an interview shown to them: who was interviewed and
# what was agreed (the agreement is the client's as much as the relative's).
SETTING_ITEMS = frozenset({"relation", SEES_ITEM, RATING_ITEM})
# The relative's rating of their own strain: shown only when that was agreed.
STRAIN_SHEETS = frozenset({"relative_rating"})
# An agreed part that stands for the relative's own answers about the client's everyday
# life (``everyday_life_relative``), which are not sections of the interview.
RATINGS_PART = "ratings"


@dataclass(frozen=True)
class Agreement:
    sees: str  # SEES_ALL, SEES_SUMMARY, SEES_PARTS, or "" when nothing was agreed
    summary: str = ""
    parts: frozenset[str] = frozenset()
    rating: bool = False

    @classmethod
    def of(cls, interview: Response | None) -> Agreement:
        if interview is None:
            return NOTHING_AGREED
        answers = interview.answers or {}
        parts = answers.get(PARTS_ITEM) or []
        return cls(
            sees=str(answers.get(SEES_ITEM) or ""),
            summary=str(answers.get(SUMMARY_ITEM) or "").strip(),
            parts=frozenset(str(p) for p in parts) if isinstance(parts, list) else frozenset(),
            rating=answers.get(RATING_ITEM) == "yes",
        )


NOTHING_AGREED = Agreement(sees="")


def is_relatives_words(record: StepRecord) -> bool:
    response = record.response
    if response is None:
        return False
    return (
        response.definition.key == INTERVIEW or response.respondent_kind == RespondentKind.RELATIVE
    )


def _narrowed(response: Response, keep: set[str] | None) -> Response:
    """A copy of ``response`` holding only the items in ``keep`` (``None``: all)."""
    shown = copy.copy(response)
    definition = copy.copy(response.definition)
    content = copy.deepcopy(response.definition.definition)
    answers = dict(response.answers or {})
    if keep is not None:
        for section in content["sections"]:
            section["items"] = [i for i in section["items"] if i["key"] in keep]
        content["sections"] = [s for s in content["sections"] if s["items"]]
        answers = {k: v for k, v in answers.items() if k in keep}
        shown.scores = {}
    definition.definition = content
    shown.definition = definition
    shown.answers = answers
    shown.client_copy = True  # type: ignore[attr-defined]
    return shown


def _interview_copy(response: Response, agreement: Agreement) -> Response | None:
    if agreement.sees == SEES_ALL:
        return _narrowed(response, None)
    if agreement.sees == SEES_SUMMARY:
        # Only the summary; an interview whose summary is not written yet shows that it was
        # held and what was agreed, nothing of what was said.
        return _narrowed(response, {*SETTING_ITEMS, SUMMARY_ITEM})
    if agreement.sees == SEES_PARTS:
        keep = {*SETTING_ITEMS, PARTS_ITEM}
        for section in response.definition.definition["sections"]:
            if section["key"] in agreement.parts:
                keep.update(item["key"] for item in section["items"])
        return _narrowed(response, keep)
    return None


def _copy_for_client(record: StepRecord, agreement: Agreement) -> Response | None:
    response = record.response
    assert response is not None  # noqa: S101 - only records with a response come here
    key = response.definition.key
    if key == INTERVIEW:
        return _interview_copy(response, agreement)
    if key in STRAIN_SHEETS:
        return _narrowed(response, None) if agreement.rating else None
    if agreement.sees == SEES_ALL or (
        agreement.sees == SEES_PARTS and RATINGS_PART in agreement.parts
    ):
        return _narrowed(response, None)
    return None


def agreements(client_id: int) -> dict[int | None, Agreement]:
    """Each relative's agreement (by contact id): their newest submitted interview's."""
    rows = (
        StepRecord.objects.filter(
            client_id=client_id,
            relative__isnull=False,
            response__definition__key=INTERVIEW,
            response__status="submitted",
        )
        .select_related("response")
        .order_by("done_on", "id")
    )
    found: dict[int | None, Agreement] = {}
    for row in rows:  # oldest first: the newest wins
        found[row.relative_id] = Agreement.of(row.response)
    return found


def client_copies(records: Sequence[StepRecord]) -> list[StepRecord]:
    """``records`` (one client's, with ``response__definition`` loaded) as the client may
    read them: a relative's sheet narrowed to what was agreed, or left out. The records
    returned are copies whose ``response`` is the narrowed one; the others are unchanged.

    One query for the agreements when any record is a relative's words, none otherwise.
    """
    if not any(is_relatives_words(r) for r in records):
        return list(records)
    agreed = agreements(records[0].client_id)
    shown: list[StepRecord] = []
    for record in records:
        if not is_relatives_words(record):
            shown.append(record)
            continue
        response = record.response
        assert response is not None  # noqa: S101 - is_relatives_words checked it
        if response.definition.key == INTERVIEW:
            agreement = Agreement.of(response)  # an interview carries its own agreement
        elif record.relative_id is None:
            agreement = NOTHING_AGREED  # whose words is unknown: no agreement applies
        else:
            agreement = agreed.get(record.relative_id, NOTHING_AGREED)
        narrowed = _copy_for_client(record, agreement)
        if narrowed is None:
            continue
        record_copy = copy.copy(record)
        record_copy.response = narrowed
        shown.append(record_copy)
    return shown


def client_responses(records: Iterable[StepRecord]) -> list[Response]:
    """The responses of ``records`` as the client may read them (see ``client_copies``)."""
    return [r.response for r in client_copies(list(records)) if r.response is not None]
