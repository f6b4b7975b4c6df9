"""Use-cases that change a client's coordination: each in one transaction, each written
to the access log, each refused as a whole with a clear message when it may not happen."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from egenmakt.accounts.models import Organisation
from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import holds_role_in
from egenmakt.audit.models import Action
from egenmakt.audit.services import grant_emergency_access, log_access
from egenmakt.instruments import services as instrument_services
from egenmakt.instruments.models import InstrumentDefinition

from .checklist import MANUAL_STEPS, STEPS, WORKSHEET_STEP
from .identity import parse_identity_number
from .models import (
    CareTeamMember,
    CaseNote,
    Client,
    Consent,
    ConsentScope,
    Contact,
    EarlyWarningPlan,
    Phase,
    StepRecord,
    SummaryEntry,
    TeamRole,
)
from .rules import (
    emergency_principal_paths,
    is_in_care_team,
    may_open_in_emergency,
    may_register_client,
    may_request_emergency_access,
    may_work_jointly,
)
from .selectors import client_access, forget_client_access

MAX_CASE_MANAGERS = 2
CLIENT_FIELDS = (
    "full_name",
    "protected_identity",
    "address",
    "postcode",
    "city",
    "phone",
    "email",
    "preferred_language",
    "interpreter_needed",
    "meeting_place",
    "meeting_place_note",
    "started_on",
)


class CoordinationError(Exception):
    """A refused action, with a message for the user."""


class NeedsConfirmationError(CoordinationError):
    """The action is allowed after the user has read the warnings and given a reason."""

    def __init__(self, warnings: list[str]) -> None:
        super().__init__(" ".join(warnings))
        self.warnings = warnings


def _acting_organisation(user: Any, client: Client) -> Organisation:
    seat = client_access(user, client).seat
    if seat is None:
        raise PermissionDenied
    return seat.organisation


def _require(predicate: Any, user: Any, client: Client) -> None:
    if not predicate(user, client):
        raise PermissionDenied


def record_change(
    request: HttpRequest | None,
    user: Any,
    client: Client,
    obj: Any,
    *,
    action: str = Action.CHANGE,
    reason: str = "",
    organisation: Organisation | None = None,
) -> None:
    """The access-log row of a change, for the organisation the user acts for."""
    if organisation is None:
        seat = client_access(user, client).seat
        organisation = seat.organisation if seat is not None else None
    log_access(
        request=request,
        actor=user,
        action=action,
        person=client,
        obj=obj,
        organisation=organisation,
        reason=reason,
    )


def no_joint_work_message(client: Client) -> str:
    if client.is_closed:
        return _("The coordination has ended; nothing more can be added.")
    return _("Record the client's consent first: no shared work without it.")


# --- Clients ---------------------------------------------------------------------------------


@transaction.atomic
def register_client(
    *,
    user: Any,
    organisation: Organisation,
    identity_number: str,
    data: dict[str, Any],
    request: HttpRequest | None = None,
) -> Client:
    """A case manager registers a client for their organisation and takes the first seat."""
    if not may_register_client(user) or not holds_role_in(user, Role.CASE_MANAGER, organisation):
        raise PermissionDenied
    number = parse_identity_number(identity_number)
    client = Client(
        identity_number=number.digits,
        coordination_number=number.coordination,
        organisation=organisation,
        created_by=user,
        **{key: data[key] for key in CLIENT_FIELDS if key in data},
    )
    client.full_clean(exclude=["identity_number"])
    try:
        with transaction.atomic():
            client.save()
    except IntegrityError as exc:
        raise CoordinationError(
            _("Your organisation has already registered a client with this number.")
        ) from exc
    CareTeamMember.objects.create(
        client=client,
        user=user,
        organisation=organisation,
        role=TeamRole.CASE_MANAGER,
        started_on=client.started_on,
        added_by=user,
    )
    forget_client_access(user)
    record_change(request, user, client, client, action=Action.CREATE, organisation=organisation)
    return client


@transaction.atomic
def update_client(
    *, user: Any, client: Client, data: dict[str, Any], request: HttpRequest | None = None
) -> Client:
    _require(is_in_care_team, user, client)
    for key in CLIENT_FIELDS:
        if key in data:
            setattr(client, key, data[key])
    client.full_clean()
    client.save()
    record_change(request, user, client, client)
    return client


# Allowed moves between phases; closing is possible from every open phase.
PHASE_MOVES: dict[str, tuple[str, ...]] = {
    Phase.START: (Phase.MAPPING, Phase.CLOSED),
    Phase.MAPPING: (Phase.PLANNING, Phase.CLOSED),
    Phase.PLANNING: (Phase.MAPPING, Phase.WORK, Phase.CLOSED),
    Phase.WORK: (Phase.FOLLOW_UP, Phase.CLOSED),
    Phase.FOLLOW_UP: (Phase.WORK, Phase.CLOSED),
    Phase.CLOSED: (),
}


@transaction.atomic
def change_phase(
    *,
    user: Any,
    client: Client,
    phase: str,
    reason: str = "",
    open_steps: Iterable[str] = (),
    request: HttpRequest | None = None,
) -> Client:
    """Move the client to the next phase. Leaving the mapping with steps left, or
    closing, needs a written reason; ``open_steps`` are the labels of the steps left."""
    _require(is_in_care_team, user, client)
    locked = Client.objects.select_for_update().get(pk=client.pk)
    if phase not in PHASE_MOVES.get(locked.phase, ()):
        raise CoordinationError(_("The client cannot move to that phase from here."))
    reason = reason.strip()
    if phase == Phase.MAPPING and not client_access(user, client).consent_valid:
        raise CoordinationError(_("Record the client's consent before the mapping starts."))
    open_steps = list(open_steps)
    if phase == Phase.PLANNING and open_steps and not reason:
        raise NeedsConfirmationError(
            [
                _("These mapping steps are not done: %(steps)s.")
                % {"steps": ", ".join(open_steps)},
                _("Say why the planning starts anyway."),
            ]
        )
    if phase == Phase.CLOSED and not reason:
        raise NeedsConfirmationError([_("Say why the coordination ends.")])
    locked.phase = phase
    if phase == Phase.CLOSED:
        locked.closed_reason = reason[:300]
    locked.save(update_fields=["phase", "closed_reason", "updated_at"])
    client.phase, client.closed_reason = locked.phase, locked.closed_reason
    record_change(request, user, client, client, reason=f"phase {phase}")
    return client


# --- Care team ---------------------------------------------------------------------------------

TEAM_ROLE_NEEDS: dict[str, tuple[str, ...]] = {
    TeamRole.CASE_MANAGER: (Role.CASE_MANAGER,),
    TeamRole.METHOD_SUPERVISOR: (Role.SUPERVISOR, Role.CASE_MANAGER),
    TeamRole.PEER_SUPPORTER: (Role.PEER_SUPPORTER,),
}


@transaction.atomic
def add_team_member(
    *,
    user: Any,
    client: Client,
    member: Any,
    organisation: Organisation,
    role: str,
    reason: str = "",
    request: HttpRequest | None = None,
) -> CareTeamMember:
    """Add a person to the care team. At most two case managers; a warning, passed only
    with a reason, when both are from the same organisation."""
    _require(is_in_care_team, user, client)
    if client.is_closed:
        raise CoordinationError(no_joint_work_message(client))
    Client.objects.select_for_update().filter(pk=client.pk).first()  # one change at a time
    if not any(holds_role_in(member, r, organisation) for r in TEAM_ROLE_NEEDS[role]):
        raise CoordinationError(
            _("%(name)s does not hold that role at %(organisation)s.")
            % {"name": member.full_name, "organisation": organisation.name}
        )
    active = list(client.team.filter(ended_on__isnull=True).select_related("organisation"))
    if any(seat.user_id == member.pk for seat in active):
        raise CoordinationError(
            _("%(name)s is already in the care team.") % {"name": member.full_name}
        )
    warnings: list[str] = []
    if role == TeamRole.CASE_MANAGER:
        managers = [seat for seat in active if seat.role == TeamRole.CASE_MANAGER]
        if len(managers) >= MAX_CASE_MANAGERS:
            raise CoordinationError(_("A client has at most two case managers."))
        if any(seat.organisation_id == organisation.pk for seat in managers):
            warnings.append(
                _(
                    "Both case managers would be from %(organisation)s. The method "
                    "usually pairs psychiatry with the municipality."
                )
                % {"organisation": organisation.name}
            )
    if role == TeamRole.METHOD_SUPERVISOR and any(
        seat.role == TeamRole.METHOD_SUPERVISOR for seat in active
    ):
        raise CoordinationError(_("The care team already has a method supervisor."))
    if warnings and not reason.strip():
        raise NeedsConfirmationError(warnings)
    seat = CareTeamMember.objects.create(
        client=client,
        user=member,
        organisation=organisation,
        role=role,
        added_by=user,
        warning_reason=reason.strip()[:300] if warnings else "",
    )
    record_change(request, user, client, seat, reason="care team: added")
    return seat


@transaction.atomic
def end_team_member(
    *, user: Any, client: Client, seat: CareTeamMember, request: HttpRequest | None = None
) -> CareTeamMember:
    _require(is_in_care_team, user, client)
    if seat.client_id != client.pk or seat.ended_on is not None:
        raise CoordinationError(_("That person is not in the care team."))
    managers = client.team.filter(ended_on__isnull=True, role=TeamRole.CASE_MANAGER)
    if seat.role == TeamRole.CASE_MANAGER and managers.count() <= 1:
        raise CoordinationError(
            _("A client always has a case manager: add the new one before this one leaves.")
        )
    seat.ended_on = timezone.localdate()
    seat.save(update_fields=["ended_on"])
    forget_client_access(user)
    record_change(
        request, user, client, seat, reason="care team: ended", organisation=seat.organisation
    )
    return seat


# --- Consent -----------------------------------------------------------------------------------


@transaction.atomic
def record_consent(
    *,
    user: Any,
    client: Client,
    given_on: date,
    form: str,
    scope: list[str],
    details: str = "",
    valid_until: date | None = None,
    organisations: Iterable[Organisation],
    case_managers: Iterable[Any],
    document: UploadedFile | None = None,
    request: HttpRequest | None = None,
) -> Consent:
    """Record the client's consent; the first one starts the mapping."""
    _require(is_in_care_team, user, client)
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
    record_change(request, user, client, consent, action=Action.CREATE, reason="consent recorded")
    return consent


@transaction.atomic
def revoke_consent(
    *,
    user: Any,
    client: Client,
    consent: Consent,
    note: str = "",
    request: HttpRequest | None = None,
) -> Consent:
    """The client withdraws consent: from the next request on, nobody reaches the client
    through it."""
    _require(is_in_care_team, user, client)
    if consent.client_id != client.pk:
        raise CoordinationError(_("That consent belongs to someone else."))
    updated = Consent.objects.filter(pk=consent.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=user, revocation_note=note.strip()[:300]
    )
    if not updated:
        raise CoordinationError(_("The consent was already revoked."))
    consent.refresh_from_db()
    organisation = _acting_organisation(user, client)
    forget_client_access(user)
    record_change(
        request, user, client, consent, reason="consent revoked", organisation=organisation
    )
    return consent


# --- Contacts and the network map --------------------------------------------------------------

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
    user: Any,
    client: Client,
    data: dict[str, Any],
    contact: Contact | None = None,
    request: HttpRequest | None = None,
) -> Contact:
    if not may_work_jointly(user, client):
        raise CoordinationError(no_joint_work_message(client))
    organisation = _acting_organisation(user, client)
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
        request,
        user,
        client,
        contact,
        action=Action.CREATE if created else Action.CHANGE,
        organisation=organisation,
    )
    return contact


@transaction.atomic
def remove_contact(
    *, user: Any, client: Client, contact: Contact, request: HttpRequest | None = None
) -> None:
    if not may_work_jointly(user, client):
        raise CoordinationError(no_joint_work_message(client))
    if contact.client_id != client.pk:
        raise PermissionDenied
    organisation = _acting_organisation(user, client)
    record_change(request, user, client, contact, action=Action.DELETE, organisation=organisation)
    contact.delete()


# --- Steps, worksheets and the summary ---------------------------------------------------------


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
    user: Any,
    client: Client,
    step: str,
    done_on: date,
    present: Iterable[Any] = (),
    client_present: bool = True,
    others_present: str = "",
    comment: str = "",
    title: str = "",
    request: HttpRequest | None = None,
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
        organisation=_acting_organisation(user, client),
        entered_by=user,
    )
    record.present.set(people)
    record_change(request, user, client, record, action=Action.CREATE, reason=f"step {step}")
    return record


@transaction.atomic
def start_worksheet(
    *,
    user: Any,
    client: Client,
    definition: InstrumentDefinition,
    respondent_kind: str,
    done_on: date,
    present: Iterable[Any] = (),
    client_present: bool = True,
    others_present: str = "",
    shared: bool = True,
    comment: str = "",
    request: HttpRequest | None = None,
) -> StepRecord:
    """Open a worksheet about the client as a draft response, owned by the user's
    organisation; shared with the whole care team unless the client says otherwise."""
    if not may_work_jointly(user, client):
        raise CoordinationError(no_joint_work_message(client))
    step = WORKSHEET_STEP.get(definition.key)
    if step is None:
        raise ValidationError({"instrument": [_("Choose one of the worksheets.")]})
    _check_day(done_on)
    people = _check_present(client, present)
    response = instrument_services.start_response(
        user=user,
        definition=definition,
        subject=client,
        respondent_kind=respondent_kind,
        answered_on=done_on,
        request=request,
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
        organisation=_acting_organisation(user, client),
        entered_by=user,
    )
    record.present.set(people)
    return record


@transaction.atomic
def add_summary_entry(
    *,
    user: Any,
    client: Client,
    area: str,
    wants_to_change: str,
    obstacles: str = "",
    resources: str = "",
    source: StepRecord | None = None,
    request: HttpRequest | None = None,
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
        organisation=_acting_organisation(user, client),
        written_by=user,
    )
    entry.full_clean()
    entry.save()
    record_change(request, user, client, entry, action=Action.CREATE, reason="mapping summary")
    return entry


@transaction.atomic
def add_case_note(
    *, user: Any, client: Client, text: str, request: HttpRequest | None = None
) -> CaseNote:
    """An organisation's own note: needs a seat, not a consent (it is not shared)."""
    _require(is_in_care_team, user, client)
    note = CaseNote(
        client=client,
        organisation=_acting_organisation(user, client),
        text=text.strip(),
        written_by=user,
    )
    note.full_clean()
    note.save()
    record_change(request, user, client, note, action=Action.CREATE, reason="case note")
    return note


# --- Emergency access --------------------------------------------------------------------------


def find_for_emergency(*, user: Any, identity_number: str) -> list[Client]:
    """The records of this number, for someone about to break the glass."""
    if not may_request_emergency_access(user):
        raise PermissionDenied
    number = parse_identity_number(identity_number)
    roots = emergency_principal_paths(user)
    if not roots:
        return []
    under_principal = Q()
    for root in roots:
        under_principal |= Q(organisation__path__startswith=root)
    return list(
        Client.objects.filter(under_principal, identity_number=number.digits)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def open_in_emergency(
    *, user: Any, client: Client, reason: str, request: HttpRequest | None = None
) -> None:
    if not may_open_in_emergency(user, client):
        raise PermissionDenied
    if client_access(user, client).in_team:
        return  # already theirs to see: no emergency needed
    try:
        grant_emergency_access(request=request, actor=user, person=client, reason=reason)
    except ValueError as exc:
        raise ValidationError(
            {"reason": [_("Write why you must open the record now (at least ten characters).")]}
        ) from exc
    forget_client_access(user)


# --- The early-warning plan --------------------------------------------------------------------


@transaction.atomic
def update_warning_plan(
    *,
    user: Any,
    client: Client,
    copies_held_by: str | None = None,
    reviewed: bool = False,
    reviewed_on: date | None = None,
    request: HttpRequest | None = None,
) -> EarlyWarningPlan:
    """Record who holds a copy, or that the plan was reviewed (today, or on the day of
    the resource-group meeting that reviewed it)."""
    if not may_work_jointly(user, client):
        raise CoordinationError(no_joint_work_message(client))
    row, _created = EarlyWarningPlan.objects.select_for_update().get_or_create(client=client)
    if copies_held_by is not None:
        row.copies_held_by = copies_held_by.strip()[:300]
    if reviewed:
        row.reviewed_on = reviewed_on or timezone.localdate()
        row.reviewed_by = user
    row.save()
    record_change(request, user, client, row, reason="early-warning plan")
    return row
