from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InfluenceConfig(AppConfig):
    name = "egenmakt.influence"
    label = "influence"
    verbose_name = _("User influence")
    default_auto_field = "django.db.models.BigAutoField"
    # What this app adds to the others (egenmakt/core/registry.py).
    contributes = {
        "navigation": "egenmakt.influence.registrations.NAVIGATION",
        "start_panels": "egenmakt.influence.registrations.START_PANELS",
        "personal_data": "egenmakt.influence.personal_data.PERSONAL_DATA",
        "notification_kinds": "egenmakt.influence.registrations.NOTIFICATION_KINDS",
        "plan_activities": "egenmakt.influence.selectors.plan_activities",
        "stored_figures": "egenmakt.influence.indicators.FIGURES",
    }
