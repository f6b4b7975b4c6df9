"""Recruitment use-cases: one function per action the handbook names.

Each runs in one transaction, checks permission through ``rules``, and writes the access
log in the same transaction; e-mail goes through the outbox (``egenmakt.outbox``) so a
mail server that is down never loses an application or a letter. Domain errors are
``RecruitmentError`` with a message for the user.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from egenmakt.accounts.models import Organisation, User
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.instruments import services as instrument_services
from egenmakt.instruments.models import Response
from egenmakt.instruments.selectors import current_definition
from egenmakt.outbox.services import erase_emails_about, queue_email

from . import letters
from .calendar import interview_calendar
from .models import (
    OUTCOME_STATUS,
    PRIVACY_NOTICE_VERSION,
    STEP_OUTCOMES,
    Application,
    ApplicationStatus,
    Decision,
    DecisionOutcome,
    DecisionStep,
    ErasedApplications,
    Interview,
    InterviewRecord,
    LetterTemplate,
    RecordKind,
    RecruitmentPolicy,
    RecruitmentRound,
    RoundMember,
    RoundRole,
    RoundStatus,
)
from .rules import (
    is_interviewer_of,
    is_round_coordinator,
    may_create_round_in,
    may_decide,
    may_write_record,
)


class RecruitmentError(Exception):
    """A refused action, with a message for the user."""


class RoundClosedError(RecruitmentError):
    pass


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def absolute_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


# --- Rounds ----------------------------------------------------------------------------

ROUND_FIELDS = (
    "title",
    "jobs_expected",
    "course_places",
    "max_applications",
    "channels",
    "channels_other",
    "advertising_from",
    "applications_until",
    "interviews_from",
    "interviews_until",
    "decision_by",
    "course_start",
    "retention_months",
)


def retention_months_for(organisation: Organisation) -> int:
    policy = RecruitmentPolicy.objects.filter(organisation=organisation).first()
    return policy.retention_months if policy is not None else 12


@transaction.atomic
def create_round(
    *,
    user: Any,
    organisation: Organisation,
    request: HttpRequest | None = None,
    **fields: Any,
) -> RecruitmentRound:
    """A coordinator opens a round for their organisation and becomes its coordinator."""
    _require(may_create_round_in(user, organisation))
    unknown = set(fields) - set(ROUND_FIELDS)
    if unknown:
        raise TypeError(f"Unknown round fields: {sorted(unknown)}")
    fields.setdefault("retention_months", retention_months_for(organisation))
    round_ = RecruitmentRound(organisation=organisation, created_by=user, **fields)
    round_.full_clean()
    round_.save()
    RoundMember.objects.create(
        round=round_,
        user=user,
        role=RoundRole.COORDINATOR,
        represents_user_movement=_from_user_movement(user),
    )
    log_access(request=request, actor=user, action=Action.CREATE, obj=round_)
    return round_


@transaction.atomic
def update_round(
    *, user: Any, round_: RecruitmentRound, request: HttpRequest | None = None, **fields: Any
) -> RecruitmentRound:
    _require(is_round_coordinator(user, round_))
    locked = RecruitmentRound.objects.select_for_update().get(pk=round_.pk)
    for name, value in fields.items():
        if name not in ROUND_FIELDS:
            raise TypeError(f"Unknown round field: {name}")
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    log_access(request=request, actor=user, action=Action.CHANGE, obj=locked)
    return locked


@transaction.atomic
def set_round_status(
    *, user: Any, round_: RecruitmentRound, status: str, request: HttpRequest | None = None
) -> RecruitmentRound:
    """Open the round for applications, or close it (which starts the retention clock)."""
    _require(is_round_coordinator(user, round_))
    if status not in RoundStatus.values:
        raise RecruitmentError(_("Unknown status."))
    locked = RecruitmentRound.objects.select_for_update().get(pk=round_.pk)
    locked.status = status
    locked.closed_at = timezone.now() if status == RoundStatus.CLOSED else None
    locked.save(update_fields=["status", "closed_at"])
    log_access(request=request, actor=user, action=Action.CHANGE, obj=locked, reason=status)
    return locked


def _from_user_movement(user: User) -> bool:
    from .selectors import from_user_movement

    return from_user_movement(user)


@transaction.atomic
def add_round_member(
    *,
    user: Any,
    round_: RecruitmentRound,
    person: User,
    role: str,
    represents_user_movement: bool | None = None,
    has_lived_experience: bool = False,
    request: HttpRequest | None = None,
) -> RoundMember:
    """Bring a coordinator or an interviewer into the round (they then see its data)."""
    _require(is_round_coordinator(user, round_))
    if role not in RoundRole.values:
        raise RecruitmentError(_("Unknown role."))
    from .selectors import may_join

    if not may_join(round_, person):
        raise RecruitmentError(
            _(
                "Only people with a coordinator or interviewer role who are not yet in the "
                "round can be added."
            )
        )
    member = RoundMember.objects.create(
        round=round_,
        user=person,
        role=role,
        represents_user_movement=(
            _from_user_movement(person)
            if represents_user_movement is None
            else represents_user_movement
        ),
        has_lived_experience=has_lived_experience,
    )
    log_access(request=request, actor=user, action=Action.CREATE, obj=member, person=person)
    return member


@transaction.atomic
def remove_round_member(
    *, user: Any, member: RoundMember, request: HttpRequest | None = None
) -> None:
    round_ = member.round
    _require(is_round_coordinator(user, round_))
    if (
        member.role == RoundRole.COORDINATOR
        and round_.members.filter(role=RoundRole.COORDINATOR).count() == 1
    ):
        raise RecruitmentError(_("A round needs at least one coordinator."))
    booked = Interview.objects.filter(
        application__round=round_, cancelled_at__isnull=True, held_at__isnull=True
    ).filter(models_q_interviewer(member.user_id))
    if member.role == RoundRole.INTERVIEWER and booked.exists():
        raise RecruitmentError(
            _("This person is booked for interviews; book someone else for them first.")
        )
    log_access(request=request, actor=user, action=Action.DELETE, obj=member, person=member.user)
    member.delete()


def models_q_interviewer(user_id: int) -> Any:
    from django.db.models import Q

    return Q(interviewer_1_id=user_id) | Q(interviewer_2_id=user_id)


# --- The public application ------------------------------------------------------------

APPLICATION_FIELDS = (
    "full_name",
    "email",
    "phone",
    "municipality",
    "birth_year",
    "gender",
    "own_experience",
    "care_experience",
    "motivation",
    "work_capacity",
    "available_for_course",
    "support_needs",
    "heard_from",
)

_STATUS_SALT = "egenmakt.peer.application-status"


def status_token(application: Application) -> str:
    """The applicant's private link: signed, so it cannot be guessed or altered."""
    return signing.Signer(salt=_STATUS_SALT).sign_object([application.pk, application.link_nonce])


def application_by_token(token: str) -> Application | None:
    try:
        pk, nonce = signing.Signer(salt=_STATUS_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    application = (
        Application.objects.select_related("round", "round__organisation").filter(pk=pk).first()
    )
    if application is None or application.link_nonce != nonce:
        return None
    return application


def status_url(application: Application) -> str:
    return absolute_url(reverse("peer_public:status", args=[status_token(application)]))


@transaction.atomic
def submit_application(
    *,
    round_: RecruitmentRound,
    data: dict[str, Any],
    language: str,
    accepted_notice: bool,
    request: HttpRequest | None = None,
) -> Application:
    """Step 1: an applicant applies through the round's public form.

    The round row is locked so the last free place cannot be taken twice. The receipt
    e-mail is queued in the same transaction.
    """
    if not accepted_notice:
        raise RecruitmentError(_("You need to accept how we handle your data to apply."))
    locked = RecruitmentRound.objects.select_for_update().get(pk=round_.pk)
    if not locked.accepts_applications():
        raise RoundClosedError(_("This round is not taking applications."))
    if (
        locked.max_applications is not None
        and locked.applications.count() >= locked.max_applications
    ):
        raise RoundClosedError(_("This round is full and takes no more applications."))
    unknown = set(data) - set(APPLICATION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown application fields: {sorted(unknown)}")
    application = Application(
        round=locked,
        preferred_language=language if language in dict(settings.LANGUAGES) else "sv",
        privacy_notice_version=PRIVACY_NOTICE_VERSION,
        **data,
    )
    try:
        application.full_clean()
    except ValidationError as exc:
        raise RecruitmentError("; ".join(exc.messages)) from exc
    application.save()
    log_access(
        request=request,
        actor=None,
        action=Action.CREATE,
        person=application,
        obj=application,
        reason="application form",
    )
    _queue_receipt(application)
    return application


def _queue_receipt(application: Application) -> None:
    with translation.override(application.preferred_language):
        context = {
            "application": application,
            "round": application.round,
            "status_url": status_url(application),
        }
        queue_email(
            to=application.email,
            subject=_("We have received your application"),
            body=render_to_string("peer/emails/receipt.txt", context),
            purpose="application receipt",
            person=application,
        )


@transaction.atomic
def withdraw_application(
    *, application: Application, request: HttpRequest | None = None, by: Any = None
) -> Application:
    """The applicant (through their private link) or a coordinator withdraws it."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if by is not None:
        _require(may_decide(by, locked))
    if locked.status in {
        ApplicationStatus.WITHDRAWN,
        ApplicationStatus.DECLINED,
        ApplicationStatus.NOT_NOW,
    }:
        raise RecruitmentError(_("This application is no longer open."))
    locked.status = ApplicationStatus.WITHDRAWN
    locked.withdrawn_at = timezone.now()
    locked.save(update_fields=["status", "withdrawn_at", "updated_at"])
    Interview.objects.filter(
        application=locked, cancelled_at__isnull=True, held_at__isnull=True
    ).update(cancelled_at=timezone.now())
    log_access(
        request=request,
        actor=by,
        action=Action.CHANGE,
        person=locked,
        obj=locked,
        reason="withdrawn by applicant" if by is None else "withdrawn by coordinator",
    )
    return locked


# --- Decisions -------------------------------------------------------------------------

# Which statuses each step's decision may be taken from.
STEP_FROM: dict[str, set[str]] = {
    DecisionStep.SCREENING: {
        ApplicationStatus.APPLIED,
        ApplicationStatus.GO_ON,
        ApplicationStatus.NOT_NOW,
    },
    DecisionStep.INTERVIEW: {
        ApplicationStatus.INTERVIEWED,
        ApplicationStatus.RESERVE,
        ApplicationStatus.ADMITTED,
    },
}


@transaction.atomic
def decide(
    *,
    user: Any,
    application: Application,
    step: str,
    outcome: str,
    reason: str,
    comment: str = "",
    request: HttpRequest | None = None,
) -> Decision:
    """Record a step's decision with its reason; the application moves on accordingly.

    Screening: go on / not now / no. After the interview: admit / reserve / decline (a
    reserve can later be admitted when someone drops out).
    """
    locked = Application.objects.select_for_update().select_related("round").get(pk=application.pk)
    _require(may_decide(user, locked))
    if outcome not in STEP_OUTCOMES.get(step, []):
        raise RecruitmentError(_("That decision does not belong to this step."))
    if locked.status not in STEP_FROM[step]:
        raise RecruitmentError(
            _("The application is at “%(status)s”; this decision cannot be taken now.")
            % {"status": locked.get_status_display()}
        )
    if (
        step == DecisionStep.SCREENING
        and outcome != DecisionOutcome.GO_ON
        and locked.interviews.filter(cancelled_at__isnull=True).exists()
    ):
        raise RecruitmentError(_("Cancel the booked interview before stopping the application."))
    decision = Decision(
        application=locked,
        step=step,
        outcome=outcome,
        reason=reason,
        comment=comment.strip(),
        decided_by=user,
    )
    decision.full_clean()
    decision.save()
    locked.status = OUTCOME_STATUS[outcome]
    fields = ["status", "updated_at"]
    if step == DecisionStep.SCREENING and locked.screened_at is None:
        locked.screened_at = decision.decided_at
        fields.append("screened_at")
    locked.save(update_fields=fields)
    log_access(
        request=request,
        actor=user,
        action=Action.CHANGE,
        person=locked,
        obj=decision,
        reason=f"{step}: {outcome}",
    )
    return decision


# --- Interviews ------------------------------------------------------------------------


@transaction.atomic
def book_interview(
    *,
    user: Any,
    application: Application,
    starts_at: datetime,
    duration_minutes: int,
    place: str,
    interviewer_1: User,
    interviewer_2: User,
    request: HttpRequest | None = None,
) -> Interview:
    """Step 2: book an interview with exactly two of the round's people.

    Both interviewers' rows are locked, so two coordinators cannot book the same person
    twice at once; an overlap with another interview of either is refused. Invitations
    with a calendar file go to the applicant and both interviewers.
    """
    locked = Application.objects.select_for_update().select_related("round").get(pk=application.pk)
    round_ = locked.round
    _require(is_round_coordinator(user, round_))
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
    log_access(request=request, actor=user, action=Action.CREATE, person=locked, obj=interview)
    _queue_invitations(interview)
    return interview


def _queue_invitations(interview: Interview) -> None:
    application = interview.application
    recipients: list[tuple[str, str, bool]] = [
        (application.email, application.preferred_language, True),
        (interview.interviewer_1.email, interview.interviewer_1.preferred_language, False),
        (interview.interviewer_2.email, interview.interviewer_2.preferred_language, False),
    ]
    for address, language, to_applicant in recipients:
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
                person=application,
            )


@transaction.atomic
def cancel_interview(
    *, user: Any, interview: Interview, request: HttpRequest | None = None
) -> Interview:
    locked = (
        Interview.objects.select_for_update().select_related("application").get(pk=interview.pk)
    )
    _require(is_round_coordinator(user, locked.application.round))
    if locked.cancelled_at is not None or locked.held_at is not None:
        raise RecruitmentError(_("This interview is already cancelled or held."))
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["cancelled_at"])
    application = locked.application
    if application.status == ApplicationStatus.INTERVIEW_BOOKED:
        application.status = ApplicationStatus.GO_ON
        application.save(update_fields=["status", "updated_at"])
    log_access(
        request=request,
        actor=user,
        action=Action.CHANGE,
        person=application,
        obj=locked,
        reason="interview cancelled",
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
    user: Any,
    interview: Interview,
    kind: str,
    agreed: bool = False,
    request: HttpRequest | None = None,
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
    _require(is_interviewer_of(user, locked))
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
    _require(may_write_record(user, record))
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
        definition=current_definition(record.instrument_key),
        subject=record,
        respondent_kind="staff",
        request=request,
    )


# --- Decision letters ------------------------------------------------------------------


def letter_templates_for(organisation: Organisation) -> list[LetterTemplate]:
    """The organisation's letters, starting from the built-in texts the first time."""
    existing = {
        (t.outcome, t.reason, t.language): t
        for t in LetterTemplate.objects.filter(organisation=organisation)
    }
    missing = [
        LetterTemplate(
            organisation=organisation,
            outcome=outcome,
            reason="",
            language=language,
            subject=subject,
            body=body,
        )
        for (outcome, language), (subject, body) in letters.DEFAULT_LETTERS.items()
        if (outcome, "", language) not in existing
    ]
    if missing:
        LetterTemplate.objects.bulk_create(missing, ignore_conflicts=True)
    return list(LetterTemplate.objects.filter(organisation=organisation))


@transaction.atomic
def save_letter_template(
    *,
    user: Any,
    organisation: Organisation,
    outcome: str,
    reason: str,
    language: str,
    subject: str,
    body: str,
    request: HttpRequest | None = None,
) -> LetterTemplate:
    _require(may_create_round_in(user, organisation))
    unknown = letters.unknown_placeholders(subject + body)
    if unknown:
        raise RecruitmentError(
            _("Unknown placeholder: %(names)s. You can use: %(known)s.")
            % {
                "names": ", ".join("{" + n + "}" for n in unknown),
                "known": ", ".join("{" + n + "}" for n in letters.PLACEHOLDERS),
            }
        )
    template, _created = LetterTemplate.objects.update_or_create(
        organisation=organisation,
        outcome=outcome,
        reason=reason,
        language=language,
        defaults={"subject": subject.strip(), "body": body.strip()},
    )
    template.full_clean()
    log_access(request=request, actor=user, action=Action.CHANGE, obj=template)
    return template


def template_for(decision: Decision, templates: list[LetterTemplate]) -> LetterTemplate | None:
    outcome = letters.OUTCOME_LETTER.get(DecisionOutcome(decision.outcome))
    language = decision.application.preferred_language
    best = None
    for template in templates:
        if template.outcome != outcome or template.language != language:
            continue
        if template.reason == decision.reason:
            return template
        if template.reason == "":
            best = template
    return best


def letter_text(decision: Decision, template: LetterTemplate) -> tuple[str, str]:
    application = decision.application
    round_ = application.round
    with translation.override(application.preferred_language):
        values = {
            "name": application.full_name,
            "round": round_.title,
            "course_start": date_format(round_.course_start, "DATE_FORMAT"),
            "status_link": status_url(application),
            "comment": "",
            "organisation": round_.organisation.name,
        }
    subject = letters.fill(template.subject, values)
    body = letters.fill(template.body, values)
    # Tidy the blank line an empty {comment} leaves behind.
    while "\n\n\n" in body:
        body = body.replace("\n\n\n", "\n\n")
    return subject, body


def pending_letters(round_: RecruitmentRound) -> list[Decision]:
    """The latest decision of each application that has no letter yet and is final for
    now (go on to interview has its invitation instead)."""
    latest: dict[int, Decision] = {}
    for decision in (
        Decision.objects.filter(application__round=round_)
        .exclude(application__status=ApplicationStatus.WITHDRAWN)
        .select_related("application", "application__round", "application__round__organisation")
        .order_by("decided_at", "id")
    ):
        latest[decision.application_id] = decision
    return [
        d
        for d in latest.values()
        if d.letter_queued_at is None
        and d.outcome != DecisionOutcome.GO_ON
        and OUTCOME_STATUS[d.outcome] == d.application.status
    ]


@transaction.atomic
def send_decision_letters(
    *, user: Any, round_: RecruitmentRound, request: HttpRequest | None = None
) -> int:
    """Queue one letter per pending decision, each in the applicant's language."""
    _require(is_round_coordinator(user, round_))
    templates = letter_templates_for(round_.organisation)
    queued = 0
    for decision in pending_letters(round_):
        template = template_for(decision, templates)
        if template is None:
            continue
        subject, body = letter_text(decision, template)
        application = decision.application
        queue_email(
            to=application.email,
            subject=subject,
            body=body,
            purpose="decision letter",
            person=application,
        )
        Decision.objects.filter(pk=decision.pk).update(letter_queued_at=timezone.now())
        log_access(
            request=request,
            actor=user,
            action=Action.EXPORT,
            person=application,
            obj=decision,
            reason="decision letter",
        )
        queued += 1
    return queued


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
        reason="retention: not admitted, round closed",
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
