"""One notice to one person by the channel they chose for its kind (minimal: e-mail)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from .services import queue_email


@dataclass(frozen=True)
class Recipient:
    email: str = ""
    phone: str = ""
    language: str = "sv"
    user_id: int | None = None  # whose channel preferences apply (None: no account)


def notify(
    *,
    recipient: Recipient,
    kind: str,
    subject: str,
    body: str,
    sms: str,
    purpose: str,
    person: models.Model | None = None,
    calendar: str = "",
) -> str:
    """Queue one message to ``recipient`` by their chosen channel for ``kind``:
    "email" (queue_email), "sms" (queue_sms) or "none". Returns the channel used.
    No account: e-mail if there is an address, else SMS if a phone, else none."""
    if not recipient.email:
        return "none"
    queue_email(
        to=recipient.email,
        subject=subject,
        body=body,
        purpose=purpose,
        person=person,
        calendar=calendar,
    )
    return "email"
