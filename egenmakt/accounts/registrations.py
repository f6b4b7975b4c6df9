"""What this app contributes (``AccountsConfig.contributes``, see
``egenmakt/core/registry.py``): the administration's menu entry and the user as a person."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from egenmakt.audit.registry import PersonModel

from .models import User
from .navigation import NavEntry
from .roles import Role

PERSON_MODELS = [PersonModel(User)]

NAVIGATION = [NavEntry(_("Administration"), "administration:overview", [Role.ADMIN], order=90)]
