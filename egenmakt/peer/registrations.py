"""Interview records are instrument subjects: the interview template and the selection
criteria are answered about them, and the applicant is whose data they are."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from egenmakt.instruments.subjects import SubjectAction, register_subject

from .models import InterviewRecord
from .rules import may_see_record, may_write_record


def record_access(user: Any, record: InterviewRecord, action: SubjectAction) -> bool:
    if action == "change":
        return may_write_record(user, record)
    return may_see_record(user, record)


def register_peer_subjects() -> None:
    register_subject(
        InterviewRecord,
        slug="intervjuanteckning",
        access=record_access,
        person=lambda record: record.interview.application,
        url=lambda record: reverse("peer:interview", args=[record.interview_id]),
    )
