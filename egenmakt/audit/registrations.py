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


def reason_details(pairs: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """What the detail of the access log's own reasons names, in the reader's language:
    the search fields used ("access log search: person_type, since") by their labels on
    the search form, and a reviewed row's outcome ("log review: item justified")."""
    from .events import AuditEvent
    from .forms import AccessLogSearchForm
    from .models import ReviewOutcome

    fields = AccessLogSearchForm.base_fields
    names: dict[tuple[str, str], str] = {}
    for code, key in pairs:
        if code in ("access log search", "access log CSV export"):
            used = [name.strip() for name in key.split(",")]
            if used and all(name in fields for name in used):
                names[(code, key)] = ", ".join(str(fields[name].label) for name in used)
        elif code == AuditEvent.LOG_REVIEW_ITEM and key in ReviewOutcome.values:
            names[(code, key)] = str(ReviewOutcome(key).label)
    return names
