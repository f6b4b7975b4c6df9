from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "egenmakt.reports"
    label = "reports"
    verbose_name = _("Reports")
    default_auto_field = "django.db.models.BigAutoField"
    # What this app adds to the others (egenmakt/core/registry.py).
    contributes = {
        "navigation": "egenmakt.reports.registrations.NAVIGATION",
        "start_panels": "egenmakt.reports.registrations.START_PANELS",
        "personal_data": "egenmakt.reports.personal_data.PERSONAL_DATA",
        "stored_figures": "egenmakt.reports.programme.MONTH_FIGURES",
    }
