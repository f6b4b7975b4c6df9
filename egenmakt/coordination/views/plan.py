"""The plan page: long-term goal and responsibility, sub-goals, measures, deciding a
version with the consent confirmed, and comparing two decided versions."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.coordination import access as access_kernel
from egenmakt.coordination.access import ClientAccess
from egenmakt.coordination.forms.common import EditNumberForm, add_service_errors
from egenmakt.coordination.forms.plan import (
    DecidePlanForm,
    GoalForm,
    PlanActionForm,
    PlanActivityForm,
    PlanHeaderForm,
    PlanStatusForm,
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

from .common import OpenedClient, client_page, client_view, joint_work, log_read


def _goals(plan: Plan) -> list[Goal]:
    return list(plan.goals.select_related("organisation"))


# The page's forms. Each is built and rendered only when it is shown: opened on the page
# (htmx asks ``plan_form`` for it), named by ``?form=`` (the same without JavaScript),
# posted back with errors, or open from the start (the goal while the plan has none).
FORM_NAMES = ("header", "goal", "action", "activity", "decide")


def _forms(
    request: AuthenticatedRequest,
    client: Client,
    plan: Plan,
    bound: str = "",
    *,
    only: Collection[str] = FORM_NAMES,
    goals: list[Goal] | None = None,
) -> dict[str, Form]:
    data = request.POST if request.method == "POST" else None
    # Read here once for every form that offers them, not while the template renders.
    goals = _goals(plan) if goals is None and {"action", "activity"} & set(only) else goals
    forms: dict[str, Form] = {}
    if "header" in only:
        forms["header"] = PlanHeaderForm(
            data if bound == "header" else None,
            team=team_selectors.active_team(client),
            initial={
                "long_term_goal": plan.long_term_goal,
                "responsible_principal": plan.responsible_principal,
                "responsible_person": plan.responsible_person_id,
                "urgent_measures": plan.urgent_measures,
            },
        )
    if "goal" in only:
        forms["goal"] = GoalForm(data if bound == "goal" else None)
    if "action" in only:
        forms["action"] = PlanActionForm(data if bound == "action" else None, goals=goals or [])
    if "activity" in only:
        forms["activity"] = PlanActivityForm(
            data if bound == "activity" else None,
            activities=plan_selectors.plan_activities(client),
            goals=goals or [],
        )
    if "decide" in only:
        forms["decide"] = DecidePlanForm(
            data if bound == "decide" else None,
            consents=list(access_kernel.valid_consents().filter(client=client)),
        )
    return forms


def _shown_at_first(request: AuthenticatedRequest, plan: Plan) -> set[str]:
    """The forms a plain GET of the page renders: the one ``?form=`` names, and the goal's
    while the plan has none (it is what the page is for then)."""
    shown = {request.GET.get("form", "")} & set(FORM_NAMES)
    if not plan.long_term_goal:
        shown.add("header")
    return shown


def _render(
    request: AuthenticatedRequest,
    client: Client,
    access: ClientAccess,
    plan: Plan,
    forms: dict[str, Form],
    *,
    conflict: str = "",
    kept_text: str = "",
    status: int = 200,
    goals: list[Goal] | None = None,
) -> HttpResponse:
    goals = _goals(plan) if goals is None else goals
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


def _version(request: AuthenticatedRequest) -> int:
    """The plan's edit number the page was opened at (0, and so stale, when missing)."""
    return EditNumberForm(request.POST).number()


def _kept(request: AuthenticatedRequest) -> str:
    """What the user wrote, to copy after a refused save."""
    fields = ("long_term_goal", "urgent_measures", "text", "measure", "what", "who", "when")
    posted = request.POST.dict()
    return "\n".join(posted[f] for f in fields if posted.get(f))


@login_required
@require_GET
@client_view(log=False)
def plan_page(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    client, access = opened
    plan = plans.plan_for(client, request.user)
    log_read(request, client, access, obj=plan, reason="plan")
    goals = _goals(plan)
    forms = _forms(request, client, plan, only=_shown_at_first(request, plan), goals=goals)
    return _render(request, client, access, plan, forms, goals=goals)


@login_required
@require_GET
@client_view(allow=joint_work, log=False)
def plan_form(request: AuthenticatedRequest, opened: OpenedClient, name: str) -> HttpResponse:
    """One of the plan's forms, as htmx asks for it when its section is opened."""
    if name not in FORM_NAMES:
        raise Http404
    client, access = opened
    plan = plans.plan_for(client, request.user)
    log_read(request, client, access, obj=plan, reason="plan")
    forms = _forms(request, client, plan, only=[name])
    return render(
        request,
        "coordination/partials/plan_form.html",
        {"client": client, "plan": plan, "name": name, "form": forms[name]},
    )


Save = Callable[[Plan, int, dict[str, Any]], object]


def _post(
    request: AuthenticatedRequest, opened: OpenedClient, which: str, save: Save
) -> HttpResponse:
    """One change to the plan: saved and back to the page, or the page again with the
    bound form (400), or the user's text kept when someone else saved first (409)."""
    client, access = opened
    plan = plans.plan_for(client, request.user)
    forms = _forms(request, client, plan, bound=which, only=[which])
    form = forms[which]
    try:
        if form.is_valid():
            save(plan, _version(request), form.cleaned_data)
            messages.success(request, _("The plan is saved."))
            return redirect("coordination:plan", client.pk)
    except plans.StalePlanError as exc:
        return _stale(request, opened, plan, exc)
    except ValidationError as exc:
        add_service_errors(form, exc)
        plan.refresh_from_db()
    except PermissionDenied as exc:
        raise PermissionDenied("plan") from exc
    log_read(request, client, access, obj=plan, reason="plan")
    return _render(request, client, access, plan, forms, status=400)


def _stale(
    request: AuthenticatedRequest, opened: OpenedClient, plan: Plan, exc: plans.StalePlanError
) -> HttpResponse:
    client, access = opened
    plan.refresh_from_db()
    log_read(request, client, access, obj=plan, reason="plan: refused stale save")
    return _render(
        request,
        client,
        access,
        plan,
        _forms(request, client, plan, only=_shown_at_first(request, plan)),
        conflict=str(exc),
        kept_text=_kept(request),
        status=409,
    )


@login_required
@require_POST
@client_view(allow=joint_work, reason="plan")
def plan_header(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    """The long-term goal and who has the overall responsibility."""

    def save(plan: Plan, version: int, data: dict[str, Any]) -> object:
        return plans.save_plan_header(
            user=request.user, client=opened.client, plan=plan, expected_version=version,
            **data,
        )  # fmt: skip

    return _post(request, opened, "header", save)


@login_required
@require_POST
@client_view(allow=joint_work, reason="plan")
def plan_goal_add(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    def save(plan: Plan, version: int, data: dict[str, Any]) -> object:
        return plans.add_goal(
            user=request.user, client=opened.client, plan=plan, expected_version=version,
            **data,
        )  # fmt: skip

    return _post(request, opened, "goal", save)


@login_required
@require_POST
@client_view(allow=joint_work, reason="plan")
def plan_action_add(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    def save(plan: Plan, version: int, data: dict[str, Any]) -> object:
        return plans.add_action(
            user=request.user, client=opened.client, plan=plan, expected_version=version,
            data=data,
        )  # fmt: skip

    return _post(request, opened, "action", save)


@login_required
@require_POST
@client_view(allow=joint_work, reason="plan")
def plan_activity_add(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    """One of the user movement's coming activities near the client, as a measure."""

    def save(plan: Plan, version: int, data: dict[str, Any]) -> object:
        return plans.add_action(
            user=request.user, client=opened.client, plan=plan, expected_version=version,
            data=data,
        )  # fmt: skip

    return _post(request, opened, "activity", save)


@login_required
@require_POST
@client_view(allow=joint_work, reason="plan")
def plan_decide(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    """Decide this version, with the client's consent confirmed for it."""

    def save(plan: Plan, version: int, data: dict[str, Any]) -> object:
        return plans.decide_plan(
            user=request.user, client=opened.client, plan=plan, expected_version=version,
            **data,
        )  # fmt: skip

    return _post(request, opened, "decide", save)


SetStatus = Callable[[Plan, int, str], object]


def _post_status(
    request: AuthenticatedRequest, opened: OpenedClient, set_status: SetStatus
) -> HttpResponse:
    """A sub-goal's or a measure's status: a choice from a list, so a bad one is 400."""
    client, access = opened
    plan = plans.plan_for(client, request.user)
    form = PlanStatusForm(request.POST)
    try:
        if form.is_valid():
            set_status(plan, _version(request), form.cleaned_data["status"])
            return redirect("coordination:plan", client.pk)
    except plans.StalePlanError as exc:
        return _stale(request, opened, plan, exc)
    except PermissionDenied as exc:
        raise PermissionDenied("plan") from exc
    log_read(request, client, access, obj=plan, reason="plan")
    forms = _forms(request, client, plan, only=_shown_at_first(request, plan))
    return _render(request, client, access, plan, forms, status=400)


@login_required
@require_POST
@client_view(allow=joint_work, reason="plan")
def plan_goal_status(
    request: AuthenticatedRequest, opened: OpenedClient, goal_id: int
) -> HttpResponse:
    goal = get_object_or_404(Goal, plan__client=opened.client, pk=goal_id)

    def set_status(plan: Plan, version: int, status: str) -> object:
        return plans.set_goal_status(
            user=request.user, client=opened.client, plan=plan, expected_version=version,
            goal=goal, status=status,
        )  # fmt: skip

    return _post_status(request, opened, set_status)


@login_required
@require_POST
@client_view(allow=joint_work, reason="plan")
def plan_action_status(
    request: AuthenticatedRequest, opened: OpenedClient, action_id: int
) -> HttpResponse:
    action = get_object_or_404(PlanAction, plan__client=opened.client, pk=action_id)

    def set_status(plan: Plan, version: int, status: str) -> object:
        return plans.set_action_status(
            user=request.user, client=opened.client, plan=plan, expected_version=version,
            action=action, status=status,
        )  # fmt: skip

    return _post_status(request, opened, set_status)


@login_required
@require_GET
@client_view(log=False)
def plan_compare(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
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
