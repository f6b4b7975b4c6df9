"""Follow-up of trained peer supporters: sick leave, follow-up events and invitations."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from egenmakt.peer.models.placement import Placement


class SickLeave(models.Model):
    """Sick leave the employer reports for a working peer supporter: only the period,
    never a cause (the programme report counts the days)."""

    placement = models.ForeignKey(Placement, related_name="sick_leave", on_delete=models.CASCADE)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sick leave")
        verbose_name_plural = _("sick leave")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="sick_leave_forwards"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on}–{self.ends_on}"

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


# --- Follow-up: reunions and further training -------------------------------------------


class FollowUpKind(models.TextChoices):
    REUNION = "reunion", _("Reunion")
    FURTHER_TRAINING = "further_training", _("Further training")


class FollowUpEvent(models.Model):
    """A reunion or further-training day for every trained peer supporter of a network,
    working or still waiting for a job (handbook pp. 17, 21)."""

    network = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("network"),
        related_name="follow_up_events",
        on_delete=models.PROTECT,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=FollowUpKind.choices)
    title = models.CharField(_("title"), max_length=150)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200)
    description = models.TextField(_("what it is about"), max_length=2000, blank=True)
    calendar_uid = models.UUIDField(default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up event")
        verbose_name_plural = _("follow-up events")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="follow_up_forwards"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class FollowUpInvitation(models.Model):
    event = models.ForeignKey(FollowUpEvent, related_name="invitations", on_delete=models.CASCADE)
    peer_supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("peer supporter"),
        related_name="follow_up_invitations",
        on_delete=models.PROTECT,
    )
    was_working = models.BooleanField(_("had a job when invited"), default=False)
    invited_at = models.DateTimeField(auto_now_add=True)
    attended = models.BooleanField(_("took part"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "peer_supporter"], name="follow_up_invited_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} – {self.peer_supporter}"
