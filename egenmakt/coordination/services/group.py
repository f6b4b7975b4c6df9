"""The resource group: the client chooses who is in it; members join and leave.

Also the guards every meeting use-case shares: joint work, the group's consent, the
meeting belonging to the client."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import Action
from egenmakt.coordination.access import client_access, valid_consents
from egenmakt.coordination.models import (
    CareTeamMember,
    Client,
    ConsentScope,
    Contact,
    Meeting,
    MemberKind,
    ResourceGroupMember,
    Sector,
    TeamRole,
)
from egenmakt.coordination.rules import may_work_jointly
from egenmakt.coordination.services.common import (
    CoordinationError,
    no_joint_work_message,
    record_change,
)

if TYPE_CHECKING:
    from egenmakt.accounts.models import User

MEMBER_FIELDS = ("name", "kind", "role", "organisation_name", "phone", "email")


# A person picked from the network map keeps the kind their part of the map says.
SECTOR_KIND: dict[str, str] = {
    Sector.FAMILY: MemberKind.RELATIVE,
    Sector.FRIENDS: MemberKind.RELATIVE,
    Sector.PROFESSIONALS: MemberKind.PROFESSIONAL,
}


def require_joint_work(user: User, client: Client) -> CareTeamMember:
    if not may_work_jointly(user, client):
        raise CoordinationError(no_joint_work_message(client))
    seat = client_access(user, client).seat
    if seat is None:  # pragma: no cover - joint work needs a seat
        raise PermissionDenied
    return seat


def require_group_consent(client: Client) -> None:
    """The meetings with the client's network are a use of the consent of their own
    (SoL 2:7, HSL 16:4: others take part only if the client agrees; domain.md 3)."""
    if not any(
        ConsentScope.RESOURCE_GROUP in consent.scope
        for consent in valid_consents().filter(client=client)
    ):
        raise CoordinationError(
            _(
                "The client's consent does not cover resource-group meetings with their "
                "network. Record a consent that does first."
            )
        )


def require_own_meeting(client: Client, meeting: Meeting) -> None:
    if meeting.client_id != client.pk:
        raise PermissionDenied


@transaction.atomic
def add_group_member(
    *,
    user: User,
    client: Client,
    chosen_by_client: bool,
    data: dict[str, Any] | None = None,
    contact: Contact | None = None,
    seat: CareTeamMember | None = None,
) -> ResourceGroupMember:
    """Add a person the client has chosen: from the contact list, from the care team, or
    typed in. RACT: the client decides who is in the resource group."""
    own = require_joint_work(user, client)
    data = dict(data or {})
    if not chosen_by_client:
        raise ValidationError(
            {"chosen_by_client": [_("Only people the client has chosen are in the group.")]}
        )
    member = ResourceGroupMember(
        client=client, chosen_by_client=True, organisation=own.organisation, added_by=user
    )
    active = ResourceGroupMember.objects.filter(client=client, ended_on__isnull=True)
    if contact is not None:
        if contact.client_id != client.pk:
            raise PermissionDenied
        if active.filter(contact=contact).exists():
            raise ValidationError(
                {"source": [_("%(name)s is already in the group.") % {"name": contact.name}]}
            )
        member.contact = contact
        member.name = contact.name
        member.role = contact.relationship
        member.organisation_name = contact.workplace
        member.phone = contact.phone
        member.email = contact.email
        member.kind = SECTOR_KIND.get(contact.sector, MemberKind.OTHER)
    elif seat is not None:
        if seat.client_id != client.pk or seat.ended_on is not None:
            raise PermissionDenied
        if active.filter(user_id=seat.user_id).exists():
            raise ValidationError(
                {"source": [_("%(name)s is already in the group.") % {"name": seat.user}]}
            )
        copy_seat(member, seat)
    for key in MEMBER_FIELDS:
        value = data.get(key)
        if value:  # what the user typed wins over what was copied
            setattr(member, key, value.strip() if isinstance(value, str) else value)
    member.full_clean()
    member.save()
    record_change(user, client, member, action=Action.CREATE, reason=AuditEvent.GROUP_MEMBER_ADDED)
    return member


def copy_seat(member: ResourceGroupMember, seat: CareTeamMember) -> None:
    member.user = seat.user
    member.name = seat.user.full_name
    member.kind = MemberKind.PROFESSIONAL
    member.role = ""  # the role is a label, shown in the reader's language (role_label)
    member.team_role = seat.role if seat.role in TeamRole.values else ""
    member.organisation_name = seat.organisation.name
    member.email = seat.user.email


@transaction.atomic
def end_group_member(
    *,
    user: User,
    client: Client,
    member: ResourceGroupMember,
) -> ResourceGroupMember:
    require_joint_work(user, client)
    if member.client_id != client.pk:
        raise PermissionDenied
    updated = ResourceGroupMember.objects.filter(pk=member.pk, ended_on__isnull=True).update(
        ended_on=timezone.localdate()
    )
    if not updated:
        raise CoordinationError(_("%(name)s has already left the group.") % {"name": member})
    member.refresh_from_db()
    record_change(user, client, member, reason=AuditEvent.GROUP_MEMBER_ENDED)
    return member
