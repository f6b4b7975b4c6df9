"""E-mail on its way out: written in the same transaction as what it is about.

A receipt, an invitation or a decision letter is a row here before it is a message on
the wire. The row is written together with the application (or decision) it belongs to,
so a mail server that is down never loses either; the task queue delivers it and retries
with growing pauses. Once delivered, the body is blanked: it may hold a private link, and
the outbox is not an archive of letters.
"""

from __future__ import annotations

from django.conf import settings
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


class OutgoingSms(models.Model):
    """A text message on its way out, kept and delivered like an e-mail.

    The text never carries sensitive content (who, when, where and a link to sign in) and
    is blanked once the provider has taken it.
    """

    to = models.CharField(_("to"), max_length=20)  # E.164, "+46701234567"
    text = models.TextField(_("text"), blank=True)
    purpose = models.CharField(_("purpose"), max_length=64)
    person_label = models.CharField(max_length=100, blank=True, default="")
    person_id = models.CharField(max_length=64, blank=True, default="")
    status = models.CharField(
        _("status"), max_length=16, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True, default="")
    # The provider's id of the message, to look it up in their delivery reports.
    provider_id = models.CharField(_("provider's id"), max_length=64, blank=True, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing text message")
        verbose_name_plural = _("outgoing text messages")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["person_label", "person_id"], name="outbox_sms_person"),
            models.Index(fields=["status", "next_attempt_at"], name="outbox_sms_due"),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} – {self.get_status_display()}"


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message (SMS)")
    NONE = "none", _("None")


class NotificationPreference(models.Model):
    """How a person wants one kind of notice (``core.notifications.NotificationKind``):
    by e-mail, by text message or not at all. No row: the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    kind = models.CharField(_("kind"), max_length=64)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_pref_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.channel}"
