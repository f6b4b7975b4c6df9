"""Read queries about people, organisations and roles."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from .models import Membership, Organisation, User
from .roles import ROLES_WITHOUT_PERSONAL_DATA


@dataclass(frozen=True)
class HeldRole:
    role: str
    organisation_id: int
    organisation_path: str


def held_roles(user: Any) -> list[HeldRole]:
    """The roles a user holds, loaded once per request object and cached on it.

    The cache lives on the user instance that the authentication middleware makes for
    each request, so a revoked membership is gone on the very next request.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached: list[HeldRole] | None = getattr(user, "_egenmakt_held_roles", None)
    if cached is None:
        cached = [
            HeldRole(role, org_id, path)
            for role, org_id, path in Membership.objects.filter(user=user).values_list(
                "role", "organisation_id", "organisation__path"
            )
        ]
        user._egenmakt_held_roles = cached
    return cached


def forget_held_roles(user: Any) -> None:
    if hasattr(user, "_egenmakt_held_roles"):
        del user._egenmakt_held_roles


def role_names(user: Any) -> list[str]:
    """The distinct roles a user holds, in the order of the Role choices."""
    from .roles import Role

    held = {h.role for h in held_roles(user)}
    return [role for role in Role.values if role in held]


def holds_role_in(user: Any, role: str, organisation: Organisation) -> bool:
    """True when the user holds ``role`` in ``organisation`` or in an organisation above it."""
    ancestors = set(organisation.ancestor_ids())
    return any(h.role == role and h.organisation_id in ancestors for h in held_roles(user))


def holds_role(user: Any, role: str) -> bool:
    return any(h.role == role for h in held_roles(user))


_TWO_FACTOR_RULES: list[Callable[[Any], bool]] = []


def register_two_factor_rule(rule: Callable[[Any], bool]) -> None:
    """Called from an app's ``AppConfig.ready``: people without a role who still see
    personal data (a client on their own pages) must use two factors too."""
    if rule not in _TWO_FACTOR_RULES:
        _TWO_FACTOR_RULES.append(rule)


def needs_two_factor(user: Any) -> bool:
    """Everyone who may see personal data signs in with two factors (HSLF-FS 2016:40 3:15)."""
    if user.is_superuser or user.is_staff:
        return True
    if any(h.role not in ROLES_WITHOUT_PERSONAL_DATA for h in held_roles(user)):
        return True
    return any(rule(user) for rule in _TWO_FACTOR_RULES)


def organisations_where(user: Any, role: str) -> QuerySet[Organisation]:
    """Organisations where the user holds ``role``, directly or through an ancestor."""
    paths = [h.organisation_path for h in held_roles(user) if h.role == role]
    if not paths:
        return Organisation.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return Organisation.objects.filter(condition)


def organisations_with_role(user: Any, role: str) -> QuerySet[Organisation]:
    """Organisations where the user holds ``role`` through a membership of their own."""
    ids = [h.organisation_id for h in held_roles(user) if h.role == role]
    return Organisation.objects.filter(pk__in=ids).select_related("parent")


def organisation_tree() -> QuerySet[Organisation]:
    return Organisation.objects.select_related("parent").order_by("path")


def users_with_memberships() -> QuerySet[User]:
    return User.objects.prefetch_related("memberships__organisation")
