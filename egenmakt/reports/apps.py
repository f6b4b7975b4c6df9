from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "egenmakt.reports"
    label = "reports"
    verbose_name = _("Reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from egenmakt.accounts.navigation import register_nav
        from egenmakt.accounts.roles import Role

        register_nav(
            _("Programme report"),
            "reports:programme",
            roles=[Role.COORDINATOR, Role.ANALYST],
            order=27,
        )
