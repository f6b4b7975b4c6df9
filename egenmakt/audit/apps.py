from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "egenmakt.audit"
    label = "audit"
    verbose_name = _("Access log")

    def ready(self) -> None:
        from egenmakt.accounts.navigation import register_nav
        from egenmakt.accounts.roles import Role

        register_nav(_("Access log"), "audit:access_log", roles=[Role.AUDITOR], order=90)
        register_nav(_("Emergency accesses"), "audit:emergency", roles=[Role.AUDITOR], order=91)
