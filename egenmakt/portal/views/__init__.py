"""The client's own pages at /mina-sidor/: the start page, plan, worksheets, chart,
checklist and consent. Signing in is in ``sign_in``, the rights over the record in
``rights``, messages, meetings and notices in their own modules.

Every page is the signed-in client's own: ``portal_page`` answers 404 to anyone else, and
each page writes its access-log row (the client reading their own record) before it
renders. Pages are plain and phone first; the words are the client's, not the staff's."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any, cast

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from egenmakt.accounts.models import User
from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.coordination.models import ActionStatus, Client, GoalStatus, Principal
from egenmakt.coordination.selectors.minutes import waiting_for as minutes_waiting
from egenmakt.instruments import services as instrument_services
from egenmakt.instruments.answers import InvalidAnswersError
from egenmakt.instruments.chart import render_chart
from egenmakt.instruments.display import answer_sections, chart_data, score_rows
from egenmakt.instruments.models import Response
from egenmakt.instruments.renderer import AnswerForm
from egenmakt.instruments.schema import text
from egenmakt.instruments.selectors import find_current_definition
from egenmakt.portal import selectors, services
from egenmakt.portal.forms import AnswerControlsForm

from .common import log_own_read, portal_page, render_tab

CHART_KEY = "ors"


@portal_page
def start(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    log_own_read(request, client, "start")
    ors_due = selectors.ors_due(client)
    return render_tab(
        request,
        "portal/start.html",
        client,
        "start",
        {
            "meeting": selectors.next_meeting(client),
            "minutes_waiting": minutes_waiting(client, request.user, selectors.my_meetings(client)),
            "sessions": selectors.upcoming_sessions(client),
            "ors_due": ors_due,
            "ors_late": ors_due is not None and ors_due < localtime().date(),
            "drafts": selectors.my_open_drafts(request.user, client),
        },
    )


def _plan_display(content: dict[str, Any] | None) -> dict[str, Any] | None:
    """A plan's stored content with its keys turned into words and dates."""
    if content is None:
        return None
    goal_labels, action_labels = dict(GoalStatus.choices), dict(ActionStatus.choices)
    principal = str(dict(Principal.choices).get(content.get("responsible_principal", ""), ""))

    def action(data: dict[str, Any]) -> dict[str, Any]:
        return {**data, "status_label": str(action_labels.get(data.get("status", ""), ""))}

    return {
        "long_term_goal": content.get("long_term_goal", ""),
        "responsible": ", ".join(
            part for part in (content.get("responsible_person", ""), principal) if part
        ),
        "goals": [
            {
                **goal,
                "target_date": date.fromisoformat(goal["target_date"]),
                "status_label": str(goal_labels.get(goal.get("status", ""), "")),
                "actions": [action(a) for a in goal.get("actions", [])],
            }
            for goal in content.get("goals", [])
        ],
        "other_actions": [action(a) for a in content.get("other_actions", [])],
    }


@portal_page
def plan(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    view = selectors.plan_view(client)
    log_own_read(request, client, "plan", view.decided)
    return render_tab(
        request,
        "portal/plan.html",
        client,
        "plan",
        {
            "decided": view.decided,
            "content": _plan_display(view.decided.content if view.decided else None),
            "draft": _plan_display(view.draft),
        },
    )


@portal_page
def warning_plan(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    response, row = selectors.warning_plan(client)
    log_own_read(request, client, "early-warning plan", response)
    answers = response.answers if response is not None else {}
    return render_tab(
        request,
        "portal/warning_plan.html",
        client,
        "warning",
        {
            "response": response,
            "row": row,
            "signs": [s for s in answers.get("signs", []) if any(s.values())],
            "people": [p for p in answers.get("contacts", []) if any(p.values())],
            "other": answers.get("other", ""),
        },
    )


@portal_page
def worksheets(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    log_own_read(request, client, "worksheets")
    return render_tab(
        request,
        "portal/worksheets.html",
        client,
        "worksheets",
        {
            "responses": selectors.my_worksheets(request.user, client),
            "fillable": selectors.fillable_worksheets(client),
        },
    )


@portal_page
def worksheet(request: AuthenticatedRequest, client: Client, response_id: int) -> HttpResponse:
    response = selectors.get_my_response(request.user, client, response_id)
    log_own_read(request, client, "worksheet", response)
    language = get_language()
    return render_tab(
        request,
        "portal/worksheet.html",
        client,
        "worksheets",
        {
            "response": response,
            "title": response.definition.title(),
            "scores": score_rows(response, language),
            "sections": answer_sections(response.definition.definition, response.answers, language),
            "mine": _is_mine(request, response),
        },
    )


def _is_mine(request: HttpRequest, response: Response) -> bool:
    return response.entered_by_id == request.user.pk and response.is_draft


@portal_page
@require_POST
def worksheet_start(request: AuthenticatedRequest, client: Client, key: str) -> HttpResponse:
    definition = next((d for d in selectors.fillable_worksheets(client) if d.key == key), None)
    if definition is None:
        raise Http404
    try:
        response = services.start_own_worksheet(
            user=request.user, client=client, definition=definition
        )
    except services.PortalError as exc:
        flash.error(request, str(exc))
        return redirect("portal:worksheets")
    return redirect("portal:answer", response.pk)


def _answer_page(
    request: HttpRequest,
    client: Client,
    response: Response,
    form: AnswerForm,
    *,
    version: int,
    edit_token: str,
    conflict: str = "",
    status: int = 200,
) -> HttpResponse:
    definition = response.definition
    return render_tab(
        request,
        "portal/answer.html",
        client,
        "worksheets",
        {
            "response": response,
            "form": form,
            "title": definition.title(),
            "instrument_help": text(definition.definition.get("help"), get_language()),
            "version": version,
            "edit_token": edit_token,
            "conflict": conflict,
        },
        status=status,
    )


@portal_page
@require_http_methods(["GET", "POST"])
def answer(request: AuthenticatedRequest, client: Client, response_id: int) -> HttpResponse:
    """Fill in one's own worksheet with the instruments' form, draft and submit."""
    response = selectors.get_my_response(request.user, client, response_id)
    if not _is_mine(request, response):
        raise Http404
    definition = response.definition.definition
    language = get_language()
    log_own_read(request, client, "worksheet", response)
    if request.method == "GET":
        form = AnswerForm(definition, language=language, answers=response.answers)
        return _answer_page(
            request,
            client,
            response,
            form,
            version=response.version,
            edit_token=secrets.token_hex(8),
        )
    version, edit_token, submit, add_row = AnswerControlsForm(request.POST).controls()
    form = AnswerForm(definition, language=language, data=request.POST, add_row=add_row)
    form.is_valid()
    if add_row:
        return _answer_page(request, client, response, form, version=version, edit_token=edit_token)
    save = instrument_services.submit_response if submit else instrument_services.save_draft
    try:
        saved = save(
            user=cast(User, request.user),
            response=response,
            answers=form.raw_answers(),
            expected_version=version,
            edit_token=edit_token,
        )
    except InvalidAnswersError as exc:
        form.set_item_errors(exc.errors)
        return _answer_page(
            request, client, response, form, version=version, edit_token=edit_token, status=400
        )
    except instrument_services.InstrumentError as exc:
        return _answer_page(
            request,
            client,
            response,
            form,
            version=version,
            edit_token=edit_token,
            conflict=str(exc),
            status=409,
        )
    if submit:
        flash.success(request, _("Thank you. Your answers are sent to your care team."))
        return redirect("portal:worksheet", saved.pk)
    flash.success(request, _("Saved. You can come back and go on later."))
    return redirect("portal:answer", saved.pk)


def _chart(request: HttpRequest, client: Client) -> Any:
    definition = find_current_definition(CHART_KEY, client.organisation)
    if definition is None:
        raise Http404
    responses = [
        r
        for r in reversed(selectors.my_worksheets(request.user, client))
        if r.definition.key == CHART_KEY and not r.is_draft
    ]
    return definition, chart_data(definition.definition, responses, get_language())


@portal_page
def chart(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    definition, data = _chart(request, client)
    log_own_read(request, client, "ors chart")
    return render_tab(
        request,
        "portal/chart.html",
        client,
        "worksheets",
        {
            "title": definition.title(),
            "data": data,
            "points": list(reversed(data.points)),
            "can_fill": any(d.key == CHART_KEY for d in selectors.fillable_worksheets(client)),
        },
    )


@portal_page
def chart_svg(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    _definition, data = _chart(request, client)
    if data.score is None:
        raise Http404
    log_own_read(request, client, "ors chart image")
    response = HttpResponse(render_chart(data), content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


@portal_page
def checklist(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    """Checklist K, read-only: what has been done in the mapping and the planning."""
    log_own_read(request, client, "checklist K")
    checklist = selectors.my_checklist(request.user, client)
    return render_tab(
        request, "portal/checklist.html", client, "checklist", {"checklist": checklist}
    )


@portal_page
def consent(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    """The consent in force: which organisations share what, from when; and its history."""
    log_own_read(request, client, "consent")
    in_force, consents = selectors.my_consents(client)
    return render_tab(
        request,
        "portal/consent.html",
        client,
        "consent",
        {"in_force": in_force, "consents": consents},
    )


def _is_client(request: HttpRequest) -> bool:
    return selectors.open_account(request.user) is not None


@require_http_methods(["GET"])
def about_method(request: HttpRequest) -> HttpResponse:
    """What resource-group work is, for the client: open to everyone, signed in or not."""
    return render(
        request, "portal/method/about.html", {"sheet": "client", "is_client": _is_client(request)}
    )


@require_http_methods(["GET"])
def about_method_relatives(request: HttpRequest) -> HttpResponse:
    """What resource-group work is, for a relative or someone close to the client."""
    return render(
        request,
        "portal/method/relatives.html",
        {"sheet": "relatives", "is_client": _is_client(request)},
    )
