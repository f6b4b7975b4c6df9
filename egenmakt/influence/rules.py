"""Who does what in user-influence work.

The area's coordinators (the coordinators of the organisation that runs the area) map
organisations and forums and approve calendar activities; analysts of that organisation
read the indicators. Members of a user organisation that has an account in Egenmakt submit
its activities. The public sees only what is published or approved.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import held_roles, holds_role_in
from egenmakt.accounts.types import Viewer

from .models import CareArea, InfluenceOrganisation


def is_area_coordinator(user: Viewer, area: CareArea) -> bool:
    return holds_role_in(user, Role.COORDINATOR, area.organisation)


def may_read_area(user: Viewer, area: CareArea) -> bool:
    return is_area_coordinator(user, area) or holds_role_in(user, Role.ANALYST, area.organisation)


def areas_for(user: Viewer) -> QuerySet[CareArea]:
    """Areas the user coordinates or analyses."""
    paths = [
        h.organisation_path for h in held_roles(user) if h.role in (Role.COORDINATOR, Role.ANALYST)
    ]
    if not paths:
        return CareArea.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(organisation__path__startswith=path)
    return CareArea.objects.filter(condition).select_related("organisation").order_by("name")


def may_open_areas(user: Viewer) -> bool:
    """The list of areas: who coordinates or analyses one, or may create one (a
    coordinator)."""
    if any(h.role == Role.COORDINATOR for h in held_roles(user)):
        return True
    return areas_for(user).exists()


def is_member_of(user: Viewer, organisation: InfluenceOrganisation) -> bool:
    if organisation.account_id is None:
        return False
    account_path = organisation.account.path if organisation.account else ""
    return any(h.organisation_path.startswith(account_path) for h in held_roles(user))


def may_submit_for(user: Viewer, organisation: InfluenceOrganisation, area: CareArea) -> bool:
    if not organisation.areas.filter(pk=area.pk).exists():
        return False
    return is_member_of(user, organisation) or is_area_coordinator(user, area)


def organisations_user_may_submit_for(user: Viewer) -> QuerySet[InfluenceOrganisation]:
    paths = [h.organisation_path for h in held_roles(user)]
    condition = Q(pk__in=[])
    for path in paths:
        # Members of the account organisation (or of a unit below it).
        for prefix in _prefixes(path):
            condition |= Q(account__path=prefix)
    coordinated = [a.pk for a in areas_for(user) if is_area_coordinator(user, a)]
    condition |= Q(areas__in=coordinated)
    return InfluenceOrganisation.objects.filter(condition).distinct().order_by("name")


def may_submit_activities(user: Viewer) -> bool:
    """The page that submits calendar activities: a member of a user organisation with an
    account in Egenmakt that is part of an area, or an area's coordinator."""
    return organisations_user_may_submit_for(user).exists()


def _prefixes(path: str) -> list[str]:
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
