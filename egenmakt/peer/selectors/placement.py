"""Reads for workplaces, readiness and placements."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from egenmakt.accounts.models import Membership, Organisation, User
from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import held_roles
from egenmakt.accounts.types import Viewer
from egenmakt.instruments.schema import iter_items, text
from egenmakt.peer.models import PeerWorkplace, Placement, TrainingAudience
from egenmakt.peer.rules import may_see_workplace

READINESS_KEY = "workplace_readiness"
STAFF_TRAININGS_NEEDED = 2  # Handbook p. 20: 2–3 sessions for the staff.


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

    definition = current_definition(READINESS_KEY).definition
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


@dataclass
class Readiness:
    items: list[ReadinessItem]
    missing: list[str] = field(default_factory=list)
    staff_trainings: int = 0

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
    description = getattr(workplace, "task_description", None)
    if description is None or description.agreed_on is None:
        result.missing.append(_("The task description has not been agreed."))
    elif description.record_keeping == "undecided":
        result.missing.append(_("The local decision on record keeping is missing."))
    agreements = list(workplace.agreements.all())
    if not any(a.in_force() and a.covers_all_areas and a.document for a in agreements):
        result.missing.append(
            _("No signed collaboration agreement in force covering all four areas.")
        )
    result.staff_trainings = workplace.trainings.filter(
        audience=TrainingAudience.STAFF, day__lte=timezone.localdate()
    ).count()
    if result.staff_trainings < STAFF_TRAININGS_NEEDED:
        result.missing.append(
            _("Staff training: %(held)s of %(needed)s sessions held.")
            % {"held": result.staff_trainings, "needed": STAFF_TRAININGS_NEEDED}
        )
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
