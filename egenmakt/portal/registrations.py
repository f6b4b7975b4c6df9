"""What this app contributes (``PortalConfig.contributes``, see
``egenmakt/core/registry.py``): where a client starts, and two rules the kernel applies to
people without a role."""

from __future__ import annotations

from egenmakt.accounts.navigation import Home

from .selectors import is_portal_user, portal_users_of

HOMES = [Home(is_portal_user, "portal:start")]

# The client reads their own record: two factors, like everyone who sees it.
TWO_FACTOR_RULES = [is_portal_user]

# Auditors review the client's own reads too (PDL 4 kap. 3 §).
ACTOR_SCOPES = [portal_users_of]
