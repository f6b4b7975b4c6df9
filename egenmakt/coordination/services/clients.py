"""Writes about the client: registering, details, phase and case notes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egenmakt.accounts.models import Organisation
from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import holds_role_in
from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import Action
from egenmakt.coordination.access import client_access, forget_client_access
from egenmakt.coordination.checklist import build_checklist
from egenmakt.coordination.identity import parse_identity_number
from egenmakt.coordination.models import (
    CareTeamMember,
    CaseNote,
    Client,
    Phase,
    TeamRole,
)
from egenmakt.coordination.rules import (
    is_in_care_team,
    may_register_client,
)
from egenmakt.coordination.selectors import mapping as mapping_selectors
from egenmakt.coordination.selectors import team as team_selectors

from .common import (
    CoordinationError,
    NeedsConfirmationError,
    acting_organisation,
    record_change,
    require_rule,
)

if TYPE_CHECKING:
    from egenmakt.accounts.models import User

CLIENT_FIELDS = (
    "full_name",
    "protected_identity",
    "address",
    "postcode",
    "city",
    "phone",
    "email",
    "preferred_language",
    "interpreter_needed",
    "meeting_place",
    "meeting_place_note",
    "started_on",
)


@transaction.atomic
def register_client(
    *,
    user: User,
    organisation: Organisation,
    identity_number: str,
    data: dict[str, Any],
) -> Client:
    """A case manager registers a client for their organisation and takes the first seat."""
    if not may_register_client(user) or not holds_role_in(user, Role.CASE_MANAGER, organisation):
        raise PermissionDenied
    number = parse_identity_number(identity_number)
    client = Client(
        identity_number=number.digits,
        coordination_number=number.coordination,
        organisation=organisation,
        created_by=user,
        **{key: data[key] for key in CLIENT_FIELDS if key in data},
    )
    client.full_clean(exclude=["identity_number"])
    try:
        with transaction.atomic():
            client.save()
    except IntegrityError as exc:
        raise CoordinationError(
            _("Your organisation has already registered a client with this number.")
        ) from exc
    CareTeamMember.objects.create(
        client=client,
        user=user,
        organisation=organisation,
        role=TeamRole.CASE_MANAGER,
        started_on=client.started_on,
        added_by=user,
    )
    forget_client_access(user)
    record_change(user, client, client, action=Action.CREATE, organisation=organisation)
    return client


@transaction.atomic
def update_client(*, user: User, client: Client, data: dict[str, Any]) -> Client:
    require_rule(is_in_care_team, user, client)
    for key in CLIENT_FIELDS:
        if key in data:
            setattr(client, key, data[key])
    client.full_clean()
    client.save()
    record_change(user, client, client)
    return client


# Allowed moves between phases; closing is possible from every open phase.
PHASE_MOVES: dict[str, tuple[str, ...]] = {
    Phase.START: (Phase.MAPPING, Phase.CLOSED),
    Phase.MAPPING: (Phase.PLANNING, Phase.CLOSED),
    Phase.PLANNING: (Phase.MAPPING, Phase.WORK, Phase.CLOSED),
    Phase.WORK: (Phase.FOLLOW_UP, Phase.CLOSED),
    Phase.FOLLOW_UP: (Phase.WORK, Phase.CLOSED),
    Phase.CLOSED: (),
}


@transaction.atomic
def change_phase(
    *,
    user: User,
    client: Client,
    phase: str,
    reason: str = "",
) -> Client:
    """Move the client to the next phase. Leaving the mapping with steps of checklist K
    left, or closing, needs a written reason (``NeedsConfirmationError`` names the steps)."""
    require_rule(is_in_care_team, user, client)
    locked = Client.objects.select_for_update().get(pk=client.pk)
    if phase not in PHASE_MOVES.get(locked.phase, ()):
        raise CoordinationError(_("The client cannot move to that phase from here."))
    reason = reason.strip()
    if phase == Phase.MAPPING and not client_access(user, client).consent_valid:
        raise CoordinationError(_("Record the client's consent before the mapping starts."))
    open_steps = mapping_steps_left(user, client) if phase == Phase.PLANNING else []
    if open_steps and not reason:
        raise NeedsConfirmationError(
            [
                _("These mapping steps are not done: %(steps)s.")
                % {"steps": ", ".join(open_steps)},
                _("Say why the planning starts anyway."),
            ]
        )
    if phase == Phase.CLOSED and not reason:
        raise NeedsConfirmationError([_("Say why the coordination ends.")])
    locked.phase = phase
    if phase == Phase.CLOSED:
        locked.closed_reason = reason[:300]
        # Closing archives the record: from now on it is read with a reason, never changed,
        # and erased when the retention period has passed (services/retention.py).
        locked.archived_at = timezone.now()
    locked.save(update_fields=["phase", "closed_reason", "archived_at", "updated_at"])
    client.phase, client.closed_reason = locked.phase, locked.closed_reason
    client.archived_at = locked.archived_at
    record_change(user, client, client, reason=f"{AuditEvent.CLIENT_PHASE} {phase}")
    if phase == Phase.CLOSED:
        record_change(user, client, client, reason=AuditEvent.CLIENT_ARCHIVED)
    forget_client_access(user)
    return client


def mapping_steps_left(user: User, client: Client) -> list[str]:
    """The labels of the mapping steps checklist K still shows as left, as the user sees them."""
    access = client_access(user, client)
    checklist = build_checklist(
        mapping_selectors.steps_for(access, client),
        team_selectors.active_team(client),
        mapping_selectors.checklist_facts(access, client),
    )
    return [str(row.definition.label) for row in checklist.mapping_left]


@transaction.atomic
def add_case_note(*, user: User, client: Client, text: str) -> CaseNote:
    """An organisation's own note: needs a seat, not a consent (it is not shared)."""
    require_rule(is_in_care_team, user, client)
    note = CaseNote(
        client=client,
        organisation=acting_organisation(user, client),
        text=text.strip(),
        written_by=user,
    )
    note.full_clean()
    note.save()
    record_change(user, client, note, action=Action.CREATE, reason=AuditEvent.CASE_NOTE)
    return note
