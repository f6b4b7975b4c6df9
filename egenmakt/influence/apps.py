from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InfluenceConfig(AppConfig):
    name = "egenmakt.influence"
    label = "influence"
    verbose_name = _("User influence")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from egenmakt.accounts.navigation import register_nav
        from egenmakt.accounts.roles import Role

        register_nav(
            _("User influence"),
            "influence:areas",
            roles=[Role.COORDINATOR, Role.ANALYST],
            order=30,
        )
        register_nav(
            _("Calendar activities"),
            "influence:submit",
            roles=[Role.LECTURER, Role.PEER_SUPPORTER, Role.COURSE_LEADER, Role.SUPERVISOR],
            order=31,
        )
