"""Interviews (step 2 of admission): booking, invitations, cancelling, and the interview record."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from egenmakt.accounts.models import User
from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.core.rules import require
from egenmakt.instruments import services as instrument_services
from egenmakt.instruments.models import Response
from egenmakt.instruments.selectors import current_definition
from egenmakt.outbox.services import queue_email
from egenmakt.peer.calendar import interview_calendar
from egenmakt.peer.models import (
    Application,
    ApplicationStatus,
    Interview,
    InterviewRecord,
    RecordKind,
)
from egenmakt.peer.rules import (
    is_interviewer_of,
    is_round_coordinator,
    may_write_record,
)
from egenmakt.peer.services.recruitment import (
    RecruitmentError,
    absolute_url,
    models_q_interviewer,
    status_url,
)

# --- Interviews ------------------------------------------------------------------------


@transaction.atomic
def book_interview(
    *,
    user: User,
    application: Application,
    starts_at: datetime,
    duration_minutes: int,
    place: str,
    interviewer_1: User,
    interviewer_2: User,
) -> Interview:
    """Step 2: book an interview with exactly two of the round's people.

    Both interviewers' rows are locked, so two coordinators cannot book the same person
    twice at once; an overlap with another interview of either is refused. Invitations
    with a calendar file go to the applicant and both interviewers.
    """
    locked = Application.objects.select_for_update().select_related("round").get(pk=application.pk)
    round_ = locked.round
    require(is_round_coordinator(user, round_))
    if locked.status not in {ApplicationStatus.GO_ON, ApplicationStatus.INTERVIEW_BOOKED}:
        raise RecruitmentError(_("Only applications that went on from screening are interviewed."))
    if interviewer_1.pk == interviewer_2.pk:
        raise RecruitmentError(_("An interview needs two different interviewers."))
    people = set(round_.members.values_list("user_id", flat=True))
    if not {interviewer_1.pk, interviewer_2.pk} <= people:
        raise RecruitmentError(_("Both interviewers must be people of this round."))
    if starts_at <= timezone.now():
        raise RecruitmentError(_("The interview must be in the future."))
    if not 15 <= duration_minutes <= 240:
        raise RecruitmentError(_("An interview lasts between 15 and 240 minutes."))
    if not place.strip():
        raise RecruitmentError(_("Say where the interview is held."))
    # Serialise bookings of these two people (ASVS 2.3.4: no double booking).
    list(User.objects.select_for_update().filter(pk__in=[interviewer_1.pk, interviewer_2.pk]))
    ends_at = starts_at + timedelta(minutes=duration_minutes)
    for other in Interview.objects.filter(
        models_q_interviewer(interviewer_1.pk) | models_q_interviewer(interviewer_2.pk),
        cancelled_at__isnull=True,
        starts_at__lt=ends_at,
        starts_at__gt=starts_at - timedelta(hours=4),
    ).select_related("interviewer_1", "interviewer_2"):
        if other.ends_at > starts_at:
            busy = (
                other.interviewer_1
                if other.interviewer_1_id
                in {
                    interviewer_1.pk,
                    interviewer_2.pk,
                }
                else other.interviewer_2
            )
            raise RecruitmentError(
                _("%(person)s already has an interview at %(time)s.")
                % {
                    "person": busy.full_name,
                    "time": timezone.localtime(other.starts_at).strftime("%Y-%m-%d %H:%M"),
                }
            )
    # A new booking replaces an earlier one still waiting.
    for earlier in locked.interviews.filter(cancelled_at__isnull=True, held_at__isnull=True):
        earlier.cancelled_at = timezone.now()
        earlier.save(update_fields=["cancelled_at"])
    interview = Interview.objects.create(
        application=locked,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place.strip(),
        interviewer_1=interviewer_1,
        interviewer_2=interviewer_2,
        booked_by=user,
    )
    locked.status = ApplicationStatus.INTERVIEW_BOOKED
    locked.save(update_fields=["status", "updated_at"])
    log_access(actor=user, action=Action.CREATE, person=locked, obj=interview)
    _queue_invitations(interview)
    return interview


def _queue_invitations(interview: Interview) -> None:
    application = interview.application
    # Each e-mail is about its recipient: the interviewers' carry no applicant data, so the
    # applicant's export and erasure take only their own (and never an interviewer's address).
    recipients: list[tuple[str, str, bool, Any]] = [
        (application.email, application.preferred_language, True, application),
        *(
            (person.email, person.preferred_language, False, person)
            for person in (interview.interviewer_1, interview.interviewer_2)
        ),
    ]
    for address, language, to_applicant, about in recipients:
        with translation.override(language):
            context = {
                "interview": interview,
                "application": application,
                "round": application.round,
                "to_applicant": to_applicant,
                "starts": timezone.localtime(interview.starts_at),
                "status_url": status_url(application) if to_applicant else "",
                "interview_url": absolute_url(reverse("peer:interview", args=[interview.pk])),
            }
            summary = (
                _("Interview about the peer support course")
                if to_applicant
                else _("Interview with an applicant (%(round)s)") % {"round": application.round}
            )
            queue_email(
                to=address,
                subject=summary,
                body=render_to_string("peer/emails/interview_invitation.txt", context),
                calendar=interview_calendar(
                    interview,
                    summary=summary,
                    # Interviewers' calendars get no applicant name: calendars are shared.
                    description=_("Interview for the peer support course."),
                ),
                purpose="interview invitation",
                person=about,
            )


@transaction.atomic
def cancel_interview(*, user: User, interview: Interview) -> Interview:
    locked = (
        Interview.objects.select_for_update().select_related("application").get(pk=interview.pk)
    )
    require(is_round_coordinator(user, locked.application.round), "cancel interview")
    if locked.cancelled_at is not None or locked.held_at is not None:
        raise RecruitmentError(_("This interview is already cancelled or held."))
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["cancelled_at"])
    application = locked.application
    if application.status == ApplicationStatus.INTERVIEW_BOOKED:
        application.status = ApplicationStatus.GO_ON
        application.save(update_fields=["status", "updated_at"])
    log_access(
        actor=user,
        action=Action.CHANGE,
        person=application,
        obj=locked,
        reason=AuditEvent.INTERVIEW_CANCELLED,
    )
    return locked


def _mark_held(interview: Interview) -> None:
    if interview.held_at is not None:
        return
    now = timezone.now()
    interview.held_at = now
    interview.save(update_fields=["held_at"])
    Application.objects.filter(
        pk=interview.application_id, status=ApplicationStatus.INTERVIEW_BOOKED
    ).update(status=ApplicationStatus.INTERVIEWED, interviewed_at=now, updated_at=now)


@transaction.atomic
def start_record(
    *,
    user: User,
    interview: Interview,
    kind: str,
    agreed: bool = False,
) -> Response:
    """An interviewer opens their notes or assessment (or the agreed one) as a draft of
    the interview template or the selection-criteria instrument.

    Opening a record marks the interview as held. The agreed record can only be written
    once both interviewers have submitted their own.
    """
    locked = (
        Interview.objects.select_for_update()
        .select_related("application", "application__round", "interviewer_1", "interviewer_2")
        .get(pk=interview.pk)
    )
    require(is_interviewer_of(user, locked), "interview record")
    if kind not in RecordKind.values:
        raise RecruitmentError(_("Unknown record."))
    if locked.cancelled_at is not None:
        raise RecruitmentError(_("This interview was cancelled."))
    if locked.starts_at > timezone.now() + timedelta(minutes=30):
        raise RecruitmentError(_("Notes can be written from the start of the interview."))
    if agreed:
        own = InterviewRecord.objects.filter(interview=locked, kind=kind, author__isnull=False)
        submitted_authors = set(
            Response.objects.filter(
                subject_type=ContentType.objects.get_for_model(InterviewRecord),
                subject_id__in=[str(pk) for pk in own.values_list("pk", flat=True)],
                status="submitted",
            ).values_list("entered_by_id", flat=True)
        )
        if not locked.interviewer_ids() <= submitted_authors:
            raise RecruitmentError(
                _("Both interviewers submit their own first; then you agree on one together.")
            )
    record, _created = InterviewRecord.objects.get_or_create(
        interview=locked, kind=kind, author=None if agreed else user
    )
    require(may_write_record(user, record), "interview record")
    existing = (
        Response.objects.filter(
            subject_type=ContentType.objects.get_for_model(InterviewRecord),
            subject_id=str(record.pk),
        )
        .order_by("-created_at")
        .first()
    )
    if existing is not None:
        return existing
    _mark_held(locked)
    return instrument_services.start_response(
        user=user,
        # The round's organisation's version: a network's own interview template.
        definition=current_definition(record.instrument_key, locked.application.round.organisation),
        subject=record,
        respondent_kind="staff",
    )
