"""Clients for the tests, made through the services as a case manager would."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from egenmakt.coordination.access import forget_client_access
from egenmakt.coordination.models import Client, Consent, ConsentScope, Plan, TeamRole
from egenmakt.coordination.services import clients as clients_services
from egenmakt.coordination.services import consent as consent_services
from egenmakt.coordination.services import plan as plans
from egenmakt.coordination.services import team as team_services
from egenmakt.demo.coordination import synthetic_identity_number
from egenmakt.peer.tests.factories import ensure_instruments

__all__ = ["ensure_instruments"]

_serial = iter(range(10_000))


def new_client(cast: Any, *, name: str = "Kim Berg", **data: Any) -> Client:
    """A client registered by the clinic's case manager (``cast.case_manager``)."""
    number = synthetic_identity_number(date(1984, 3, 12), next(_serial))
    defaults: dict[str, Any] = {
        "full_name": name,
        "address": "Hamngatan 4",
        "postcode": "123 45",
        "city": "Västerhav",
        "phone": "070-000 00 00",
        "started_on": timezone.localdate() - timedelta(days=10),
    }
    defaults.update(data)
    client = clients_services.register_client(
        user=cast.case_manager,
        organisation=cast.org("clinic"),
        identity_number=number,
        data=defaults,
    )
    forget_client_access(cast.case_manager)
    return client


def with_municipal_partner(cast: Any, client: Client) -> None:
    """The municipality's case manager joins the team (not yet covered by a consent)."""
    team_services.add_team_member(
        user=cast.case_manager,
        client=client,
        member=cast.municipal_case_manager,
        organisation=cast.org("social_psychiatry"),
        role=TeamRole.CASE_MANAGER,
    )


def consent(cast: Any, client: Client, *, name_partner: bool = True, **kw: Any) -> Consent:
    """A consent naming the clinic (and the social psychiatry and its case manager when
    they are in the team)."""
    partner_in_team = client.team.filter(
        user=cast.municipal_case_manager, ended_on__isnull=True
    ).exists()
    organisations = [cast.org("clinic")]
    managers = [cast.case_manager]
    if partner_in_team:
        organisations.append(cast.org("social_psychiatry"))
        if name_partner:
            managers.append(cast.municipal_case_manager)
    row = consent_services.record_consent(
        user=cast.case_manager,
        client=client,
        given_on=kw.pop("given_on", timezone.localdate() - timedelta(days=9)),
        form=kw.pop("form", "written"),
        scope=kw.pop("scope", list(ConsentScope.values)),
        organisations=kw.pop("organisations", organisations),
        case_managers=kw.pop("case_managers", managers),
        **kw,
    )
    for person in (cast.case_manager, cast.municipal_case_manager):
        forget_client_access(person)
    return row


def shared_client(cast: Any, **data: Any) -> Client:
    """A client with both case managers and a consent that covers them."""
    client = new_client(cast, **data)
    with_municipal_partner(cast, client)
    consent(cast, client)
    client.refresh_from_db()
    return client


LONG_TERM_GOAL = "Jag vill ha ett eget jobb och vänner att träffa."
SUB_GOAL = "Gå med i kören"


def decided_plan(
    cast: Any,
    client: Client,
    *,
    user: Any = None,
    long_term_goal: str = LONG_TERM_GOAL,
    sub_goal: str = SUB_GOAL,
    responsible_person: Any = None,
    decided_on: date | None = None,
) -> Plan:
    """The plan as the care team decides it: goal, one sub-goal with a measure, decided under
    the client's consent (through the plan's services, edit numbers and all)."""
    user = user or cast.case_manager
    plan = plans.plan_for(client, user)
    plans.save_plan_header(
        user=user,
        client=client,
        plan=plan,
        expected_version=plan.version,
        long_term_goal=long_term_goal,
        responsible_principal="municipality",
        responsible_person=responsible_person or user,
    )
    goal = plans.add_goal(
        user=user,
        client=client,
        plan=plan,
        expected_version=plan.version,
        text=sub_goal,
        measure="Går på kören två gånger i månaden",
        target_date=timezone.localdate() + timedelta(days=60),
    )
    plans.add_action(
        user=user,
        client=client,
        plan=plan,
        expected_version=plan.version,
        data={
            "goal": goal,
            "what": "Följa med till första övningen",
            "who": "Lena, boendestödjare",
            "principal": "municipality",
            "organisation_name": "Boendestöd Östra",
            "when": "tisdag vecka 3",
        },
    )
    plans.decide_plan(
        user=user,
        client=client,
        plan=plan,
        expected_version=plan.version,
        decided_on=decided_on or timezone.localdate(),
        consent=client.consents.get(),
        consent_confirmed=True,
    )
    return plan
