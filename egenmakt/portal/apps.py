from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "egenmakt.portal"
    label = "portal"
    verbose_name = _("The client's own pages")
    default_auto_field = "django.db.models.BigAutoField"
    # What this app adds to the others (egenmakt/core/registry.py).
    contributes = {
        "personal_data": "egenmakt.portal.personal_data.PERSONAL_DATA",
        "homes": "egenmakt.portal.registrations.HOMES",
        "two_factor_rules": "egenmakt.portal.registrations.TWO_FACTOR_RULES",
        "actor_scopes": "egenmakt.portal.registrations.ACTOR_SCOPES",
        "client_self": "egenmakt.portal.registrations.CLIENT_SELF",
        "sign_in_methods": "egenmakt.portal.registrations.SIGN_IN_METHODS",
    }
