"""Reads about the plan: its decided versions, its open measures, and the activities
near the client it can take up."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F

from egenmakt.coordination.models import (
    ActionStatus,
    Client,
    Decision,
    Plan,
    PlanAction,
    PlanVersion,
)
from egenmakt.core.registry import contributions


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


@dataclass(frozen=True)
class CalendarActivity:
    """A coming activity of the user movement near the client (``egenmakt.influence``
    contributes a function client -> list of them as "plan_activities"), which the care
    team can add to the plan as a measure; ``key`` names it when chosen."""

    key: str
    title: str
    organisation: str
    when: str
    place: str


def plan_activities(client: Client) -> list[CalendarActivity]:
    """Every app's coming activities for the client's area, in the order declared."""
    return [
        activity for offered in contributions("plan_activities") for activity in offered(client)
    ]
