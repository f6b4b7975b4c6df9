"""The one way to write the access log."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from egenmakt.core.network import client_ip

from .models import AccessLog, Action, EmergencyAccess, Outcome, Verdict

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


def log_access(
    *,
    request: HttpRequest | None = None,
    actor: Any = None,
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
    if action not in Action.values:
        raise ValueError(f"Unknown access-log action: {action!r}")
    if outcome not in Outcome.values:
        raise ValueError(f"Unknown access-log outcome: {outcome!r}")
    if actor is None and request is not None:
        actor = request.user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    row = AccessLog(
        actor=actor,
        action=action,
        outcome=outcome,
        organisation_id=organisation.pk if organisation is not None else None,
        reason=_one_line(reason, MAX_REASON),
        emergency=emergency,
        path=(_one_line(request.path, MAX_PATH) if request is not None else ""),
        ip_address=_client_ip(request),
    )
    if person is not None:
        row.person_type = ContentType.objects.get_for_model(person, for_concrete_model=True)
        row.person_id = str(person.pk)
    if obj is not None:
        row.object_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
        row.object_id = str(obj.pk)
    row.save(force_insert=True)
    return row


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
def grant_emergency_access(
    *, request: HttpRequest | None = None, actor: Any, person: models.Model, reason: str
) -> EmergencyAccess:
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
        request=request,
        actor=actor,
        action=Action.VIEW,
        person=person,
        obj=grant,
        reason=reason,
        emergency=True,
    )
    return grant


def active_emergency_access(actor: Any, person: models.Model) -> EmergencyAccess | None:
    """The actor's running emergency access to this person, if any."""
    if not getattr(actor, "is_authenticated", False):
        return None
    person_type, person_id = _person_key(person)
    return (
        EmergencyAccess.objects.filter(
            actor=actor,
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
    request: HttpRequest | None = None,
    reviewer: Any,
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
