"""Who sees the programme report: the network's coordinators and its analysts (the
evaluating researchers). The report holds counts only; the research extract holds
pseudonyms only."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from egenmakt.accounts.models import Organisation, OrganisationKind
from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import held_roles
from egenmakt.accounts.types import Viewer

REPORT_ROLES = frozenset({Role.COORDINATOR, Role.ANALYST})


def report_networks(user: Viewer) -> QuerySet[Organisation]:
    paths = [h.organisation_path for h in held_roles(user) if h.role in REPORT_ROLES]
    if not paths:
        return Organisation.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return Organisation.objects.filter(condition, kind=OrganisationKind.USER_NETWORK).order_by(
        "name"
    )


def may_open_programme(user: Viewer) -> bool:
    """The programme report's page: someone who reports on at least one network (a
    coordinator or an analyst of a user-movement network, or above one)."""
    return report_networks(user).exists()


def _networks_below_held(user: Viewer) -> tuple[list[Any], QuerySet[Organisation]]:
    """The report roles the user holds, and the user-movement networks strictly below
    the organisations they hold them in."""
    held = [h for h in held_roles(user) if h.role in REPORT_ROLES]
    below = Q(pk__in=[])
    for h in held:
        below |= Q(path__startswith=h.organisation_path) & ~Q(pk=h.organisation_id)
    return held, Organisation.objects.filter(below, kind=OrganisationKind.USER_NETWORK)


def rollup_organisations(user: Viewer) -> QuerySet[Organisation]:
    """The organisations above user-movement networks (the movement's national body, or a
    region's association of networks) where the user holds a report role: what the
    national summary adds up. A network itself is not one: its report is the programme
    report."""
    held, networks = _networks_below_held(user)
    paths = list(networks.values_list("path", flat=True))
    tops = {
        h.organisation_id
        for h in held
        if any(p.startswith(h.organisation_path) and p != h.organisation_path for p in paths)
    }
    return (
        Organisation.objects.filter(pk__in=tops)
        .exclude(kind=OrganisationKind.USER_NETWORK)
        .order_by("name")
    )


def may_open_national(user: Viewer) -> bool:
    """Whether the user reports for an organisation with user-movement networks below it:
    one query (the menu asks it on every page of a coordinator or analyst)."""
    held, networks = _networks_below_held(user)
    return bool(held) and networks.exists()


def may_report_on(user: Viewer, network: Organisation) -> bool:
    ancestors = set(network.ancestor_ids())
    return any(h.role in REPORT_ROLES and h.organisation_id in ancestors for h in held_roles(user))


def sees_the_people(user: Viewer | None, network: Organisation) -> bool:
    """The network's coordinators (or above it) work with its applicants by name: they read
    the report's counts as they are. Anyone else who reads the report (an analyst) reads
    them with small counts suppressed."""
    if user is None:
        return False
    ancestors = set(network.ancestor_ids())
    return any(
        h.role == Role.COORDINATOR and h.organisation_id in ancestors for h in held_roles(user)
    )


# The caseload report (coordination across a unit): the analyst, and the supervisor, who
# leads the case managers in the method. INFERRED: Egenmakt has no role for the manager of
# a unit of case managers; the method supervisor is the nearest. Change it here.
CASELOAD_ROLES = frozenset({Role.SUPERVISOR, Role.ANALYST})


def caseload_units(user: Viewer) -> QuerySet[Organisation]:
    """The organisations where the user holds a caseload role, and the units below them."""
    paths = [h.organisation_path for h in held_roles(user) if h.role in CASELOAD_ROLES]
    if not paths:
        return Organisation.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return Organisation.objects.filter(condition).order_by("path")


def may_open_caseload(user: Viewer) -> bool:
    return caseload_units(user).exists()


def may_see_caseload(user: Viewer, unit: Organisation) -> bool:
    ancestors = set(unit.ancestor_ids())
    return any(
        h.role in CASELOAD_ROLES and h.organisation_id in ancestors for h in held_roles(user)
    )
