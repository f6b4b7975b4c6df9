"""Send the day's reminders (``coordination/reminders.py``), each once per occasion."""

from __future__ import annotations

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from egenmakt.coordination.models import SentReminder
from egenmakt.coordination.reminders import RULES, Reminder, Rule, client_recipient
from egenmakt.outbox.notify import Recipient, notify


def send_reminders(
    *, today: date | None = None, now: datetime | None = None, rules: tuple[Rule, ...] = RULES
) -> int:
    """Run every rule for ``today`` and send what has not been sent for its occasion.
    Returns how many were sent (a channel of "none" counts: the occasion is used up).

    The log row and the message are written in one transaction: the unique key on (rule,
    occasion, recipient) makes a second run, or one running at the same time, skip it
    (the later insert fails and its message is rolled back with it)."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    reminders = [reminder for rule in rules for reminder in rule(today)]
    done = _already_sent(reminders)
    sent = 0
    for reminder in reminders:
        key = (reminder.rule, reminder.occasion, reminder.recipient_key)
        if key in done:
            continue
        done.add(key)
        if _send(reminder, now):
            sent += 1
    return sent


def _already_sent(reminders: list[Reminder]) -> set[tuple[str, str, str]]:
    if not reminders:
        return set()
    rows = SentReminder.objects.filter(
        rule__in={r.rule for r in reminders}, occasion__in={r.occasion for r in reminders}
    ).values_list("rule", "occasion", "recipient")
    return set(rows)


def _send(reminder: Reminder, now: datetime) -> bool:
    try:
        with transaction.atomic():
            row = SentReminder.objects.create(
                client=reminder.client,
                rule=reminder.rule,
                occasion=reminder.occasion,
                recipient=reminder.recipient_key,
                role=reminder.role,
                sent_at=now,
            )
            recipient = _with_choice(reminder)
            with translation.override(recipient.language):
                message = reminder.compose()
                channel = notify(
                    recipient=recipient,
                    kind=reminder.kind,
                    subject=message.subject,
                    body=message.body,
                    sms=message.sms,
                    purpose=f"reminder: {reminder.rule}",
                    person=reminder.client,
                )
            if channel != row.channel:
                row.channel = channel
                row.save(update_fields=["channel"])
    except IntegrityError:
        return False  # sent already, by another run
    return True


def _with_choice(reminder: Reminder) -> Recipient:
    """A reminder to the client goes by the channel the client chose on their own pages,
    when they have a login; read here, for what is sent, not for every rule's row."""
    if reminder.recipient.user_id is not None or not reminder.recipient_key.startswith("client:"):
        return reminder.recipient
    return client_recipient(reminder.client)
