"""Retention: how long closed records are kept, and their erasure when the time has passed.

* ``retention_for(organisation)``: the period that applies, from the nearest organisation
  up the tree that has set one, else the default of the principal's kind
  (``models.archive.RETENTION_DEFAULTS``, with its source and how sure it is).
* ``set_retention``: the organisation's administrator sets the period.
* ``erase_client``: everything the system holds about one client goes; what is left is a
  log row with identifiers only and anonymous counts (``ErasedClients``).
* ``erase_expired_clients``: the daily job (command ``erase_expired_clients``, task in
  ``coordination/tasks.py``): archived clients whose period has passed, each erased in its
  own transaction, then checked with ``leftover_identifiers``; an erasure that leaves any
  identifier behind is logged as incomplete and not counted as done. Restricted clients
  (GDPR art. 18: the data is kept) are passed by.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from egenmakt.accounts.models import Organisation
from egenmakt.accounts.selectors import admin_scope
from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import Action
from egenmakt.audit.registry import leftover_identifiers
from egenmakt.audit.services import log_access
from egenmakt.coordination.models import (
    RETENTION_DEFAULTS,
    Client,
    Contact,
    ErasedClients,
    Meeting,
    MeetingStatus,
    MemberKind,
    Message,
    MessageThread,
    Plan,
    PlanVersion,
    ResourceGroupMember,
    RetentionDefault,
    RetentionPolicy,
    StepRecord,
)
from egenmakt.core.dates import add_months
from egenmakt.core.registry import contributions
from egenmakt.instruments.models import Response
from egenmakt.outbox.services import erase_emails_about

if TYPE_CHECKING:
    from egenmakt.accounts.models import User

logger = logging.getLogger(__name__)

# The kind whose default applies when the principal's kind has none listed.
FALLBACK_KIND = "other"


# --- The period --------------------------------------------------------------------------


@dataclass(frozen=True)
class Retention:
    """The period that applies to an organisation, and where it comes from."""

    years: int
    # The row it comes from (the organisation's own, or the nearest above it that has one).
    policy: RetentionPolicy | None
    # Else the default for the principal's kind.
    default: RetentionDefault | None

    @property
    def months(self) -> int:
        return self.years * 12


def retention_for(organisation: Organisation) -> Retention:
    """The period for a client of ``organisation``: its own, else inherited from the nearest
    organisation above it that has one, else the default of the principal's kind."""
    ids = organisation.ancestor_ids()
    policies = _policies(ids)
    kinds = dict(Organisation.objects.filter(pk__in=ids[-1:]).values_list("pk", "kind"))
    return _retention(ids, policies, kinds)


def _policies(organisation_ids: Iterable[int]) -> dict[int, RetentionPolicy]:
    rows = RetentionPolicy.objects.filter(organisation_id__in=organisation_ids)
    return {row.organisation_id: row for row in rows.select_related("organisation")}


def _retention(
    ids: list[int], policies: dict[int, RetentionPolicy], kinds: dict[int, str]
) -> Retention:
    for organisation_id in ids:
        if organisation_id in policies:
            row = policies[organisation_id]
            return Retention(row.years, row, None)
    kind = kinds.get(ids[-1], FALLBACK_KIND) if ids else FALLBACK_KIND
    default = RETENTION_DEFAULTS.get(kind) or RETENTION_DEFAULTS[FALLBACK_KIND]
    return Retention(default.years, None, default)


def retention_map(organisation_ids: set[int]) -> dict[int, Retention]:
    """The period of many organisations in two queries (the daily job, the page)."""
    paths = dict(Organisation.objects.filter(pk__in=organisation_ids).values_list("pk", "path"))
    ancestry = {
        pk: [int(part) for part in reversed(path.strip("/").split("/")) if part]
        for pk, path in paths.items()
    }
    every = {i for ids in ancestry.values() for i in ids}
    policies = _policies(every)
    kinds = dict(Organisation.objects.filter(pk__in=every).values_list("pk", "kind"))
    return {pk: _retention(ids, policies, kinds) for pk, ids in ancestry.items()}


@transaction.atomic
def set_retention(
    *, user: User, organisation: Organisation, years: int, note: str = ""
) -> RetentionPolicy:
    """The administrator of the organisation (or above it) sets its period."""
    scope = admin_scope(user)
    if scope is None or not scope.covers(organisation):
        raise PermissionDenied
    row = RetentionPolicy.objects.filter(organisation=organisation).first() or RetentionPolicy(
        organisation=organisation
    )
    row.years = years
    row.note = " ".join(note.split())[:300]
    row.updated_by = user
    row.full_clean()
    row.save()
    log_access(
        actor=user,
        action=Action.CHANGE,
        obj=row,
        organisation=organisation,
        reason=f"{AuditEvent.RETENTION_CHANGED} {years}",
    )
    return row


def erase_after(client: Client, retention: Retention) -> datetime | None:
    """When the archived record goes: the period counts from the closing, which is the
    record's last entry (an archived record takes no more)."""
    if client.archived_at is None:
        return None
    return add_months(client.archived_at, retention.months)


# --- Erasure -----------------------------------------------------------------------------


class ErasureRefusedError(Exception):
    """The client's data must be kept (a restriction, an open coordination)."""


def client_identifiers(client: Client) -> list[str]:
    """What would name the client if left anywhere: name, number (both ways it is
    written), e-mail, phone, address, the portal login's address, and the names, phones
    and addresses of the people in their network and resource group who are not staff.

    A name of one word ("Maria", "Johan": how a network map often names a person) is no
    identifier on its own and would match every other Maria in the system, so only full
    names of the network are searched; their rows go with the record all the same."""
    values = [
        client.full_name,
        client.identity_number,
        client.identity.display,
        client.email,
        client.phone,
        client.address,
    ]
    network = list(Contact.objects.filter(client=client).values_list("name", "phone", "email"))
    network += (
        ResourceGroupMember.objects.filter(client=client, user__isnull=True)
        .exclude(kind=MemberKind.PROFESSIONAL)
        .values_list("name", "phone", "email")
    )
    for name, phone, email in network:
        values += [name if len(name.split()) > 1 else "", phone, email]
    values += list(client.portal_accounts.values_list("user__email", flat=True))
    return sorted({v.strip() for v in values if v and len(v.strip()) >= 4})


def _count(client: Client, now: datetime) -> None:
    year = (client.archived_at or now).year
    counts, _created = ErasedClients.objects.select_for_update().get_or_create(
        organisation_id=client.organisation_id, closing_year=year
    )
    counts.clients += 1
    counts.reached_plan += PlanVersion.objects.filter(plan__client=client).exists()
    counts.meetings_held += Meeting.objects.filter(client=client, status=MeetingStatus.HELD).count()
    counts.erased_at = now
    counts.save()


@transaction.atomic
def erase_client(client: Client, *, now: datetime | None = None) -> None:
    """Delete everything the system holds about one client: the coordination rows, the
    questionnaire answers about them, their own login (and its user, when it exists only
    for them), the e-mails about them, the signed consent forms and the scanned paper
    worksheets. Leaves a log row with identifiers only and the anonymous counts. A
    restricted client is refused (art. 18: the data is kept while the restriction lasts)."""
    now = now or timezone.now()
    client = Client.objects.select_for_update().select_related("organisation").get(pk=client.pk)
    if client.is_restricted:
        raise ErasureRefusedError("Processing is restricted: the record is kept.")
    _count(client, now)
    documents = [c.document.name for c in client.consents.exclude(document="").only("document")]
    # The scanned paper worksheets too.
    documents += [s.scan.name for s in client.steps.exclude(scan="").only("scan")]
    # The attachments of messages between the client and the care team.
    documents += [
        m.attachment.name
        for m in Message.objects.filter(thread__client=client)
        .exclude(attachment="")
        .only("attachment")
    ]
    # The answers are the client's too; their step records hold them, so they go first.
    response_ids = list(
        StepRecord.objects.filter(client=client).values_list("response_id", flat=True)
    )
    StepRecord.objects.filter(client=client).delete()
    Response.objects.filter(
        subject_type=ContentType.objects.get_for_model(Client), subject_id=str(client.pk)
    ).delete()
    Response.objects.filter(pk__in=[pk for pk in response_ids if pk]).delete()
    # The messages name the client's own login as their author: they go before it does.
    MessageThread.objects.filter(client=client).delete()
    # Their own login, through the app that owns it ("client_self" contributions).
    from egenmakt.coordination.registrations import ClientSelf

    for own in contributions("client_self", ClientSelf):
        own.erase(client)
    erase_emails_about(client)
    # Log rows keep only identifiers; the row says what happened and why (GDPR 17).
    log_access(
        actor=None,
        action=Action.DELETE,
        person=client,
        obj=client,
        organisation=client.organisation,
        reason=AuditEvent.CLIENT_ERASED,
    )
    # A decided plan version protects the consent it confirmed: the plans go first.
    Plan.objects.filter(client=client).delete()
    client.delete()  # meetings, network, consents, team, notes go with it (CASCADE)
    if documents:
        from django.core.files.storage import default_storage

        def remove_files() -> None:
            for name in documents:
                default_storage.delete(name)

        transaction.on_commit(remove_files)


def erase_expired_clients(now: datetime | None = None) -> int:
    """Erase the archived clients whose organisation's retention period has passed, each
    in its own transaction, leaving anonymous counts; restricted clients are kept.

    After each erasure the tables are searched for the client's identifiers; an erasure
    that leaves any is logged as incomplete (with the tables, never the values) and not
    counted. Returns how many were erased completely."""
    now = now or timezone.now()
    archived = list(
        Client.objects.filter(archived_at__isnull=False, restricted_at__isnull=True)
        .select_related("organisation")
        .order_by("archived_at", "id")
    )
    periods = retention_map({c.organisation_id for c in archived})
    erased = 0
    for client in archived:
        until = erase_after(client, periods[client.organisation_id])
        if until is None or until > now:
            continue
        identifiers = client_identifiers(client)
        client_id, organisation = client.pk, client.organisation
        try:
            with transaction.atomic():
                erase_client(client, now=now)
        except ErasureRefusedError:
            continue  # restricted since the list was read
        except (ProtectedError, IntegrityError):
            # Nothing of this client was erased (its transaction rolled back); the others
            # go on, and the operator reads why in the error log.
            logger.exception("Client %s could not be erased", client_id)
            continue
        left = leftover_identifiers(identifiers)
        if left:
            logger.error("Client %s erased, but identifiers are left in: %s", client_id, left)
            log_access(
                actor=None,
                action=Action.DELETE,
                obj=organisation,
                organisation=organisation,
                reason=f"{AuditEvent.CLIENT_ERASURE_INCOMPLETE} client {client_id}: "
                f"{', '.join(sorted({t.split('.')[0] for t in left}))}"[:500],
            )
            continue
        erased += 1
    return erased
