"""Navigation by role: the pages a role reaches from the menu, and where someone without a
role starts. The apps contribute both in their ``AppConfig.contributes`` ("navigation",
"homes"; see ``egenmakt/core/registry.py``).

The navigation rule: a menu entry (and a start page's link) is shown only to someone the
page lets in. An entry names its page by URL name and the roles it is meant for; whether
it is shown is the page's own rule, the predicate its view enforces (``core.http
.page_rule``/``with_rule``), read from the view the URL resolves to. The menu and the page
cannot drift: there is one rule, and an entry whose view names none stops the menu.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.urls import resolve, reverse

from egenmakt.accounts.types import Viewer
from egenmakt.core.http import rule_of
from egenmakt.core.registry import contributions

from .roles import ROLE_SLUGS, Role
from .selectors import role_names


@dataclass(frozen=True)
class NavEntry:
    """A menu entry meant for some roles (none: for anyone, such as a course participant
    without a role), shown to those of them the page's rule lets in."""

    label: Any  # a lazy translation
    url_name: str
    roles: Collection[str] = ()
    order: int = 100

    def meant_for(self, held: Collection[str]) -> bool:
        return not self.roles or not set(held).isdisjoint(self.roles)


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


@cache
def page_rule(url_name: str) -> Callable[[Any], bool]:
    """The rule of the page ``url_name`` names: the predicate its view enforces."""
    rule = rule_of(resolve(reverse(url_name)).func)
    if rule is None:
        raise ImproperlyConfigured(
            f"The menu links to {url_name}, whose view names no rule (core.http.page_rule)."
        )
    return rule


# Where a request's user keeps the rules already asked (the menu and the start page's
# links ask the same ones), on the instance like ``selectors.held_roles``.
_ASKED = "_egenmakt_may_open"


def may_open(user: Viewer, url_name: str) -> bool:
    """The person may open the page (a page of the menu, not about one object); asked once
    per request."""
    asked: dict[str, bool] | None = getattr(user, _ASKED, None)
    if asked is None:
        asked = {}
        setattr(user, _ASKED, asked)
    if url_name not in asked:
        asked[url_name] = bool(page_rule(url_name)(user))
    return asked[url_name]


def entries_for(user: Viewer, roles: Collection[str]) -> list[NavEntry]:
    """The menu entries meant for ``roles`` that ``user`` may open."""
    return [
        entry
        for entry in nav_entries()
        if entry.meant_for(roles) and may_open(user, entry.url_name)
    ]


def navigation_for(user: Viewer) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    held = role_names(user)
    items: list[NavItem] = [
        NavItem(str(Role(role).label), reverse("accounts:role_start", args=[ROLE_SLUGS[role]]))
        for role in held
    ]
    for entry in entries_for(user, held):
        items.append(NavItem(str(entry.label), reverse(entry.url_name)))
    return items


def start_links_for(user: Viewer, role: str) -> list[NavItem]:
    """A role's start page links to the pages of the menu meant for that role which the
    person may open: the same entries, the same rule."""
    return [
        NavItem(str(entry.label), reverse(entry.url_name))
        for entry in entries_for(user, [role])
        if entry.roles
    ]


def home_for(user: Viewer) -> str | None:
    """The URL name where a signed-in user without a role starts, if an app gives one."""
    return next((home.url_name for home in contributions("homes", Home) if home.check(user)), None)
