"""Navigation by role: the pages a role reaches from the menu, and where someone without a
role starts. The apps contribute both in their ``AppConfig.contributes`` ("navigation",
"homes"; see ``egenmakt/core/registry.py``)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from egenmakt.accounts.types import Viewer
from egenmakt.core.registry import contributions

from .roles import ROLE_SLUGS, Role
from .selectors import role_names


@dataclass(frozen=True)
class NavEntry:
    """A menu entry for some roles, or for whoever ``show(user)`` lets see it."""

    label: Any  # a lazy translation
    url_name: str
    roles: Collection[str] = ()
    order: int = 100
    # For people without a role who still have a page (a course participant).
    show: Callable[[Any], bool] | None = None


@dataclass(frozen=True)
class Home:
    """Whom ``check`` accepts, having no role, starts at ``url_name`` (a client's pages)."""

    check: Callable[[Any], bool]
    url_name: str


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str


def nav_entries() -> list[NavEntry]:
    """Every app's menu entries by ``order``; equal orders in ``INSTALLED_APPS`` order."""
    return sorted(contributions("navigation", NavEntry), key=lambda e: e.order)


def navigation_for(user: Viewer) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    held = set(role_names(user))
    items: list[NavItem] = []
    for role in role_names(user):
        items.append(
            NavItem(str(Role(role).label), reverse("accounts:role_start", args=[ROLE_SLUGS[role]]))
        )
    for entry in nav_entries():
        if not held.isdisjoint(entry.roles) or (entry.show is not None and entry.show(user)):
            items.append(NavItem(str(entry.label), reverse(entry.url_name)))
    return items


def home_for(user: Viewer) -> str | None:
    """The URL name where a signed-in user without a role starts, if an app gives one."""
    return next((home.url_name for home in contributions("homes", Home) if home.check(user)), None)
