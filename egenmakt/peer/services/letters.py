"""Decision letters: an organisation's own letters (copy on write: ``selectors/letters``),
the text of each letter, sending them."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from egenmakt.accounts.models import Organisation, User
from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.core.rules import require
from egenmakt.outbox.services import queue_email
from egenmakt.peer import letters
from egenmakt.peer.models import (
    OUTCOME_STATUS,
    ApplicationStatus,
    Decision,
    DecisionOutcome,
    LetterTemplate,
    RecruitmentRound,
)
from egenmakt.peer.rules import (
    is_round_coordinator,
    may_create_round_in,
)
from egenmakt.peer.selectors.letters import EffectiveLetter, letters_for
from egenmakt.peer.services.recruitment import RecruitmentError, status_url

# --- Decision letters ------------------------------------------------------------------


@transaction.atomic
def save_letter_template(
    *,
    user: User,
    organisation: Organisation,
    outcome: str,
    reason: str,
    language: str,
    subject: str,
    body: str,
) -> LetterTemplate:
    """Write the organisation's own letter for the decision, reason and language: the
    first change of an inherited or shipped letter makes it the organisation's own, and no
    other organisation's letter changes."""
    require(may_create_round_in(user, organisation))
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
    log_access(actor=user, action=Action.CHANGE, obj=template)
    return template


def template_for(decision: Decision, templates: list[EffectiveLetter]) -> EffectiveLetter | None:
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


def letter_text(decision: Decision, template: EffectiveLetter) -> tuple[str, str]:
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
def send_decision_letters(*, user: User, round_: RecruitmentRound) -> int:
    """Queue one letter per pending decision, each in the applicant's language."""
    require(is_round_coordinator(user, round_))
    templates = letters_for(round_.organisation)
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
            actor=user,
            action=Action.EXPORT,
            person=application,
            obj=decision,
            reason=AuditEvent.DECISION_LETTER_SENT,
        )
        queued += 1
    return queued
