"""The archive and the restriction of a client's record (issue 19).

Opening a sealed record (archived, or restricted at the client's request) takes a written
reason; the grant lasts ``ARCHIVE_ACCESS_HOURS`` and every read in that time carries the
reason into the access log (``views.common.log_read``). A restriction (GDPR art. 18)
stops the processing and keeps the data: the record is read-only, its reads need a
reason, nothing is sent about the client, and the scheduled erasure passes it by. The
client asks for it on their own pages, or the care team records a request made on paper;
lifting it is logged the same way.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.coordination.access import client_access, forget_client_access
from egenmakt.coordination.models import (
    ARCHIVE_ACCESS_HOURS,
    ArchiveAccess,
    Client,
    RestrictionSource,
)
from egenmakt.outbox.services import withhold_emails_about

if TYPE_CHECKING:
    from egenmakt.accounts.models import User

MIN_REASON_LENGTH = 10
MAX_REASON_LENGTH = 500


def _one_line(text: str) -> str:
    return " ".join(text.split())[:MAX_REASON_LENGTH]


@transaction.atomic
def open_sealed_record(
    *, user: User, client: Client, reason: str, now: datetime | None = None
) -> ArchiveAccess:
    """The care team (members at closing) or an auditor opens an archived or restricted
    record for a few hours, saying why; the grant and its log row are written together."""
    access = client_access(user, client)
    if not access.may_open_sealed:
        raise PermissionDenied
    reason = _one_line(reason)
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError(
            {"reason": [_("Write why you must open the record (at least ten characters).")]}
        )
    now = now or timezone.now()
    grant = ArchiveAccess.objects.create(
        user=user,
        client=client,
        reason=reason,
        granted_at=now,
        expires_at=now + timedelta(hours=ARCHIVE_ACCESS_HOURS),
    )
    log_access(
        actor=user,
        action=Action.VIEW,
        person=client,
        obj=grant,
        organisation=access.seat.organisation if access.seat is not None else None,
        reason=f"{AuditEvent.ARCHIVE_OPENED}: {reason}"[:MAX_REASON_LENGTH],
    )
    forget_client_access(user)
    return grant


def _may_record_for(user: User, client: Client, *, by_client: bool) -> bool:
    if by_client:
        # The portal says who the client is (its "client_self" contribution).
        from egenmakt.coordination.registrations import is_the_client

        return is_the_client(user, client)
    return client_access(user, client).in_team


@transaction.atomic
def restrict_processing(
    *,
    user: User,
    client: Client,
    by_client: bool,
    received_on: date | None = None,
    now: datetime | None = None,
) -> Client:
    """Record the client's request for restriction: from the client on their own pages
    (``by_client``), or from the care team recording a request made on paper (the day it
    came, ``received_on``)."""
    if not _may_record_for(user, client, by_client=by_client):
        raise PermissionDenied
    now = now or timezone.now()
    if not by_client and (received_on is None or received_on > timezone.localdate(now)):
        raise ValidationError(
            {"received_on": [_("Give the day the request came; it cannot be in the future.")]}
        )
    locked = Client.objects.select_for_update().get(pk=client.pk)
    if locked.restricted_at is not None:
        raise ValidationError(_("Processing is already restricted."))
    source = RestrictionSource.PORTAL if by_client else RestrictionSource.PAPER
    locked.restricted_at = now
    locked.restriction_source = source
    locked.save(update_fields=["restricted_at", "restriction_source", "updated_at"])
    client.restricted_at, client.restriction_source = locked.restricted_at, source
    # Nothing more goes out about the client: the e-mails still waiting are withheld.
    withhold_emails_about(client, "withheld: processing restricted")
    detail = f" {received_on:%Y-%m-%d}" if received_on is not None else ""
    _log(user, client, f"{AuditEvent.RESTRICTION_REQUESTED} {source}{detail}")
    return client


@transaction.atomic
def lift_restriction(
    *,
    user: User,
    client: Client,
    by_client: bool,
) -> Client:
    """The client lifts their restriction, or the care team records that they have."""
    if not _may_record_for(user, client, by_client=by_client):
        raise PermissionDenied
    locked = Client.objects.select_for_update().get(pk=client.pk)
    if locked.restricted_at is None:
        raise ValidationError(_("Processing is not restricted."))
    locked.restricted_at = None
    locked.restriction_source = ""
    locked.save(update_fields=["restricted_at", "restriction_source", "updated_at"])
    client.restricted_at, client.restriction_source = None, ""
    source = RestrictionSource.PORTAL if by_client else RestrictionSource.PAPER
    _log(user, client, f"{AuditEvent.RESTRICTION_LIFTED} {source}")
    return client


def _log(user: User, client: Client, reason: str) -> None:
    seat = client_access(user, client).seat
    log_access(
        actor=user,
        action=Action.CHANGE,
        person=client,
        obj=client,
        organisation=seat.organisation if seat is not None else None,
        reason=reason,
    )
    forget_client_access(user)
