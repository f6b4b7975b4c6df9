"""Panels on a role's start page, provided by the apps: each app contributes a template
and a function that gives its context ("start_panels" in its ``AppConfig.contributes``,
see ``egenmakt/core/registry.py``), so accounts knows no app's models.

Most panels say what is waiting for the person in that role: ``waiting_panel`` builds
their context for the one template ``accounts/partials/waiting.html`` (a heading, the
items, each a link to where it is done, and, when nothing waits, a calm sentence and the
role's main next actions). An item links only to a page the person may open: the app's
selector scopes it by the page's own rule, and a next action is shown by ``may_open``,
the rule the menu asks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from egenmakt.core.registry import contributions

from .navigation import NavItem, may_open

WAITING_TEMPLATE = "accounts/partials/waiting.html"


@dataclass(frozen=True)
class StartPanel:
    role: str
    template: str
    context: Callable[[HttpRequest], dict[str, Any]]
    order: int = 100


@dataclass(frozen=True)
class RenderedPanel:
    template: str
    context: dict[str, Any]


@dataclass(frozen=True)
class Waiting:
    """One thing waiting for the person: what it is, where it is done, and a detail
    (a date, a count) to show beside it."""

    label: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class WaitingPanel:
    key: str  # for the heading's id
    heading: Any
    items: list[Waiting]
    empty: Any  # the calm sentence when nothing waits
    intro: Any = ""
    next_actions: list[NavItem] = field(default_factory=list)
    more: bool = False
    more_url: str = ""  # the page that lists them all, when only the first are shown
    # Not shown when nothing waits: a panel only some holders of the role have a part in
    # (a forum representative among the peer supporters).
    quiet: bool = False


def waiting_panel(
    request: HttpRequest,
    *,
    key: str,
    heading: Any,
    items: Iterable[Waiting],
    empty: Any,
    intro: Any = "",
    next_actions: Iterable[tuple[Any, str]] = (),
    limit: int | None = None,
    more_url_name: str = "",
    quiet: bool = False,
) -> dict[str, Any]:
    """The context of ``WAITING_TEMPLATE``: ``next_actions`` are (label, URL name) pairs of
    pages not about one object, shown when nothing waits and only if the person may open
    them; beyond ``limit`` items the panel links to ``more_url_name`` (such a page too)."""
    rows = list(items)
    more = limit is not None and len(rows) > limit
    if limit is not None:
        rows = rows[:limit]
    actions = (
        []
        if rows
        else [
            NavItem(str(label), reverse(url_name))
            for label, url_name in next_actions
            if may_open(request.user, url_name)
        ]
    )
    more_url = (
        reverse(more_url_name)
        if more and more_url_name and may_open(request.user, more_url_name)
        else ""
    )
    panel = WaitingPanel(key, heading, rows, empty, intro, actions, more, more_url, quiet)
    return {"waiting": panel}


def start_panels_for(request: HttpRequest, role: str) -> list[RenderedPanel]:
    return [
        RenderedPanel(panel.template, panel.context(request))
        for panel in sorted(contributions("start_panels", StartPanel), key=lambda p: p.order)
        if panel.role == role
    ]
