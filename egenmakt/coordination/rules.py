"""Who may do what with a client. Every view and service asks these plain predicates;
templates only show what the views computed from them.

The access rule itself (care team, home organisation, consent) is in
``selectors.covered_seats``; these predicates read its per-request decision.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import HeldRole, held_in_care, held_roles, principal_path

from .access import ClientAccess, client_access
from .models import Client, TeamRole

if TYPE_CHECKING:
    from egenmakt.accounts.types import Viewer

# Who may open a record outside their care team in an emergency: staff who give care,
# that is these roles held under a care provider (a region's psychiatry, a municipality's
# social services). The same role in the user movement (the PEER supervisor of a user-run
# network) is not care staff and never breaks the glass (issue 26).
EMERGENCY_ROLES = frozenset({Role.CASE_MANAGER, Role.SUPERVISOR})


def _care_staff_roles(user: Viewer) -> list[HeldRole]:
    """The user's emergency roles held under a care provider."""
    return [h for h in held_roles(user) if h.role in EMERGENCY_ROLES and held_in_care(h)]


def may_register_client(user: Viewer) -> bool:
    return any(h.role == Role.CASE_MANAGER for h in held_roles(user))


def may_view_client(user: Viewer, client: Client) -> bool:
    return client_access(user, client).can_view


def is_in_care_team(user: Viewer, client: Client) -> bool:
    """A covered seat: change the client's data, team and consent."""
    return client_access(user, client).in_team


def works_jointly(access: ClientAccess, client: Client) -> bool:
    """Add to the shared work: worksheets, summary, contacts; needs a valid consent and an
    open case. The form of the rule for a page that already holds the access value."""
    return access.joint_work and not client.is_frozen


class RecordFrozenError(PermissionDenied):
    """A change refused because the record is archived or restricted; the 403 page shows
    the message (``user_message``) and the access log keeps it as the denial's reason."""

    def __init__(self, client: Client) -> None:
        self.user_message = frozen_message(client)
        # The log keeps a stable reason the auditor can search for, in no language.
        super().__init__("restricted: read-only" if client.is_restricted else "archived: read-only")


def frozen_message(client: Client) -> str:
    """Why nothing about this client can be changed (shown on the 403 page and in messages)."""
    if client.is_restricted:
        return _(
            "The client has asked for restriction of processing: the record is kept but "
            "can only be read, with a reason, until the restriction is lifted."
        )
    return _("The coordination is closed and archived: the record can only be read.")


def sees_contact_data(access: ClientAccess, client: Client) -> bool:
    """A protected identity shows address and contact data to the care team only."""
    return access.can_view and (not client.protected_identity or access.in_team)


def may_work_jointly(user: Viewer, client: Client) -> bool:
    return works_jointly(client_access(user, client), client)


def asks_relatives(access: ClientAccess, client: Client) -> bool:
    """Send a relative a link to answer a sheet themself: a case manager of the care team
    working jointly with the client (the same people who invite the client to the portal)."""
    seat = access.seat
    return seat is not None and seat.role == TeamRole.CASE_MANAGER and works_jointly(access, client)


def may_ask_relatives(user: Viewer, client: Client) -> bool:
    return asks_relatives(client_access(user, client), client)


def may_see_contact_data(user: Viewer, client: Client) -> bool:
    return sees_contact_data(client_access(user, client), client)


def may_request_emergency_access(user: Viewer) -> bool:
    """Care staff: an emergency role held under a care provider."""
    return bool(_care_staff_roles(user))


def emergency_principal_paths(user: Viewer) -> list[str]:
    """The principals (top organisations: a region, a municipality) whose records the user
    may open in an emergency, as path prefixes ("/4/").

    Breaking the glass is the care provider's own arrangement (PDL 4 kap.: the provider
    sets its staff's access): it reaches the records of the principal the user works for,
    never another region's or another principal's (found by the permission matrix: a
    Nordmark case manager could open a Västerhav record).
    """
    return sorted({principal_path(h.organisation_path) for h in _care_staff_roles(user)} - {""})


def may_open_in_emergency(user: Viewer, client: Client) -> bool:
    """An emergency role under the same principal as the client's organisation."""
    path = client.organisation.path
    return any(path.startswith(root) for root in emergency_principal_paths(user))
