"""Interview records are instrument subjects: the interview template and the selection
criteria are answered about them, and the applicant is whose data they are."""

from __future__ import annotations

from django.urls import reverse

from egenmakt.core.types import Viewer
from egenmakt.instruments.subjects import SubjectAction, register_subject
from egenmakt.peer.rules import may_see_workplace

from .models import InterviewRecord, PeerWorkplace
from .rules import may_see_record, may_write_record


def record_access(user: Viewer, record: InterviewRecord, action: SubjectAction) -> bool:
    if action == "change":
        return may_write_record(user, record)
    return may_see_record(user, record)


def workplace_access(user: Viewer, workplace: PeerWorkplace, action: SubjectAction) -> bool:
    return may_see_workplace(user, workplace)


def register_peer_subjects() -> None:
    from egenmakt.peer.rules import notes_access, placement_access

    from .models import Placement, SupervisionAttendance

    register_subject(
        SupervisionAttendance,
        slug="handledning",
        access=notes_access,
        person=lambda row: row.peer_supporter,
        url=lambda row: reverse("peer:supervision_meeting", args=[row.meeting_id]),
    )
    register_subject(
        Placement,
        slug="placering",
        access=placement_access,
        person=lambda placement: placement.peer_supporter,
        url=lambda placement: reverse("peer:placement", args=[placement.pk]),
    )
    register_subject(
        PeerWorkplace,
        slug="arbetsplats",
        access=workplace_access,
        person=lambda _workplace: None,
        url=lambda workplace: reverse("peer:workplace", args=[workplace.pk]),
    )
    register_subject(
        InterviewRecord,
        slug="intervjuanteckning",
        access=record_access,
        person=lambda record: record.interview.application,
        url=lambda record: reverse("peer:interview", args=[record.interview_id]),
    )
