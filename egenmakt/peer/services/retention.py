"""Retention: applications that ended are erased when their retention period has passed,
or at once when the applicant asks (``erase_application_now``)."""

from __future__ import annotations

from datetime import datetime

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from egenmakt.accounts.models import User
from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import Action
from egenmakt.audit.registry import identifiers_of, leftover_identifiers
from egenmakt.audit.services import log_access
from egenmakt.instruments.models import Response
from egenmakt.outbox.services import erase_emails_about
from egenmakt.peer.models import (
    Application,
    ApplicationStatus,
    Decision,
    ErasedApplications,
    Interview,
    InterviewRecord,
    Participant,
    RecruitmentRound,
    RoundStatus,
)

# --- Retention -------------------------------------------------------------------------

ERASED_STATUS_FIELD = {
    ApplicationStatus.ADMITTED: "admitted",
    ApplicationStatus.RESERVE: "reserve",
    ApplicationStatus.NOT_NOW: "not_now",
    ApplicationStatus.DECLINED: "declined",
    ApplicationStatus.WITHDRAWN: "withdrawn",
}


class ErasureRefusedError(Exception):
    """The application cannot be erased this way; the message says what to do instead."""


class ErasureIncompleteError(Exception):
    """Something of the applicant was still found after erasing: nothing is erased."""


def _erase_application(
    application: Application,
    counts: ErasedApplications,
    reason: str = AuditEvent.APPLICATION_ERASED_NOT_ADMITTED,
) -> None:
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
    _erase_change_trail(application, record_ids)
    # Log rows keep only identifiers; the row says what happened and why (GDPR 17).
    log_access(
        actor=None,
        action=Action.DELETE,
        person=application,
        obj=application,
        organisation=application.round.organisation,
        reason=reason,
    )
    application.delete()  # decisions, interviews and records go with it (CASCADE)


def _erase_change_trail(application: Application, record_ids: list[str]) -> None:
    """The change trail's rows about the application and the rows erased with it (their old
    and new values may hold the applicant's answers)."""
    rows = {
        Application: [str(application.pk)],
        Decision: [str(pk) for pk in application.decisions.values_list("pk", flat=True)],
        Interview: [str(pk) for pk in application.interviews.values_list("pk", flat=True)],
        InterviewRecord: record_ids,
    }
    query = Q(pk__in=[])
    for model, ids in rows.items():
        if ids:
            content_type = ContentType.objects.get_for_model(model)
            query |= Q(content_type=content_type, object_pk__in=ids)
    LogEntry.objects.filter(query).delete()


def _held_elsewhere(application: Application) -> set[str]:
    """The applicant's identifiers another record also holds (the same person's application
    in another round, a user with the same name), lower-cased: they stay with that record,
    so the check after the erasure does not look for them."""
    same = Q(full_name__iexact=application.full_name) | Q(email__iexact=application.email)
    if application.phone:
        same |= Q(phone=application.phone)
    values = [
        *Application.objects.exclude(pk=application.pk)
        .filter(same)
        .values_list("full_name", "email", "phone"),
        *User.objects.filter(
            Q(full_name__iexact=application.full_name) | Q(email__iexact=application.email)
        ).values_list("full_name", "email"),
    ]
    return {value.lower() for row in values for value in row if value}


def may_erase_now(application: Application) -> bool:
    """Whether the applicant may erase their application now: any application except one
    that led to a place on a course (a participant's application is the course's record)."""
    return not Participant.objects.filter(application=application).exists()


@transaction.atomic
def erase_application_now(application: Application, *, now: datetime | None = None) -> None:
    """The applicant erases their application through their private link (GDPR art. 17).

    Whatever its status, except when it led to a place on a course (``ErasureRefusedError``:
    the participant asks the course's coordinator). Erased like an expired application:
    its decisions, interviews, interview notes, e-mails about the applicant and the
    change trail's rows about them go; the round keeps anonymous counts, and the access
    log a row with identifiers only. Afterwards every table is searched for the
    applicant's name, e-mail and phone; if any is found, nothing is erased
    (``ErasureIncompleteError``)."""
    now = now or timezone.now()
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("round", "round__organisation")
        .filter(pk=application.pk)
        .first()
    )
    if locked is None:
        raise ErasureRefusedError(_("This application is already erased."))
    if not may_erase_now(locked):
        raise ErasureRefusedError(
            _(
                "You take part in the course, so your application is part of the course's "
                "record. Ask the course's coordinator at %(organisation)s to end it."
            )
            % {"organisation": locked.round.organisation.name}
        )
    identifiers = identifiers_of(locked)
    held = _held_elsewhere(locked)
    searched = [value for value in identifiers if value.lower() not in held]
    counts, _created = ErasedApplications.objects.select_for_update().get_or_create(
        round=locked.round
    )
    _erase_application(locked, counts, reason=AuditEvent.APPLICATION_ERASED_BY_APPLICANT)
    counts.erased_at = now
    counts.save()
    left = leftover_identifiers(searched)
    if left:
        # The exception rolls the transaction back: the application is still there.
        raise ErasureIncompleteError(", ".join(left))


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
