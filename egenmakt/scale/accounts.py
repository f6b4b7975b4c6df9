"""Scale data: each synthetic region's organisations and staff (see ``egenmakt.scale``)."""

from __future__ import annotations

from egenmakt.accounts.models import Membership, Organisation, OrganisationKind, User
from egenmakt.accounts.roles import Role
from egenmakt.scale.context import Region, ScaleContext

K = OrganisationKind
REGION_NAME = "Skalregion {n}"

# key: (name, kind, parent key); {n} is the region's number.
ORGANISATIONS: dict[str, tuple[str, str, str | None]] = {
    "region": (REGION_NAME, K.REGION, None),
    "clinic": ("Psykiatrimottagningen Skala {n}", K.REGION, "region"),
    "municipality": ("Skalkommun {n}", K.MUNICIPALITY, None),
    "social_psychiatry": ("Socialpsykiatrin Skala {n}", K.MUNICIPALITY, "municipality"),
    "network": ("Brukarnätverket Skala {n}", K.USER_NETWORK, None),
    "user_org_a": ("Föreningen Egen Väg {n}", K.USER_ORGANISATION, "network"),
    "user_org_b": ("Hjärtats Röst {n}", K.USER_ORGANISATION, "network"),
}

# Where each role works; the auditor reviews both the region and the network.
HOME: dict[str, tuple[str, ...]] = {
    Role.COORDINATOR: ("network",),
    Role.TRAINING_LEAD: ("network",),
    Role.COURSE_LEADER: ("network",),
    Role.LECTURER: ("user_org_a",),
    Role.INTERVIEWER: ("network",),
    Role.SUPERVISOR: ("network",),
    Role.AUDITOR: ("region", "network"),
    Role.ANALYST: ("network",),
}


class AlreadyGeneratedError(Exception):
    pass


def generate(context: ScaleContext) -> None:
    if Organisation.objects.filter(name=REGION_NAME.format(n=1), parent=None).exists():
        raise AlreadyGeneratedError(
            "This database already holds scale data: generate into a fresh database."
        )
    for index in range(1, context.plan.regions + 1):
        region = Region(index)
        for key, (name, kind, parent) in ORGANISATIONS.items():
            region.organisations[key] = Organisation.objects.create(
                name=name.format(n=index),
                kind=kind,
                parent=region.organisations[parent] if parent else None,
            )
        context.counts[Organisation._meta.label] += len(ORGANISATIONS)
        people = []
        for role in HOME:
            for _n in range(context.plan.staff(role)):
                people.append((role, staff_user(context, role)))
        users = context.insert(User, [user for _role, user in people])
        memberships = []
        for (role, _unsaved), user in zip(people, users, strict=True):
            region.staff.setdefault(role, []).append(user)
            for key in HOME[role]:
                org_key = key
                if role == Role.INTERVIEWER and len(region.staff[role]) % 2 == 0:
                    org_key = "clinic"  # half of the interviewers come from psychiatry
                memberships.append(
                    Membership(user=user, organisation=region.org(org_key), role=role)
                )
        context.insert(Membership, memberships)
        context.regions.append(region)


def staff_user(context: ScaleContext, prefix: str) -> User:
    return User(
        email=context.email(prefix),
        full_name=context.name(),
        password=context.unusable_password,
        preferred_language="sv",
    )
