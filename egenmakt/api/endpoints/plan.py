"""The client's plan (SIP): read, and the plan page's changes with its edit number."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Router, Status
from ninja.errors import HttpError

from egenmakt.api.schemas import (
    FormErrorOut,
    GoalIn,
    GoalSaved,
    PlanActionIn,
    PlanActionSaved,
    PlanActionStatusIn,
    StaleOut,
)
from egenmakt.coordination.forms.common import add_service_errors
from egenmakt.coordination.forms.plan import GoalForm, PlanActionForm, PlanStatusForm
from egenmakt.coordination.models import Client, Plan, PlanAction
from egenmakt.coordination.rules import works_jointly
from egenmakt.coordination.services import plan as plan_services
from egenmakt.coordination.views.common import log_read

from .clients import open_client_for_change
from .common import HIDDEN, form_refusal

router = Router()


PLAN_WRITE = {**HIDDEN, 400: FormErrorOut, 409: StaleOut}


def _plan_change(
    request: HttpRequest, client_id: int, make_form: Any, save: Any, answer: Any, ok: int = 201
) -> Any:
    """One change to the plan as the plan page's ``_post`` makes it: joint work only (403),
    the page's form (400), the edit number (409 when stale, nothing saved), the service's
    refusals (400, or 403 for what it does not allow)."""
    found, access = open_client_for_change(request, client_id, allow=works_jointly)
    user: Any = request.user
    plan = plan_services.plan_for(found, user)
    form = make_form(plan)
    if not form.is_valid():
        return form_refusal(form)
    try:
        saved = save(user, found, plan, form.cleaned_data)
    except plan_services.StalePlanError as exc:
        plan.refresh_from_db()
        log_read(request, found, access, obj=plan, reason="plan: refused stale save")
        return Status(409, {"detail": str(exc), "version": plan.version})
    except ValidationError as exc:
        add_service_errors(form, exc)
        return form_refusal(form)
    except PermissionDenied as exc:
        raise PermissionDenied("plan") from exc
    log_read(request, found, access, obj=plan, reason="plan")
    return Status(ok, {**answer(saved), "version": plan.version})


def _goal(goal: Any) -> dict[str, Any]:
    return {
        "id": goal.pk, "text": goal.text, "measure": goal.measure,
        "target_date": goal.target_date, "status": goal.status,
    }  # fmt: skip


def _action(action: Any) -> dict[str, Any]:
    return {
        "id": action.pk, "goal_id": action.goal_id, "what": action.what, "who": action.who,
        "when": action.when, "due_on": action.due_on, "status": action.status,
        "urgent": action.urgent,
    }  # fmt: skip


@router.post(
    "/clients/{client_id}/plan/goals",
    response={201: GoalSaved, **PLAN_WRITE},
    url_name="client_plan_goal",
    tags=["coordination"],
)
def client_plan_goal(request: HttpRequest, client_id: int, payload: GoalIn) -> Any:
    """Add a sub-goal (``coordination:plan_goal``, the service ``add_goal``)."""
    data = payload.dict(exclude={"version"})
    data["target_date"] = payload.target_date.isoformat()
    return _plan_change(
        request,
        client_id,
        lambda _plan: GoalForm(data),
        lambda user, client, plan, cleaned: plan_services.add_goal(
            user=user, client=client, plan=plan, expected_version=payload.version, **cleaned
        ),
        _goal,
    )


@router.post(
    "/clients/{client_id}/plan/actions",
    response={201: PlanActionSaved, **PLAN_WRITE},
    url_name="client_plan_action",
    tags=["coordination"],
)
def client_plan_action(request: HttpRequest, client_id: int, payload: PlanActionIn) -> Any:
    """Add a measure (``coordination:plan_action``, the service ``add_action``); a
    ``goal_id`` that is not one of this plan's sub-goals is a form error, as on the page."""
    data: dict[str, Any] = {
        "goal": "" if payload.goal_id is None else str(payload.goal_id),
        "what": payload.what,
        "who": payload.who,
        "principal": payload.principal.value,
        "organisation_name": payload.organisation_name,
        "when": payload.when,
        "due_on": payload.due_on.isoformat() if payload.due_on else "",
    }
    if payload.urgent:
        data["urgent"] = "on"
    return _plan_change(
        request,
        client_id,
        lambda plan: PlanActionForm(data, goals=plan.goals.all()),
        lambda user, client, plan, cleaned: plan_services.add_action(
            user=user, client=client, plan=plan, expected_version=payload.version, data=cleaned
        ),
        _action,
    )


@router.put(
    "/clients/{client_id}/plan/actions/{action_id}/status",
    response={200: PlanActionSaved, **PLAN_WRITE},
    url_name="client_plan_action_status",
    tags=["coordination"],
)
def client_plan_action_status(
    request: HttpRequest, client_id: int, action_id: int, payload: PlanActionStatusIn
) -> Any:
    """Change a measure's status (``coordination:plan_action_status``, the service
    ``set_action_status``); a measure of another client's plan is 404."""

    def save(user: Any, client: Client, plan: Plan, cleaned: dict[str, Any]) -> Any:
        action = PlanAction.objects.filter(plan__client=client, pk=action_id).first()
        if action is None:
            raise HttpError(404, "Not found.")
        return plan_services.set_action_status(
            user=user, client=client, plan=plan, expected_version=payload.version,
            action=action, status=cleaned["status"],
        )  # fmt: skip

    return _plan_change(
        request,
        client_id,
        lambda _plan: PlanStatusForm({"status": payload.status.value}),
        save,
        _action,
        ok=200,
    )
