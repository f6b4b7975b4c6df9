"""The reminders sent about a client, for their overview (when, which, to whom by role)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.functional import Promise

from egenmakt.coordination.models import Client, ReminderRole, SentReminder
from egenmakt.coordination.reminders import RULE_LABELS

# The newest this many; the rest are in the client's copy of their data.
SHOWN = 20


@dataclass(frozen=True)
class SentRow:
    sent_at: datetime
    label: str | Promise
    to: str | Promise
    channel: str


def reminders_about(client: Client) -> list[SentRow]:
    """One query; never the text that was sent."""
    roles = dict(ReminderRole.choices)
    return [
        SentRow(
            row.sent_at, RULE_LABELS.get(row.rule, row.rule), roles.get(row.role, ""), row.channel
        )
        for row in SentReminder.objects.filter(client=client).order_by("-sent_at", "-id")[:SHOWN]
    ]
