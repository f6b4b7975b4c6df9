"""The demo region and its named cast.

The same people appear in ``make run``'s demo data and in the tests, so a test reads like a
story: ``cast.coordinator`` screens applications, ``cast.outsider_coordinator`` works in
another region and must never see them. Names come from Faker's Swedish locale with a
fixed seed per person; e-mail addresses use a reserved domain, and nobody here has a real
personal identity number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from faker import Faker

from egenmakt.accounts.models import Membership, Organisation, OrganisationKind, User
from egenmakt.accounts.roles import ROLE_SLUGS, Role

DEMO_PASSWORD = "Egenmakt-demo-2026"  # noqa: S105 - printed at start; demo mode only.

K = OrganisationKind

# key: (name, kind, parent key)
ORGANISATIONS: dict[str, tuple[str, str, str | None]] = {
    "region": ("Region Västerhav", K.REGION, None),
    "clinic": ("Psykiatrimottagning Centrum", K.REGION, "region"),
    "outpatient": ("Psykiatrisk öppenvård Nordstaden", K.WORKPLACE, "region"),
    "municipality": ("Västerhavs kommun", K.MUNICIPALITY, None),
    "social_psychiatry": ("Socialpsykiatrin Västerhav", K.MUNICIPALITY, "municipality"),
    "housing_support": ("Boendestöd Östra", K.WORKPLACE, "social_psychiatry"),
    "meeting_place": ("Träffpunkt Kvarnen", K.WORKPLACE, "social_psychiatry"),
    "network": ("Brukarnätverket Västerhav", K.USER_NETWORK, None),
    "user_org_a": ("Föreningen Egen Kraft", K.USER_ORGANISATION, "network"),
    "user_org_b": ("Hjärnkraft Västerhav", K.USER_ORGANISATION, "network"),
    # The outsiders' region: same roles, never the right to see Västerhav's people.
    "other_region": ("Region Nordmark", K.REGION, None),
    "other_network": ("Brukarnätverket Nordmark", K.USER_NETWORK, None),
}

# Where each role of the cast sits, in the demo region and among the outsiders.
HOME_ORGANISATION: dict[str, str] = {
    Role.COORDINATOR: "network",
    Role.TRAINING_LEAD: "network",
    Role.COURSE_LEADER: "network",
    Role.LECTURER: "user_org_a",
    Role.INTERVIEWER: "network",
    Role.SUPERVISOR: "network",
    Role.PEER_SUPPORTER: "user_org_a",
    Role.WORKPLACE_MANAGER: "outpatient",
    Role.CASE_MANAGER: "clinic",
    Role.AUDITOR: "region",
    Role.ANALYST: "region",
    Role.ADMIN: "network",
}
# People beyond one per role, where a journey needs two: interviews are held in pairs,
# and the second interviewer here is from the region, not the user movement.
# key: (role, organisation key, login name)
EXTRA_PEOPLE: dict[str, tuple[str, str, str]] = {
    "second_interviewer": (Role.INTERVIEWER, "clinic", "intervjuare2"),
    # The evaluating researcher sees the network's programme report, pseudonymised.
    "researcher": (Role.ANALYST, "network", "forskare"),
    # Coordination pairs a case manager from psychiatry with one from the municipality;
    # a colleague at the clinic is not in the care team, and the method supervisor is.
    "municipal_case_manager": (Role.CASE_MANAGER, "social_psychiatry", "vardsamordnare.kommun"),
    "clinic_colleague": (Role.CASE_MANAGER, "clinic", "vardsamordnare2"),
    "method_supervisor": (Role.SUPERVISOR, "clinic", "metodhandledare"),
}
OUTSIDER_ORGANISATION: dict[str, str] = {
    role: ("other_region" if key in {"region", "clinic", "outpatient"} else "other_network")
    for role, key in HOME_ORGANISATION.items()
}


def demo_email(key: str) -> str:
    return f"{key}@{settings.DEMO_EMAIL_DOMAIN}"


def _name(key: str) -> str:
    fake = Faker("sv_SE")
    fake.seed_instance(key)
    return f"{fake.first_name()} {fake.last_name()}"


@dataclass
class Cast:
    organisations: dict[str, Organisation] = field(default_factory=dict)
    people: dict[str, User] = field(default_factory=dict)

    def __getattr__(self, key: str) -> User:
        try:
            return self.__dict__["people"][key]
        except KeyError:
            raise AttributeError(key) from None

    def org(self, key: str) -> Organisation:
        return self.organisations[key]


def cast_keys() -> list[tuple[str, str, str]]:
    """(person key, role, organisation key) for everyone in the cast."""
    keys = [(str(role), str(role), org) for role, org in HOME_ORGANISATION.items()]
    keys += [(key, str(role), org) for key, (role, org, _login) in EXTRA_PEOPLE.items()]
    keys += [(f"outsider_{role}", str(role), org) for role, org in OUTSIDER_ORGANISATION.items()]
    return keys


def login_email(person_key: str) -> str:
    if person_key in EXTRA_PEOPLE:
        return demo_email(EXTRA_PEOPLE[person_key][2])
    if person_key.startswith("outsider_"):
        role = person_key.removeprefix("outsider_")
        return demo_email(f"nordmark.{ROLE_SLUGS[role]}")
    return demo_email(ROLE_SLUGS[person_key])


@transaction.atomic
def seed_demo_region(*, password: str = DEMO_PASSWORD) -> Cast:
    """Create (or bring up to date) the demo region and its cast. Idempotent."""
    cast = Cast()
    for key, (name, kind, parent_key) in ORGANISATIONS.items():
        parent = cast.organisations[parent_key] if parent_key else None
        org, _created = Organisation.objects.get_or_create(
            name=name, parent=parent, defaults={"kind": kind}
        )
        cast.organisations[key] = org

    for person_key, role, org_key in cast_keys():
        email = login_email(person_key)
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email, password, full_name=_name(person_key))
        Membership.objects.get_or_create(
            user=user, organisation=cast.organisations[org_key], role=role
        )
        cast.people[person_key] = user
    return cast
