"""Navigation by role: each app registers the pages a role reaches from the menu."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from .roles import ROLE_SLUGS, Role
from .selectors import role_names


@dataclass(frozen=True)
class NavEntry:
    label: Any  # a lazy translation
    url_name: str
    roles: frozenset[str]
    order: int = 100
    # For people without a role who still have a page (a course participant).
    show: Callable[[Any], bool] | None = None


_ENTRIES: list[NavEntry] = []


def register_nav(
    label: Any,
    url_name: str,
    roles: Iterable[str],
    order: int = 100,
    show: Callable[[Any], bool] | None = None,
) -> None:
    """Called from an app's ``AppConfig.ready`` to add a menu entry for some roles, or
    for whoever ``show(user)`` lets see it."""
    entry = NavEntry(label, url_name, frozenset(roles), order, show)
    if entry not in _ENTRIES:
        _ENTRIES.append(entry)


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str


def navigation_for(user: Any) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    held = set(role_names(user))
    items: list[NavItem] = []
    for role in role_names(user):
        items.append(
            NavItem(str(Role(role).label), reverse("accounts:role_start", args=[ROLE_SLUGS[role]]))
        )
    for entry in sorted(_ENTRIES, key=lambda e: e.order):
        if entry.roles & held or (entry.show is not None and entry.show(user)):
            items.append(NavItem(str(entry.label), reverse(entry.url_name)))
    return items
