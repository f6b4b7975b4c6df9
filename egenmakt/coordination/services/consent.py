"""Writes about consent: recording and revoking."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egenmakt.accounts.models import Organisation
from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import Action
from egenmakt.coordination.access import forget_client_access
from egenmakt.coordination.models import (
    Client,
    Consent,
    ConsentScope,
    Phase,
    TeamRole,
)
from egenmakt.coordination.rules import (
    is_in_care_team,
)

from .common import CoordinationError, acting_organisation, record_change, require_rule

if TYPE_CHECKING:
    from egenmakt.accounts.models import User


@transaction.atomic
def record_consent(
    *,
    user: User,
    client: Client,
    given_on: date,
    form: str,
    scope: list[str],
    details: str = "",
    valid_until: date | None = None,
    organisations: Iterable[Organisation],
    case_managers: Iterable[Any],
    document: UploadedFile | None = None,
) -> Consent:
    """Record the client's consent; the first one starts the mapping."""
    require_rule(is_in_care_team, user, client)
    organisations = list(organisations)
    case_managers = list(case_managers)
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if given_on > today:
        errors.setdefault("given_on", []).append(_("The date cannot be in the future."))
    if valid_until is not None and valid_until < given_on:
        errors.setdefault("valid_until", []).append(
            _("The consent cannot end before it was given.")
        )
    unknown = [key for key in scope if key not in ConsentScope.values]
    if not scope or unknown:
        errors.setdefault("scope", []).append(_("Choose what the consent covers."))
    if not organisations:
        errors.setdefault("organisations", []).append(
            _("Choose the organisations that may work together.")
        )
    team = {
        seat.user_id: seat
        for seat in client.team.filter(ended_on__isnull=True, role=TeamRole.CASE_MANAGER)
    }
    named_outside = [person.full_name for person in case_managers if person.pk not in team]
    if named_outside:
        errors.setdefault("case_managers", []).append(
            _("Only the client's case managers can be named: %(names)s.")
            % {"names": ", ".join(named_outside)}
        )
    organisation_ids = {org.pk for org in organisations}
    not_covered = [
        team[person.pk].organisation.name
        for person in case_managers
        if person.pk in team and team[person.pk].organisation_id not in organisation_ids
    ]
    if not_covered:
        errors.setdefault("organisations", []).append(
            _("A named case manager acts for %(names)s, which the consent does not name.")
            % {"names": ", ".join(sorted(set(not_covered)))}
        )
    if errors:
        raise ValidationError(errors)
    consent = Consent(
        client=client,
        given_on=given_on,
        form=form,
        scope=scope,
        details=details.strip(),
        valid_until=valid_until,
        recorded_by=user,
    )
    consent.full_clean(exclude=["document"])
    if document is not None:
        consent.document = document
    consent.save()
    consent.organisations.set(organisations)
    consent.case_managers.set(case_managers)
    forget_client_access(user)
    if client.phase == Phase.START and consent.is_valid(today):
        Client.objects.filter(pk=client.pk).update(phase=Phase.MAPPING)
        client.phase = Phase.MAPPING
    record_change(user, client, consent, action=Action.CREATE, reason=AuditEvent.CONSENT_RECORDED)
    return consent


@transaction.atomic
def revoke_consent(
    *,
    user: User,
    client: Client,
    consent: Consent,
    note: str = "",
) -> Consent:
    """The client withdraws consent: from the next request on, nobody reaches the client
    through it."""
    require_rule(is_in_care_team, user, client)
    if consent.client_id != client.pk:
        raise CoordinationError(_("That consent belongs to someone else."))
    updated = Consent.objects.filter(pk=consent.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=user, revocation_note=note.strip()[:300]
    )
    if not updated:
        raise CoordinationError(_("The consent was already revoked."))
    consent.refresh_from_db()
    organisation = acting_organisation(user, client)
    forget_client_access(user)
    record_change(
        user, client, consent, reason=AuditEvent.CONSENT_REVOKED, organisation=organisation
    )
    return consent
