"""Writes for mapping: the network, steps, worksheets and the summary."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import Action
from egenmakt.coordination import confidence
from egenmakt.coordination.checklist import MANUAL_STEPS, STEPS, WORKSHEET_STEP
from egenmakt.coordination.models import (
    Client,
    Contact,
    StepRecord,
    SummaryEntry,
)
from egenmakt.coordination.rules import (
    may_work_jointly,
)
from egenmakt.instruments import services as instrument_services
from egenmakt.instruments.models import InstrumentDefinition, RespondentKind, Response

from .common import (
    CoordinationError,
    acting_organisation,
    no_joint_work_message,
    record_change,
    require_open,
)

if TYPE_CHECKING:
    from egenmakt.accounts.models import User

CONTACT_FIELDS = (
    "name",
    "relationship",
    "sector",
    "closeness",
    "workplace",
    "phone",
    "email",
    "note",
    "on_map",
)


@transaction.atomic
def save_contact(
    *,
    user: User,
    client: Client,
    data: dict[str, Any],
    contact: Contact | None = None,
) -> Contact:
    if not may_work_jointly(user, client):
        raise CoordinationError(no_joint_work_message(client))
    organisation = acting_organisation(user, client)
    created = contact is None
    if contact is None:
        contact = Contact(client=client, organisation=organisation, entered_by=user)
    elif contact.client_id != client.pk:
        raise PermissionDenied
    for key in CONTACT_FIELDS:
        if key in data:
            setattr(contact, key, data[key])
    contact.full_clean()
    contact.save()
    record_change(
        user,
        client,
        contact,
        action=Action.CREATE if created else Action.CHANGE,
        organisation=organisation,
    )
    return contact


@transaction.atomic
def remove_contact(*, user: User, client: Client, contact: Contact) -> None:
    if not may_work_jointly(user, client):
        raise CoordinationError(no_joint_work_message(client))
    if contact.client_id != client.pk:
        raise PermissionDenied
    organisation = acting_organisation(user, client)
    record_change(user, client, contact, action=Action.DELETE, organisation=organisation)
    contact.delete()


def _check_present(client: Client, present: Iterable[Any]) -> list[Any]:
    present = list(present)
    team_ids = set(client.team.filter(ended_on__isnull=True).values_list("user_id", flat=True))
    if any(person.pk not in team_ids for person in present):
        raise ValidationError({"present": [_("Choose people from the care team.")]})
    return present


def _check_day(done_on: date) -> None:
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": [_("The date cannot be in the future.")]})


@transaction.atomic
def record_step(
    *,
    user: User,
    client: Client,
    step: str,
    done_on: date,
    present: Iterable[Any] = (),
    client_present: bool = True,
    others_present: str = "",
    comment: str = "",
    title: str = "",
) -> StepRecord:
    """Record a step of checklist K done without a worksheet (a meeting, the network map)."""
    if not may_work_jointly(user, client):
        raise CoordinationError(no_joint_work_message(client))
    if step not in {s.key for s in MANUAL_STEPS}:
        raise ValidationError({"step": [_("Choose a step from the checklist.")]})
    if STEPS[step].repeatable and not title.strip():
        raise ValidationError({"title": [_("Say what was done.")]})
    _check_day(done_on)
    people = _check_present(client, present)
    record = StepRecord.objects.create(
        client=client,
        step=step,
        title=title.strip()[:150],
        done_on=done_on,
        client_present=client_present,
        others_present=others_present.strip()[:200],
        comment=comment.strip()[:500],
        organisation=acting_organisation(user, client),
        entered_by=user,
    )
    record.present.set(people)
    record_change(
        user, client, record, action=Action.CREATE, reason=f"{AuditEvent.MAPPING_STEP} {step}"
    )
    return record


@transaction.atomic
def start_worksheet(
    *,
    user: User,
    client: Client,
    definition: InstrumentDefinition,
    respondent_kind: str,
    done_on: date,
    present: Iterable[Any] = (),
    client_present: bool = True,
    others_present: str = "",
    shared: bool = True,
    comment: str = "",
    relative: Contact | None = None,
    from_paper: bool = False,
    filled_in_by: str = "",
    scan: Any = None,
) -> StepRecord:
    """Open a worksheet about the client as a draft response, owned by the user's
    organisation; shared with the whole care team unless the client says otherwise.

    A relative's sheet and the interview with a relative name the relative (``relative``):
    what the client sees of it follows that relative's agreement (``confidence``). A sheet
    filled in on paper is entered afterwards with the day it was filled in (``done_on``),
    who filled it in and, optionally, the scanned paper.
    """
    if not may_work_jointly(user, client):
        raise CoordinationError(no_joint_work_message(client))
    step = WORKSHEET_STEP.get(definition.key)
    if step is None:
        raise ValidationError({"instrument": [_("Choose one of the worksheets.")]})
    _check_day(done_on)
    people = _check_present(client, present)
    if relative is not None and relative.client_id != client.pk:
        raise PermissionDenied
    if relative is None and (
        definition.key == confidence.INTERVIEW or respondent_kind == RespondentKind.RELATIVE
    ):
        raise ValidationError({"relative": [_("Choose the relative from the contact list.")]})
    filled_in_by = filled_in_by.strip()[:150]
    if from_paper and not filled_in_by:
        raise ValidationError({"filled_in_by": [_("Say who filled in the paper form.")]})
    if scan and not from_paper:
        raise ValidationError({"scan": [_("A scan belongs to a worksheet entered from paper.")]})
    response = instrument_services.start_response(
        user=user,
        definition=definition,
        subject=client,
        respondent_kind=respondent_kind,
        answered_on=done_on,
    )
    record = StepRecord.objects.create(
        client=client,
        step=step,
        done_on=done_on,
        client_present=client_present,
        others_present=others_present.strip()[:200],
        comment=comment.strip()[:500],
        response=response,
        shared=shared,
        relative=relative,
        from_paper=from_paper,
        filled_in_by=filled_in_by if from_paper else "",
        scan=scan or "",
        organisation=acting_organisation(user, client),
        entered_by=user,
    )
    record.present.set(people)
    return record


@transaction.atomic
def record_client_worksheet(*, user: User, client: Client, response: Response) -> StepRecord:
    """A worksheet the client opened on their own pages (``portal.services``, which has
    checked that ``user`` is the client): a step of the mapping, in the client's home
    organisation's name and shared, so the whole care team sees it."""
    require_open(client)
    return StepRecord.objects.create(
        client=client,
        step=WORKSHEET_STEP[response.definition.key],
        done_on=response.answered_on,
        client_present=True,
        comment=_("Filled in by the client on their own pages."),
        response=response,
        shared=True,
        organisation=client.organisation,
        entered_by=user,
    )


@transaction.atomic
def add_summary_entry(
    *,
    user: User,
    client: Client,
    area: str,
    wants_to_change: str,
    obstacles: str = "",
    resources: str = "",
    source: StepRecord | None = None,
) -> SummaryEntry:
    if not may_work_jointly(user, client):
        raise CoordinationError(no_joint_work_message(client))
    if source is not None and source.client_id != client.pk:
        raise PermissionDenied
    entry = SummaryEntry(
        client=client,
        source=source,
        area=area.strip(),
        wants_to_change=wants_to_change.strip(),
        obstacles=obstacles.strip(),
        resources=resources.strip(),
        organisation=acting_organisation(user, client),
        written_by=user,
    )
    entry.full_clean()
    entry.save()
    record_change(user, client, entry, action=Action.CREATE, reason=AuditEvent.MAPPING_SUMMARY)
    return entry
