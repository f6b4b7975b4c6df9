"""One notice to one person by the channel they chose for its kind.

The callers (reminders, bookings, messages) render the texts in the recipient's language
and hand them here; ``notify`` picks e-mail, SMS or nothing and queues it in the caller's
transaction. The texts never carry sensitive content: who, when, where and a link.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from egenmakt.core.notifications import NotificationKind
from egenmakt.core.registry import contributions

from .models import Channel, NotificationPreference
from .services import queue_email, queue_sms
from .sms import normalise_phone, sms_available


@dataclass(frozen=True)
class Recipient:
    email: str = ""
    phone: str = ""
    language: str = "sv"
    user_id: int | None = None  # whose channel preferences apply (None: no account)


def notification_kinds(audience: str | None = None) -> list[NotificationKind]:
    """Every contributed kind; with ``audience`` ("client", "staff"), those it reaches."""
    kinds = contributions("notification_kinds", NotificationKind)
    if audience is None:
        return list(kinds)
    return [kind for kind in kinds if kind.audience in (audience, "any")]


def notification_kind(key: str) -> NotificationKind:
    for kind in notification_kinds():
        if kind.key == key:
            return kind
    raise LookupError(f"No notification kind {key!r} is contributed.")


def chosen_channel(*, user_id: int | None, kind: str) -> str:
    """The channel a person chose for ``kind``, else the kind's default."""
    if user_id is not None:
        chosen = (
            NotificationPreference.objects.filter(user_id=user_id, kind=kind)
            .values_list("channel", flat=True)
            .first()
        )
        if chosen:
            return chosen
    return notification_kind(kind).default


def channel_for(recipient: Recipient, kind: str) -> str:
    """Where a notice of ``kind`` to ``recipient`` goes: "email", "sms" or "none"."""
    notification_kind(kind)  # an unknown kind is a programming error, found at once
    has_email = bool(recipient.email)
    has_phone = bool(normalise_phone(recipient.phone)) and sms_available()
    if recipient.user_id is None:
        # No account, so no choice made: e-mail, else SMS.
        return Channel.EMAIL if has_email else Channel.SMS if has_phone else Channel.NONE
    chosen = chosen_channel(user_id=recipient.user_id, kind=kind)
    if chosen == Channel.NONE:
        return Channel.NONE
    if chosen == Channel.SMS and has_phone:
        return Channel.SMS
    # SMS chosen but no number (or no provider): e-mail rather than nothing.
    return Channel.EMAIL if has_email else Channel.SMS if has_phone else Channel.NONE


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
    channel = channel_for(recipient, kind)
    if channel == Channel.EMAIL:
        queue_email(
            to=recipient.email,
            subject=subject,
            body=body,
            purpose=purpose,
            person=person,
            calendar=calendar,
        )
    elif channel == Channel.SMS:
        queue_sms(to=recipient.phone, text=sms, purpose=purpose, person=person)
    return str(channel)
