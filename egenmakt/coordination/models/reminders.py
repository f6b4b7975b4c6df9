"""The log of reminders sent about a client: each one once per occasion.

It lives in coordination, not in the outbox: its rows are part of the client's record
(listed on the client's page, erased with the client), and the rules that write it are
coordination's. The outbox keeps the message itself, whatever sent it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .clients import Client


class ReminderRole(models.TextChoices):
    """To whom a reminder went, by role (the page shows this, never the text)."""

    CLIENT = "client", _("The client")
    MEMBER = "member", _("A resource-group member")
    RESPONSIBLE = "responsible", _("The person responsible for the plan")
    CASE_MANAGER = "case_manager", _("A case manager")


class SentReminder(models.Model):
    """One reminder sent for one occasion to one person: the unique key makes a second
    run of the daily job (or two at once) send nothing more."""

    client = models.ForeignKey(Client, related_name="reminders", on_delete=models.CASCADE)
    rule = models.CharField(_("reminder"), max_length=40)
    # What it is about and when, e.g. "meeting:12" or "action:7:overdue:2026-W49".
    occasion = models.CharField(max_length=100)
    # Who, as a key ("user:5", "member:3", "client:9"): no address is kept here.
    recipient = models.CharField(max_length=40)
    role = models.CharField(_("to"), max_length=16, choices=ReminderRole.choices)
    channel = models.CharField(_("channel"), max_length=8, default="none")
    sent_at = models.DateTimeField(_("sent"))

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "occasion", "recipient"], name="reminder_once_per_occasion"
            )
        ]
        indexes = [models.Index(fields=["client", "sent_at"], name="reminder_client_sent")]

    def __str__(self) -> str:
        return f"{self.rule} {self.occasion} {self.recipient}"
