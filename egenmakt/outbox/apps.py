from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "egenmakt.outbox"
    label = "outbox"
    verbose_name = _("Outgoing e-mail")
    # What this app adds to the others (egenmakt/core/registry.py).
    contributes = {"personal_data": "egenmakt.outbox.personal_data.PERSONAL_DATA"}
