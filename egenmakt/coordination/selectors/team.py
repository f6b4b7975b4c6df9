"""Reads about the care team."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from egenmakt.accounts.models import Organisation, OrganisationKind, User
from egenmakt.accounts.selectors import principal_path
from egenmakt.coordination.models import (
    CareTeamMember,
    Client,
)

# INFERRED: how long a hand-over note stays on the client's page; the method names the
# problem (staff changes), not a period.
HANDOVER_DAYS = 90


def team_organisations(client: Client) -> QuerySet[Organisation]:
    """Where the people offered for a client's care team work: the client's own principal
    (their region or municipality) and its units, and the municipalities and the user
    movement that a resource group joins with it; never another region (issue 26: a
    Västerhav case manager was offered Region Nordmark's staff). INFERRED: which
    municipalities lie in the client's region is not held as data, so every municipality
    is offered; another region is never."""
    own = principal_path(client.organisation.path)
    other_regions = Q()
    for path in (
        Organisation.objects.filter(parent=None, kind=OrganisationKind.REGION)
        .exclude(path=own)
        .values_list("path", flat=True)
    ):
        other_regions |= Q(path__startswith=path)
    if not other_regions:
        return Organisation.objects.all()
    return Organisation.objects.exclude(other_regions)


def team_candidates(client: Client, roles: Collection[str]) -> QuerySet[User]:
    """The active people who hold one of ``roles`` in ``team_organisations``."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__role__in=roles,
            memberships__organisation__in=team_organisations(client),
        )
        .distinct()
        .order_by("full_name")
    )


def active_team(client: Client) -> list[CareTeamMember]:
    return list(
        client.team.filter(ended_on__isnull=True)
        .select_related("user", "organisation")
        .order_by("role", "started_on", "id")
    )


def team_and_handovers(
    client: Client, today: date | None = None
) -> tuple[list[CareTeamMember], list[CareTeamMember]]:
    """``active_team`` and ``recent_handovers`` in one query (the client's overview)."""
    today = today or timezone.localdate()
    recent = Q(ended_on__gte=today - timedelta(days=HANDOVER_DAYS)) & ~Q(handover_note="")
    rows = list(
        client.team.filter(Q(ended_on__isnull=True) | recent).select_related("user", "organisation")
    )
    active = sorted(
        (r for r in rows if r.ended_on is None), key=lambda r: (r.role, r.started_on, r.pk)
    )
    left = [r for r in rows if r.ended_on is not None]
    return active, sorted(left, key=lambda r: (r.ended_on, r.pk), reverse=True)


def recent_handovers(client: Client, today: date | None = None) -> list[CareTeamMember]:
    """The hand-over notes of people who left the care team lately, newest first
    (``HANDOVER_DAYS``)."""
    today = today or timezone.localdate()
    return list(
        client.team.filter(ended_on__gte=today - timedelta(days=HANDOVER_DAYS))
        .exclude(handover_note="")
        .select_related("user", "organisation")
        .order_by("-ended_on", "-pk")
    )
