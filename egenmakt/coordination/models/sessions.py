"""Booked mapping sessions: the mapping work planned ahead, 1–2 meetings a week for
2–4 months (domain.md 2), each becoming the step records of checklist K when held."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .clients import Client


class SessionStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class MappingSession(models.Model):
    """One booked meeting of the mapping work with the client: when, where, which steps
    of checklist K are planned (``checklist.STEPS`` keys) and which case managers come."""

    client = models.ForeignKey(Client, related_name="mapping_sessions", on_delete=models.CASCADE)
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=60)
    place = models.CharField(_("place"), max_length=200)
    planned_steps = models.JSONField(_("planned steps"), default=list, blank=True)
    booked = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked from the care team"),
        related_name="+",
        blank=True,
    )
    attended = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("present from the care team"),
        related_name="+",
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=SessionStatus.choices, default=SessionStatus.BOOKED
    )
    steps = models.ManyToManyField(
        "coordination.StepRecord", verbose_name=_("steps recorded"), related_name="+", blank=True
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("booked by organisation"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mapping session")
        verbose_name_plural = _("mapping sessions")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["client", "status", "starts_at"], name="mapsession_client_status"),
        ]

    def __str__(self) -> str:
        return f"{self.client_id} {self.starts_at:%Y-%m-%d %H:%M}"
