from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstrumentsConfig(AppConfig):
    name = "egenmakt.instruments"
    label = "instruments"
    verbose_name = _("Instruments")
    # What this app adds to the others (egenmakt/core/registry.py).
    contributes = {
        "personal_data": "egenmakt.instruments.personal_data.PERSONAL_DATA",
        "navigation": "egenmakt.instruments.registrations.NAVIGATION",
        "subjects": "egenmakt.instruments.registrations.SUBJECTS",
        "reason_details": "egenmakt.instruments.registrations.instrument_titles",
    }

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        # Definitions are not personal data: their change history belongs in auditlog.
        # Responses are, and are logged through the access log instead (no copies of
        # answers in a second log).
        auditlog.register(models.InstrumentDefinition, exclude_fields=["definition"])
