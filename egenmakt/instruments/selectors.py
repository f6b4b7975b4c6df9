"""Read queries for instruments and responses, with their joins done (constant query count)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, QuerySet
from django.http import Http404

from egenmakt.accounts.types import Viewer

from .models import InstrumentDefinition, Response, ResponseStatus
from .subjects import SubjectAction, get_subject_for_user, may_read_response


@dataclass(frozen=True)
class InstrumentSummary:
    """One instrument with its versions, newest first."""

    key: str
    versions: Sequence[InstrumentDefinition]

    @property
    def current(self) -> InstrumentDefinition:
        return self.versions[0]


def definition_versions() -> QuerySet[InstrumentDefinition]:
    return (
        InstrumentDefinition.objects.select_related("created_by")
        .annotate(response_count=Count("responses"))
        .order_by("key", "-version")
    )


def instrument_summaries() -> list[InstrumentSummary]:
    grouped: dict[str, list[InstrumentDefinition]] = {}
    for row in definition_versions():
        grouped.setdefault(row.key, []).append(row)
    summaries = [InstrumentSummary(key, rows) for key, rows in grouped.items()]
    return sorted(summaries, key=lambda s: s.current.title().casefold())


def current_definition(key: str) -> InstrumentDefinition:
    """The newest version of an instrument, the one new responses are given on."""
    row = InstrumentDefinition.objects.filter(key=key).order_by("-version").first()
    if row is None:
        raise Http404
    return row


def get_response_for_user(
    user: Viewer, response_id: Any, action: SubjectAction = "view"
) -> Response:
    """The response, or 404 when it is missing or its subject is outside the user's reach."""
    try:
        response = (
            Response.objects.select_related("definition", "subject_type", "entered_by")
            .defer("definition__definition")
            .filter(pk=int(response_id))
            .first()
        )
    except (TypeError, ValueError):
        response = None
    if response is None:
        raise Http404
    subject = get_subject_for_user(user, response.subject_type, response.subject_id, action)
    if not may_read_response(user, subject, response):
        raise Http404
    # Fill the generic relation's cache so templates do not load the subject again.
    response._meta.get_field("subject").set_cached_value(response, subject)
    return response


def responses_about(subject: models.Model) -> QuerySet[Response]:
    """Every response about a subject; callers have checked access to the subject."""
    content_type = ContentType.objects.get_for_model(subject, for_concrete_model=True)
    return Response.objects.filter(subject_type=content_type, subject_id=str(subject.pk))


def submitted_responses(subject: models.Model, key: str) -> QuerySet[Response]:
    """Submitted responses to any version of instrument ``key``, oldest first (for charts)."""
    return (
        responses_about(subject)
        .filter(definition__key=key, status=ResponseStatus.SUBMITTED)
        .select_related("definition")
        .defer("definition__definition")
        .order_by("answered_on", "submitted_at", "id")
    )


def drafts(subject: models.Model, key: str) -> QuerySet[Response]:
    return (
        responses_about(subject)
        .filter(definition__key=key, status=ResponseStatus.DRAFT)
        .select_related("definition", "entered_by")
        .defer("definition__definition")
        .order_by("-updated_at")
    )
