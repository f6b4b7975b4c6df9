"""Supervision meetings of working peer supporters and who attended them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# --- Supervision -----------------------------------------------------------------------


class MeetingKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    GROUP = "group", _("Group")


class SupervisionMeeting(models.Model):
    """A supervisor with own experience meets working peer supporters (handbook p. 21)."""

    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisor"),
        related_name="supervision_meetings",
        on_delete=models.PROTECT,
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices)
    starts_at = models.DateTimeField(_("time"))
    place = models.CharField(_("place"), max_length=200)

    class Meta:
        verbose_name = _("supervision meeting")
        verbose_name_plural = _("supervision meetings")
        ordering = ["-starts_at"]
        indexes = [
            models.Index(fields=["supervisor", "starts_at"], name="supervision_supervisor_time")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class SupervisionAttendance(models.Model):
    """One peer supporter at one meeting; the notes about them are an instrument
    response about this row, private to the supervisor and the peer supporter."""

    meeting = models.ForeignKey(
        SupervisionMeeting, related_name="attendance", on_delete=models.CASCADE
    )
    peer_supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("peer supporter"),
        related_name="supervision_attendance",
        on_delete=models.PROTECT,
    )
    attended = models.BooleanField(_("took part"), null=True, blank=True)

    class Meta:
        verbose_name = _("supervision participant")
        verbose_name_plural = _("supervision participants")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "peer_supporter"], name="supervision_once"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} – {self.peer_supporter}"
