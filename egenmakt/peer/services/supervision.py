"""Supervision use-cases: scheduling a meeting and marking who attended."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from egenmakt.accounts.models import User
from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import holds_role
from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.core.rules import require
from egenmakt.peer.models import MeetingKind, SupervisionAttendance, SupervisionMeeting
from egenmakt.peer.selectors.supervision import supervised_peer_supporters
from egenmakt.peer.services.recruitment import RecruitmentError


@transaction.atomic
def schedule_meeting(
    *,
    user: User,
    kind: str,
    starts_at: datetime,
    place: str,
    peer_supporters: list[User],
) -> SupervisionMeeting:
    require(holds_role(user, Role.SUPERVISOR), "schedule supervision")
    if kind not in MeetingKind.values:
        raise RecruitmentError(_("Unknown kind of meeting."))
    if not peer_supporters:
        raise RecruitmentError(_("Choose who the meeting is with."))
    if kind == MeetingKind.INDIVIDUAL and len(peer_supporters) != 1:
        raise RecruitmentError(_("An individual meeting is with one peer supporter."))
    mine = set(supervised_peer_supporters(user).values_list("pk", flat=True))
    if any(p.pk not in mine for p in peer_supporters):
        raise RecruitmentError(_("You can only meet peer supporters you supervise."))
    meeting = SupervisionMeeting.objects.create(
        supervisor=user, kind=kind, starts_at=starts_at, place=place.strip()
    )
    SupervisionAttendance.objects.bulk_create(
        SupervisionAttendance(meeting=meeting, peer_supporter=p) for p in peer_supporters
    )
    log_access(actor=user, action=Action.CREATE, obj=meeting)
    return meeting


@transaction.atomic
def mark_attendance(*, user: User, meeting: SupervisionMeeting, present: set[int]) -> None:
    require(meeting.supervisor_id == user.pk, "supervision attendance")
    for row in meeting.attendance.select_for_update():
        row.attended = row.peer_supporter_id in present
        row.save(update_fields=["attended"])
    log_access(
        actor=user,
        action=Action.CHANGE,
        obj=meeting,
        reason=AuditEvent.ATTENDANCE_TAKEN,
    )
