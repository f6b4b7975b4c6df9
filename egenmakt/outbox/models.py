"""E-mail on its way out: written in the same transaction as what it is about.

A receipt, an invitation or a decision letter is a row here before it is a message on
the wire. The row is written together with the application (or decision) it belongs to,
so a mail server that is down never loses either; the task queue delivers it and retries
with growing pauses. Once delivered, the body is blanked: it may hold a private link, and
the outbox is not an archive of letters.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Could not be sent")


class OutgoingEmail(models.Model):
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    # An iCalendar attachment (an interview invitation), as text.
    calendar = models.TextField(_("calendar file"), blank=True, default="")
    # What the e-mail is for ("application receipt"...), and whose personal data it
    # carries, so erasure of that person finds it.
    purpose = models.CharField(_("purpose"), max_length=64)
    person_label = models.CharField(max_length=100, blank=True, default="")
    person_id = models.CharField(max_length=64, blank=True, default="")
    status = models.CharField(
        _("status"), max_length=16, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["person_label", "person_id"], name="outbox_person"),
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} – {self.get_status_display()}"
