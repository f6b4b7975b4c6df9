from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeerConfig(AppConfig):
    name = "egenmakt.peer"
    label = "peer"
    verbose_name = _("PEER programme")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from egenmakt.accounts.navigation import register_nav
        from egenmakt.accounts.roles import Role
        from egenmakt.audit.registry import register_person_model

        from . import models
        from .registrations import register_peer_subjects

        register_person_model(models.Application)
        # Rounds and letters are not personal data: their history belongs in auditlog.
        auditlog.register(models.RecruitmentRound)
        auditlog.register(models.LetterTemplate)
        register_peer_subjects()
        register_nav(
            _("Recruitment"), "peer:rounds", roles=[Role.COORDINATOR, Role.INTERVIEWER], order=20
        )
        register_nav(_("My interviews"), "peer:my_interviews", roles=[Role.INTERVIEWER], order=21)
