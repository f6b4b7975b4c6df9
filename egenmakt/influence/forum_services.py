"""Changes in forum work: agenda items, minutes and their confirmation, matters and
their outcome, and reports back. Each in a transaction, checked (``rules``), logged.
Reads are in ``forum_selectors``."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from egenmakt.accounts.models import User
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.core.rules import require
from egenmakt.outbox.notify import Recipient, notify

from .forum_selectors import (
    agenda_open,
    has_minutes,
    is_held,
    minutes_digest,
    representatives,
)
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

NOTICE_KIND = "forum_minutes"
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
    before = minutes_digest(locked)
    locked.minutes = text.strip()[:20000]
    locked.minutes_by = user
    locked.minutes_at = timezone.now()
    locked.save(update_fields=["minutes", "minutes_by", "minutes_at"])
    log_access(actor=user, action=Action.CHANGE, obj=locked)
    tell_minutes_ready(locked, editor=user, before=before)
    return locked


def tell_minutes_ready(meeting: ForumMeeting, *, editor: User, before: str) -> int:
    """The first time there are minutes, tell every representative with an account; when
    minutes someone confirmed have changed, tell those. Returns how many were told."""
    after = minutes_digest(meeting)
    if not after or after == before:
        return 0
    seats = [s for s in representatives(meeting) if s.user_id and s.user_id != editor.pk]
    if before:
        stale = set(
            ForumMinutesConfirmation.objects.filter(meeting=meeting)
            .exclude(digest=after)
            .values_list("member_id", flat=True)
        )
        seats = [s for s in seats if s.pk in stale]
    users = User.objects.filter(pk__in=[s.user_id for s in seats], is_active=True)
    url = str(settings.SITE_URL).rstrip("/") + reverse("influence:meeting", args=[meeting.pk])
    told = 0
    for person in users:
        recipient = Recipient(
            email=person.email,
            phone=getattr(person, "phone", ""),
            language=person.preferred_language or "sv",
            user_id=person.pk,
        )
        with translation.override(recipient.language):
            if before:
                subject = _("The minutes of a forum meeting have changed")
                lead = _("The minutes of an influence forum's meeting you confirmed have changed.")
            else:
                subject = _("The minutes of a forum meeting are ready")
                lead = _("The minutes of an influence forum's meeting you were at are ready.")
            ask = _("Please read them and confirm them, or say what should be corrected:")
            body = f"{lead}\n{ask}\n{url}\n"
            sms = f"{subject}: {url}"
        channel = notify(
            recipient=recipient,
            kind=NOTICE_KIND,
            subject=subject,
            body=body,
            sms=sms,
            purpose="forum minutes ready",
        )
        told += channel != "none"
    return told


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
