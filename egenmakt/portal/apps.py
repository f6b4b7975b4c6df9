from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "egenmakt.portal"
    label = "portal"
    verbose_name = _("The client's own pages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from egenmakt.accounts.selectors import register_two_factor_rule
        from egenmakt.accounts.views import register_home
        from egenmakt.audit.selectors import register_actor_scope

        from .selectors import is_portal_user, portal_users_of

        # The client reads their own record: two factors, like everyone who sees it.
        register_two_factor_rule(is_portal_user)
        register_home(is_portal_user, "portal:start")
        # Auditors review the client's own reads too (PDL 4 kap. 3 §).
        register_actor_scope(portal_users_of)
