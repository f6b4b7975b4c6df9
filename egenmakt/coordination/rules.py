"""Object permissions about clients (django-rules). Every view and service asks these;
templates only show what the views computed from them.

The access rule itself (care team, home organisation, consent) is in
``selectors.covered_seats``; these predicates read its per-request decision.
"""

from __future__ import annotations

from typing import Any

import rules

from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import held_roles

from .models import Client
from .selectors import client_access

# Who may open a record outside their care team in an emergency: staff who give care.
EMERGENCY_ROLES = frozenset({Role.CASE_MANAGER, Role.SUPERVISOR})


@rules.predicate
def may_register_client(user: Any) -> bool:
    return any(h.role == Role.CASE_MANAGER for h in held_roles(user))


@rules.predicate
def may_view_client(user: Any, client: Client) -> bool:
    return client_access(user, client).can_view


@rules.predicate
def is_in_care_team(user: Any, client: Client) -> bool:
    """A covered seat: change the client's data, team and consent."""
    return client_access(user, client).in_team


@rules.predicate
def may_work_jointly(user: Any, client: Client) -> bool:
    """Add to the shared work: worksheets, summary, contacts; needs a valid consent."""
    return client_access(user, client).joint_work and not client.is_closed


@rules.predicate
def may_see_contact_data(user: Any, client: Client) -> bool:
    """A protected identity shows address and contact data to the care team only."""
    if not client_access(user, client).can_view:
        return False
    return not client.protected_identity or client_access(user, client).in_team


@rules.predicate
def may_request_emergency_access(user: Any) -> bool:
    return any(h.role in EMERGENCY_ROLES for h in held_roles(user))


rules.add_perm("coordination.add_client", may_register_client)
rules.add_perm("coordination.view_client", may_view_client)
rules.add_perm("coordination.change_client", is_in_care_team)
rules.add_perm("coordination.work_with_client", may_work_jointly)
rules.add_perm("coordination.view_client_contact_data", may_see_contact_data)
rules.add_perm("coordination.emergency_access", may_request_emergency_access)
