"""Queue e-mail (in the caller's transaction) and deliver it from the task queue."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.utils import timezone

from .models import EmailStatus, OutgoingEmail

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
            email.last_error = f"{type(exc).__name__}: {exc}"[:300]
            if email.attempts >= MAX_ATTEMPTS:
                email.status = EmailStatus.FAILED
                email.next_attempt_at = None
            else:
                email.next_attempt_at = timezone.now() + RETRY_PAUSES[email.attempts - 1]
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
    label, pk = person_key(person)
    deleted, _rows = OutgoingEmail.objects.filter(person_label=label, person_id=pk).delete()
    return deleted


def withhold_emails_about(person: models.Model, reason: str) -> int:
    """Stop the e-mails about a person that are still waiting (a client's restriction of
    processing): they are never sent, their text is dropped, and the row says why."""
    label, pk = person_key(person)
    return OutgoingEmail.objects.filter(
        person_label=label, person_id=pk, status=EmailStatus.QUEUED
    ).update(
        status=EmailStatus.FAILED,
        next_attempt_at=None,
        last_error=reason[:300],
        body="",
        calendar="",
    )
