"""Editing an organisation's ethics guidelines (its first save makes its own copy, so no
other organisation's guidelines change; each save is a new version; returning to the
inherited guidelines is a version too), a participant's
acknowledgement of them, and the certificate's premise that they have acknowledged."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from egenmakt.accounts.models import Organisation, User
from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.core.rules import require
from egenmakt.peer.models import EthicsAcknowledgement, EthicsGuidelines, Participant
from egenmakt.peer.rules import is_participant, may_edit_plan
from egenmakt.peer.selectors.ethics import checksum_of, guidelines_for
from egenmakt.peer.services.recruitment import RecruitmentError


class GuidelinesChangedError(RecruitmentError):
    """The guidelines were saved anew while the participant read them."""


class NotAcknowledgedError(PermissionDenied):
    """The certificate is refused until the participant has acknowledged the ethics
    guidelines; the 403 page shows why (``user_message``), the log keeps a stable reason."""

    def __init__(self) -> None:
        self.user_message = _(
            "The course certificate is given once the participant has read and acknowledged "
            "the ethics guidelines. The participant does that on their course page."
        )
        super().__init__("certificate: ethics guidelines not acknowledged")


def _clean(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().replace("\r\n", "\n").split("\n"))


def _next_version(organisation: Organisation, user: User, **fields: object) -> EthicsGuidelines:
    """The organisation's next version (call with the organisation's row locked, so two
    saves get two numbers)."""
    last = EthicsGuidelines.objects.filter(organisation=organisation).aggregate(n=Max("version"))
    return EthicsGuidelines.objects.create(
        organisation=organisation, version=(last["n"] or 0) + 1, saved_by=user, **fields
    )


@transaction.atomic
def save_guidelines(
    *, user: User, organisation: Organisation, text_sv: str, text_en: str = ""
) -> EthicsGuidelines:
    """Save the organisation's guidelines as its next version. The texts it inherited are
    the form's starting point; saving them unchanged as they are is refused."""
    # The same people as the course plan: the organisation's coordinators and administrators.
    require(may_edit_plan(user, organisation), "edit ethics guidelines")
    text_sv, text_en = _clean(text_sv), _clean(text_en)
    if not text_sv:
        raise RecruitmentError(_("Write the guidelines in Swedish."))
    checksum = checksum_of(text_sv, text_en)
    # Versions are numbered per organisation: lock it so two saves get two numbers.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    current = guidelines_for(organisation)
    if current.checksum == checksum and current.source == organisation:
        raise RecruitmentError(_("Nothing has changed in the guidelines."))
    row = _next_version(organisation, user, text_sv=text_sv, text_en=text_en, checksum=checksum)
    log_access(actor=user, action=Action.CREATE, obj=row, reason=AuditEvent.ETHICS_GUIDELINES_SAVED)
    return row


@transaction.atomic
def follow_inherited(*, user: User, organisation: Organisation) -> EthicsGuidelines:
    """From now on the organisation follows the guidelines of the nearest organisation
    above it (or the shipped ones) again: a version with no text of its own. Its earlier
    versions stay, with what participants acknowledged of them."""
    require(may_edit_plan(user, organisation), "edit ethics guidelines")
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    if guidelines_for(organisation).source != organisation:
        raise RecruitmentError(_("The organisation already follows the guidelines it inherits."))
    row = _next_version(organisation, user, follows_inherited=True)
    log_access(
        actor=user, action=Action.CREATE, obj=row, reason=AuditEvent.ETHICS_GUIDELINES_INHERITED
    )
    return row


@transaction.atomic
def acknowledge_guidelines(
    *, user: User, participant: Participant, checksum: str, language: str
) -> EthicsAcknowledgement:
    """The participant's own "I have read and follow the guidelines", for the guidelines
    of the round's organisation as they read them (``checksum`` of the text shown). Once
    acknowledged it stays: a second press changes nothing."""
    require(is_participant(user, participant), "acknowledge ethics guidelines")
    locked = Participant.objects.select_for_update().get(pk=participant.pk)
    existing = EthicsAcknowledgement.objects.filter(participant=locked).first()
    if existing is not None:
        return existing
    current = guidelines_for(participant.cohort.round.organisation)
    if checksum != current.checksum:
        raise GuidelinesChangedError(
            _("The guidelines were changed while you read them. Read them again, please.")
        )
    row = EthicsAcknowledgement.objects.create(
        participant=locked,
        guidelines=current.version,
        checksum=current.checksum,
        language=language,
        text=current.text(language),
    )
    log_access(
        actor=user,
        action=Action.CREATE,
        person=participant.application,
        obj=row,
        reason=AuditEvent.ETHICS_GUIDELINES_ACKNOWLEDGED,
    )
    return row


def require_acknowledged(participant: Participant) -> None:
    """The certificate's premise: the participant has acknowledged the guidelines."""
    if not EthicsAcknowledgement.objects.filter(participant=participant).exists():
        raise NotAcknowledgedError
