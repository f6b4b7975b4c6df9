"""What this app contributes (``AccountsConfig.contributes``, see
``egenmakt/core/registry.py``): the administration's menu entry and the user as a person."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .navigation import NavEntry
from .roles import Role

NAVIGATION = [NavEntry(_("Administration"), "administration:overview", [Role.ADMIN], order=90)]
