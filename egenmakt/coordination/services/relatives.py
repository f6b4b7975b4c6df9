"""A relative answers a sheet themself, through a one-time link sent by e-mail.

The case manager sends it (``send_relative_link``) and may revoke it
(``revoke_relative_link``); the relative, who has no account, opens it, may save to go on
later (``save_relative_draft``) and sends the answers (``submit_relative_sheet``), which
become a response about the client, answered by a relative, and a step of the mapping in
the sending organisation's name that records which relative answered.

The link is built like the portal's sign-in link (``portal.services.issue_link``): a
random token that only the e-mail holds, stored as its SHA-256; it lives
``RELATIVE_LINK_DAYS`` days and dies when the answers are sent or the link is revoked.
The relative's acts are logged with no actor (as the PEER applicant's), in the sending
organisation's name.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.coordination.checklist import WORKSHEET_STEP
from egenmakt.coordination.models import (
    RELATIVE_SHEETS,
    Client,
    Contact,
    RelativeLink,
    StepRecord,
)
from egenmakt.coordination.rules import may_ask_relatives
from egenmakt.instruments import services as instrument_services
from egenmakt.instruments.answers import clean_answers
from egenmakt.instruments.models import InstrumentDefinition, RespondentKind
from egenmakt.instruments.selectors import applies_to
from egenmakt.outbox.services import queue_email

from .common import CoordinationError, acting_organisation, record_change, require_open

if TYPE_CHECKING:
    from egenmakt.accounts.models import User

# How long a relative's link works. INFERRED: the method names no period; two weeks leave
# time to answer between two meetings. Override with the RELATIVE_LINK_DAYS setting.
RELATIVE_LINK_DAYS = 14


def link_days() -> int:
    return int(getattr(settings, "RELATIVE_LINK_DAYS", RELATIVE_LINK_DAYS))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def send_relative_link(
    *, user: User, client: Client, contact: Contact, definition: InstrumentDefinition
) -> RelativeLink:
    """E-mail ``contact`` a link to answer ``definition`` about the client themself."""
    require_open(client)
    if not may_ask_relatives(user, client):
        raise PermissionDenied("relative link")
    if contact.client_id != client.pk:
        raise PermissionDenied("relative link")
    if (
        definition.key not in RELATIVE_SHEETS
        or "relative" not in definition.respondents
        or not applies_to(definition, client.organisation)
    ):
        raise ValidationError({"sheet": [_("Choose one of the sheets for relatives.")]})
    if not contact.email:
        raise CoordinationError(
            _("%(name)s has no e-mail address. Add one to the contact first.")
            % {"name": contact.name}
        )
    organisation = acting_organisation(user, client)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    link = RelativeLink.objects.create(
        client=client,
        contact=contact,
        definition=definition,
        token_hash=hash_token(token),
        organisation=organisation,
        sent_by=user,
        created_at=now,
        expires_at=now + timedelta(days=link_days()),
    )
    record_change(
        user,
        client,
        link,
        action=Action.CREATE,
        reason=f"{AuditEvent.RELATIVE_LINK_SENT} {definition.key}",
        organisation=organisation,
    )
    url = settings.SITE_URL.rstrip("/") + reverse("relatives:sheet", args=[token])
    with translation.override(settings.LANGUAGE_CODE):
        # What the e-mail says is the least that lets the relative trust and use it: who
        # asks (the organisation), about whom only "the person you are close to", never
        # the client's name or any care detail, since e-mail can be read or forwarded.
        subject = _("%(organisation)s asks for your view") % {"organisation": organisation.name}
        body = render_to_string(
            "coordination/emails/relative_link.txt",
            {
                "name": contact.name,
                "organisation": organisation.name,
                "sheet": definition.title(),
                "url": url,
                "expires": timezone.localtime(link.expires_at),
            },
        )
    queue_email(
        to=contact.email, subject=subject, body=body, purpose="relative link", person=client
    )
    return link


@transaction.atomic
def revoke_relative_link(*, user: User, client: Client, link: RelativeLink) -> RelativeLink:
    """The link stops working at once; a link already answered stays as it was."""
    if not may_ask_relatives(user, client):
        raise PermissionDenied("relative link")
    if link.client_id != client.pk:
        raise PermissionDenied("relative link")
    if link.used_at is not None:
        raise CoordinationError(_("The relative has already answered; nothing to revoke."))
    if link.revoked_at is None:
        RelativeLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=user
        )
        link.refresh_from_db()
        record_change(
            user,
            client,
            link,
            action=Action.CHANGE,
            reason=AuditEvent.RELATIVE_LINK_REVOKED,
            organisation=link.organisation,
        )
    return link


def _live(queryset: Any) -> Any:
    return queryset.filter(
        used_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
        client__archived_at__isnull=True,
    )


def find_live_link(token: str) -> RelativeLink | None:
    """The unused, unrevoked, unexpired link with this token, or None (whatever the
    reason: the page says the same for every one)."""
    if not token or len(token) > 100:
        return None
    link = (
        _live(RelativeLink.objects.filter(token_hash=hash_token(token)))
        .select_related("client", "contact", "definition", "organisation", "sent_by")
        .defer("definition__definition")
        .first()
    )
    if link is None or link.client.is_frozen:
        return None
    return link


def log_relative_opened(link: RelativeLink) -> None:
    """The relative opened their page: written before it renders, as every read."""
    log_access(
        actor=None,
        action=Action.VIEW,
        person=link.client,
        obj=link,
        organisation=link.organisation,
        reason=AuditEvent.RELATIVE_LINK_OPENED,
    )


def _locked_live(link: RelativeLink) -> RelativeLink:
    locked = (
        _live(RelativeLink.objects.select_for_update(of=("self",)).filter(pk=link.pk))
        .select_related("client", "contact", "definition", "organisation", "sent_by")
        .defer("definition__definition")
        .first()
    )
    if locked is None or locked.client.is_frozen:
        raise CoordinationError(_("This link no longer works."))
    return locked


@transaction.atomic
def save_relative_draft(*, link: RelativeLink, answers: dict[str, Any]) -> RelativeLink:
    """Keep what the relative has typed so far (checked as a draft, nothing required).
    Raises ``InvalidAnswersError`` with nothing saved."""
    locked = _locked_live(link)
    locked.draft_answers = clean_answers(locked.definition.definition, answers, complete=False)
    locked.save(update_fields=["draft_answers"])
    log_access(
        actor=None,
        action=Action.CHANGE,
        person=locked.client,
        obj=locked,
        organisation=locked.organisation,
        reason=AuditEvent.RELATIVE_DRAFT_SAVED,
    )
    return locked


@transaction.atomic
def submit_relative_sheet(*, link: RelativeLink, answers: dict[str, Any]) -> StepRecord:
    """The relative sends the answers: a submitted response about the client answered by
    a relative, and a shared step of the mapping naming the relative, in the sending
    organisation's name. The link is spent in the same transaction (one row lock, so two
    sends at once make one response). Raises ``InvalidAnswersError``, nothing saved."""
    locked = _locked_live(link)
    client = locked.client
    response = instrument_services.submit_answered_by_link(
        definition=locked.definition,
        subject=client,
        respondent_kind=RespondentKind.RELATIVE,
        answers=answers,
        entered_by=locked.sent_by,
    )
    record = StepRecord.objects.create(
        client=client,
        step=WORKSHEET_STEP[locked.definition.key],
        done_on=response.answered_on,
        client_present=False,
        comment=_("Answered by the relative through a link."),
        response=response,
        relative=locked.contact,
        shared=True,
        organisation=locked.organisation,
        entered_by=locked.sent_by,
    )
    locked.used_at = timezone.now()
    locked.step = record
    locked.draft_answers = {}
    locked.save(update_fields=["used_at", "step", "draft_answers"])
    log_access(
        actor=None,
        action=Action.CREATE,
        person=client,
        obj=record,
        organisation=locked.organisation,
        reason=AuditEvent.RELATIVE_SHEET_ANSWERED,
    )
    return record
