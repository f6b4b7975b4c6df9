"""The care team: who holds a seat around a client, for which organisation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .clients import Client


class TeamRole(models.TextChoices):
    CASE_MANAGER = "case_manager", _("Case manager")
    METHOD_SUPERVISOR = "method_supervisor", _("Method supervisor")
    PEER_SUPPORTER = "peer_supporter", _("Peer supporter")


class CareTeamMember(models.Model):
    """A person in the client's care team, acting for one organisation."""

    client = models.ForeignKey(Client, related_name="team", on_delete=models.CASCADE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        related_name="care_teams",
        on_delete=models.PROTECT,
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("acting for"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    role = models.CharField(_("role in the team"), max_length=32, choices=TeamRole.choices)
    started_on = models.DateField(_("from"), default=timezone.localdate)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    # Why two case managers from the same organisation, when the warning was passed.
    warning_reason = models.CharField(max_length=300, blank=True, default="")
    # Written by (or for) a case manager who leaves: what the one who takes over needs to
    # know. Shown on the client's page to the care team (``selectors.team.HANDOVER_DAYS``).
    handover_note = models.TextField(_("hand-over note"), blank=True, default="")

    class Meta:
        verbose_name = _("care-team member")
        verbose_name_plural = _("care team")
        ordering = ["role", "started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "user"],
                condition=Q(ended_on__isnull=True),
                name="careteam_one_active_seat_per_person",
            ),
        ]
        indexes = [models.Index(fields=["user", "ended_on"], name="careteam_user_active")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"

    @property
    def active(self) -> bool:
        return self.ended_on is None
