"""What this app contributes (``PortalConfig.contributes``, see
``egenmakt/core/registry.py``): where a client starts, two rules the kernel applies to
people without a role, and the client themself to coordination's record (so coordination
never imports this app)."""

from __future__ import annotations

from egenmakt.accounts.navigation import Home
from egenmakt.coordination.registrations import ClientSelf

from .selectors import (
    checklist_steps,
    is_portal_user,
    is_the_client,
    open_login,
    portal_users_of,
    visible_responses,
)
from .services import erase_accounts_of

HOMES = [Home(is_portal_user, "portal:start")]

# The client reads their own record: two factors, like everyone who sees it.
TWO_FACTOR_RULES = [is_portal_user]

# Auditors review the client's own reads too (PDL 4 kap. 3 §).
ACTOR_SCOPES = [portal_users_of]

# The client reads and answers worksheets about themself (instrument subjects), only those
# their own pages show; their copy of the binder holds the steps of checklist K they read.
CLIENT_SELF = [
    ClientSelf(
        is_the_client,
        visible_responses,
        erase=erase_accounts_of,
        visible_steps=checklist_steps,
        login=open_login,
    )
]


def forget_link_devices(user: object) -> None:
    """An anonymised account keeps no device of a used sign-in link."""
    from .models import SignInLinkDevice

    SignInLinkDevice.objects.filter(user=user).delete()


SIGN_IN_METHODS = [forget_link_devices]
