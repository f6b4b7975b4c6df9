"""The minutes of a resource-group meeting, read and confirmed by the people who were in it.

Who confirms: the client on their own pages, and each member of the group who has an
account (someone of the care team in the group, ``ResourceGroupMember.user``) and was
invited to the meeting. A confirmation holds for the minutes as they were read
(``minutes_digest``): when the care team changes them afterwards, those who had confirmed
are told and asked again. The client's request for a correction reaches the care team as
a message, so it is answered like any other (``services.messages``); a staff member's is
shown on the meeting's page.

The notices say that there are minutes to read, never what they say (``outbox.notify``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import Action
from egenmakt.coordination.access import client_access
from egenmakt.coordination.models import (
    Client,
    Meeting,
    MeetingStatus,
    MinutesConfirmation,
)
from egenmakt.coordination.selectors.minutes import (
    has_minutes,
    members_with_account,
    minutes_digest,
    with_client_login,
)
from egenmakt.outbox.notify import notify

from .common import CoordinationError, record_change, require_open

if TYPE_CHECKING:
    from egenmakt.accounts.models import User

NOTICE_KIND = "minutes"
CORRECTION_MAX = 2000


def _is_the_client(user: Any, client: Client) -> bool:
    from egenmakt.coordination.registrations import is_the_client

    return is_the_client(user, client)


def staff_members(meeting: Meeting) -> list[Any]:
    """Those of them who can open the client's record now (the consent covers their seat):
    the people told of the minutes."""
    client = meeting.client
    return [p for p in members_with_account(meeting) if client_access(p, client).in_team]


def may_confirm(
    user: Any, client: Client, meeting: Meeting, members: list[Any] | None = None
) -> bool:
    """``members``: ``members_with_account(meeting)`` when the caller has read them."""
    if meeting.client_id != client.pk or not has_minutes(meeting) or client.is_frozen:
        return False
    if _is_the_client(user, client):
        return True
    if members is None:
        members = members_with_account(meeting)
    return any(p.pk == user.pk for p in members) and client_access(user, client).in_team


@transaction.atomic
def confirm_minutes(
    *, user: User, client: Client, meeting: Meeting, correction: str = ""
) -> MinutesConfirmation:
    """Confirm the minutes as they stand now, or ask for a correction. A second answer by
    the same person replaces the first."""
    require_open(client)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk, client=client)
    if not has_minutes(meeting):
        raise CoordinationError(_("There are no minutes of this meeting to confirm yet."))
    by_client = _is_the_client(user, client)
    if not by_client and not may_confirm(user, client, meeting):
        raise CoordinationError(_("Only the people at the meeting confirm its minutes."))
    correction = correction.strip()[:CORRECTION_MAX]
    row, _created = MinutesConfirmation.objects.update_or_create(
        meeting=meeting,
        user=user,
        defaults={
            "by_client": by_client,
            "digest": minutes_digest(meeting),
            "correction": correction,
            "confirmed_at": timezone.now(),
        },
    )
    reason = AuditEvent.MINUTES_CORRECTION if correction else AuditEvent.MINUTES_CONFIRMED
    organisation = client.organisation if by_client else None
    record_change(user, client, row, action=Action.CREATE, reason=reason, organisation=organisation)
    if correction and by_client:
        _correction_as_message(user, client, meeting, correction)
    return row


def _correction_as_message(user: User, client: Client, meeting: Meeting, text: str) -> None:
    from egenmakt.coordination.export.binder import binder_language

    from . import messages

    with translation.override(binder_language(client)):
        day = formats.date_format(timezone.localtime(meeting.starts_at), "j F Y")
        subject = _("The minutes of the meeting on %(day)s") % {"day": day}
    messages.start_thread(user=user, client=client, subject=subject, text=text)


def tell_minutes_ready(meeting: Meeting, *, editor: User, before: str) -> int:
    """After the care team saved a held meeting: the first time there are minutes, tell
    everyone who confirms them; when minutes someone confirmed have changed, tell those.
    Returns how many were told."""
    after = minutes_digest(meeting)
    if meeting.status != MeetingStatus.HELD or not after or after == before:
        return 0
    client = meeting.client
    everyone = _confirmers(meeting)
    if before:
        stale = set(
            MinutesConfirmation.objects.filter(meeting=meeting)
            .exclude(digest=after)
            .values_list("user_id", flat=True)
        )
        everyone = [(person, to_client) for person, to_client in everyone if person.pk in stale]
    told = 0
    for person, to_client in everyone:
        if person.pk == editor.pk:
            continue
        told += _tell(person, client, meeting, to_client=to_client, again=bool(before)) != "none"
    return told


def _confirmers(meeting: Meeting) -> list[tuple[Any, bool]]:
    """The client's login and the staff members who can open the record now."""
    return with_client_login(meeting, staff_members(meeting))


def _tell(person: Any, client: Client, meeting: Meeting, *, to_client: bool, again: bool) -> str:
    from egenmakt.coordination.reminders import client_recipient, staff_recipient

    recipient = client_recipient(client) if to_client else staff_recipient(person)
    if to_client:
        path = reverse("portal:meeting", args=[meeting.pk])
    else:
        path = reverse("coordination:meeting", args=[client.pk, meeting.pk])
    url = str(settings.SITE_URL).rstrip("/") + path
    with translation.override(recipient.language):
        if again:
            subject = _("The minutes of a meeting have changed")
            lead = _("The minutes of a resource-group meeting you confirmed have been changed.")
        else:
            subject = _("The minutes of a meeting are ready")
            lead = _("The minutes of a resource-group meeting you were at are ready.")
        ask = _("Please read them and confirm them, or say what should be corrected:")
        body = f"{lead}\n{ask}\n{url}\n"
        sms = f"{subject}: {url}"
    return notify(
        recipient=recipient,
        kind=NOTICE_KIND,
        subject=subject,
        body=body,
        sms=sms,
        purpose="minutes ready",
        person=client,
    )
