"""Reads for workplaces, readiness and placements."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from egenmakt.accounts.models import Membership, Organisation, User
from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import held_roles, organisations_where
from egenmakt.accounts.types import Viewer
from egenmakt.instruments.schema import iter_items, text
from egenmakt.peer.models import (
    USER_ORGANISATION_KINDS,
    PeerWorkplace,
    Placement,
    TrainingAudience,
    WorkplaceTraining,
)
from egenmakt.peer.rules import may_see_workplace, may_train_user_organisation

READINESS_KEY = "workplace_readiness"
STAFF_TRAININGS_NEEDED = 2  # Handbook p. 20: 2–3 sessions for the staff.
# Handbook p. 20 (seed 000, line 52): "två till tre utbildningstillfällen vardera för
# personalen på den berörda arbetsplatsen respektive den berörda brukarorganisationen".
USER_ORGANISATION_TRAININGS_NEEDED = 2
USER_ORGANISATION_TRAININGS_AT_MOST = 3


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def workplaces_for(user: Viewer) -> QuerySet[PeerWorkplace]:
    coordinator_paths = [
        h.organisation_path for h in held_roles(user) if h.role == Role.COORDINATOR
    ]
    manager_paths = [
        h.organisation_path for h in held_roles(user) if h.role == Role.WORKPLACE_MANAGER
    ]
    condition = Q(pk__in=[])
    for path in coordinator_paths:
        condition |= Q(network__path__startswith=path)
    for path in manager_paths:
        condition |= Q(workplace__path__startswith=path)
    return PeerWorkplace.objects.filter(condition).select_related("workplace", "network")


def get_workplace_for(user: Viewer, workplace_id: Any) -> PeerWorkplace:
    workplace = (
        PeerWorkplace.objects.select_related("workplace", "network")
        .filter(pk=_int(workplace_id))
        .first()
    )
    if workplace is None or not may_see_workplace(user, workplace):
        raise Http404
    return workplace


def unregistered_workplaces() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind="workplace", peer_workplace__isnull=True).order_by(
        "name"
    )


@dataclass
class ReadinessItem:
    key: str
    label: str
    value: str | None
    confirmed_by: str = ""
    confirmed_on: Any = None


def readiness_items(workplace: PeerWorkplace, language: str) -> list[ReadinessItem]:
    """Each yes/partly/no item of the readiness checklist, with its latest answer and who
    confirmed it (the first submitted answer "yes" since it last was anything else)."""
    from egenmakt.instruments.selectors import current_definition, submitted_responses

    definition = current_definition(READINESS_KEY, workplace.network).definition
    items = [
        ReadinessItem(i["key"], text(i["label"], language), None)
        for i in iter_items(definition)
        if i["type"] == "yes_partly_no"
    ]
    by_key = {item.key: item for item in items}
    for response in submitted_responses(workplace, READINESS_KEY).select_related("entered_by"):
        for key, item in by_key.items():
            value = response.answers.get(key)
            if value is None:
                continue
            if value == "yes" and item.value != "yes":
                item.confirmed_by = response.entered_by.full_name
                item.confirmed_on = response.answered_on
            elif value != "yes":
                item.confirmed_by, item.confirmed_on = "", None
            item.value = value
    return items


@dataclass(frozen=True)
class UserOrganisationReadiness:
    """The user organisation's part of the preparation: its training sessions held (a
    session counts from its day) and planned, against the handbook's two to three."""

    organisation: Organisation
    held: int
    planned: int

    @property
    def needed(self) -> int:
        return USER_ORGANISATION_TRAININGS_NEEDED

    @property
    def at_most(self) -> int:
        return USER_ORGANISATION_TRAININGS_AT_MOST

    @property
    def ready(self) -> bool:
        return self.held >= USER_ORGANISATION_TRAININGS_NEEDED


def user_organisation_readiness(
    organisations: Iterable[Organisation],
) -> list[UserOrganisationReadiness]:
    """Each user organisation's training sessions, counted in one query."""
    rows = [o for o in organisations if o.kind in USER_ORGANISATION_KINDS]
    today = timezone.localdate()
    counts = {
        row["user_organisation_id"]: row
        for row in WorkplaceTraining.objects.filter(
            audience=TrainingAudience.USER_ORGANISATION, user_organisation__in=rows
        )
        .values("user_organisation_id")
        .annotate(
            held=Count("pk", filter=Q(day__lte=today)),
            planned=Count("pk", filter=Q(day__gt=today)),
        )
    }
    return [
        UserOrganisationReadiness(
            o, counts.get(o.pk, {}).get("held", 0), counts.get(o.pk, {}).get("planned", 0)
        )
        for o in rows
    ]


def user_organisation_trainings(organisation: Organisation) -> list[WorkplaceTraining]:
    """The user organisation's sessions, with the workplace each was held for, if any."""
    return list(
        WorkplaceTraining.objects.filter(
            audience=TrainingAudience.USER_ORGANISATION, user_organisation=organisation
        )
        .select_related("workplace__workplace")
        .order_by("day", "id")
    )


def user_organisations_for(user: Viewer) -> list[Organisation]:
    """The user organisations and networks the user coordinates, and those below them
    (whose trainings they record)."""
    return list(
        organisations_where(user, Role.COORDINATOR)
        .filter(kind__in=USER_ORGANISATION_KINDS)
        .order_by("path")
    )


def get_user_organisation_for(user: Viewer, organisation_id: Any) -> Organisation:
    organisation = Organisation.objects.filter(pk=_int(organisation_id)).first()
    if organisation is None or not may_train_user_organisation(user, organisation):
        raise Http404
    return organisation


@dataclass
class Readiness:
    items: list[ReadinessItem]
    missing: list[str] = field(default_factory=list)
    staff_trainings: int = 0
    # The workplace's user organisation (its network): shown beside the workplace's own
    # readiness; with user-run staffing it is the employer (see ``placement_warnings``).
    user_organisation: UserOrganisationReadiness | None = None
    # What to do about what is missing, in the order of ``missing``: "checklist",
    # "task_description", "agreement", "training" (each once).
    to_do: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return not self.missing


def readiness(workplace: PeerWorkplace, language: str = "sv") -> Readiness:
    items = readiness_items(workplace, language)
    result = Readiness(items)
    if all(item.value is None for item in items):
        result.missing.append(_("The readiness checklist has not been filled in."))
    else:
        result.missing += [
            _("Not yet: %(item)s") % {"item": item.label} for item in items if item.value != "yes"
        ]
    if result.missing:
        result.to_do.append("checklist")
    description = getattr(workplace, "task_description", None)
    if description is None or description.agreed_on is None:
        result.missing.append(_("The task description has not been agreed."))
        result.to_do.append("task_description")
    elif description.record_keeping == "undecided":
        result.missing.append(_("The local decision on record keeping is missing."))
        result.to_do.append("task_description")
    agreements = list(workplace.agreements.all())
    if not any(a.in_force() and a.covers_all_areas and a.document for a in agreements):
        result.missing.append(
            _("No signed collaboration agreement in force covering all four areas.")
        )
        result.to_do.append("agreement")
    result.staff_trainings = workplace.trainings.filter(
        audience=TrainingAudience.STAFF, day__lte=timezone.localdate()
    ).count()
    if result.staff_trainings < STAFF_TRAININGS_NEEDED:
        result.missing.append(
            _("Staff training: %(held)s of %(needed)s sessions held.")
            % {"held": result.staff_trainings, "needed": STAFF_TRAININGS_NEEDED}
        )
        result.to_do.append("training")
    states = user_organisation_readiness([workplace.network])
    result.user_organisation = states[0] if states else None
    return result


def active_placements(workplace: PeerWorkplace) -> QuerySet[Placement]:
    today = timezone.localdate()
    return workplace.placements.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))


def waiting_for_a_job(user: Viewer) -> QuerySet[User]:
    """Trained peer supporters of the user's networks without an active placement."""
    paths = [h.organisation_path for h in held_roles(user) if h.role == Role.COORDINATOR]
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(organisation__path__startswith=path)
    members = Membership.objects.filter(condition, role=Role.PEER_SUPPORTER).values("user_id")
    today = timezone.localdate()
    working = Placement.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today), peer_supporter=OuterRef("pk")
    )
    return (
        User.objects.filter(pk__in=members, is_active=True)
        .annotate(working=Exists(working))
        .filter(working=False)
        .order_by("full_name")
    )


# Handbook: peer supporters are placed two per workplace, never alone.
PLACES_PER_WORKPLACE = 2


@dataclass
class OpenWorkplace:
    workplace: PeerWorkplace
    area: str  # the workplace's region or municipality, and the units above it, by name
    working: int
    open_places: int
    ready: bool
    missing: int


@dataclass
class WaitingPerson:
    person: User
    municipality: str
    work_capacity: str
    completed_on: Any
    # Ready workplaces with an open place, those in the person's own municipality first.
    near: list[OpenWorkplace] = field(default_factory=list)
    elsewhere: list[OpenWorkplace] = field(default_factory=list)


def matching(user: Viewer, language: str = "sv") -> tuple[list[WaitingPerson], list[OpenWorkplace]]:
    """The placement aid: the peer supporters waiting for a job in the user's networks,
    each with what they told in their application (where they live, how much they can
    work), against the networks' workplaces with room for another peer supporter, ready or
    not. A workplace counts as near someone when their municipality is named in the
    workplace's own name or in an organisation above it (INFERRED: the application holds
    no other wishes; a coordinator knows the rest from talking to the person)."""
    from egenmakt.peer.models import Participant, ParticipantStatus

    people = list(waiting_for_a_job(user))
    joined = {
        row["user_id"]: row
        for row in Participant.objects.filter(
            user__in=people, status=ParticipantStatus.COMPLETED
        ).values(
            "user_id",
            "completed_at",
            "application__municipality",
            "application__work_capacity",
        )
    }
    today = timezone.localdate()
    workplaces = list(
        workplaces_for(user)
        .filter(network__in=organisations_where(user, Role.COORDINATOR))
        .order_by("workplace__name")
    )
    ancestor_ids = {int(pk) for w in workplaces for pk in w.workplace.path.strip("/").split("/")}
    names = dict(Organisation.objects.filter(pk__in=ancestor_ids).values_list("pk", "name"))
    working = {
        row["workplace_id"]: row["n"]
        for row in Placement.objects.filter(workplace__in=workplaces)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today), starts_on__lte=today)
        .values("workplace_id")
        .annotate(n=Count("pk"))
    }
    open_rows = []
    for w in workplaces:
        now = working.get(w.pk, 0)
        if now >= PLACES_PER_WORKPLACE:
            continue
        state = readiness(w, language)
        area = ", ".join(
            names.get(int(pk), "") for pk in w.workplace.path.strip("/").split("/")[:-1]
        )
        open_rows.append(
            OpenWorkplace(w, area, now, PLACES_PER_WORKPLACE - now, state.ready, len(state.missing))
        )
    open_rows.sort(key=lambda r: (not r.ready, r.workplace.workplace.name))
    from egenmakt.peer.models import WorkCapacity

    capacities = dict(WorkCapacity.choices)
    waiting = []
    for person in people:
        facts: dict[str, Any] = dict(joined.get(person.pk, {}))
        municipality = (facts.get("application__municipality") or "").strip()
        row = WaitingPerson(
            person,
            municipality,
            str(capacities.get(facts.get("application__work_capacity") or "", "")),
            timezone.localtime(facts["completed_at"]).date() if facts.get("completed_at") else None,
        )
        for place in open_rows:
            words = f"{place.area} {place.workplace.workplace.name}".lower()
            if municipality and municipality.lower() in words:
                row.near.append(place)
            else:
                row.elsewhere.append(place)
        waiting.append(row)
    return waiting, open_rows
