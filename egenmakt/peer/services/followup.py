"""Follow-up use-cases: events for trained peer supporters, attendance, sick leave."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from egenmakt.accounts.models import Organisation, User
from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.core.calendar import CalendarEvent, calendar_file
from egenmakt.core.rules import require
from egenmakt.outbox.services import queue_email
from egenmakt.peer.models import (
    FollowUpEvent,
    FollowUpInvitation,
    FollowUpKind,
    Placement,
    SickLeave,
)
from egenmakt.peer.rules import is_network_coordinator, may_place
from egenmakt.peer.selectors.followup import trained_peer_supporters
from egenmakt.peer.services.recruitment import RecruitmentError, absolute_url


def event_calendar(event: FollowUpEvent) -> str:
    item = CalendarEvent(
        uid=f"{event.calendar_uid}@egenmakt",
        starts=event.starts_at,
        ends=event.ends_at,
        summary=event.title,
        description=event.description,
        location=event.place,
    )
    return calendar_file([item], product="Uppfoljning", method="REQUEST")


@transaction.atomic
def create_event(
    *,
    user: User,
    network: Organisation,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    description: str = "",
) -> FollowUpEvent:
    """Create the event and invite every trained peer supporter of the network."""
    require(is_network_coordinator(user, network), "create follow-up event")
    if kind not in FollowUpKind.values:
        raise RecruitmentError(_("Unknown kind of event."))
    if ends_at <= starts_at:
        raise RecruitmentError(_("The event must end after it starts."))
    if not title.strip() or not place.strip():
        raise RecruitmentError(_("Give the event a title and a place."))
    event = FollowUpEvent.objects.create(
        network=network,
        kind=kind,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        description=description.strip(),
        created_by=user,
    )
    people = list(trained_peer_supporters(network))
    FollowUpInvitation.objects.bulk_create(
        FollowUpInvitation(event=event, peer_supporter=p, was_working=getattr(p, "working", False))
        for p in people
    )
    calendar = event_calendar(event)
    link = absolute_url(reverse("peer:follow_up_mine"))
    for person in people:
        with translation.override(person.preferred_language):
            queue_email(
                to=person.email,
                subject=_("Invitation: %(title)s") % {"title": event.title},
                body=render_to_string(
                    "peer/emails/follow_up_invitation.txt",
                    {"event": event, "person": person, "link": link},
                ),
                purpose="follow-up invitation",
                person=person,
                calendar=calendar,
            )
    log_access(actor=user, action=Action.CREATE, obj=event, organisation=network)
    return event


@transaction.atomic
def mark_attendance(*, user: User, event: FollowUpEvent, present: set[int]) -> None:
    require(is_network_coordinator(user, event.network), "follow-up attendance")
    for row in event.invitations.select_for_update():
        row.attended = row.peer_supporter_id in present
        row.save(update_fields=["attended"])
    log_access(actor=user, action=Action.CHANGE, obj=event, reason=AuditEvent.ATTENDANCE_TAKEN)


# --- Sick leave ------------------------------------------------------------------------


@transaction.atomic
def report_sick_leave(
    *,
    user: User,
    placement: Placement,
    starts_on: date,
    ends_on: date,
) -> SickLeave:
    require(may_place(user, placement.workplace), "sick leave")
    if ends_on < starts_on:
        raise RecruitmentError(_("The sick leave cannot end before it starts."))
    if starts_on < placement.starts_on or (placement.ends_on and ends_on > placement.ends_on):
        raise RecruitmentError(_("The sick leave must fall within the placement."))
    overlapping = placement.sick_leave.filter(starts_on__lte=ends_on, ends_on__gte=starts_on)
    if overlapping.exists():
        raise RecruitmentError(_("Sick leave is already reported for some of these days."))
    row = SickLeave.objects.create(
        placement=placement, starts_on=starts_on, ends_on=ends_on, recorded_by=user
    )
    log_access(
        actor=user,
        action=Action.CREATE,
        person=placement.peer_supporter,
        obj=row,
    )
    return row
