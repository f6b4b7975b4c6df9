from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "egenmakt.accounts"
    label = "accounts"
    verbose_name = _("People and organisations")
    # What this app adds to the others (egenmakt/core/registry.py).
    contributes = {
        "navigation": "egenmakt.accounts.registrations.NAVIGATION",
        "start_panels": "egenmakt.accounts.registrations.START_PANELS",
        "personal_data": "egenmakt.accounts.personal_data.PERSONAL_DATA",
        "log_review_flags": "egenmakt.accounts.registrations.LOG_REVIEW_FLAGS",
    }

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.User, exclude_fields=["password", "last_login"])
        auditlog.register(models.Organisation)
        auditlog.register(models.Membership)
