"""Writes about the care team: adding and ending seats."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egenmakt.accounts.models import Organisation
from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import holds_role_in
from egenmakt.audit.events import AuditEvent
from egenmakt.coordination.access import forget_client_access
from egenmakt.coordination.models import (
    CareTeamMember,
    Client,
    TeamRole,
)
from egenmakt.coordination.rules import (
    is_in_care_team,
)

from .common import (
    CoordinationError,
    NeedsConfirmationError,
    no_joint_work_message,
    record_change,
    require_rule,
)

if TYPE_CHECKING:
    from egenmakt.accounts.models import User

MAX_CASE_MANAGERS = 2


TEAM_ROLE_NEEDS: dict[str, tuple[str, ...]] = {
    TeamRole.CASE_MANAGER: (Role.CASE_MANAGER,),
    TeamRole.METHOD_SUPERVISOR: (Role.SUPERVISOR, Role.CASE_MANAGER),
    TeamRole.PEER_SUPPORTER: (Role.PEER_SUPPORTER,),
}


@transaction.atomic
def add_team_member(
    *,
    user: User,
    client: Client,
    member: Any,
    organisation: Organisation,
    role: str,
    reason: str = "",
) -> CareTeamMember:
    """Add a person to the care team. At most two case managers; a warning, passed only
    with a reason, when both are from the same organisation."""
    require_rule(is_in_care_team, user, client)
    if client.is_closed:
        raise CoordinationError(no_joint_work_message(client))
    Client.objects.select_for_update().filter(pk=client.pk).first()  # one change at a time
    if not any(holds_role_in(member, r, organisation) for r in TEAM_ROLE_NEEDS[role]):
        raise CoordinationError(
            _("%(name)s does not hold that role at %(organisation)s.")
            % {"name": member.full_name, "organisation": organisation.name}
        )
    active = list(client.team.filter(ended_on__isnull=True).select_related("organisation"))
    if any(seat.user_id == member.pk for seat in active):
        raise CoordinationError(
            _("%(name)s is already in the care team.") % {"name": member.full_name}
        )
    warnings: list[str] = []
    if role == TeamRole.CASE_MANAGER:
        managers = [seat for seat in active if seat.role == TeamRole.CASE_MANAGER]
        if len(managers) >= MAX_CASE_MANAGERS:
            raise CoordinationError(_("A client has at most two case managers."))
        if any(seat.organisation_id == organisation.pk for seat in managers):
            warnings.append(
                _(
                    "Both case managers would be from %(organisation)s. The method "
                    "usually pairs psychiatry with the municipality."
                )
                % {"organisation": organisation.name}
            )
    if role == TeamRole.METHOD_SUPERVISOR and any(
        seat.role == TeamRole.METHOD_SUPERVISOR for seat in active
    ):
        raise CoordinationError(_("The care team already has a method supervisor."))
    if warnings and not reason.strip():
        raise NeedsConfirmationError(warnings)
    seat = CareTeamMember.objects.create(
        client=client,
        user=member,
        organisation=organisation,
        role=role,
        added_by=user,
        warning_reason=reason.strip()[:300] if warnings else "",
    )
    record_change(user, client, seat, reason=AuditEvent.CARE_TEAM_ADDED)
    return seat


def needs_handover(seat: CareTeamMember) -> bool:
    """A case manager leaves a hand-over note; the other seats may."""
    return seat.role == TeamRole.CASE_MANAGER


@transaction.atomic
def end_team_member(
    *, user: User, client: Client, seat: CareTeamMember, handover_note: str = ""
) -> CareTeamMember:
    require_rule(is_in_care_team, user, client)
    if seat.client_id != client.pk or seat.ended_on is not None:
        raise CoordinationError(_("That person is not in the care team."))
    managers = client.team.filter(ended_on__isnull=True, role=TeamRole.CASE_MANAGER)
    if seat.role == TeamRole.CASE_MANAGER and managers.count() <= 1:
        raise CoordinationError(
            _("A client always has a case manager: add the new one before this one leaves.")
        )
    note = handover_note.strip()
    if needs_handover(seat) and not note:
        raise ValidationError(
            {"handover_note": [_("Write what the one who takes over needs to know.")]}
        )
    seat.ended_on = timezone.localdate()
    seat.handover_note = note
    seat.save(update_fields=["ended_on", "handover_note"])
    forget_client_access(user)
    record_change(
        user, client, seat, reason=AuditEvent.CARE_TEAM_ENDED, organisation=seat.organisation
    )
    return seat
