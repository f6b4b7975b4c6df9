"""The plan page: long-term goal and responsibility, sub-goals, measures, deciding a
version with the consent confirmed, and comparing two decided versions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from egenmakt.coordination import access as access_kernel
from egenmakt.coordination.access import ClientAccess
from egenmakt.coordination.forms.common import add_service_errors
from egenmakt.coordination.forms.plan import (
    DecidePlanForm,
    GoalForm,
    PlanActionForm,
    PlanHeaderForm,
)
from egenmakt.coordination.models import (
    ActionStatus,
    Client,
    Goal,
    GoalStatus,
    Plan,
    PlanAction,
    PlanVersion,
)
from egenmakt.coordination.selectors import mapping as mapping_selectors
from egenmakt.coordination.selectors import plan as plan_selectors
from egenmakt.coordination.selectors import team as team_selectors
from egenmakt.coordination.services import plan as plans
from egenmakt.core.input import posted_id

from .common import OpenedClient, client_page, client_view, joint_work, log_read

FORMS = ("header", "goal", "action", "decide")


def _forms(request: HttpRequest, client: Client, plan: Plan, bound: str = "") -> dict[str, Form]:
    data = request.POST if request.method == "POST" else None
    team = team_selectors.active_team(client)
    return {
        "header": PlanHeaderForm(
            data if bound == "header" else None,
            team=team,
            initial={
                "long_term_goal": plan.long_term_goal,
                "responsible_principal": plan.responsible_principal,
                "responsible_person": plan.responsible_person_id,
                "urgent_measures": plan.urgent_measures,
            },
        ),
        "goal": GoalForm(data if bound == "goal" else None),
        "action": PlanActionForm(data if bound == "action" else None, goals=plan.goals.all()),
        "decide": DecidePlanForm(
            data if bound == "decide" else None,
            consents=access_kernel.valid_consents().filter(client=client),
        ),
    }


def _render(
    request: HttpRequest,
    client: Client,
    access: ClientAccess,
    plan: Plan,
    forms: dict[str, Form],
    *,
    conflict: str = "",
    kept_text: str = "",
    status: int = 200,
) -> HttpResponse:
    goals = list(plan.goals.select_related("organisation"))
    actions = list(plan.actions.all())
    for goal in goals:
        goal.plan_actions = [a for a in actions if a.goal_id == goal.pk]  # type: ignore[attr-defined]
    versions = plan_selectors.decided_versions(client, plan)
    # Sub-goals are built from the mapping summary: shown beside the forms.
    summary = mapping_selectors.summary_for(access, client) if access.joint_work else []
    return client_page(
        request,
        "coordination/plan.html",
        client,
        access,
        "plan",
        {
            "plan": plan,
            "goals": goals,
            "other_actions": [a for a in actions if a.goal_id is None],
            "versions": versions,
            "summary": summary,
            "forms": forms,
            "conflict": conflict,
            "kept_text": kept_text,
            "goal_statuses": GoalStatus.choices,
            "action_statuses": ActionStatus.choices,
        },
        status=status,
    )


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return 0


def _kept(request: HttpRequest) -> str:
    """What the user wrote, to copy after a refused save."""
    fields = ("long_term_goal", "urgent_measures", "text", "measure", "what", "who", "when")
    return "\n".join(request.POST[f] for f in fields if request.POST.get(f))


@login_required
@require_http_methods(["GET", "POST"])
@client_view(reason="plan", log=False)
def plan_page(request: HttpRequest, opened: OpenedClient) -> HttpResponse:
    client, access = opened
    plan = plans.plan_for(client, request.user)
    if request.method == "GET":
        log_read(request, client, access, obj=plan, reason="plan")
        return _render(request, client, access, plan, _forms(request, client, plan))
    if not joint_work(opened):
        raise PermissionDenied("plan")
    which = request.POST.get("form", "")
    forms = _forms(request, client, plan, bound=which)
    version = _version(request)
    try:
        if which in FORMS and forms[which].is_valid():
            _save(request, client, plan, which, forms[which].cleaned_data, version)
            messages.success(request, _("The plan is saved."))
            return redirect("coordination:plan", client.pk)
        if which == "goal_status":
            goal = Goal.objects.filter(plan=plan, pk=posted_id(request.POST.get("goal"))).first()
            if goal is None:
                raise Http404
            plans.set_goal_status(
                user=request.user, client=client, plan=plan, expected_version=version,
                goal=goal, status=request.POST.get("status", ""), request=request,
            )  # fmt: skip
            return redirect("coordination:plan", client.pk)
        if which == "action_status":
            action = PlanAction.objects.filter(plan=plan, pk=posted_id(request.POST.get("action")))
            row = action.first()
            if row is None:
                raise Http404
            plans.set_action_status(
                user=request.user, client=client, plan=plan, expected_version=version,
                action=row, status=request.POST.get("status", ""), request=request,
            )  # fmt: skip
            return redirect("coordination:plan", client.pk)
        if which not in FORMS:
            raise Http404
    except plans.StalePlanError as exc:
        plan.refresh_from_db()
        log_read(request, client, access, obj=plan, reason="plan: refused stale save")
        return _render(
            request,
            client,
            access,
            plan,
            _forms(request, client, plan),
            conflict=str(exc),
            kept_text=_kept(request),
            status=409,
        )
    except ValidationError as exc:
        form = forms.get(which)
        if form is None:
            raise
        add_service_errors(form, exc)
        plan.refresh_from_db()
    except PermissionDenied as exc:
        raise PermissionDenied("plan") from exc
    log_read(request, client, access, obj=plan, reason="plan")
    return _render(request, client, access, plan, forms, status=400)


def _save(
    request: HttpRequest, client: Client, plan: Plan, which: str, data: dict[str, Any],
    version: int,
) -> None:  # fmt: skip
    user = request.user
    if which == "header":
        plans.save_plan_header(
            user=user, client=client, plan=plan, expected_version=version, request=request,
            **data,
        )  # fmt: skip
    elif which == "goal":
        plans.add_goal(
            user=user, client=client, plan=plan, expected_version=version, request=request,
            **data,
        )  # fmt: skip
    elif which == "action":
        plans.add_action(
            user=user, client=client, plan=plan, expected_version=version, data=data,
            request=request,
        )  # fmt: skip
    elif which == "decide":
        plans.decide_plan(
            user=user, client=client, plan=plan, expected_version=version, request=request,
            **data,
        )  # fmt: skip


@login_required
@require_GET
@client_view(log=False)
def plan_compare(request: HttpRequest, opened: OpenedClient) -> HttpResponse:
    """Two decided versions side by side: what was added and what was taken away."""
    client, access = opened
    plan = Plan.objects.filter(client=client).first()
    if plan is None:
        raise Http404
    versions = {v.number: v for v in PlanVersion.objects.filter(plan=plan)}
    try:
        older = versions[int(request.GET.get("a", ""))]
        newer = versions[int(request.GET.get("b", ""))]
    except (KeyError, ValueError) as exc:
        raise Http404 from exc
    if older.number > newer.number:
        older, newer = newer, older
    log_read(
        request, client, access, obj=plan, reason=f"plan: compare {older.number}-{newer.number}"
    )
    return client_page(
        request,
        "coordination/plan_compare.html",
        client,
        access,
        "plan",
        {"older": older, "newer": newer, "rows": plans.compare(older, newer)},
    )
