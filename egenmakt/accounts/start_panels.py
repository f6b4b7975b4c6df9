"""Panels on a role's start page, provided by the apps: each app contributes a template
and a function that gives its context ("start_panels" in its ``AppConfig.contributes``,
see ``egenmakt/core/registry.py``), so accounts knows no app's models."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from egenmakt.core.registry import contributions


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


def start_panels_for(request: HttpRequest, role: str) -> list[RenderedPanel]:
    return [
        RenderedPanel(panel.template, panel.context(request))
        for panel in sorted(contributions("start_panels", StartPanel), key=lambda p: p.order)
        if panel.role == role
    ]
