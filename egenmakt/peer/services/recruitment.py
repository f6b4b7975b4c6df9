"""Recruitment use-cases: one function per action the handbook names.

Each runs in one transaction, checks permission through ``rules``, and writes the access
log in the same transaction; e-mail goes through the outbox (``egenmakt.outbox``) so a
mail server that is down never loses an application or a letter. Domain errors are
``RecruitmentError`` with a message for the user.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from egenmakt.accounts.models import Organisation, User
from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import Action
from egenmakt.audit.registry import export_person
from egenmakt.audit.services import log_access
from egenmakt.core.rules import require
from egenmakt.outbox.services import queue_email
from egenmakt.peer.models import (
    OUTCOME_STATUS,
    PRIVACY_NOTICE_VERSION,
    STEP_OUTCOMES,
    Application,
    ApplicationStatus,
    Decision,
    DecisionOutcome,
    DecisionStep,
    Interview,
    RecruitmentPolicy,
    RecruitmentRound,
    RoundMember,
    RoundRole,
    RoundStatus,
)
from egenmakt.peer.rules import (
    is_round_coordinator,
    may_create_round_in,
    may_decide,
)


class RecruitmentError(Exception):
    """A refused action, with a message for the user."""


class RoundClosedError(RecruitmentError):
    pass


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
    user: User,
    organisation: Organisation,
    **fields: Any,
) -> RecruitmentRound:
    """A coordinator opens a round for their organisation and becomes its coordinator."""
    require(may_create_round_in(user, organisation))
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
    log_access(actor=user, action=Action.CREATE, obj=round_)
    return round_


@transaction.atomic
def update_round(*, user: User, round_: RecruitmentRound, **fields: Any) -> RecruitmentRound:
    require(is_round_coordinator(user, round_))
    locked = RecruitmentRound.objects.select_for_update().get(pk=round_.pk)
    for name, value in fields.items():
        if name not in ROUND_FIELDS:
            raise TypeError(f"Unknown round field: {name}")
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    log_access(actor=user, action=Action.CHANGE, obj=locked)
    return locked


ROUND_STATUS_EVENTS: dict[str, AuditEvent] = {
    RoundStatus.OPEN: AuditEvent.ROUND_OPENED,
    RoundStatus.CLOSED: AuditEvent.ROUND_CLOSED,
    RoundStatus.DRAFT: AuditEvent.DRAFT,
}


@transaction.atomic
def set_round_status(*, user: User, round_: RecruitmentRound, status: str) -> RecruitmentRound:
    """Open the round for applications, or close it (which starts the retention clock)."""
    require(is_round_coordinator(user, round_))
    if status not in RoundStatus.values:
        raise RecruitmentError(_("Unknown status."))
    locked = RecruitmentRound.objects.select_for_update().get(pk=round_.pk)
    locked.status = status
    locked.closed_at = timezone.now() if status == RoundStatus.CLOSED else None
    locked.save(update_fields=["status", "closed_at"])
    log_access(actor=user, action=Action.CHANGE, obj=locked, reason=ROUND_STATUS_EVENTS[status])
    return locked


def _from_user_movement(user: User) -> bool:
    from egenmakt.peer.selectors.recruitment import from_user_movement

    return from_user_movement(user)


@transaction.atomic
def add_round_member(
    *,
    user: User,
    round_: RecruitmentRound,
    person: User,
    role: str,
    represents_user_movement: bool | None = None,
    has_lived_experience: bool = False,
) -> RoundMember:
    """Bring a coordinator or an interviewer into the round (they then see its data)."""
    require(is_round_coordinator(user, round_))
    if role not in RoundRole.values:
        raise RecruitmentError(_("Unknown role."))
    from egenmakt.peer.selectors.recruitment import may_join

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
    log_access(actor=user, action=Action.CREATE, obj=member, person=person)
    return member


@transaction.atomic
def remove_round_member(*, user: User, member: RoundMember) -> None:
    round_ = member.round
    require(is_round_coordinator(user, round_), "remove round member")
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
    log_access(actor=user, action=Action.DELETE, obj=member, person=member.user)
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
    "background",
    "functioning",
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


def export_own_data(*, application: Application) -> dict[str, Any]:
    """The applicant's own copy of everything the registry of personal data lists about
    them (GDPR art. 15 and 20), logged before it is given. The caller has checked the
    private link: the applicant has no account, the link is their credential."""
    log_access(
        actor=None,
        action=Action.EXPORT,
        person=application,
        obj=application,
        organisation=application.round.organisation,
        reason=AuditEvent.PERSONAL_DATA_EXPORTED,
    )
    return export_person(application)


@transaction.atomic
def submit_application(
    *,
    round_: RecruitmentRound,
    data: dict[str, Any],
    language: str,
    accepted_notice: bool,
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
    if locked.is_full():
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
        actor=None,
        action=Action.CREATE,
        person=application,
        obj=application,
        reason=AuditEvent.APPLICATION_SUBMITTED,
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
def withdraw_application(*, application: Application, by: User | None = None) -> Application:
    """The applicant (through their private link) or a coordinator withdraws it."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if by is not None:
        require(may_decide(by, locked), "withdraw application")
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
        actor=by,
        action=Action.CHANGE,
        person=locked,
        obj=locked,
        reason=(
            AuditEvent.APPLICATION_WITHDRAWN_BY_APPLICANT
            if by is None
            else AuditEvent.APPLICATION_WITHDRAWN_BY_COORDINATOR
        ),
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
    user: User,
    application: Application,
    step: str,
    outcome: str,
    reason: str,
    comment: str = "",
) -> Decision:
    """Record a step's decision with its reason; the application moves on accordingly.

    Screening: go on / not now / no. After the interview: admit / reserve / decline (a
    reserve can later be admitted when someone drops out).
    """
    locked = Application.objects.select_for_update().select_related("round").get(pk=application.pk)
    require(may_decide(user, locked))
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
        actor=user,
        action=Action.CHANGE,
        person=locked,
        obj=decision,
        reason=f"{step}: {outcome}",
    )
    return decision
