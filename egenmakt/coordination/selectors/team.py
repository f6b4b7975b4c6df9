"""Reads about the care team."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from egenmakt.coordination.models import (
    CareTeamMember,
    Client,
)

# INFERRED: how long a hand-over note stays on the client's page; the method names the
# problem (staff changes), not a period.
HANDOVER_DAYS = 90


def active_team(client: Client) -> list[CareTeamMember]:
    return list(
        client.team.filter(ended_on__isnull=True)
        .select_related("user", "organisation")
        .order_by("role", "started_on", "id")
    )


def recent_handovers(client: Client, today: date | None = None) -> list[CareTeamMember]:
    """The hand-over notes of people who left the care team lately, newest first
    (``HANDOVER_DAYS``)."""
    today = today or timezone.localdate()
    return list(
        client.team.filter(ended_on__gte=today - timedelta(days=HANDOVER_DAYS))
        .exclude(handover_note="")
        .select_related("user", "organisation")
        .order_by("-ended_on", "-pk")
    )
