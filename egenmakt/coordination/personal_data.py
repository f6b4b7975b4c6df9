"""The personal data this app holds (``audit.registry``; the record of processing reads it).

Everything here is the client's care record: health and social-care data (GDPR art. 9),
kept under the care organisation's retention period after the coordination closes. A
user who wrote or changed a row gets, in their own export, that they did and when; what
they wrote about the client is the client's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import User
from egenmakt.core.personal_data import DataSubject, LegalBasis, Of, Person, PersonalData

from .models import (
    AgendaItem,
    ArchiveAccess,
    Attendance,
    CareTeamMember,
    CaseNote,
    Client,
    Consent,
    Contact,
    Decision,
    EarlyWarningPlan,
    Goal,
    GoalReview,
    MappingSession,
    Meeting,
    Message,
    MessageRead,
    MessageThread,
    MinutesConfirmation,
    Plan,
    PlanAction,
    PlanVersion,
    RelativeLink,
    ResourceGroupMember,
    RetentionPolicy,
    SentReminder,
    StepRecord,
    SummaryEntry,
)

PURPOSE = _("Coordinated care and support in a resource group (RACT, SIP)")
RETENTION = _(
    "While the coordination runs; then archived, and erased when the care organisation's "
    "retention period after closing has passed (health care: 10 years, PDL 3 kap. 17 §; "
    "social services: 5 years)"
)
RECIPIENTS = _(
    "The client's care team and resource group in the organisations the client's "
    "consent names; the client in their own pages"
)


def client_identifiers(client: Client) -> list[str]:
    from .services.retention import client_identifiers as identifiers

    return identifiers(client)


def erase(client: Client, **kwargs: Any) -> None:
    from .services.retention import erase_client

    erase_client(client, **kwargs)


def export_client_record(client: Client) -> dict[str, Any]:
    """The client's binder as JSON, the fuller record beside the registry's rows."""
    from .export.json import export_json  # fhir.resources is loaded only when someone exports

    return export_json(client)


def _record(
    model: type[models.Model],
    holds: str | Promise,
    client: Callable[[Client], QuerySet[Any]] | None,
    client_fields: tuple[str, ...],
    *,
    by: str | None = None,
    by_fields: tuple[str, ...] = (),
    whose: tuple[DataSubject, ...] = (DataSubject.CLIENT,),
    names: tuple[str, ...] = (),
) -> PersonalData:
    """A part of the client's record: the client's rows, and a user's own part of them
    (the rows ``by`` names them in, with ``by_fields`` only). Without ``client``, the
    client's copy has these rows only as far as their binder shows them (``record``)."""
    parts = [Of(Client, client, client_fields)] if client is not None else []
    if by is not None:
        manager = model._default_manager
        parts.append(Of(User, lambda user: manager.filter(**{by: user}), by_fields or ("pk",)))
    return PersonalData(
        model,
        holds=holds,
        whose=whose,
        purpose=PURPOSE,
        basis=LegalBasis.CARE,
        retention=RETENTION,
        recipients=RECIPIENTS,
        special_category=True,
        of=tuple(parts),
        names=names,
    )


PERSONAL_DATA = [
    PersonalData(
        Client,
        holds=_(
            "Name, personal identity number, protected identity, address, phone, e-mail, "
            "language and interpreter, where meetings are held, phase of the work"
        ),
        whose=(DataSubject.CLIENT,),
        purpose=PURPOSE,
        basis=LegalBasis.CARE,
        retention=RETENTION,
        recipients=RECIPIENTS,
        special_category=True,
        person=Person(
            identifiers=client_identifiers,
            erase=erase,
            erasure=_("Erased with the whole record; anonymous counts stay for reports"),
            export=export_client_record,
        ),
        of=(
            Of(
                Client,
                lambda client: Client.objects.filter(pk=client.pk),
                (
                    "full_name",
                    "identity_number",
                    "address",
                    "postcode",
                    "city",
                    "phone",
                    "email",
                    "preferred_language",
                    "interpreter_needed",
                    "meeting_place",
                    "meeting_place_note",
                    "organisation__name",
                    "phase",
                    "started_on",
                    "closed_reason",
                ),
            ),
            Of(User, lambda user: Client.objects.filter(created_by=user), ("created_at",)),
        ),
    ),
    PersonalData(
        CaseNote,
        holds=_("Notes about the client written by the care team, each organisation's own"),
        whose=(DataSubject.CLIENT,),
        purpose=PURPOSE,
        basis=LegalBasis.CARE,
        retention=RETENTION,
        recipients=_(
            "The writing organisation's care team only. The client gets them by asking that "
            "organisation, which reviews them for secrecy first (OSL 25 and 26 kap.), so "
            "they are not in the client's own copy"
        ),
        special_category=True,
        of=(Of(User, lambda user: CaseNote.objects.filter(written_by=user), ("written_at",)),),
    ),
    _record(
        Consent,
        _("The client's consent: when, in what form, to what, until when, any scan"),
        lambda client: Consent.objects.filter(client=client),
        ("given_on", "form", "scope", "details", "valid_until", "revoked_at"),
        by="recorded_by",
        by_fields=("recorded_at",),
    ),
    _record(
        MessageThread,
        _("Topics of the messages between the client and their care team, who started each"),
        lambda client: MessageThread.objects.filter(client=client),
        ("subject", "created_at", "last_message_at"),
        by="created_by",
        by_fields=("created_at",),
        whose=(DataSubject.CLIENT, DataSubject.STAFF),
    ),
    _record(
        Message,
        _(
            "Messages between the client and their care team: what they wrote, when, by "
            "whom, and any attachment (a PDF or a photo)"
        ),
        lambda client: Message.objects.filter(thread__client=client),
        ("thread__subject", "by_client", "text", "sent_at", "attachment"),
        by="author",
        by_fields=("sent_at",),
        whose=(DataSubject.CLIENT, DataSubject.STAFF),
    ),
    _record(
        MessageRead,
        _("When each reader last read a thread of messages, and when they were told of one"),
        lambda client: MessageRead.objects.filter(thread__client=client),
        ("read_at",),
        by="user",
        by_fields=("read_at", "noticed_at"),
        whose=(DataSubject.CLIENT, DataSubject.STAFF),
    ),
    _record(
        EarlyWarningPlan,
        _("The client's early-warning plan: signs, what helps, who holds copies"),
        lambda client: EarlyWarningPlan.objects.filter(client=client),
        ("copies_held_by", "reviewed_on", "updated_at"),
        by="reviewed_by",
        by_fields=("reviewed_on",),
        names=("copies_held_by",),
    ),
    _record(
        Contact,
        _("People in the client's network: name, relationship, closeness, phone, e-mail"),
        lambda client: Contact.objects.filter(client=client),
        (
            "name",
            "relationship",
            "sector",
            "closeness",
            "workplace",
            "phone",
            "email",
            "note",
        ),
        by="entered_by",
        by_fields=("updated_at",),
        whose=(DataSubject.CLIENT, DataSubject.NETWORK),
    ),
    _record(
        StepRecord,
        _(
            "The mapping steps done: when, who was there, comments, which relative answered, "
            "who filled in a paper form and its scan"
        ),
        None,
        (
            "step",
            "title",
            "done_on",
            "client_present",
            "others_present",
            "comment",
            "relative__name",
            "from_paper",
            "filled_in_by",
            "scan",
        ),
        by="entered_by",
        by_fields=("step", "created_at"),
        names=("others_present", "filled_in_by"),
    ),
    _record(
        MappingSession,
        _("Booked mapping sessions: when, where, the planned steps, who was booked and came"),
        lambda client: MappingSession.objects.filter(client=client),
        ("starts_at", "duration_minutes", "place", "planned_steps", "status"),
        by="created_by",
        by_fields=("created_at",),
    ),
    _record(
        RelativeLink,
        _(
            "One-time links sent to the client's relatives to answer a sheet (only a hash "
            "of each is kept): to whom, which sheet, when, and what the relative saved to "
            "go on later"
        ),
        lambda client: RelativeLink.objects.filter(client=client),
        ("created_at", "expires_at", "used_at", "revoked_at"),
        by="sent_by",
        by_fields=("created_at",),
        whose=(DataSubject.CLIENT, DataSubject.NETWORK),
    ),
    _record(
        SummaryEntry,
        _("The summary of the mapping: what the client wants to change, obstacles, resources"),
        None,
        ("area", "wants_to_change", "obstacles", "resources", "written_at"),
        by="written_by",
        by_fields=("written_at",),
    ),
    _record(
        Plan,
        _("The plan (SIP): long-term goal, who is responsible, urgent measures"),
        lambda client: Plan.objects.filter(client=client),
        ("long_term_goal", "responsible_principal", "urgent_measures", "updated_at"),
        by="updated_by",
        by_fields=("updated_at",),
    ),
    _record(
        Goal,
        _("The plan's goals and measures"),
        lambda client: Goal.objects.filter(plan__client=client),
        ("text", "measure", "target_date", "status"),
    ),
    _record(
        PlanAction,
        _("What is done, by whom, when"),
        lambda client: PlanAction.objects.filter(plan__client=client),
        ("what", "who", "principal", "organisation_name", "when", "due_on", "status"),
        names=("who",),
    ),
    _record(
        PlanVersion,
        _("Each decided version of the plan"),
        lambda client: PlanVersion.objects.filter(plan__client=client),
        ("number", "decided_on", "content"),
        by="decided_by",
        by_fields=("number", "decided_at"),
        names=("content",),
    ),
    _record(
        ResourceGroupMember,
        _("The resource group: names, roles, organisations, phone, e-mail"),
        lambda client: ResourceGroupMember.objects.filter(client=client),
        (
            "name",
            "kind",
            "role",
            "team_role",
            "organisation_name",
            "phone",
            "email",
            "added_on",
            "ended_on",
        ),
        by="user",
        by_fields=("role", "added_on", "ended_on"),
        whose=(DataSubject.CLIENT, DataSubject.NETWORK, DataSubject.STAFF),
        names=("name",),
    ),
    _record(
        Meeting,
        _("Resource-group meetings: when, where, who chaired, minutes"),
        lambda client: Meeting.objects.filter(client=client),
        ("starts_at", "place", "place_kind", "chair", "status", "client_present", "minutes"),
        by="created_by",
        by_fields=("created_at",),
        names=("chair",),
    ),
    _record(
        AgendaItem,
        _("A meeting's agenda and notes"),
        lambda client: AgendaItem.objects.filter(meeting__client=client),
        ("meeting__starts_at", "title", "notes"),
    ),
    _record(
        Attendance,
        _("Who was invited to and came to each meeting"),
        lambda client: Attendance.objects.filter(meeting__client=client),
        ("meeting__starts_at", "member__name", "present"),
        by="member__user",
        by_fields=("meeting__starts_at", "present"),
        whose=(DataSubject.CLIENT, DataSubject.NETWORK, DataSubject.STAFF),
    ),
    _record(
        GoalReview,
        _("How far each goal was reached, at each meeting"),
        lambda client: GoalReview.objects.filter(meeting__client=client),
        ("meeting__starts_at", "goal__text", "attainment", "comment"),
    ),
    _record(
        Decision,
        _("Decisions made at meetings"),
        lambda client: Decision.objects.filter(meeting__client=client),
        ("meeting__starts_at", "kind", "text", "recorded_at"),
        by="recorded_by",
        by_fields=("recorded_at",),
    ),
    _record(
        MinutesConfirmation,
        _("Who confirmed a meeting's minutes, when, and what they asked to be corrected"),
        lambda client: MinutesConfirmation.objects.filter(meeting__client=client),
        ("meeting__starts_at", "by_client", "correction", "confirmed_at"),
        by="user",
        by_fields=("meeting__starts_at", "confirmed_at"),
        whose=(DataSubject.CLIENT, DataSubject.STAFF),
    ),
    _record(
        SentReminder,
        _("Reminders sent about the client: which, when, by which channel, to whom by role"),
        lambda client: SentReminder.objects.filter(client=client),
        ("rule", "role", "channel", "sent_at"),
        whose=(DataSubject.CLIENT, DataSubject.NETWORK, DataSubject.STAFF),
    ),
    _record(
        CareTeamMember,
        _("The case managers on the client's care team and since when"),
        lambda client: CareTeamMember.objects.filter(client=client),
        ("user__full_name", "organisation__name", "role", "started_on", "ended_on"),
        by="user",
        by_fields=("organisation__name", "role", "started_on", "ended_on"),
        whose=(DataSubject.CLIENT, DataSubject.STAFF),
    ),
    PersonalData(
        ArchiveAccess,
        holds=_("Who opened a closed or restricted record, when, and the reason they gave"),
        whose=(DataSubject.CLIENT, DataSubject.STAFF),
        purpose=_("Checking reads of archived records (PDL 4 kap. 3 §)"),
        basis=LegalBasis.LEGAL_OBLIGATION,
        retention=RETENTION,
        recipients=_("The organisation's auditors"),
        special_category=True,
        of=(
            Of(
                User,
                lambda user: ArchiveAccess.objects.filter(user=user),
                ("granted_at", "expires_at", "reason"),
            ),
            Of(
                Client,
                lambda client: ArchiveAccess.objects.filter(client=client),
                ("granted_at",),
            ),
        ),
    ),
    PersonalData(
        RetentionPolicy,
        holds=_("Who set an organisation's retention period, and when"),
        whose=(DataSubject.STAFF,),
        purpose=_("Knowing who decided how long closed records are kept"),
        basis=LegalBasis.ASSIGNMENT,
        retention=_("As long as the organisation keeps the setting"),
        of=(
            Of(
                User,
                lambda user: RetentionPolicy.objects.filter(updated_by=user),
                ("organisation__name", "years", "updated_at"),
            ),
        ),
    ),
]
