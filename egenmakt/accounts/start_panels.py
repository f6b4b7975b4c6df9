"""Panels on a role's start page, provided by the apps: each app registers a template
and a function that gives its context, so accounts knows no app's models."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class StartPanel:
    role: str
    template: str
    context: Callable[[HttpRequest], dict[str, Any]]
    order: int = 100


_PANELS: list[StartPanel] = []


def register_start_panel(
    role: str,
    template: str,
    context: Callable[[HttpRequest], dict[str, Any]],
    order: int = 100,
) -> None:
    """Called from an app's ``AppConfig.ready``."""
    panel = StartPanel(role, template, context, order)
    if not any(p.role == role and p.template == template for p in _PANELS):
        _PANELS.append(panel)


@dataclass(frozen=True)
class RenderedPanel:
    template: str
    context: dict[str, Any]


def start_panels_for(request: HttpRequest, role: str) -> list[RenderedPanel]:
    return [
        RenderedPanel(panel.template, panel.context(request))
        for panel in sorted(_PANELS, key=lambda p: p.order)
        if panel.role == role
    ]
