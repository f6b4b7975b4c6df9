"""What this app contributes (``ReportsConfig.contributes``, see
``egenmakt/core/registry.py``): its menu entry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.navigation import NavEntry
from egenmakt.accounts.roles import Role
from egenmakt.accounts.start_panels import WAITING_TEMPLATE, StartPanel

from .rules import CASELOAD_ROLES
from .start import analyst_panel

NAVIGATION = [
    NavEntry(
        _("Programme report"), "reports:programme", [Role.COORDINATOR, Role.ANALYST], order=27
    ),
    NavEntry(_("Caseload outcomes"), "reports:caseload", sorted(CASELOAD_ROLES), order=28),
    NavEntry(_("National summary"), "reports:national", [Role.COORDINATOR, Role.ANALYST], order=29),
]

START_PANELS = [StartPanel(Role.ANALYST, WAITING_TEMPLATE, analyst_panel, order=10)]
