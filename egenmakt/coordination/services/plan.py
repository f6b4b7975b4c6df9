"""The plan: long-term goal, sub-goals, measures, overall responsibility; versions.

Every change to a plan names the edit number (``Plan.version``) it started from. The
number is raised in the same UPDATE that checks it, so of two people saving at once exactly
one succeeds; the other gets ``StalePlanError`` and keeps their text (the view shows it).
Deciding the plan keeps a copy of it as it was decided (``PlanVersion``), with the consent
the client confirmed for this version.
"""

from __future__ import annotations

import difflib
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from egenmakt.audit.events import AuditEvent
from egenmakt.coordination.access import client_access
from egenmakt.coordination.models import (
    ActionStatus,
    Client,
    Consent,
    Goal,
    GoalStatus,
    Plan,
    PlanAction,
    PlanVersion,
    Principal,
)
from egenmakt.coordination.rules import may_work_jointly
from egenmakt.coordination.services.common import CoordinationError, record_change

if TYPE_CHECKING:
    from egenmakt.accounts.models import User


class StalePlanError(CoordinationError):
    """Someone else saved the plan after this form was opened."""


def plan_for(client: Client, user: User) -> Plan:
    """The client's plan, made empty the first time it is needed."""
    plan = Plan.objects.filter(client=client).select_related("responsible_person").first()
    if plan is None:
        plan, _created = Plan.objects.get_or_create(client=client, defaults={"updated_by": user})
    return plan


def _claim(user: User, client: Client, plan: Plan, expected_version: int) -> None:
    """Take the next edit number, or refuse: the check and the raise are one UPDATE."""
    if not may_work_jointly(user, client):
        raise PermissionDenied
    if plan.client_id != client.pk:
        raise PermissionDenied
    claimed = Plan.objects.filter(pk=plan.pk, version=expected_version).update(
        version=F("version") + 1, updated_by=user, updated_at=timezone.now()
    )
    if not claimed:
        raise StalePlanError(
            _(
                "Someone else changed the plan after you opened it. Nothing of yours was "
                "saved: your text is kept below to copy. Reload the plan and add it again."
            )
        )
    plan.version = expected_version + 1


@transaction.atomic
def save_plan_header(
    *,
    user: User,
    client: Client,
    plan: Plan,
    expected_version: int,
    long_term_goal: str,
    responsible_principal: str,
    responsible_person: Any,
    urgent_measures: str = "",
) -> Plan:
    _claim(user, client, plan, expected_version)
    if responsible_principal and responsible_principal not in (
        Principal.REGION,
        Principal.MUNICIPALITY,
    ):
        raise ValidationError(
            {"responsible_principal": [_("Choose the region or the municipality.")]}
        )
    Plan.objects.filter(pk=plan.pk).update(
        long_term_goal=long_term_goal.strip(),
        responsible_principal=responsible_principal,
        responsible_person=responsible_person,
        urgent_measures=urgent_measures.strip(),
    )
    plan.refresh_from_db()
    record_change(user, client, plan, reason=AuditEvent.PLAN_HEADER_SAVED)
    return plan


@transaction.atomic
def add_goal(
    *,
    user: User,
    client: Client,
    plan: Plan,
    expected_version: int,
    text: str,
    measure: str,
    target_date: date,
) -> Goal:
    _claim(user, client, plan, expected_version)
    if target_date < timezone.localdate():
        raise ValidationError({"target_date": [_("A target date lies ahead.")]})
    seat = client_access(user, client).seat
    assert seat is not None  # noqa: S101 - _claim required a covered seat
    position = (plan.goals.aggregate(last=Max("position"))["last"] or 0) + 1
    goal = Goal(
        plan=plan,
        text=text.strip(),
        measure=measure.strip(),
        target_date=target_date,
        position=position,
        organisation=seat.organisation,
    )
    goal.full_clean()
    goal.save()
    record_change(user, client, goal, reason=AuditEvent.PLAN_GOAL_ADDED)
    return goal


@transaction.atomic
def add_action(
    *,
    user: User,
    client: Client,
    plan: Plan,
    expected_version: int,
    data: dict[str, Any],
) -> PlanAction:
    _claim(user, client, plan, expected_version)
    goal = data.get("goal")
    if goal is not None and goal.plan_id != plan.pk:
        raise PermissionDenied
    action = PlanAction(
        plan=plan,
        goal=goal,
        what=data["what"].strip(),
        who=data["who"].strip(),
        principal=data["principal"],
        organisation_name=data.get("organisation_name", "").strip(),
        when=data["when"].strip(),
        due_on=data.get("due_on"),
        urgent=bool(data.get("urgent")),
    )
    action.full_clean()
    action.save()
    record_change(user, client, action, reason=AuditEvent.PLAN_ACTION_ADDED)
    return action


@transaction.atomic
def set_goal_status(
    *, user: User, client: Client, plan: Plan, expected_version: int, goal: Goal, status: str,
) -> Goal:  # fmt: skip
    _claim(user, client, plan, expected_version)
    if goal.plan_id != plan.pk or status not in GoalStatus.values:
        raise PermissionDenied
    goal.status = status
    goal.save(update_fields=["status"])
    record_change(user, client, goal, reason=f"{AuditEvent.PLAN_GOAL_STATUS} {status}")
    return goal


@transaction.atomic
def set_action_status(
    *, user: User, client: Client, plan: Plan, expected_version: int, action: PlanAction,
    status: str,
) -> PlanAction:  # fmt: skip
    _claim(user, client, plan, expected_version)
    if action.plan_id != plan.pk or status not in ActionStatus.values:
        raise PermissionDenied
    action.status = status
    action.save(update_fields=["status"])
    record_change(user, client, action, reason=f"{AuditEvent.PLAN_ACTION_STATUS} {status}")
    return action


def snapshot(plan: Plan) -> dict[str, Any]:
    """The plan as plain data: what a decided version keeps."""
    goals = list(plan.goals.all())
    actions = list(plan.actions.all())

    def action_data(action: PlanAction) -> dict[str, Any]:
        return {
            "what": action.what,
            "who": action.who,
            "principal": action.principal,
            "organisation": action.organisation_name,
            "when": action.when,
            "due_on": action.due_on.isoformat() if action.due_on else None,
            "status": action.status,
        }

    return {
        "long_term_goal": plan.long_term_goal,
        "responsible_principal": plan.responsible_principal,
        "responsible_person": plan.responsible_person.full_name if plan.responsible_person else "",
        "goals": [
            {
                "text": goal.text,
                "measure": goal.measure,
                "target_date": goal.target_date.isoformat(),
                "status": goal.status,
                "actions": [action_data(a) for a in actions if a.goal_id == goal.pk],
            }
            for goal in goals
        ],
        "other_actions": [action_data(a) for a in actions if a.goal_id is None],
    }


@transaction.atomic
def decide_plan(
    *,
    user: User,
    client: Client,
    plan: Plan,
    expected_version: int,
    decided_on: date,
    consent: Consent,
    consent_confirmed: bool,
) -> PlanVersion:
    """Keep the plan as decided, with the consent the client confirmed for it."""
    _claim(user, client, plan, expected_version)
    errors: dict[str, list[str]] = {}
    if consent.client_id != client.pk or not consent.is_valid(decided_on):
        errors["consent"] = [_("Choose a consent that is valid on the day of the decision.")]
    if not consent_confirmed:
        errors["consent_confirmed"] = [
            _("Each new version of the plan needs the client's consent confirmed again.")
        ]
    if decided_on > timezone.localdate():
        errors["decided_on"] = [_("The date cannot be in the future.")]
    if not plan.long_term_goal.strip() or not plan.goals.exists():
        errors.setdefault("__all__", []).append(
            _("A plan needs the long-term goal and at least one sub-goal before it is decided.")
        )
    if not plan.responsible_principal:
        errors.setdefault("__all__", []).append(
            _("Say which principal has the overall responsibility.")
        )
    if errors:
        raise ValidationError(errors)
    number = (plan.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = PlanVersion.objects.create(
        plan=plan,
        number=number,
        decided_on=decided_on,
        content=snapshot(plan),
        consent=consent,
        decided_by=user,
        home_organisation_id=client.organisation_id,
    )
    record_change(user, client, version, reason=f"{AuditEvent.PLAN_VERSION} {number} decided")
    return version


def _lines(content: dict[str, Any]) -> list[str]:
    principals = dict(Principal.choices)
    lines = [
        f"{_('Long-term goal')}: {content.get('long_term_goal', '')}",
        f"{_('Overall responsibility')}: "
        f"{principals.get(content.get('responsible_principal', ''), '')} "
        f"{content.get('responsible_person', '')}".rstrip(),
    ]
    for goal in content.get("goals", []):
        lines.append(f"{_('Sub-goal')}: {goal['text']} ({goal['target_date']})")
        lines.append(f"  {_('Measured by')}: {goal['measure']}")
        for action in goal.get("actions", []):
            lines.append(f"  – {action['what']} · {action['who']} · {action['when']}")
    for action in content.get("other_actions", []):
        lines.append(f"– {action['what']} · {action['who']} · {action['when']}")
    return lines


def compare(older: PlanVersion, newer: PlanVersion) -> list[tuple[str, str]]:
    """Line by line: ("same" | "removed" | "added", text)."""
    rows: list[tuple[str, str]] = []
    for line in difflib.ndiff(_lines(older.content), _lines(newer.content)):
        tag, text = line[:2], line[2:]
        if tag == "  ":
            rows.append(("same", text))
        elif tag == "- ":
            rows.append(("removed", text))
        elif tag == "+ ":
            rows.append(("added", text))
    return rows
