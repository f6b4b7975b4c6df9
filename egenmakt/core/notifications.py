"""The kinds of notice a person may choose a channel for (the "notification_kinds" kind of
``core.registry``). Apps contribute them in their ``AppConfig.contributes``; the settings
pages list them, and ``outbox.notify`` reads a kind's default channel."""

from __future__ import annotations

from dataclasses import dataclass

from django_stubs_ext import StrOrPromise

CHANNELS = ("email", "sms", "none")
AUDIENCES = ("client", "staff", "any")


@dataclass(frozen=True)
class NotificationKind:
    key: str  # e.g. "meeting_reminder"
    label: StrOrPromise  # shown on the settings page
    audience: str  # "client" | "staff" | "any"
    default: str = "email"  # "email" | "sms" | "none"

    def __post_init__(self) -> None:
        if self.audience not in AUDIENCES:
            raise ValueError(f"{self.key}: audience {self.audience!r} is not one of {AUDIENCES}")
        if self.default not in CHANNELS:
            raise ValueError(f"{self.key}: default {self.default!r} is not one of {CHANNELS}")
