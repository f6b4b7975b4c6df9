"""The one way to write the access log."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from egenmakt.accounts.types import Viewer
from egenmakt.core.context import current_request_context
from egenmakt.core.network import client_ip

from .models import AccessLog, Action, EmergencyAccess, Outcome, Verdict

if TYPE_CHECKING:
    from egenmakt.accounts.models import User

MAX_PATH = 300
MAX_REASON = 500


def _client_ip(request: HttpRequest | None) -> str | None:
    """The client's address; an address that is not one (a unix socket's '') is left out.

    X-Forwarded-For counts only as far as TRUSTED_PROXY_HOPS says (core/network.py): the
    entries a client adds itself are never read.
    """
    return client_ip(request)


def _one_line(text: str, limit: int) -> str:
    """Control and bidi characters become spaces so a row cannot forge another (ASVS 16.4.1)."""
    return "".join(ch if ch.isprintable() else " " for ch in text).strip()[:limit]


def _new_row(
    *,
    request: HttpRequest | None,
    actor: Viewer | None,
    action: str,
    obj: models.Model | None,
    organisation: models.Model | None,
    outcome: str = Outcome.ALLOWED,
    reason: str = "",
    emergency: bool = False,
) -> AccessLog:
    """An unsaved row with everything but the person, checked and cleaned."""
    if action not in Action.values:
        raise ValueError(f"Unknown access-log action: {action!r}")
    if outcome not in Outcome.values:
        raise ValueError(f"Unknown access-log outcome: {outcome!r}")
    if actor is None and request is not None:
        actor = request.user
    signed_in = cast("User", actor) if getattr(actor, "is_authenticated", False) else None
    if request is not None:
        path, ip_address = request.path, _client_ip(request)
    else:
        # A service called inside a request: the middleware put path and address here.
        context = current_request_context()
        path, ip_address = context.path, context.ip_address
    row = AccessLog(
        actor=signed_in,
        action=action,
        outcome=outcome,
        organisation_id=organisation.pk if organisation is not None else None,
        reason=_one_line(reason, MAX_REASON),
        emergency=emergency,
        path=_one_line(path, MAX_PATH),
        ip_address=ip_address,
    )
    if obj is not None:
        row.object_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
        row.object_id = str(obj.pk)
    return row


def log_access(
    *,
    request: HttpRequest | None = None,
    actor: Viewer | None = None,
    action: str = Action.VIEW,
    person: models.Model | None = None,
    obj: models.Model | None = None,
    organisation: models.Model | None = None,
    outcome: str = Outcome.ALLOWED,
    reason: str = "",
    emergency: bool = False,
) -> AccessLog:
    """Write one access-log row and return it.

    Call it *before* showing personal data: if the row cannot be written the exception
    propagates and the data is not shown (fail closed, ASVS 16.5.3). Only identifiers are
    stored, never the data itself (ASVS 16.2.5); the page path is kept without its query
    string so search terms never reach the log. The time is set by the database row's
    ``auto_now_add`` in UTC; callers cannot backdate a row.
    """
    row = _new_row(
        request=request,
        actor=actor,
        action=action,
        obj=obj,
        organisation=organisation,
        outcome=outcome,
        reason=reason,
        emergency=emergency,
    )
    if person is not None:
        row.person_type = ContentType.objects.get_for_model(person, for_concrete_model=True)
        row.person_id = str(person.pk)
    row.save(force_insert=True)
    return row


# A person named by the kind of record and its id, for rows written without loading the
# person (the auditor's search by id, a list of emergency accesses, the admin's foreign keys).
PersonKey = tuple[ContentType, Any]


def _person_key_of(person: models.Model | PersonKey) -> tuple[ContentType, str]:
    if isinstance(person, models.Model):
        return ContentType.objects.get_for_model(person, for_concrete_model=True), str(person.pk)
    content_type, person_id = person
    return content_type, _one_line(str(person_id), 64)


def people_by_id(model: type[models.Model], ids: Iterable[Any]) -> list[PersonKey]:
    """People of one kind named by id (``participant.application_id``...), without a query."""
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=True)
    return [(content_type, pk) for pk in ids if pk is not None]


def log_list_access(
    *,
    request: HttpRequest | None = None,
    actor: Viewer | None = None,
    people: Iterable[models.Model | PersonKey],
    action: str = Action.VIEW,
    obj: models.Model | None = None,
    organisation: models.Model | None = None,
    reason: str = "",
    emergency: bool = False,
) -> list[AccessLog]:
    """Write one access-log row for each distinct person a page shows, in one INSERT.

    PDL 4 kap. 3 § and HSLF-FS 2016:40 4 kap. 9 § ask that the log show whose data each
    user took part of; a list that names twenty clients discloses twenty people, so a
    single row without a person would not answer "who has seen me?" for any of them (the
    client's own log extract, 4 kap. 10 §, is built from the person column). Pass only the
    people actually on the page (after pagination or a search limit).

    A page that shows nobody still writes one row without a person, so the visit and its
    search are recorded and the page's query count does not depend on what it found. Call
    it before rendering: if the rows cannot be written, the page is not shown (ASVS 16.5.3).
    Inserted in one statement (PostgreSQL; SQLite splits beyond about 70 rows).
    """
    shown: dict[tuple[int, str], tuple[ContentType, str]] = {}
    for person in people:
        content_type, person_id = _person_key_of(person)
        shown.setdefault((content_type.pk, person_id), (content_type, person_id))
    # Nobody shown: one row without a person.
    keys: list[tuple[ContentType | None, str]] = [*shown.values()] or [(None, "")]
    rows = []
    for kind, person_id in keys:
        row = _new_row(
            request=request,
            actor=actor,
            action=action,
            obj=obj,
            organisation=organisation,
            reason=reason,
            emergency=emergency,
        )
        if kind is not None:
            row.person_type = kind
            row.person_id = person_id
        rows.append(row)
    return AccessLog.objects.bulk_create(rows)


class Refused(PermissionDenied):
    """A refusal of an act other than reading (an export, a change): ``handler403`` writes
    the denied row with this action instead of "view"."""

    def __init__(self, reason: str = "", *, action: str = Action.VIEW) -> None:
        super().__init__(reason)
        self.action = action


def log_denied(
    request: HttpRequest,
    *,
    reason: str = "",
    obj: models.Model | None = None,
    action: str = Action.VIEW,
) -> AccessLog:
    """Record a refused request (ASVS 16.3.2: failed authorisation is logged)."""
    return log_access(
        request=request, action=action, outcome=Outcome.DENIED, obj=obj, reason=reason
    )


# --- Emergency access (break the glass) -------------------------------------------------------

EMERGENCY_MINUTES_DEFAULT = 120
MIN_REASON_LENGTH = 10


def emergency_minutes() -> int:
    return int(getattr(settings, "EMERGENCY_ACCESS_MINUTES", EMERGENCY_MINUTES_DEFAULT))


def _person_key(person: models.Model) -> tuple[ContentType, str]:
    return ContentType.objects.get_for_model(person, for_concrete_model=True), str(person.pk)


@transaction.atomic
def grant_emergency_access(*, actor: User, person: models.Model, reason: str) -> EmergencyAccess:
    """Open a person's record for ``actor`` for a limited time, with the reason given.

    The grant and its access-log row are written together; the auditor sees the grant
    flagged until it has been reviewed.
    """
    reason = _one_line(reason, MAX_REASON)
    if len(reason) < MIN_REASON_LENGTH:
        raise ValueError("An emergency access needs a written reason.")
    person_type, person_id = _person_key(person)
    grant = EmergencyAccess.objects.create(
        actor=actor,
        person_type=person_type,
        person_id=person_id,
        reason=reason,
        expires_at=timezone.now() + timedelta(minutes=emergency_minutes()),
    )
    log_access(
        actor=actor,
        action=Action.VIEW,
        person=person,
        obj=grant,
        reason=reason,
        emergency=True,
    )
    return grant


def active_emergency_access(actor: Viewer, person: models.Model) -> EmergencyAccess | None:
    """The actor's running emergency access to this person, if any."""
    if not getattr(actor, "is_authenticated", False):
        return None
    person_type, person_id = _person_key(person)
    return (
        EmergencyAccess.objects.filter(
            actor=cast("User", actor),
            person_type=person_type,
            person_id=person_id,
            expires_at__gt=timezone.now(),
        )
        .order_by("-expires_at")
        .first()
    )


@transaction.atomic
def review_emergency_access(
    *,
    reviewer: User,
    grant: EmergencyAccess,
    verdict: str,
    note: str = "",
) -> EmergencyAccess:
    """The auditor's verdict on one emergency access; reviewed once, by someone else."""
    if verdict not in Verdict.values:
        raise ValueError(f"Unknown verdict: {verdict!r}")
    if grant.actor_id == getattr(reviewer, "pk", None):
        raise PermissionError("Nobody reviews their own emergency access.")
    updated = EmergencyAccess.objects.filter(pk=grant.pk, reviewed_at__isnull=True).update(
        reviewed_at=timezone.now(),
        reviewed_by=reviewer,
        verdict=verdict,
        review_note=_one_line(note, MAX_REASON),
    )
    if not updated:
        raise ValueError("This emergency access has already been reviewed.")
    grant.refresh_from_db()
    return grant
