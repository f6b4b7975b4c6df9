"""Changes in user-influence work: each in a transaction, checked, and logged."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.core.rules import require

from .models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Capacity,
    CareArea,
    Forum,
    ForumMeeting,
    ForumMember,
    InfluenceOrganisation,
    OutreachContact,
)
from .rules import is_area_coordinator, may_submit_for

if TYPE_CHECKING:
    from egenmakt.accounts.models import User


class InfluenceError(Exception):
    pass


@transaction.atomic
def save_organisation(
    *,
    user: User,
    area: CareArea,
    organisation: InfluenceOrganisation | None,
    data: dict[str, Any],
) -> InfluenceOrganisation:
    """Create or update an organisation mapped in ``area`` (a coordinator's work)."""
    require(is_area_coordinator(user, area))
    areas = list(data.pop("areas", []) or [])
    if area not in areas:
        areas.append(area)
    require(all(is_area_coordinator(user, a) for a in areas))
    if organisation is None:
        organisation = InfluenceOrganisation(**data)
    else:
        require(organisation.areas.filter(pk=area.pk).exists())
        for field, value in data.items():
            setattr(organisation, field, value)
    organisation.full_clean()
    organisation.save()
    organisation.areas.set(areas)
    log_access(actor=user, action=Action.CHANGE, obj=organisation)
    return organisation


@transaction.atomic
def save_forum(
    *,
    user: User,
    area: CareArea,
    forum: Forum | None,
    data: dict[str, Any],
) -> Forum:
    require(is_area_coordinator(user, area))
    if forum is None:
        forum = Forum(area=area, **data)
    else:
        require(forum.area_id == area.pk)
        for field, value in data.items():
            setattr(forum, field, value)
    if forum.ended_on and forum.started_on and forum.ended_on < forum.started_on:
        raise InfluenceError(_("A forum cannot end before it starts."))
    forum.full_clean()
    forum.save()
    log_access(actor=user, action=Action.CHANGE, obj=forum)
    return forum


@transaction.atomic
def add_member(
    *,
    user: User,
    forum: Forum,
    name: str,
    capacity: str,
    organisation: InfluenceOrganisation | None,
    since: date,
    account: Any = None,
) -> ForumMember:
    require(is_area_coordinator(user, forum.area))
    if capacity not in Capacity.values:
        raise InfluenceError(_("Choose how the member takes part."))
    if capacity == Capacity.REPRESENTATIVE and organisation is None:
        raise InfluenceError(_("A user representative speaks for an organisation: choose it."))
    member = ForumMember(
        forum=forum,
        name=name.strip(),
        capacity=capacity,
        organisation=organisation if capacity == Capacity.REPRESENTATIVE else None,
        since=since,
        user=account if capacity == Capacity.REPRESENTATIVE else None,
    )
    member.full_clean()
    member.save()
    log_access(actor=user, action=Action.CREATE, obj=member)
    return member


@transaction.atomic
def end_membership(*, user: User, member: ForumMember, until: date) -> ForumMember:
    require(is_area_coordinator(user, member.forum.area))
    if until < member.since:
        raise InfluenceError(_("A membership cannot end before it starts."))
    member.until = until
    member.save(update_fields=["until"])
    log_access(actor=user, action=Action.CHANGE, obj=member)
    return member


@transaction.atomic
def add_meeting(*, user: User, forum: Forum, day: date, note: str) -> ForumMeeting:
    require(is_area_coordinator(user, forum.area))
    meeting = ForumMeeting.objects.create(forum=forum, day=day, note=note.strip()[:300])
    log_access(actor=user, action=Action.CREATE, obj=meeting)
    return meeting


@transaction.atomic
def submit_activity(
    *,
    user: User,
    area: CareArea,
    organisation: InfluenceOrganisation,
    kind: str,
    title: str,
    description: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
) -> Activity:
    """An organisation's member (or the coordinator) submits an activity; a coordinator's
    own submission still waits for approval like everyone else's."""
    require(may_submit_for(user, organisation, area))
    if kind not in ActivityKind.values:
        raise InfluenceError(_("Choose the kind of activity."))
    if ends_at <= starts_at:
        raise InfluenceError(_("The activity must end after it starts."))
    if not title.strip() or not place.strip():
        raise InfluenceError(_("Give the activity a title and a place."))
    activity = Activity.objects.create(
        area=area,
        organisation=organisation,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        submitted_by=user,
    )
    log_access(actor=user, action=Action.CREATE, obj=activity)
    return activity


@transaction.atomic
def decide_activity(
    *,
    user: User,
    activity: Activity,
    approve: bool,
    reason: str = "",
) -> Activity:
    locked = (
        Activity.objects.select_for_update(of=("self",))
        .select_related("area__organisation", "area__co_organisation")
        .get(pk=activity.pk)
    )
    require(is_area_coordinator(user, locked.area))
    if not approve and not reason.strip():
        raise InfluenceError(_("Say why the activity is not approved."))
    locked.status = ActivityStatus.APPROVED if approve else ActivityStatus.REJECTED
    locked.reason = "" if approve else reason.strip()[:300]
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    log_access(actor=user, action=Action.CHANGE, obj=locked)
    return locked


@transaction.atomic
def set_units(*, user: User, area: CareArea, units: list[Any]) -> None:
    require(is_area_coordinator(user, area))
    area.units.set(units)
    log_access(actor=user, action=Action.CHANGE, obj=area)


@transaction.atomic
def set_co_organisation(*, user: User, area: CareArea, organisation: Any) -> CareArea:
    """Name (or remove, with None) the area's second coordinating organisation; its
    coordinators get the same rights as the first's."""
    require(is_area_coordinator(user, area))
    if organisation is not None and organisation.pk == area.organisation_id:
        raise InfluenceError(_("The area is coordinated by that organisation already."))
    area.co_organisation = organisation
    area.save(update_fields=["co_organisation"])
    log_access(actor=user, action=Action.CHANGE, obj=area, reason="joint coordination")
    return area


@transaction.atomic
def record_outreach(*, user: User, area: CareArea, data: dict[str, Any]) -> OutreachContact:
    """A contact of the coordinators with one of the area's organisations."""
    require(is_area_coordinator(user, area))
    organisation = data["organisation"]
    if not organisation.areas.filter(pk=area.pk).exists():
        raise InfluenceError(_("Choose one of the area's organisations."))
    if data["contacted_on"] > timezone.localdate():
        raise InfluenceError(_("A contact is recorded on its day or after."))
    contact = OutreachContact.objects.create(
        area=area,
        organisation=organisation,
        contacted_on=data["contacted_on"],
        channel=data["channel"],
        purpose=data["purpose"],
        note=data.get("note", "").strip(),
        recorded_by=user,
    )
    log_access(actor=user, action=Action.CREATE, obj=contact, reason="outreach")
    return contact
