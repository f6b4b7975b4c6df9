"""Supervision of working peer supporters, and fidelity reviews of placements.

Supervision notes are written with the ``supervision_meeting`` instrument about one
peer supporter at one meeting (a ``SupervisionAttendance`` row): only that supervisor
and that peer supporter read them. What the supervisor writes under "system-level
shortcomings" reaches the network's coordinators without names or dates finer than the
month. Fidelity reviews use the ``fidelity`` instrument about a placement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from egenmakt.accounts.models import User
from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import held_roles
from egenmakt.accounts.types import Viewer
from egenmakt.instruments.models import Response
from egenmakt.peer.models import Placement, SupervisionAttendance, SupervisionMeeting

# INFERRED (domain.md has no threshold): a review with fewer than 8 of 11 points kept, or
# two points fewer than the previous review, is flagged as drift for the coordinator.
FIDELITY_FLOOR = 8
FIDELITY_DROP = 2


def supervised_peer_supporters(supervisor: User) -> QuerySet[User]:
    today = timezone.localdate()
    ids = Placement.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today), supervisor=supervisor
    ).values("peer_supporter_id")
    return User.objects.filter(pk__in=ids).order_by("full_name")


def meetings_for(user: Viewer) -> QuerySet[SupervisionMeeting]:
    return (
        SupervisionMeeting.objects.filter(Q(supervisor=user) | Q(attendance__peer_supporter=user))
        .distinct()
        .select_related("supervisor")
        .prefetch_related("attendance__peer_supporter")
    )


def get_meeting_for(user: Viewer, meeting_id: Any) -> SupervisionMeeting:
    meeting = meetings_for(user).filter(pk=int(meeting_id or 0)).first()
    if meeting is None:
        raise Http404
    return meeting


def notes_by_row(rows: list[SupervisionAttendance]) -> dict[int, Response]:
    content_type = ContentType.objects.get_for_model(SupervisionAttendance)
    found: dict[int, Response] = {}
    for response in Response.objects.filter(
        subject_type=content_type, subject_id__in=[str(r.pk) for r in rows]
    ).order_by("created_at"):
        found[int(response.subject_id)] = response
    return found


@dataclass(frozen=True)
class SystemIssue:
    month: str
    text: str


def system_issues_for(user: Viewer) -> list[SystemIssue]:
    """The system-level shortcomings supervisors noted, for the coordinators of the
    networks the peer supporters work for: the text and the month, never who or where."""
    networks = [h.organisation_path for h in held_roles(user) if h.role == Role.COORDINATOR]
    if not networks:
        raise PermissionDenied("system-level shortcomings")
    condition = Q(pk__in=[])
    for path in networks:
        condition |= Q(workplace__network__path__startswith=path)
    peer_ids = Placement.objects.filter(condition).values_list("peer_supporter_id", flat=True)
    rows = SupervisionAttendance.objects.filter(peer_supporter_id__in=list(peer_ids))
    content_type = ContentType.objects.get_for_model(SupervisionAttendance)
    issues = []
    for answers, answered_on in Response.objects.filter(
        subject_type=content_type,
        subject_id__in=[str(pk) for pk in rows.values_list("pk", flat=True)],
        status="submitted",
    ).values_list("answers", "answered_on"):
        text = (answers or {}).get("system_shortcomings", "").strip()
        if text:
            issues.append(SystemIssue(answered_on.strftime("%Y-%m"), text))
    return sorted(issues, key=lambda i: i.month, reverse=True)


@dataclass(frozen=True)
class FidelityTrend:
    scores: list[tuple[Any, float]]

    @property
    def latest(self) -> float | None:
        return self.scores[-1][1] if self.scores else None

    @property
    def drifting(self) -> bool:
        if not self.scores:
            return False
        latest = self.scores[-1][1]
        if latest < FIDELITY_FLOOR:
            return True
        return len(self.scores) > 1 and self.scores[-2][1] - latest >= FIDELITY_DROP


def fidelity_trends(placements: list[Placement]) -> dict[int, FidelityTrend]:
    content_type = ContentType.objects.get_for_model(Placement)
    by_placement: dict[int, list[tuple[Any, float]]] = {p.pk: [] for p in placements}
    for subject_id, answered_on, scores in (
        Response.objects.filter(
            subject_type=content_type,
            subject_id__in=[str(p.pk) for p in placements],
            status="submitted",
            definition__key="fidelity",
        )
        .order_by("answered_on", "id")
        .values_list("subject_id", "answered_on", "scores")
    ):
        value = (scores or {}).get("faithful", {}).get("value")
        if value is not None:
            by_placement[int(subject_id)].append((answered_on, float(value)))
    return {pk: FidelityTrend(values) for pk, values in by_placement.items()}
