from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstrumentsConfig(AppConfig):
    name = "egenmakt.instruments"
    label = "instruments"
    verbose_name = _("Instruments")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from egenmakt.accounts.navigation import register_nav
        from egenmakt.accounts.roles import Role

        from . import models
        from .registrations import register_account_subjects

        # Definitions are not personal data: their change history belongs in auditlog.
        # Responses are, and are logged through the access log instead (no copies of
        # answers in a second log).
        auditlog.register(models.InstrumentDefinition, exclude_fields=["definition"])
        register_account_subjects()
        register_nav(
            _("Instruments"),
            "instruments:list",
            roles=[r for r in Role.values if r != Role.ANALYST],
            order=60,
        )
