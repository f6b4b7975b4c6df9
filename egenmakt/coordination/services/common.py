"""Use-cases that change a client's coordination: each in one transaction, each written
to the access log, each refused as a whole with a clear message when it may not happen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from egenmakt.accounts.models import Organisation
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.coordination.access import client_access
from egenmakt.coordination.models import (
    Client,
)
from egenmakt.coordination.rules import RecordFrozenError, frozen_message

if TYPE_CHECKING:
    from egenmakt.accounts.models import User


class CoordinationError(Exception):
    """A refused action, with a message for the user."""


class NeedsConfirmationError(CoordinationError):
    """The action is allowed after the user has read the warnings and given a reason."""

    def __init__(self, warnings: list[str]) -> None:
        super().__init__(" ".join(warnings))
        self.warnings = warnings


def acting_organisation(user: User, client: Client) -> Organisation:
    seat = client_access(user, client).seat
    if seat is None:
        raise PermissionDenied
    return seat.organisation


def require_rule(predicate: Any, user: User, client: Client) -> None:
    """A change's check: an open record (not archived, not restricted) and the rule."""
    require_open(client)
    if not predicate(user, client):
        raise PermissionDenied


def require_open(client: Client) -> None:
    if client.is_frozen:
        raise RecordFrozenError(client)


def record_change(
    user: User,
    client: Client,
    obj: Any,
    *,
    action: str = Action.CHANGE,
    reason: str = "",
    organisation: Organisation | None = None,
) -> None:
    """The access-log row of a change, for the organisation the user acts for (path and
    address come from the request context, egenmakt/core/context.py)."""
    if organisation is None:
        seat = client_access(user, client).seat
        organisation = seat.organisation if seat is not None else None
    log_access(
        actor=user,
        action=action,
        person=client,
        obj=obj,
        organisation=organisation,
        reason=reason,
    )


def no_joint_work_message(client: Client) -> str:
    if client.is_frozen:
        return frozen_message(client)
    return _("Record the client's consent first: no shared work without it.")
