from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    name = "egenmakt.sso"
    label = "sso"
    verbose_name = _("Sign-in through OpenID Connect")
    default_auto_field = "django.db.models.BigAutoField"
    # What this app adds to the others (egenmakt/core/registry.py).
    contributes = {
        "personal_data": "egenmakt.sso.personal_data.PERSONAL_DATA",
        "sign_in_methods": "egenmakt.sso.registrations.SIGN_IN_METHODS",
    }
