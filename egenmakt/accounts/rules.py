"""Who holds a role, asked by views that are one role's own pages (the access log is the
auditors'). The role-in-an-organisation rule itself is ``selectors.holds_role_in``."""

from __future__ import annotations

from egenmakt.accounts.types import Viewer

from .roles import Role
from .selectors import holds_role


def is_auditor(user: Viewer) -> bool:
    return holds_role(user, Role.AUDITOR)
