"""Emergency access and the early-warning plan."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from egenmakt.audit.events import AuditEvent
from egenmakt.audit.services import grant_emergency_access
from egenmakt.coordination.access import client_access, forget_client_access
from egenmakt.coordination.identity import parse_identity_number
from egenmakt.coordination.models import (
    Client,
    EarlyWarningPlan,
)
from egenmakt.coordination.rules import (
    emergency_principal_paths,
    may_open_in_emergency,
    may_request_emergency_access,
    may_work_jointly,
)

from .common import CoordinationError, no_joint_work_message, record_change

if TYPE_CHECKING:
    from egenmakt.accounts.models import User


def find_for_emergency(*, user: User, identity_number: str) -> list[Client]:
    """The records of this number, for someone about to break the glass."""
    if not may_request_emergency_access(user):
        raise PermissionDenied
    number = parse_identity_number(identity_number)
    roots = emergency_principal_paths(user)
    if not roots:
        return []
    under_principal = Q()
    for root in roots:
        under_principal |= Q(organisation__path__startswith=root)
    return list(
        # The archive is not for emergencies: a closed record is not offered.
        Client.objects.filter(under_principal, identity_number=number.digits, archived_at=None)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def open_in_emergency(*, user: User, client: Client, reason: str) -> None:
    if not may_open_in_emergency(user, client):
        raise PermissionDenied
    if client_access(user, client).in_team:
        return  # already theirs to see: no emergency needed
    try:
        grant_emergency_access(actor=user, person=client, reason=reason)
    except ValueError as exc:
        raise ValidationError(
            {"reason": [_("Write why you must open the record now (at least ten characters).")]}
        ) from exc
    forget_client_access(user)


@transaction.atomic
def update_warning_plan(
    *,
    user: User,
    client: Client,
    copies_held_by: str | None = None,
    reviewed: bool = False,
    reviewed_on: date | None = None,
) -> EarlyWarningPlan:
    """Record who holds a copy, or that the plan was reviewed (today, or on the day of
    the resource-group meeting that reviewed it)."""
    if not may_work_jointly(user, client):
        raise CoordinationError(no_joint_work_message(client))
    row, _created = EarlyWarningPlan.objects.select_for_update().get_or_create(client=client)
    if copies_held_by is not None:
        row.copies_held_by = copies_held_by.strip()[:300]
    if reviewed:
        row.reviewed_on = reviewed_on or timezone.localdate()
        row.reviewed_by = user
    row.save()
    record_change(user, client, row, reason=AuditEvent.WARNING_PLAN)
    return row
