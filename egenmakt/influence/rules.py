"""Who does what in user-influence work.

The area's coordinators (the coordinators of the organisation that runs the area) map
organisations and forums and approve calendar activities; analysts of that organisation
read the indicators. Members of a user organisation that has an account in Egenmakt submit
its activities. The public sees only what is published or approved.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from egenmakt.accounts.models import Organisation
from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import held_roles, holds_role_in
from egenmakt.accounts.types import Viewer

from .models import (
    Capacity,
    CareArea,
    Consultation,
    ConsultationStatus,
    Forum,
    ForumMeeting,
    ForumMember,
    InfluenceOrganisation,
)


def _coordinating(area: CareArea) -> list[Organisation]:
    """The area's coordinating organisations: one, or two with equal rights."""
    both = [area.organisation]
    if area.co_organisation_id is not None and area.co_organisation is not None:
        both.append(area.co_organisation)
    return both


def is_area_coordinator(user: Viewer, area: CareArea) -> bool:
    return any(holds_role_in(user, Role.COORDINATOR, org) for org in _coordinating(area))


def may_read_area(user: Viewer, area: CareArea) -> bool:
    return is_area_coordinator(user, area) or any(
        holds_role_in(user, Role.ANALYST, org) for org in _coordinating(area)
    )


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
        condition |= Q(co_organisation__path__startswith=path)
    return (
        CareArea.objects.filter(condition)
        .select_related("organisation", "co_organisation")
        .order_by("name")
    )


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


# --- Forum work: agendas, minutes, matters, reports back ---------------------------------
# A forum's member organisations are those with a representative's seat in it now. Their
# members (any role but analyst, who never reads people's text) follow the forum's
# meetings and add to the agendas; the representative with an account confirms the
# minutes and reports back. INFERRED: "the right role" is any role but analyst in the
# organisation's account (or a unit below it), as for submitting calendar activities.


def speaks_for(user: Viewer, organisation: InfluenceOrganisation) -> bool:
    """A member of the organisation's account, in a role that reads people's text."""
    if organisation.account_id is None or organisation.account is None:
        return False
    account_path = organisation.account.path
    return any(
        h.organisation_path.startswith(account_path) and h.role != Role.ANALYST
        for h in held_roles(user)
    )


def seated_organisations(forum: Forum) -> list[InfluenceOrganisation]:
    """The organisations with a representative's seat in the forum now."""
    ids = forum.members.filter(
        capacity=Capacity.REPRESENTATIVE, until__isnull=True, organisation__isnull=False
    ).values_list("organisation_id", flat=True)
    return list(
        InfluenceOrganisation.objects.filter(pk__in=ids).select_related("account").order_by("name")
    )


def organisations_spoken_for(user: Viewer, forum: Forum) -> list[InfluenceOrganisation]:
    return [o for o in seated_organisations(forum) if speaks_for(user, o)]


def speaks_in_a_forum(user: Viewer) -> bool:
    """The user speaks for an organisation with a representative's seat in some forum now:
    the rule of "my forums" and of its menu entry (an empty page is not offered)."""
    if not getattr(user, "is_authenticated", False):
        return False
    seated = InfluenceOrganisation.objects.filter(
        forum_seats__capacity=Capacity.REPRESENTATIVE,
        forum_seats__until__isnull=True,
        account__isnull=False,
    ).select_related("account")
    return any(speaks_for(user, organisation) for organisation in seated.distinct())


def may_follow_forum(user: Viewer, forum: Forum) -> bool:
    """Reads the forum's meetings and matters: its area's coordinators and the members of
    its member organisations. Not the analysts: minutes, matters and reports are people's
    own words, and analysts see no personal data (``ROLES_WITHOUT_PERSONAL_DATA``)."""
    return is_area_coordinator(user, forum.area) or bool(organisations_spoken_for(user, forum))


def representative_seat(user: Viewer, meeting: ForumMeeting) -> ForumMember | None:
    """The user's own representative seat in the meeting's forum, held on the meeting's day."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        ForumMember.objects.filter(
            forum_id=meeting.forum_id,
            user_id=int(user.pk or 0),
            capacity=Capacity.REPRESENTATIVE,
            organisation__isnull=False,
            since__lte=meeting.day,
        )
        .filter(Q(until__isnull=True) | Q(until__gte=meeting.day))
        .select_related("organisation__account")
        .first()
    )


# --- Consultations (remiss) -------------------------------------------------------------
# The area's coordinators (of both coordinating organisations) write, send, summarise and
# publish a consultation. An asked organisation answers through a member who speaks for it
# (``speaks_for``: any role but analyst in its account, as in forum work), once it is sent.
# Analysts are not let in: the answers are organisations' own words, as minutes are.


def asked_organisations(consultation: Consultation) -> list[InfluenceOrganisation]:
    return list(
        InfluenceOrganisation.objects.filter(consultations=consultation)
        .select_related("account")
        .order_by("name")
    )


def organisations_answering(
    user: Viewer, consultation: Consultation
) -> list[InfluenceOrganisation]:
    """The asked organisations the user speaks for (none while it is a draft)."""
    if consultation.status == ConsultationStatus.DRAFT:
        return []
    return [o for o in asked_organisations(consultation) if speaks_for(user, o)]


def may_follow_consultation(user: Viewer, consultation: Consultation) -> bool:
    return is_area_coordinator(user, consultation.area) or bool(
        organisations_answering(user, consultation)
    )


def answers_consultations(user: Viewer) -> bool:
    """The user speaks for an organisation asked in a sent consultation: the rule of "my
    consultations" and of its menu entry (an empty page is not offered)."""
    if not getattr(user, "is_authenticated", False):
        return False
    asked = (
        InfluenceOrganisation.objects.filter(
            consultations__status__in=[ConsultationStatus.SENT, ConsultationStatus.CLOSED],
            account__isnull=False,
        )
        .select_related("account")
        .distinct()
    )
    return any(speaks_for(user, organisation) for organisation in asked)
