"""Queue e-mail and text messages (in the caller's transaction) and deliver them from the
task queue, with the same retries and pauses."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.utils import timezone

from .models import Channel, EmailStatus, NotificationPreference, OutgoingEmail, OutgoingSms
from .sms import SmsError, get_backend, normalise_phone

# Pauses before the 2nd, 3rd... attempt; after the last one the e-mail is marked failed
# and shows as such to the coordinator.
RETRY_PAUSES = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
]
MAX_ATTEMPTS = len(RETRY_PAUSES) + 1


def person_key(person: models.Model) -> tuple[str, str]:
    return person._meta.label_lower, str(person.pk)


def queue_email(
    *,
    to: str,
    subject: str,
    body: str,
    purpose: str,
    person: models.Model | None = None,
    calendar: str = "",
) -> OutgoingEmail:
    """Write the e-mail and enqueue its delivery, inside the caller's transaction.

    With the database task backend the task row commits or rolls back together with the
    caller's data, so an e-mail is never sent about something that was not saved, and
    nothing saved is left without its e-mail. Should the task row still be lost, the
    ``send_due_emails`` sweep finds the queued e-mail by its due time.
    """
    label, pk = person_key(person) if person is not None else ("", "")
    email = OutgoingEmail.objects.create(
        to=to,
        subject=subject[:200],
        body=body,
        calendar=calendar,
        purpose=purpose,
        person_label=label,
        person_id=pk,
        next_attempt_at=timezone.now(),
    )
    from .tasks import deliver_email

    deliver_email.enqueue(email.pk)
    return email


def _message(email: OutgoingEmail) -> EmailMessage:
    message = EmailMessage(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
    )
    if email.calendar:
        message.attach("inbjudan.ics", email.calendar, "text/calendar; method=REQUEST")
    return message


def _failed(row: OutgoingEmail | OutgoingSms, error: str) -> None:
    """One attempt failed: keep why, and try again after the next pause (or give up)."""
    row.last_error = error[:300]
    if row.attempts >= MAX_ATTEMPTS:
        row.status = EmailStatus.FAILED
        row.next_attempt_at = None
    else:
        row.next_attempt_at = timezone.now() + RETRY_PAUSES[row.attempts - 1]


def deliver(email_id: int) -> OutgoingEmail | None:
    """Send one queued e-mail; on failure record why and when to try again.

    Returns None when there is nothing to do (sent already, erased, not due).
    """
    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update()
            .filter(pk=email_id, status=EmailStatus.QUEUED)
            .first()
        )
        if email is None:
            return None
        email.attempts += 1
        try:
            _message(email).send(fail_silently=False)
        except Exception as exc:
            _failed(email, f"{type(exc).__name__}: {exc}")
        else:
            email.status = EmailStatus.SENT
            email.sent_at = timezone.now()
            email.next_attempt_at = None
            email.last_error = ""
            # The letter has gone; its text (with any private link) is not kept here.
            email.body = ""
            email.calendar = ""
        email.save()
    return email


def due_emails() -> models.QuerySet[OutgoingEmail]:
    return OutgoingEmail.objects.filter(
        status=EmailStatus.QUEUED, next_attempt_at__lte=timezone.now()
    ).order_by("next_attempt_at")


def erase_emails_to(address: str) -> int:
    """Erase every e-mail to ``address`` (a person who leaves is anonymised)."""
    deleted, _rows = OutgoingEmail.objects.filter(to__iexact=address).delete()
    return deleted


def erase_emails_about(person: models.Model) -> int:
    """Erase every e-mail and text message about ``person``."""
    label, pk = person_key(person)
    deleted, _rows = OutgoingEmail.objects.filter(person_label=label, person_id=pk).delete()
    texts, _rows = OutgoingSms.objects.filter(person_label=label, person_id=pk).delete()
    return deleted + texts


def withhold_emails_about(person: models.Model, reason: str) -> int:
    """Stop the e-mails and text messages about a person that are still waiting (a client's
    restriction of processing): they are never sent, their text is dropped, and the row
    says why."""
    label, pk = person_key(person)
    emails = OutgoingEmail.objects.filter(
        person_label=label, person_id=pk, status=EmailStatus.QUEUED
    ).update(
        status=EmailStatus.FAILED,
        next_attempt_at=None,
        last_error=reason[:300],
        body="",
        calendar="",
    )
    texts = OutgoingSms.objects.filter(
        person_label=label, person_id=pk, status=EmailStatus.QUEUED
    ).update(status=EmailStatus.FAILED, next_attempt_at=None, last_error=reason[:300], text="")
    return emails + texts


# --- Text messages -------------------------------------------------------------------------


def queue_sms(
    *,
    to: str,
    text: str,
    purpose: str,
    person: models.Model | None = None,
) -> OutgoingSms:
    """Write the text message and enqueue its delivery, inside the caller's transaction
    (as ``queue_email``). ``to`` is normalised to E.164; a number that is not one is
    refused with ``ValueError``."""
    number = normalise_phone(to)
    if not number:
        raise ValueError(f"Not a phone number: {to!r}")
    label, pk = person_key(person) if person is not None else ("", "")
    sms = OutgoingSms.objects.create(
        to=number,
        text=text,
        purpose=purpose,
        person_label=label,
        person_id=pk,
        next_attempt_at=timezone.now(),
    )
    from .tasks import deliver_sms

    deliver_sms.enqueue(sms.pk)
    return sms


def deliver_sms(sms_id: int) -> OutgoingSms | None:
    """Send one queued text message through ``settings.SMS_BACKEND``; on failure record
    why and when to try again (the pauses of e-mail). None when there is nothing to do."""
    with transaction.atomic():
        sms = (
            OutgoingSms.objects.select_for_update()
            .filter(pk=sms_id, status=EmailStatus.QUEUED)
            .first()
        )
        if sms is None:
            return None
        sms.attempts += 1
        try:
            provider_id = get_backend().send(to=sms.to, text=sms.text)
        except SmsError as exc:
            _failed(sms, str(exc))
        except Exception as exc:
            _failed(sms, f"{type(exc).__name__}: {exc}")
        else:
            sms.status = EmailStatus.SENT
            sms.provider_id = provider_id[:64]
            sms.sent_at = timezone.now()
            sms.next_attempt_at = None
            sms.last_error = ""
            sms.text = ""  # sent: the text (with any link) is not kept here
        sms.save()
    return sms


def due_sms() -> models.QuerySet[OutgoingSms]:
    return OutgoingSms.objects.filter(
        status=EmailStatus.QUEUED, next_attempt_at__lte=timezone.now()
    ).order_by("next_attempt_at")


def erase_sms_to(number: str) -> int:
    """Erase every text message to ``number`` (a person who leaves is anonymised)."""
    normalised = normalise_phone(number)
    if not normalised:
        return 0
    deleted, _rows = OutgoingSms.objects.filter(to=normalised).delete()
    return deleted


# --- Channel preferences -------------------------------------------------------------------


def channel_choices(user_id: int) -> dict[str, str]:
    """The channels a person has chosen, by kind (kinds not chosen are absent)."""
    return dict(
        NotificationPreference.objects.filter(user_id=user_id).values_list("kind", "channel")
    )


def set_notification_channels(*, user_id: int, channels: dict[str, str]) -> None:
    """Record the person's channel for each kind (one row per kind, replaced)."""
    valid = set(Channel.values)
    with transaction.atomic():
        for kind, channel in channels.items():
            if channel not in valid:
                raise ValueError(f"Not a channel: {channel!r}")
            NotificationPreference.objects.update_or_create(
                user_id=user_id, kind=kind, defaults={"channel": channel}
            )
