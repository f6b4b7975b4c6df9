from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "egenmakt.accounts"
    label = "accounts"
    verbose_name = _("People and organisations")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.User, exclude_fields=["password", "last_login"])
        auditlog.register(models.Organisation)
        auditlog.register(models.Membership)

        from egenmakt.audit.registry import register_person_model

        register_person_model(models.User)

        from .navigation import register_nav
        from .roles import Role

        register_nav(_("Administration"), "administration:overview", [Role.ADMIN], order=90)
