"""What the user movement offers a client: the care-collaboration areas a client lives in
and the coming activities of the public calendar there (the client's portal, and the
care team's plan through coordination's "plan_activities" contribution)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from .models import Activity, ActivityStatus, CareArea

if TYPE_CHECKING:
    from egenmakt.coordination.selectors.plan import CalendarActivity

# How many coming activities the portal and the plan list at most (INFERRED: a phone page
# stays short; the public calendar has the rest).
COMING_LIMIT = 30


def areas_of_client(client: Any) -> QuerySet[CareArea]:
    """The areas whose units include the client's home organisation or one above it (the
    same rule the indicators use for "clients in the area")."""
    return CareArea.objects.filter(units__in=client.organisation.ancestor_ids()).distinct()


def coming_activities(client: Any) -> QuerySet[Activity]:
    """The approved activities, not yet over, of the client's areas: what the public
    calendar shows there, soonest first; nothing submitted or refused, no other area."""
    return (
        Activity.objects.filter(
            area__in=areas_of_client(client),
            status=ActivityStatus.APPROVED,
            ends_at__gte=timezone.now(),
        )
        .select_related("organisation", "area")
        .order_by("starts_at", "pk")[:COMING_LIMIT]
    )


def when_text(activity: Activity) -> str:
    """The start as words for a plan's "when" ("tisdag 12 januari 2027 18:00")."""
    starts = timezone.localtime(activity.starts_at)
    return f"{date_format(starts, 'l j F Y')} {date_format(starts, 'H:i')}"


def plan_activities(client: Any) -> list[CalendarActivity]:
    """The coming activities as coordination's plan offers them as measures."""
    from egenmakt.coordination.selectors.plan import CalendarActivity

    return [
        CalendarActivity(
            key=str(activity.uid),
            title=activity.title,
            organisation=activity.organisation.name,
            when=when_text(activity),
            place=activity.place,
        )
        for activity in coming_activities(client)
    ]
