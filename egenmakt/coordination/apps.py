from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "egenmakt.coordination"
    label = "coordination"
    verbose_name = _("Coordination in resource groups")
    default_auto_field = "django.db.models.BigAutoField"
    # What this app adds to the others (egenmakt/core/registry.py).
    contributes = {
        "navigation": "egenmakt.coordination.registrations.NAVIGATION",
        "start_panels": "egenmakt.coordination.registrations.START_PANELS",
        "personal_data": "egenmakt.coordination.personal_data.PERSONAL_DATA",
        "subjects": "egenmakt.coordination.registrations.SUBJECTS",
        "log_review_flags": "egenmakt.coordination.registrations.LOG_REVIEW_FLAGS",
        "notification_kinds": "egenmakt.coordination.registrations.NOTIFICATION_KINDS",
        "reason_details": "egenmakt.coordination.registrations.reason_details",
    }
