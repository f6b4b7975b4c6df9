"""Messages between meetings: the client and their care team write to each other in
threads, one per topic, with read marks per reader."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .clients import Client


def message_file_name(instance: Message, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"meddelanden/{instance.thread.client_id}/{uuid.uuid4().hex}.{extension}"


class MessageThread(models.Model):
    """One topic of messages between the client and their care team."""

    client = models.ForeignKey(Client, related_name="message_threads", on_delete=models.CASCADE)
    subject = models.CharField(_("topic"), max_length=150)
    # The organisation the thread started in (the care team's seat, or the client's home).
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    last_message_at = models.DateTimeField(_("last message"), default=timezone.now)

    class Meta:
        verbose_name = _("message thread")
        verbose_name_plural = _("message threads")
        ordering = ["-last_message_at", "-id"]
        indexes = [models.Index(fields=["client", "-last_message_at"])]

    def __str__(self) -> str:
        return self.subject


class Message(models.Model):
    """One message in a thread, by the client or a member of the care team."""

    thread = models.ForeignKey(MessageThread, related_name="messages", on_delete=models.CASCADE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    # Written by the client themself (their own login), else by the care team.
    by_client = models.BooleanField(_("by the client"), default=False)
    text = models.TextField(_("message"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    attachment = models.FileField(
        _("attachment"), upload_to=message_file_name, blank=True, max_length=200
    )

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["sent_at", "id"]

    def __str__(self) -> str:
        return f"{self.thread_id}: {self.sent_at:%Y-%m-%d %H:%M}"


class MessageRead(models.Model):
    """How far one reader has read a thread, and when they were last told of it.

    A message is unread for a reader when it was sent after ``read_at`` by someone else. At
    most one notice goes to a reader per thread until they have read it: ``noticed_at``
    after ``read_at`` means a notice is waiting for them."""

    thread = models.ForeignKey(MessageThread, related_name="reads", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.CASCADE)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    noticed_at = models.DateTimeField(_("told of new messages"), null=True, blank=True)

    class Meta:
        verbose_name = _("read mark")
        verbose_name_plural = _("read marks")
        constraints = [
            models.UniqueConstraint(fields=["thread", "user"], name="one_read_mark_per_reader")
        ]

    def __str__(self) -> str:
        return f"{self.thread_id}/{self.user_id}"
