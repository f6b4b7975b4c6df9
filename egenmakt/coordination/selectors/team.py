"""Reads about the care team."""

from __future__ import annotations

from egenmakt.coordination.models import (
    CareTeamMember,
    Client,
)


def active_team(client: Client) -> list[CareTeamMember]:
    return list(
        client.team.filter(ended_on__isnull=True)
        .select_related("user", "organisation")
        .order_by("role", "started_on", "id")
    )
