"""What this app contributes (``AuditConfig.contributes``, see
``egenmakt/core/registry.py``): the auditor's menu entries, and the log review's flag of
emergency accesses."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.navigation import NavEntry
from egenmakt.accounts.roles import Role
from egenmakt.accounts.start_panels import WAITING_TEMPLATE, StartPanel

from .review import EMERGENCY
from .start import auditor_panel

NAVIGATION = [
    NavEntry(_("Access log"), "audit:access_log", [Role.AUDITOR], order=90),
    NavEntry(_("Emergency accesses"), "audit:emergency", [Role.AUDITOR], order=91),
    NavEntry(_("Log review"), "audit:log_reviews", [Role.AUDITOR], order=92),
    NavEntry(
        _("Processing of personal data"),
        "audit:processing_record",
        [Role.AUDITOR, Role.ADMIN],
        order=95,
    ),
]

LOG_REVIEW_FLAGS = [EMERGENCY]

START_PANELS = [StartPanel(Role.AUDITOR, WAITING_TEMPLATE, auditor_panel, order=10)]
