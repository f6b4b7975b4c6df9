"""Retention: applications that ended are erased when their retention period has passed."""

from __future__ import annotations

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.instruments.models import Response
from egenmakt.outbox.services import erase_emails_about
from egenmakt.peer.models import (
    Application,
    ApplicationStatus,
    ErasedApplications,
    InterviewRecord,
    RecruitmentRound,
    RoundStatus,
)

# --- Retention -------------------------------------------------------------------------

ERASED_STATUS_FIELD = {
    ApplicationStatus.RESERVE: "reserve",
    ApplicationStatus.NOT_NOW: "not_now",
    ApplicationStatus.DECLINED: "declined",
    ApplicationStatus.WITHDRAWN: "withdrawn",
}


def _erase_application(application: Application, counts: ErasedApplications) -> None:
    counts.applied += 1
    counts.screened += application.screened_at is not None
    counts.interviewed += application.interviewed_at is not None
    field = ERASED_STATUS_FIELD.get(ApplicationStatus(application.status))
    if field:
        setattr(counts, field, getattr(counts, field) + 1)
    record_ids = [
        str(pk)
        for pk in InterviewRecord.objects.filter(interview__application=application).values_list(
            "pk", flat=True
        )
    ]
    if record_ids:
        Response.objects.filter(
            subject_type=ContentType.objects.get_for_model(InterviewRecord),
            subject_id__in=record_ids,
        ).delete()
    erase_emails_about(application)
    # Log rows keep only identifiers; the row says what happened and why (GDPR 17).
    log_access(
        actor=None,
        action=Action.DELETE,
        person=application,
        obj=application,
        organisation=application.round.organisation,
        reason=AuditEvent.APPLICATION_ERASED_NOT_ADMITTED,
    )
    application.delete()  # decisions, interviews and records go with it (CASCADE)


def erase_expired_applications(now: datetime | None = None) -> int:
    """Erase the applications that did not lead to admission, once the round has been
    closed for the organisation's retention period, keeping anonymous counts.

    Each round is erased in its own transaction. Returns how many were erased.
    """
    now = now or timezone.now()
    erased = 0
    for round_ in RecruitmentRound.objects.filter(
        status=RoundStatus.CLOSED, closed_at__isnull=False
    ).select_related("organisation"):
        if round_.erase_after() > now:
            continue
        with transaction.atomic():
            counts, _created = ErasedApplications.objects.select_for_update().get_or_create(
                round=round_
            )
            doomed = list(
                Application.objects.filter(round=round_)
                .exclude(status=ApplicationStatus.ADMITTED)
                .select_related("round", "round__organisation")
            )
            for application in doomed:
                _erase_application(application, counts)
            if doomed:
                counts.erased_at = now
                counts.save()
                erased += len(doomed)
    return erased
