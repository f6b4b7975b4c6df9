"""The early-warning plan: signs, what helps, who to call."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .clients import Client


class EarlyWarningPlan(models.Model):
    """Who holds a copy of the client's early-warning plan and when it was last reviewed.

    The content is the latest submitted "Tidiga varningstecken med åtgärder" worksheet
    (the client's signs, what they will do, what others should do, whom to call); this row
    adds what the worksheet cannot: the copies handed out and the reviews at the meetings.
    """

    client = models.OneToOneField(Client, related_name="warning_plan", on_delete=models.CASCADE)
    copies_held_by = models.CharField(_("who holds a copy"), max_length=300, blank=True)
    reviewed_on = models.DateField(_("last reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("early-warning plan")
        verbose_name_plural = _("early-warning plans")

    def __str__(self) -> str:
        return f"{self.client_id}"
