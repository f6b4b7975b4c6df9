from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "egenmakt.audit"
    label = "audit"
    verbose_name = _("Access log")
    # What this app adds to the others (egenmakt/core/registry.py).
    contributes = {
        "navigation": "egenmakt.audit.registrations.NAVIGATION",
        "start_panels": "egenmakt.audit.registrations.START_PANELS",
        "log_review_flags": "egenmakt.audit.registrations.LOG_REVIEW_FLAGS",
        "personal_data": "egenmakt.audit.personal_data.PERSONAL_DATA",
        "reason_details": "egenmakt.audit.registrations.reason_details",
    }
