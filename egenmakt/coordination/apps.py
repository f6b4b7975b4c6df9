from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "egenmakt.coordination"
    label = "coordination"
    verbose_name = _("Coordination in resource groups")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from egenmakt.accounts.navigation import register_nav
        from egenmakt.accounts.roles import Role
        from egenmakt.accounts.start_panels import register_start_panel
        from egenmakt.audit.registry import register_person_model

        from . import models
        from .registrations import export_client_data, register_coordination_subjects
        from .views.meetings import meetings_due_panel

        register_person_model(models.Client, export=export_client_data)
        register_coordination_subjects()
        register_nav(
            _("My clients"),
            "coordination:clients",
            roles=[Role.CASE_MANAGER, Role.SUPERVISOR, Role.PEER_SUPPORTER],
            order=40,
        )
        register_nav(
            _("Emergency access"),
            "coordination:emergency",
            roles=[Role.CASE_MANAGER, Role.SUPERVISOR],
            order=41,
        )
        register_start_panel(
            Role.CASE_MANAGER, "coordination/partials/meetings_due.html", meetings_due_panel
        )
