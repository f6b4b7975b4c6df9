"""A meeting's page (attendance, minutes, goal attainment, the early-warning plan, decisions,
the next meeting) and one view per change to it; the case manager's start-page panel.

Same pattern as the plan: outsiders get 404 (``client_view``), readers who may not add to
the joint work get 403 on a change, every page writes its access-log row before it
renders, and the second of two concurrent saves is refused with the user's text kept.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.audit.services import log_list_access
from egenmakt.coordination import access as access_kernel
from egenmakt.coordination.access import ClientAccess
from egenmakt.coordination.forms.common import EditNumberForm, add_service_errors
from egenmakt.coordination.forms.meetings import (
    ActionStatusDecisionForm,
    GoalStatusDecisionForm,
    MeetingForm,
    MinutesConfirmForm,
    OtherDecisionForm,
    meeting_as_saved,
)
from egenmakt.coordination.forms.plan import DecidePlanForm, GoalForm, PlanActionForm
from egenmakt.coordination.models import (
    Attendance,
    Client,
    DecisionKind,
    EarlyWarningPlan,
    Goal,
    Meeting,
    MeetingStatus,
    Plan,
    PlanAction,
)
from egenmakt.coordination.rules import works_jointly
from egenmakt.coordination.selectors import meetings as meetings_selectors
from egenmakt.coordination.selectors import minutes as minutes_selectors
from egenmakt.coordination.selectors.outcomes import client_outcome
from egenmakt.coordination.services import common as services
from egenmakt.coordination.services import invitations as invitation_services
from egenmakt.coordination.services import meetings as meeting_services
from egenmakt.coordination.services import minutes as minutes_services
from egenmakt.coordination.services import plan as plans

from .common import OpenedClient, client_page, client_view, joint_work, log_read

# --- A meeting ---------------------------------------------------------------------------------

DECISION_FORMS = {
    "new_goal": DecisionKind.NEW_GOAL,
    "new_action": DecisionKind.NEW_ACTION,
    "goal_status": DecisionKind.GOAL_STATUS,
    "action_status": DecisionKind.ACTION_STATUS,
    "decide_plan": DecisionKind.DECIDE_PLAN,
    "other": DecisionKind.OTHER,
}


def _decision_forms(
    request: AuthenticatedRequest,
    client: Client,
    meeting: Meeting,
    bound: str,
    active: list[Goal] | None = None,
    *,
    only: Collection[str] = tuple(DECISION_FORMS),
) -> dict[str, Form]:
    """The decision forms named in ``only``: the page builds none up front (each is fetched
    by htmx when its section opens, or named by ``?form=``), a refused decision its own."""
    data = request.POST if request.method == "POST" else None
    day = timezone.localtime(meeting.starts_at).date()
    # Read here once for every form that offers them, not while the template renders:
    # the sub-goals still worked on (``goals_assessed``, which the page has read too).
    if active is None and {"new_action", "goal_status"} & set(only):
        active = meetings_selectors.goals_assessed(client)
    makers: dict[str, Callable[[Any], Form]] = {
        "new_goal": lambda given: GoalForm(given, prefix="new_goal"),
        "new_action": lambda given: PlanActionForm(given, goals=active or [], prefix="new_action"),
        "goal_status": lambda given: GoalStatusDecisionForm(
            given, goals=active or [], prefix="goal_status"
        ),
        "action_status": lambda given: ActionStatusDecisionForm(
            given,
            actions=list(PlanAction.objects.filter(plan__client=client)),
            prefix="action_status",
        ),
        "decide_plan": lambda given: DecidePlanForm(
            given,
            consents=list(access_kernel.valid_consents().filter(client=client)),
            initial={"decided_on": day},
            prefix="decide_plan",
        ),
        "other": lambda given: OtherDecisionForm(given, prefix="other"),
    }
    return {
        name: makers[name](data if bound == name else None)
        for name in DECISION_FORMS
        if name in only
    }


def _decides_here(access: ClientAccess, client: Client, meeting: Meeting) -> bool:
    """Decisions are taken at a meeting that has taken place and was not cancelled, by
    someone who may add to the joint work (as meeting.html shows them)."""
    return (
        timezone.localtime(meeting.starts_at).date() <= timezone.localdate()
        and meeting.status != MeetingStatus.CANCELLED
        and works_jointly(access, client)
    )


def _meeting_form(
    request: AuthenticatedRequest,
    meeting: Meeting,
    attendance: list[Attendance],
    goals: list[Goal],
    next_meeting: Meeting | None,
    bound: bool,
) -> MeetingForm:
    form = MeetingForm(
        request.POST if bound else None,
        agenda=list(meeting.agenda.all()),
        attendance=attendance,
        goals=goals,
        initial=meeting_as_saved(meeting, attendance, goals),
    )
    # The next meeting is booked (and its invitations sent) only when someone fills in the
    # day: the method's three months are offered as a suggestion, never filled in.
    proposed = meeting_services.next_meeting_default(meeting)
    if next_meeting is None and proposed > timezone.now():
        form.fields["next_starts_at"].help_text = _(
            "Suggestion: %(day)s, about three months on. The invitations go out when you save."
        ) % {"day": date_format(timezone.localtime(proposed), "DATETIME_FORMAT")}
    return form


def _kept(request: AuthenticatedRequest) -> str:
    """What the user wrote, to copy after a refused save."""
    return "\n\n".join(
        value
        for key, value in request.POST.dict().items()
        if (key == "minutes" or key.startswith(("notes_", "comment_"))) and value.strip()
    )


DECISION_TEXT_FIELDS = ("text", "measure", "what", "who", "when")


def _kept_decision(request: AuthenticatedRequest, which: str) -> str:
    """The text of a refused decision, to copy."""
    keys = {f"{which}-{name}" for name in DECISION_TEXT_FIELDS}
    return "\n".join(v for k, v in request.POST.dict().items() if k in keys and v.strip())


def _render_meeting(
    request: AuthenticatedRequest,
    client: Client,
    access: ClientAccess,
    meeting: Meeting,
    *,
    bound: str = "",
    forms: dict[str, Form] | None = None,
    conflict: str = "",
    kept_text: str = "",
    confirm_form: MinutesConfirmForm | None = None,
    status: int = 200,
) -> HttpResponse:
    plan = Plan.objects.filter(client=client).first()
    goals = meetings_selectors.goals_assessed(client)
    attendance = meetings_selectors.attendance_to_fill(client, meeting)
    next_meeting = meetings_selectors.next_booked_after(client, meeting)
    is_past = timezone.localtime(meeting.starts_at).date() <= timezone.localdate()
    if forms is None:
        # The decision forms wait until their section opens; a plain GET builds only the
        # one ``?form=`` names, and only where the page shows decisions.
        named = {request.GET.get("form", "")} & set(DECISION_FORMS)
        shown = named if named and _decides_here(access, client, meeting) else set()
        forms = _decision_forms(request, client, meeting, bound, goals, only=shown)
        forms["meeting"] = _meeting_form(
            request, meeting, attendance, goals, next_meeting, bound == "meeting"
        )
    meeting_form: Any = forms["meeting"]
    reviews = {review.goal_id: review for review in meeting.goal_reviews.all()}
    return client_page(
        request,
        "coordination/meeting.html",
        client,
        access,
        "group",
        {
            "meeting": meeting,
            "is_past": is_past,
            "agenda": [(item, meeting_form[f"notes_{item.pk}"]) for item in meeting.agenda.all()],
            "attendance": [(row, meeting_form[f"present_{row.member_id}"]) for row in attendance],
            "goals": [
                (
                    goal,
                    reviews.get(goal.pk),
                    meeting_form[f"attainment_{goal.pk}"],
                    meeting_form[f"comment_{goal.pk}"],
                )
                for goal in goals
            ],
            "forms": forms,
            "plan_version": plan.version if plan is not None else 1,
            "warning_plan": EarlyWarningPlan.objects.filter(client=client)
            .select_related("reviewed_by")
            .first(),
            "next_meeting": next_meeting,
            "case_managers_present": meetings_selectors.case_managers_present(meeting, attendance),
            "decisions": list(meeting.decisions.all()),
            "conflict": conflict,
            "kept_text": kept_text,
            "uninvited": [row for row in attendance if row.invited_at is None],
            "outcome": client_outcome(access, client)
            if meeting.status == MeetingStatus.PLANNED
            else None,
            **_minutes_context(request, client, access, meeting, confirm_form),
        },
        status=status,
    )


def _minutes_context(
    request: AuthenticatedRequest,
    client: Client,
    access: ClientAccess,
    meeting: Meeting,
    form: MinutesConfirmForm | None,
) -> dict[str, Any]:
    """Who has confirmed the minutes, and the form for a member of the group who has not."""
    if not minutes_selectors.has_minutes(meeting):
        return {"confirmations": [], "confirm_form": None}
    members = minutes_selectors.members_with_account(meeting)
    rows = minutes_selectors.confirmation_rows(meeting, members)
    answered = any(row["user_id"] == request.user.pk and row["current"] for row in rows)
    mine = (
        access.joint_work
        and not answered
        and minutes_services.may_confirm(request.user, client, meeting, members)
    )
    return {
        "confirmations": rows,
        "confirm_form": (form or MinutesConfirmForm()) if mine else None,
    }


def _version(request: AuthenticatedRequest, name: str) -> int:
    return EditNumberForm(request.POST).number(name)


@login_required
@require_GET
@client_view(log=False)
def meeting_page(
    request: AuthenticatedRequest, opened: OpenedClient, meeting_id: int
) -> HttpResponse:
    client, access = opened
    meeting = meetings_selectors.get_meeting_for(access, client, meeting_id)
    log_read(request, client, access, obj=meeting, reason="resource-group meeting")
    return _render_meeting(request, client, access, meeting)


@login_required
@require_GET
@client_view(allow=joint_work, log=False)
def meeting_decision_form(
    request: AuthenticatedRequest, opened: OpenedClient, meeting_id: int, kind: str
) -> HttpResponse:
    """One of the meeting's decision forms, as htmx asks for it when its section opens
    (404 where the page offers no decisions: before the day, or a cancelled meeting)."""
    client, access = opened
    meeting = meetings_selectors.get_meeting_for(access, client, meeting_id)
    if kind not in DECISION_FORMS or not _decides_here(access, client, meeting):
        raise Http404
    log_read(request, client, access, obj=meeting, reason="resource-group meeting")
    plan = Plan.objects.filter(client=client).first()
    return render(
        request,
        "coordination/partials/decision_form_body.html",
        {
            "client": client,
            "meeting": meeting,
            "key": kind,
            "form": _decision_forms(request, client, meeting, "", only=[kind])[kind],
            "plan_version": plan.version if plan is not None else 1,
        },
    )


MeetingAction = Callable[..., HttpResponse]  # (request, opened, meeting, **url kwargs)


def meeting_action(act: MeetingAction) -> Callable[..., HttpResponseBase]:
    """A change to one meeting: signed in, POST only, by someone who may add to the joint
    work (403 for the others, 404 out of reach); a service's refusal of the change is
    shown on the meeting's page."""

    @login_required
    @require_POST
    @client_view(allow=joint_work, reason="resource-group meeting")
    @wraps(act)
    def view(
        request: AuthenticatedRequest, opened: OpenedClient, meeting_id: int, **kwargs: Any
    ) -> HttpResponse:
        client, access = opened
        meeting = meetings_selectors.get_meeting_for(access, client, meeting_id)
        try:
            return act(request, opened, meeting, **kwargs)
        except services.CoordinationError as exc:
            messages.error(request, str(exc))
            return redirect("coordination:meeting", client.pk, meeting.pk)
        except PermissionDenied as exc:
            raise PermissionDenied("resource-group meeting") from exc

    return view


@meeting_action
def meeting_invite(
    request: AuthenticatedRequest, opened: OpenedClient, meeting: Meeting
) -> HttpResponse:
    """E-mail the invitation, with the calendar file, to the members not yet invited."""
    count = invitation_services.send_invitations(
        user=request.user, client=opened.client, meeting=meeting
    )
    messages.success(request, _("Invitations sent by e-mail: %(count)s.") % {"count": count})
    return redirect("coordination:meeting", opened.client.pk, meeting.pk)


@meeting_action
def meeting_cancel(
    request: AuthenticatedRequest, opened: OpenedClient, meeting: Meeting
) -> HttpResponse:
    meeting_services.cancel_meeting(user=request.user, client=opened.client, meeting=meeting)
    messages.success(request, _("The meeting is cancelled."))
    return redirect("coordination:resource_group", opened.client.pk)


@meeting_action
def meeting_save(
    request: AuthenticatedRequest, opened: OpenedClient, meeting: Meeting
) -> HttpResponse:
    """Attendance, minutes, goal attainment, the early-warning plan, the next meeting."""
    return _save_meeting(request, *opened, meeting)


@meeting_action
def meeting_confirm_minutes(
    request: AuthenticatedRequest, opened: OpenedClient, meeting: Meeting
) -> HttpResponse:
    """A member of the group confirms the minutes, or says what should be corrected."""
    client, access = opened
    if not minutes_services.may_confirm(request.user, client, meeting):
        raise PermissionDenied("resource-group meeting")
    form = MinutesConfirmForm(request.POST)
    if not form.is_valid():
        return _render_meeting(request, client, access, meeting, confirm_form=form, status=400)
    minutes_services.confirm_minutes(
        user=request.user,
        client=client,
        meeting=meeting,
        correction=form.cleaned_data["correction"],
    )
    if form.cleaned_data["correction"]:
        messages.success(request, _("Your correction is noted with the minutes."))
    else:
        messages.success(request, _("You have confirmed the minutes."))
    return redirect("coordination:meeting", client.pk, meeting.pk)


@meeting_action
def meeting_decide(
    request: AuthenticatedRequest, opened: OpenedClient, meeting: Meeting, kind: str
) -> HttpResponse:
    """One decision of the kind named in the URL, recorded in the minutes and the plan."""
    if kind not in DECISION_FORMS:
        raise Http404
    return _decide(request, *opened, meeting, kind)


def _save_meeting(
    request: AuthenticatedRequest, client: Client, access: ClientAccess, meeting: Meeting
) -> HttpResponse:
    goals = meetings_selectors.goals_assessed(client)
    attendance = meetings_selectors.attendance_to_fill(client, meeting)
    form = _meeting_form(
        request,
        meeting,
        attendance,
        goals,
        meetings_selectors.next_booked_after(client, meeting),
        True,
    )
    if form.is_valid():
        try:
            meeting_services.save_meeting(
                user=request.user, client=client, meeting=meeting,
                expected_version=_version(request, "version"),
                record=meeting_services.MeetingRecord(**form.record()),
            )  # fmt: skip
        except meeting_services.StaleMeetingError as exc:
            fresh = meetings_selectors.get_meeting_for(access, client, meeting.pk)
            log_read(request, client, access, obj=fresh, reason="meeting: refused stale save")
            return _render_meeting(
                request, client, access, fresh, conflict=str(exc), kept_text=_kept(request),
                status=409,
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect("coordination:meeting", client.pk, meeting.pk)
    log_read(request, client, access, obj=meeting, reason="resource-group meeting")
    meeting = meetings_selectors.get_meeting_for(access, client, meeting.pk)
    return _render_meeting(request, client, access, meeting, forms={"meeting": form}, status=400)


def _decide(
    request: AuthenticatedRequest,
    client: Client,
    access: ClientAccess,
    meeting: Meeting,
    which: str,
) -> HttpResponse:
    form = _decision_forms(request, client, meeting, which, only=[which])[which]
    if form.is_valid():
        try:
            meeting_services.record_decision(
                user=request.user, client=client, meeting=meeting, kind=DECISION_FORMS[which],
                plan_version=_version(request, "plan_version"), data=form.cleaned_data,
            )  # fmt: skip
        except plans.StalePlanError as exc:
            log_read(request, client, access, obj=meeting, reason="meeting: refused stale decision")
            return _render_meeting(
                request, client, access, meeting, conflict=str(exc),
                kept_text=_kept_decision(request, which),
                status=409,
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("coordination:meeting", client.pk, meeting.pk)
    log_read(request, client, access, obj=meeting, reason="resource-group meeting")
    goals = meetings_selectors.goals_assessed(client)
    all_forms: dict[str, Form] = {which: form}
    all_forms["meeting"] = _meeting_form(
        request,
        meeting,
        meetings_selectors.attendance_to_fill(client, meeting),
        goals,
        meetings_selectors.next_booked_after(client, meeting),
        False,
    )
    return _render_meeting(
        request, client, access, meeting, forms=all_forms, bound=which, status=400
    )


# --- The case manager's start page ---------------------------------------------------------

MEETINGS_DUE_LIMIT = 50


def meetings_due_panel(request: HttpRequest) -> dict[str, Any]:
    """The start-page panel: clients whose next meeting is missing or far off."""
    rows = list(meetings_selectors.clients_due_a_meeting(request.user)[: MEETINGS_DUE_LIMIT + 1])
    log_list_access(
        request=request,
        people=rows[:MEETINGS_DUE_LIMIT],
        reason="start page: meetings to book",
    )
    return {
        "clients": rows[:MEETINGS_DUE_LIMIT],
        "more": len(rows) > MEETINGS_DUE_LIMIT,
        "limit": MEETINGS_DUE_LIMIT,
    }
