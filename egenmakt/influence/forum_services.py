"""Changes in forum work: agenda items, minutes and their confirmation, matters and
their outcome, and reports back. Each in a transaction, checked (``rules``), logged.
Reads are in ``forum_selectors``."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.core.rules import require

from .forum_selectors import agenda_open, has_minutes, is_held, minutes_digest
from .models import (
    AgendaItem,
    Capacity,
    Forum,
    ForumMeeting,
    ForumMember,
    ForumMinutesConfirmation,
    InfluenceOrganisation,
    Matter,
    MatterStatus,
    ReportBack,
)
from .rules import is_area_coordinator, organisations_spoken_for, representative_seat
from .services import InfluenceError

if TYPE_CHECKING:
    from egenmakt.accounts.models import User

CORRECTION_MAX = 2000
REPORT_MAX = 4000


@transaction.atomic
def add_agenda_item(
    *,
    user: User,
    meeting: ForumMeeting,
    organisation: InfluenceOrganisation | None,
    title: str,
    description: str,
) -> AgendaItem:
    """A member organisation (through one of its members) or the coordinator (no
    organisation) adds an item before the meeting."""
    forum = meeting.forum
    if organisation is None:
        require(is_area_coordinator(user, forum.area))
    else:
        require(organisation in organisations_spoken_for(user, forum))
    if not agenda_open(meeting):
        raise InfluenceError(_("The meeting has been held: its agenda is closed."))
    if not title.strip():
        raise InfluenceError(_("Name the item."))
    item = AgendaItem.objects.create(
        meeting=meeting,
        organisation=organisation,
        title=title.strip()[:200],
        description=description.strip()[:2000],
        added_by=user,
    )
    log_access(actor=user, action=Action.CREATE, obj=item)
    return item


@transaction.atomic
def save_minutes(*, user: User, meeting: ForumMeeting, text: str) -> ForumMeeting:
    """The coordinator writes (or changes) the minutes after the meeting. Confirmations
    of an earlier text stay, and show as confirming an earlier text."""
    locked = (
        ForumMeeting.objects.select_for_update().select_related("forum__area").get(pk=meeting.pk)
    )
    require(is_area_coordinator(user, locked.forum.area))
    if not is_held(locked):
        raise InfluenceError(_("Minutes are written after the meeting."))
    locked.minutes = text.strip()[:20000]
    locked.minutes_by = user
    locked.minutes_at = timezone.now()
    locked.save(update_fields=["minutes", "minutes_by", "minutes_at"])
    log_access(actor=user, action=Action.CHANGE, obj=locked)
    return locked


@transaction.atomic
def confirm_minutes(
    *, user: User, meeting: ForumMeeting, correction: str = ""
) -> ForumMinutesConfirmation:
    """A representative confirms the minutes as they stand now, or asks for a correction.
    A second answer replaces the first."""
    locked = ForumMeeting.objects.select_for_update().get(pk=meeting.pk)
    seat = representative_seat(user, locked)
    if seat is None:
        raise PermissionDenied("confirm forum minutes")
    if not has_minutes(locked):
        raise InfluenceError(_("There are no minutes of this meeting to confirm yet."))
    row, _created = ForumMinutesConfirmation.objects.update_or_create(
        meeting=locked,
        member=seat,
        defaults={
            "user": user,
            "digest": minutes_digest(locked),
            "correction": correction.strip()[:CORRECTION_MAX],
            "confirmed_at": timezone.now(),
        },
    )
    log_access(actor=user, action=Action.CREATE, obj=row)
    return row


@transaction.atomic
def save_report(*, user: User, meeting: ForumMeeting, text: str) -> ReportBack:
    """The representative's report back to their organisation; writing again replaces it."""
    seat = representative_seat(user, meeting)
    if seat is None or seat.organisation is None:
        raise PermissionDenied("report back")
    if not is_held(meeting):
        raise InfluenceError(_("Report back after the meeting."))
    if not text.strip():
        raise InfluenceError(_("Write the report."))
    report, _created = ReportBack.objects.update_or_create(
        meeting=meeting,
        member=seat,
        defaults={
            "organisation": seat.organisation,
            "text": text.strip()[:REPORT_MAX],
            "written_by": user,
            "written_at": timezone.now(),
        },
    )
    log_access(actor=user, action=Action.CHANGE, obj=report)
    return report


@transaction.atomic
def raise_matter(
    *,
    user: User,
    forum: Forum,
    raised_by: ForumMember,
    title: str,
    description: str,
    raised_on: date,
    meeting: ForumMeeting | None = None,
) -> Matter:
    """A user representative's question, registered by them or by the coordinator."""
    if raised_by.forum_id != forum.pk or raised_by.capacity != Capacity.REPRESENTATIVE:
        raise InfluenceError(_("A matter is raised by a user representative in the forum."))
    if raised_by.organisation is None:
        raise InfluenceError(_("A matter is raised by a user representative in the forum."))
    require(is_area_coordinator(user, forum.area) or raised_by.user_id == user.pk)
    if not title.strip():
        raise InfluenceError(_("Write the question."))
    matter = Matter.objects.create(
        forum=forum,
        title=title.strip()[:200],
        description=description.strip()[:4000],
        raised_by=raised_by,
        organisation=raised_by.organisation,
        raised_on=raised_on,
        created_by=user,
    )
    if meeting is not None:
        require(meeting.forum_id == forum.pk)
        matter.meetings.add(meeting)
    log_access(actor=user, action=Action.CREATE, obj=matter)
    return matter


@transaction.atomic
def link_meeting(*, user: User, matter: Matter, meeting: ForumMeeting) -> Matter:
    """The matter was discussed at ``meeting`` (of the same forum)."""
    require(is_area_coordinator(user, matter.forum.area))
    if meeting.forum_id != matter.forum_id:
        raise InfluenceError(_("Choose a meeting of the same forum."))
    matter.meetings.add(meeting)
    log_access(actor=user, action=Action.CHANGE, obj=matter)
    return matter


@transaction.atomic
def decide_matter(
    *,
    user: User,
    matter: Matter,
    status: str,
    reason: str,
    decision_reference: str,
    decided_on: date | None,
) -> Matter:
    """The outcome: adopted, partly adopted, rejected (with the reason) or still pending."""
    locked = Matter.objects.select_for_update().select_related("forum__area").get(pk=matter.pk)
    require(is_area_coordinator(user, locked.forum.area))
    if status not in MatterStatus.values:
        raise InfluenceError(_("Choose the outcome."))
    if status == MatterStatus.REJECTED and not reason.strip():
        raise InfluenceError(_("Say why the matter was rejected."))
    locked.status = status
    locked.reason = reason.strip()[:2000]
    locked.decision_reference = decision_reference.strip()[:150]
    pending = status == MatterStatus.PENDING
    locked.decided_on = None if pending else (decided_on or timezone.localdate())
    locked.save(
        update_fields=["status", "reason", "decision_reference", "decided_on", "updated_at"]
    )
    log_access(actor=user, action=Action.CHANGE, obj=locked)
    return locked
