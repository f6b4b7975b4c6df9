from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _is_participant(user: object) -> bool:
    from .models import Participant

    if not getattr(user, "is_authenticated", False):
        return False
    return Participant.objects.filter(user_id=getattr(user, "pk", 0)).exists()


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
        register_nav(
            _("Courses"),
            "peer:cohorts",
            roles=[Role.TRAINING_LEAD, Role.COURSE_LEADER, Role.LECTURER, Role.COORDINATOR],
            order=22,
        )
        register_nav(
            _("Workplaces"),
            "peer:workplaces",
            roles=[Role.COORDINATOR, Role.WORKPLACE_MANAGER],
            order=24,
        )
        register_nav(
            _("Supervision"),
            "peer:supervision",
            roles=[Role.SUPERVISOR, Role.PEER_SUPPORTER],
            order=25,
        )
        register_nav(
            _("Reunions and further training"),
            "peer:follow_up",
            roles=[Role.COORDINATOR, Role.PEER_SUPPORTER],
            order=26,
        )
        register_nav(_("My course"), "peer:my_course", roles=[], order=23, show=_is_participant)
