from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeerConfig(AppConfig):
    name = "egenmakt.peer"
    label = "peer"
    verbose_name = _("PEER programme")
    # What this app adds to the others (egenmakt/core/registry.py).
    contributes = {
        "navigation": "egenmakt.peer.registrations.NAVIGATION",
        "start_panels": "egenmakt.peer.registrations.START_PANELS",
        "notification_kinds": "egenmakt.peer.registrations.NOTIFICATION_KINDS",
        "personal_data": "egenmakt.peer.personal_data.PERSONAL_DATA",
        "subjects": "egenmakt.peer.registrations.SUBJECTS",
        "reason_details": "egenmakt.peer.registrations.reason_details",
    }

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        # Rounds, letters, the course plan and the libraries are not personal data: their
        # history belongs in auditlog.
        auditlog.register(models.RecruitmentRound)
        auditlog.register(models.LetterTemplate)
        auditlog.register(models.CoursePlanItem)
        auditlog.register(models.HomeworkTemplate)
        auditlog.register(models.Exercise)
