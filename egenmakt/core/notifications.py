"""The kinds of notice a person may choose a channel for (contributed as
"notification_kinds", see ``egenmakt/core/registry.py``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise

StrOrPromise = str | Promise


@dataclass(frozen=True)
class NotificationKind:
    key: str  # e.g. "meeting_reminder"
    label: StrOrPromise  # shown on the settings page
    audience: str  # "client" | "staff" | "any"
    default: str = "email"  # "email" | "sms" | "none"
