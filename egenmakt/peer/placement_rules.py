"""Who may see and change a peer-support workplace and its placements.

The network's coordinators (who registered it) and the unit's workplace managers see the
workplace; only the coordinators place peer supporters.
"""

from __future__ import annotations

from typing import Any

from egenmakt.accounts.models import Organisation
from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import holds_role_in

from .models import PeerWorkplace


def is_network_coordinator(user: Any, network: Organisation) -> bool:
    return holds_role_in(user, Role.COORDINATOR, network)


def may_see_workplace(user: Any, workplace: PeerWorkplace) -> bool:
    return is_network_coordinator(user, workplace.network) or holds_role_in(
        user, Role.WORKPLACE_MANAGER, workplace.workplace
    )


def may_place(user: Any, workplace: PeerWorkplace) -> bool:
    return is_network_coordinator(user, workplace.network)
