"""Reads about the plan: its decided versions."""

from __future__ import annotations

from django.db.models import F

from egenmakt.coordination.models import (
    ActionStatus,
    Client,
    Decision,
    Plan,
    PlanAction,
    PlanVersion,
)


def decided_versions(client: Client, plan: Plan) -> list[PlanVersion]:
    """The plan's decided versions, newest first, each with ``meeting``: the meeting where it
    was decided, or None."""
    versions = list(plan.versions.select_related("decided_by", "consent"))
    decided_at = {
        d.plan_version_id: d.meeting
        for d in Decision.objects.filter(
            plan_version__in=[v.pk for v in versions], meeting__client=client
        ).select_related("meeting")
    }
    for version in versions:
        version.meeting = decided_at.get(version.pk)  # type: ignore[attr-defined]
    return versions


def open_actions(client: Client) -> list[PlanAction]:
    """The plan's measures still to be done, the earliest due first (undated last)."""
    return list(
        PlanAction.objects.filter(
            plan__client=client, status__in=[ActionStatus.PLANNED, ActionStatus.ONGOING]
        ).order_by(F("due_on").asc(nulls_last=True), "pk")
    )
