"""Read queries for instruments and responses, with their joins done (constant query count)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from egenmakt.accounts.types import Viewer

from .models import InstrumentDefinition, Response, ResponseStatus
from .subjects import SubjectAction, get_subject_for_user, may_read_response

if TYPE_CHECKING:
    from egenmakt.accounts.models import Organisation


# --- Which version applies -----------------------------------------------------------------
#
# A version belongs to an organisation (its upload) or to nobody (shipped with Egenmakt). For
# an organisation the version that applies is the newest one owned by the nearest
# organisation on the path from it up to its root, else the newest shipped one: a region's
# upload applies to its networks and units, never to a sibling or another region.


def _ancestor_ids(path: str) -> list[int]:
    """The ids on a materialised path, nearest first ("/1/4/9/" -> [9, 4, 1])."""
    return [int(part) for part in reversed(path.strip("/").split("/")) if part]


def _pick(
    rows: Iterable[InstrumentDefinition], key: str, ancestors: list[int]
) -> InstrumentDefinition | None:
    """From candidate rows newest first: the nearest owner's newest, else the shipped one."""
    newest: dict[int | None, InstrumentDefinition] = {}
    for row in rows:
        if row.key == key:
            newest.setdefault(row.organisation_id, row)
    for organisation_id in ancestors:
        if organisation_id in newest:
            return newest[organisation_id]
    return newest.get(None)


def _candidates(keys: Iterable[str], ancestors: Iterable[int]) -> list[InstrumentDefinition]:
    """Every version of ``keys`` shipped or owned by one of ``ancestors``, newest first:
    one query; the content comes from the process's cache by checksum when read."""
    owners = Q(organisation__isnull=True)
    ids = set(ancestors)
    if ids:
        owners |= Q(organisation_id__in=ids)
    return list(InstrumentDefinition.objects.filter(owners, key__in=set(keys)).order_by("-version"))


def current_definitions(
    keys: Iterable[str], organisation: Organisation | None
) -> dict[str, InstrumentDefinition]:
    """The version of each of ``keys`` that applies to ``organisation`` (None: the
    shipped versions), in one query; keys with no version are left out."""
    keys = list(keys)
    ancestors = _ancestor_ids(organisation.path) if organisation is not None else []
    rows = _candidates(keys, ancestors)
    found = {key: _pick(rows, key, ancestors) for key in keys}
    return {key: row for key, row in found.items() if row is not None}


def definitions_for_paths(
    keys: Iterable[str], paths: Iterable[str]
) -> dict[tuple[str, str], InstrumentDefinition]:
    """``current_definitions`` for many organisations at once (by their paths), in one
    query: {(path, key): version} (a caseload of clients of several organisations)."""
    keys, paths = list(keys), set(paths)
    ancestors = {path: _ancestor_ids(path) for path in paths}
    rows = _candidates(keys, {i for ids in ancestors.values() for i in ids})
    found: dict[tuple[str, str], InstrumentDefinition] = {}
    for path, ids in ancestors.items():
        for key in keys:
            row = _pick(rows, key, ids)
            if row is not None:
                found[(path, key)] = row
    return found


def find_current_definition(
    key: str, organisation: Organisation | None
) -> InstrumentDefinition | None:
    """The version of ``key`` that new responses about ``organisation``'s subjects are
    given on, or None when the instrument is not installed."""
    return current_definitions([key], organisation).get(key)


def current_definition(key: str, organisation: Organisation | None) -> InstrumentDefinition:
    """``find_current_definition``, or 404 when the instrument is not installed."""
    row = find_current_definition(key, organisation)
    if row is None:
        raise Http404
    return row


def applies_to(definition: InstrumentDefinition, organisation: Organisation | None) -> bool:
    """Whether ``definition`` may be used for ``organisation``'s subjects at all: shipped,
    or owned by the organisation or one above it (never a sibling's or another region's)."""
    if definition.organisation_id is None:
        return True
    return organisation is not None and definition.organisation_id in _ancestor_ids(
        organisation.path
    )


# --- The instrument list ----------------------------------------------------------------------


@dataclass(frozen=True)
class InstrumentSummary:
    """One instrument with the versions a viewer may see, newest first, and which of them
    applies to each of the viewer's organisations."""

    key: str
    versions: Sequence[InstrumentDefinition]
    # (organisation, the version that applies there) for each of the viewer's organisations.
    applies: Sequence[tuple[Organisation, InstrumentDefinition]] = ()

    @property
    def current(self) -> InstrumentDefinition:
        """The version that applies in the viewer's first organisation, else the newest."""
        return self.applies[0][1] if self.applies else self.versions[0]

    @property
    def applying_ids(self) -> set[int]:
        return {row.pk for _organisation, row in self.applies}


def definition_versions(owners: Q | None = None) -> QuerySet[InstrumentDefinition]:
    """Every version with its owner and number of responses; with ``owners``, only the
    shipped ones and those whose owner matches it."""
    rows = InstrumentDefinition.objects.select_related("created_by", "organisation").annotate(
        response_count=Count("responses")
    )
    if owners is not None:
        rows = rows.filter(Q(organisation__isnull=True) | owners)
    return rows.order_by("key", "-version")


def _owners_visible_from(organisations: Sequence[Organisation]) -> Q:
    """The owners whose versions the holder of ``organisations`` sees: those above each
    (their versions apply there) and those below (their versions are overseen there)."""
    above = {i for o in organisations for i in _ancestor_ids(o.path)}
    owners = Q(organisation_id__in=above)
    for organisation in organisations:
        owners |= Q(organisation__path__startswith=organisation.path)
    return owners


def instrument_summaries(
    organisations: Sequence[Organisation] | None = None,
) -> list[InstrumentSummary]:
    """The instruments as the holder of ``organisations`` sees them (one query): the
    shipped versions and those owned by these organisations, the ones above them and the
    units below them (never a sibling's or another region's); for each, the version that
    applies in each of ``organisations``. ``None``: every version (a superuser)."""
    owners = None if organisations is None else _owners_visible_from(organisations)
    grouped: dict[str, list[InstrumentDefinition]] = {}
    for row in definition_versions(owners):
        grouped.setdefault(row.key, []).append(row)
    summaries = []
    for key, versions in grouped.items():
        applies = []
        for organisation in organisations or ():
            applying = _pick(versions, key, _ancestor_ids(organisation.path))
            if applying is not None:
                applies.append((organisation, applying))
        summaries.append(InstrumentSummary(key, versions, applies))
    return sorted(summaries, key=lambda s: s.current.title().casefold())


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
