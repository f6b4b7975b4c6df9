"""Invitations to a meeting: the e-mail in each member's language, with a calendar file."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from egenmakt.audit.events import AuditEvent
from egenmakt.coordination.models import (
    Attendance,
    Client,
    MappingSession,
    Meeting,
    MeetingStatus,
    ResourceGroupMember,
)
from egenmakt.coordination.reminders import client_recipient, staff_recipient
from egenmakt.coordination.services.common import CoordinationError, record_change
from egenmakt.core.calendar import Attendee, CalendarEvent, calendar_file
from egenmakt.outbox.notify import Recipient, notify

from .group import require_group_consent, require_joint_work, require_own_meeting

if TYPE_CHECKING:
    from egenmakt.accounts.models import User


def attendance_rows(meeting: Meeting) -> list[Attendance]:
    """A row per active member: who was asked to come, and later whether they came."""
    members = ResourceGroupMember.objects.filter(client_id=meeting.client_id, ended_on__isnull=True)
    have = set(Attendance.objects.filter(meeting=meeting).values_list("member_id", flat=True))
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, member=member) for member in members if member.pk not in have
    )
    return list(
        Attendance.objects.filter(meeting=meeting, member__ended_on__isnull=True).select_related(
            "member__user"
        )
    )


def meeting_calendar(
    meeting: Meeting, *, summary: str, description: str, attendees: Iterable[ResourceGroupMember]
) -> str:
    """One event (RFC 5545, METHOD:REQUEST) that every calendar can import."""
    event = CalendarEvent(
        uid=f"resursgrupp-{meeting.pk}@egenmakt",
        starts=meeting.starts_at,
        ends=meeting.starts_at + timedelta(minutes=meeting.duration_minutes),
        summary=summary,
        description=description,
        location=meeting.shown_place,
        status="CONFIRMED",
        # Each sending of the invitations is a new revision of the same event.
        sequence=max(meeting.version - 1, 0),
        attendees=[
            Attendee(email=member.email, name=member.name) for member in attendees if member.email
        ],
    )
    return calendar_file([event], product="Resursgrupp", method="REQUEST")


def _language_of(member: ResourceGroupMember) -> str:
    """Staff in their own language; the client's chosen people in the site's."""
    language = member.user.preferred_language if member.user is not None else ""
    return str(language or settings.LANGUAGE_CODE)


@transaction.atomic
def send_invitations(*, user: User, client: Client, meeting: Meeting) -> int:
    """E-mail every member with an address an invitation and a calendar file, in this
    transaction (the outbox delivers it); record who was invited. Returns how many."""
    require_joint_work(user, client)
    require_own_meeting(client, meeting)
    require_group_consent(client)
    if meeting.status != MeetingStatus.PLANNED:
        raise CoordinationError(_("Only a booked meeting can be sent out."))
    rows = attendance_rows(meeting)
    members = [row.member for row in rows]
    agenda = list(meeting.agenda.all())
    now = timezone.now()
    invited = []
    for row in rows:
        member = row.member
        recipient = Recipient(
            email=member.email,
            phone=member.phone,
            language=_language_of(member),
            user_id=member.user_id,
        )
        with translation.override(recipient.language):
            summary = _("Resource-group meeting")
            starts = timezone.localtime(meeting.starts_at)
            context = {
                "meeting": meeting,
                "member": member,
                "client": client,
                "starts": starts,
                "agenda": agenda,
                "sender": user,
                "is_staff": member.user_id is not None,
                "meeting_url": _absolute(
                    reverse("coordination:meeting", args=[client.pk, meeting.pk])
                ),
            }
            channel = notify(
                recipient=recipient,
                kind="booking",
                subject=summary,
                body=render_to_string("coordination/emails/meeting_invitation.txt", context),
                sms=_("Invitation: resource-group meeting %(when)s, %(place)s.")
                % {
                    "when": formats.date_format(starts, "j F H:i"),
                    "place": meeting.shown_place,
                },
                # A calendar is often shared: it carries no name of the client.
                calendar=meeting_calendar(
                    meeting,
                    summary=summary,
                    description=_("Resource-group meeting. The agenda is in the e-mail."),
                    attendees=members,
                ),
                purpose="resource-group invitation",
                person=client,
            )
        if channel == "none":
            continue
        invited.append(row.pk)
    Attendance.objects.filter(pk__in=invited).update(invited_at=now)
    Meeting.objects.filter(pk=meeting.pk).update(invitations_sent_at=now)
    meeting.invitations_sent_at = now
    record_change(
        user, client, meeting, reason=f"{AuditEvent.RESOURCE_GROUP}: {len(invited)} invited"
    )
    return len(invited)


def _absolute(path: str) -> str:
    return str(settings.SITE_URL).rstrip("/") + path


# --- Mapping sessions: the client and the booked case managers -------------------------------


def session_calendar(session: MappingSession, *, summary: str, cancel: bool = False) -> str:
    """One event per session with a stable UID, so a cancellation replaces the booking in
    the calendars it reached. No name of the client, no planned worksheet: time and place."""
    people = list(session.booked.all())
    event = CalendarEvent(
        uid=f"kartlaggning-{session.pk}@egenmakt",
        starts=session.starts_at,
        ends=session.starts_at + timedelta(minutes=session.duration_minutes),
        summary=summary,
        description=summary,
        location=session.place,
        status="CANCELLED" if cancel else "CONFIRMED",
        sequence=1 if cancel else 0,
        attendees=[Attendee(email=p.email, name=p.full_name) for p in people if p.email],
    )
    return calendar_file([event], product="Kartläggning", method="CANCEL" if cancel else "REQUEST")


def send_session_invitations(
    *, user: User, client: Client, session: MappingSession, cancel: bool = False
) -> int:
    """Tell the client and each booked case manager (in the caller's transaction) the time,
    the place and who comes from the care team, by the channel each chose for bookings: an
    e-mail with the calendar file, or a text message. A cancellation the same way. Returns
    how many were told."""
    people = list(session.booked.all())
    team_names = ", ".join(p.full_name for p in people)
    recipients: list[tuple[Recipient, str, str]] = [
        (client_recipient(client), client.full_name, reverse("portal:start"))
    ]
    path = reverse("coordination:mapping_sessions", args=[client.pk])
    recipients += [(staff_recipient(person), person.full_name, path) for person in people]
    told = 0
    for recipient, name, page in recipients:
        with translation.override(recipient.language):
            summary = _("Mapping meeting cancelled") if cancel else _("Mapping meeting")
            starts = timezone.localtime(session.starts_at)
            channel = notify(
                recipient=recipient,
                kind="booking",
                subject=summary,
                body=render_to_string(
                    "coordination/emails/session_invitation.txt",
                    {
                        "name": name,
                        "session": session,
                        "starts": starts,
                        "team": team_names,
                        "cancel": cancel,
                        "sender": user,
                        "url": _absolute(page),
                    },
                ),
                sms=_session_sms(session, starts, cancel=cancel, url=_absolute(page)),
                calendar=session_calendar(session, summary=summary, cancel=cancel),
                purpose="mapping-session invitation",
                person=client,
            )
        told += channel != "none"
    return told


def _session_sms(session: MappingSession, starts: datetime, *, cancel: bool, url: str) -> str:
    when = formats.date_format(starts, "j F H:i")
    if cancel:
        return _("The mapping meeting %(when)s is cancelled. %(url)s") % {"when": when, "url": url}
    return _("Mapping meeting %(when)s, %(place)s. %(url)s") % {
        "when": when,
        "place": session.place,
        "url": url,
    }
