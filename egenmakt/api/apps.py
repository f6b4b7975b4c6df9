from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "egenmakt.api"
    label = "api"
    verbose_name = _("API")
    default_auto_field = "django.db.models.BigAutoField"
    # What this app adds to the others (egenmakt/core/registry.py).
    contributes = {
        "personal_data": "egenmakt.api.personal_data.PERSONAL_DATA",
        "account_closed": "egenmakt.api.registrations.ACCOUNT_CLOSED",
    }
