"""Plans: the long-term goal, goals and their actions, the decided versions, and the
resource group the client chose."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from egenmakt.accounts.models import OrganisationKind
from egenmakt.coordination.models import (
    ActionStatus,
    Goal,
    GoalStatus,
    MemberKind,
    Phase,
    Plan,
    PlanAction,
    PlanVersion,
    Principal,
    ResourceGroupMember,
)
from egenmakt.scale.context import LogTarget

from .run import ClientDraft, CoordinationRun

GOALS = [
    ("Komma ut och gå en promenad varje dag", "Dagbok över promenaderna"),
    ("Ha en sysselsättning två dagar i veckan", "Närvaro på träfflokalen"),
    ("Sova bättre", "Sömndagbok, sex timmar per natt"),
    ("Träffa en vän varje vecka", "Klienten berättar vid mötet"),
    ("Klara ekonomin själv", "Räkningarna betalda i tid tre månader"),
    ("Börja studera", "Anmäld till en kurs"),
]
ACTIONS = [
    ("Följa med till träfflokalen första gångerna", "boendestödjaren", Principal.MUNICIPALITY),
    ("Se över medicinerna", "läkaren", Principal.REGION),
    ("Ansöka om god man", "socialsekreteraren", Principal.MUNICIPALITY),
    ("Ringa studievägledaren", "klienten", Principal.CLIENT),
    ("Samtal om sömn", "sjuksköterskan", Principal.REGION),
]


def plans(run: CoordinationRun, batch: list[ClientDraft]) -> None:
    c, rng = run.c, run.rng
    planned = [
        d
        for d in batch
        if d.consent is not None
        and d.row.phase not in (Phase.START, Phase.MAPPING)
        and (d.row.phase != Phase.CLOSED or c.chance(0.8))
    ]
    plans = []
    for d in planned:
        client = d.row
        principal = (
            Principal.REGION
            if client.organisation.kind == OrganisationKind.REGION
            else Principal.MUNICIPALITY
        )
        plans.append(
            Plan(
                client=client,
                long_term_goal="Att ha ett eget liv med vänner och något att göra om dagarna.",
                responsible_principal=principal,
                responsible_person=d.home_manager,
                version=rng.randint(3, 20),
                updated_at=c.moment(run.plan_day(d)),
                updated_by=d.home_manager,
            )
        )
    goals = []
    for d, plan in zip(planned, c.insert(Plan, plans), strict=True):
        d.plan = plan
        run.r.log_targets.append(
            LogTarget(
                run.ct_client, d.row.pk, run.ct_plan, plan.pk, f"/samordning/{d.row.pk}/plan/"
            )
        )
        closed = d.row.phase == Phase.CLOSED
        for position, (text, measure) in enumerate(rng.sample(GOALS, rng.randint(2, 4))):
            status = GoalStatus.ACHIEVED if closed or c.chance(0.2) else GoalStatus.ACTIVE
            goals.append(
                Goal(
                    plan=plan,
                    text=text,
                    measure=measure,
                    target_date=run.plan_day(d) + timedelta(days=180),
                    status=status,
                    position=position,
                    organisation=d.row.organisation,
                    created_at=c.moment(run.plan_day(d)),
                )
            )
    owners = {d.plan.pk: d for d in planned if d.plan is not None}
    actions = []
    for goal in c.insert(Goal, goals):
        d = owners[goal.plan_id]
        d.goals.append(goal)
        for what, who, principal in rng.sample(ACTIONS, rng.randint(1, 2)):
            actions.append(
                PlanAction(
                    plan_id=goal.plan_id,
                    goal=goal,
                    what=what,
                    who=who,
                    principal=principal,
                    when="varje vecka",
                    due_on=goal.target_date,
                    status=(
                        ActionStatus.DONE
                        if goal.status == GoalStatus.ACHIEVED
                        else ActionStatus.ONGOING
                    ),
                    created_at=goal.created_at,
                )
            )
    for action in c.insert(PlanAction, actions):
        owners[action.plan_id].actions.append(action)
    versions = []
    for d in planned:
        assert d.plan is not None and d.consent is not None  # noqa: S101
        first = run.plan_day(d)
        last = d.ended or run.today
        count = max(1, min(4, (last - first).days // 365 + 1))
        content = {
            "long_term_goal": d.plan.long_term_goal,
            "responsible_principal": d.plan.responsible_principal,
            "responsible_person": d.home_manager.full_name,
            "goals": [
                {
                    "text": g.text,
                    "measure": g.measure,
                    "target_date": g.target_date.isoformat(),
                    "status": g.status,
                    "actions": [],
                }
                for g in d.goals
            ],
            "other_actions": [],
        }
        for number in range(1, count + 1):
            day = min(first + timedelta(days=365 * (number - 1)), last)
            versions.append(
                PlanVersion(
                    plan=d.plan,
                    number=number,
                    decided_on=day,
                    content=content,
                    consent=d.consent,
                    decided_by=d.home_manager,
                    decided_at=c.moment(day),
                    home_organisation_id=d.row.organisation_id,
                )
            )
    for version in c.insert(PlanVersion, versions):
        owners[version.plan_id].versions.append(version)
    members = []
    for d in planned:
        people = [(d.home_manager, MemberKind.PROFESSIONAL, "vårdsamordnare")]
        if d.partner is not None:
            people.append((d.partner, MemberKind.PROFESSIONAL, "vårdsamordnare"))
        for user, kind, role in people:
            members.append(_member(run, d, user.full_name, kind, role, user=user))
        members.append(_member(run, d, c.name(), MemberKind.PROFESSIONAL, "läkare"))
        for _k in range(rng.randint(0, 2)):
            members.append(_member(run, d, c.name(), MemberKind.RELATIVE, "anhörig"))
    by_client = {d.row.pk: d for d in planned}
    for member in c.insert(ResourceGroupMember, members):
        by_client[member.client_id].members.append(member)


def _member(
    run: CoordinationRun, d: ClientDraft, name: str, kind: str, role: str, user: Any = None
) -> Any:
    return ResourceGroupMember(
        client=d.row,
        name=name,
        kind=kind,
        role=role,
        organisation_name="" if kind == MemberKind.RELATIVE else d.row.organisation.name,
        user=user,
        chosen_by_client=True,
        organisation=d.row.organisation,
        added_by=d.home_manager,
        added_on=run.plan_day(d),
    )
