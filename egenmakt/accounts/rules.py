"""Object-permission predicates (django-rules) about roles in organisations.

``has_role_in(ROLE)`` answers "does this user hold ROLE in organisation O or above it".
"""

from __future__ import annotations

from typing import Any

import rules

from .models import Organisation
from .roles import Role
from .selectors import holds_role, holds_role_in


def has_role_in(role: str) -> rules.Predicate:
    @rules.predicate(name=f"has_role_in:{role}")
    def predicate(user: Any, organisation: Organisation | None) -> bool:
        if organisation is None:
            return False
        return holds_role_in(user, role, organisation)

    return predicate


def has_role(role: str) -> rules.Predicate:
    @rules.predicate(name=f"has_role:{role}")
    def predicate(user: Any) -> bool:
        return holds_role(user, role)

    return predicate


is_admin_of = has_role_in(Role.ADMIN)
is_auditor_of = has_role_in(Role.AUDITOR)
is_coordinator_of = has_role_in(Role.COORDINATOR)
is_case_manager_of = has_role_in(Role.CASE_MANAGER)

is_auditor = has_role(Role.AUDITOR)
is_admin = has_role(Role.ADMIN)

rules.add_perm("accounts.view_organisation", is_admin_of | is_coordinator_of | is_auditor_of)
rules.add_perm("accounts.change_organisation", is_admin_of)
rules.add_perm("audit.view_accesslog", is_auditor)
