"""The client's own pages at /mina-sidor/, and signing in to them.

Every page is the signed-in client's own: ``_client`` answers 404 to anyone else, and
each page writes its access-log row (the client reading their own record) before it
renders. Pages are plain and phone first; the words are the client's, not the staff's.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any, cast
from uuid import UUID

from django.contrib import messages as flash
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.forms import SetPasswordForm
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_ratelimit.core import get_usage

from egenmakt.accounts.models import User
from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.audit.models import Action
from egenmakt.audit.rights import (
    exports_of,
    log_personal_export_download,
    request_personal_export,
)
from egenmakt.audit.services import log_access
from egenmakt.coordination.export.binder import render_binder_pdf
from egenmakt.coordination.export.fhir import export_fhir_bundle
from egenmakt.coordination.export.json import export_json
from egenmakt.coordination.models import ActionStatus, Client, GoalStatus, Principal
from egenmakt.coordination.selectors.minutes import waiting_for as minutes_waiting
from egenmakt.coordination.services.archive import lift_restriction, restrict_processing
from egenmakt.core.http import private_download
from egenmakt.instruments import services as instrument_services
from egenmakt.instruments.answers import InvalidAnswersError
from egenmakt.instruments.chart import render_chart
from egenmakt.instruments.display import answer_sections, chart_data, score_rows
from egenmakt.instruments.models import InstrumentDefinition, Response
from egenmakt.instruments.renderer import AnswerForm
from egenmakt.instruments.schema import text
from egenmakt.portal import selectors, services
from egenmakt.portal.forms import (
    AnswerControlsForm,
    LinkRequestForm,
    PortalLiftForm,
    PortalRestrictionForm,
)

View = Callable[..., Any]

# Per address of the requester: enough for a person, too few to probe many addresses.
LINK_REQUEST_RATE = "10/h"
LINK_USE_RATE = "30/h"
CHART_KEY = "ors"


def portal_page(view: View) -> View:
    """Anonymous: to the sign-in page. Signed in but not this client's: 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('portal:login')}?next={request.path}")
        client = selectors.get_portal_client(request.user)
        return view(request, client, *args, **kwargs)

    return wrapper


def _log(
    request: HttpRequest,
    client: Client,
    what: str,
    obj: Model | None = None,
    action: str = Action.VIEW,
) -> None:
    """Before anything is shown: the client reading their own record."""
    log_access(
        request=request,
        action=action,
        person=client,
        obj=obj if obj is not None else client,
        reason=f"portal: {what}",
    )


def _render(
    request: HttpRequest,
    template: str,
    client: Client,
    tab: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    return render(request, template, {"client": client, "tab": tab, **context}, status=status)


# --- Signing in ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """Ask for a sign-in link, or go on to the password and code."""
    if request.user.is_authenticated and selectors.open_account(request.user) is not None:
        return redirect("portal:start")
    form = LinkRequestForm(request.POST or None)
    if request.method == "POST":
        if get_usage(
            request, group="portal.link", key="ip", rate=LINK_REQUEST_RATE, increment=True
        )["should_limit"]:
            return render(request, "portal/too_many.html", status=429)
        if form.is_valid():
            services.request_sign_in_link(email=form.cleaned_data["email"])
            # The same answer whether or not the address has a login.
            return redirect("portal:link_sent")
    return render(
        request,
        "portal/sign_in.html",
        {"form": form, "password_url": f"{reverse('accounts:login')}?next=/mina-sidor/"},
        status=400 if form.errors else 200,
    )


def link_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/link_sent.html", {"minutes": services.LINK_MINUTES})


@require_http_methods(["GET", "POST"])
def use_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button and changes nothing (mail scanners open links); POST signs in."""
    if get_usage(request, group="portal.use", key="ip", rate=LINK_USE_RATE, increment=True)[
        "should_limit"
    ]:
        return render(request, "portal/too_many.html", status=429)
    if request.method == "GET":
        if not services.link_is_usable(token):
            return render(request, "portal/link_invalid.html", status=410)
        return render(request, "portal/link_confirm.html")
    outcome = services.use_sign_in_link(token=token)
    if outcome is None:
        return render(request, "portal/link_invalid.html", status=410)
    user, device = outcome
    if request.user.is_authenticated:
        logout(request)
    # A new session (new id) for the signed-in client (ASVS 7.2.4).
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    otp_login(request, device)
    return redirect("portal:start")


# --- The pages ----------------------------------------------------------------------------------


@portal_page
def start(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    _log(request, client, "start")
    ors_due = selectors.ors_due(client)
    return _render(
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
            "drafts": [
                r
                for r in selectors.my_worksheets(request.user, client)
                if r.is_draft and r.entered_by_id == request.user.pk
            ],
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
    _log(request, client, "plan", view.decided)
    return _render(
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
    _log(request, client, "early-warning plan", response)
    answers = response.answers if response is not None else {}
    return _render(
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
    _log(request, client, "worksheets")
    return _render(
        request,
        "portal/worksheets.html",
        client,
        "worksheets",
        {
            "responses": selectors.my_worksheets(request.user, client),
            "fillable": selectors.fillable_worksheets(client.phase),
        },
    )


@portal_page
def worksheet(request: AuthenticatedRequest, client: Client, response_id: int) -> HttpResponse:
    response = selectors.get_my_response(request.user, client, response_id)
    _log(request, client, "worksheet", response)
    language = get_language()
    return _render(
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
    definition = next(
        (d for d in selectors.fillable_worksheets(client.phase) if d.key == key), None
    )
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
    return _render(
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
    _log(request, client, "worksheet", response)
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
    definition = InstrumentDefinition.objects.filter(key=CHART_KEY).order_by("-version").first()
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
    _log(request, client, "ors chart")
    return _render(
        request,
        "portal/chart.html",
        client,
        "worksheets",
        {
            "title": definition.title(),
            "data": data,
            "points": list(reversed(data.points)),
            "can_fill": any(
                d.key == CHART_KEY for d in selectors.fillable_worksheets(client.phase)
            ),
        },
    )


@portal_page
def chart_svg(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    _definition, data = _chart(request, client)
    if data.score is None:
        raise Http404
    _log(request, client, "ors chart image")
    response = HttpResponse(render_chart(data), content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


@portal_page
def checklist(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    """Checklist K, read-only: what has been done in the mapping and the planning."""
    _log(request, client, "checklist K")
    checklist = selectors.my_checklist(request.user, client)
    return _render(request, "portal/checklist.html", client, "checklist", {"checklist": checklist})


@portal_page
def consent(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    """The consent in force: which organisations share what, from when; and its history."""
    _log(request, client, "consent")
    in_force, consents = selectors.my_consents(client)
    return _render(
        request,
        "portal/consent.html",
        client,
        "consent",
        {"in_force": in_force, "consents": consents},
    )


# --- What resource-group work is: general texts, public (no personal data) -----------------


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


ACCESS_LOG_PAGE = 50


@portal_page
def access_log(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    """Who has read my record: every access-log row about the client (PDL 8 kap. 5 §)."""
    # Logged first, so the extract includes this very reading.
    _log(request, client, "access log extract")
    paginator = Paginator(selectors.access_log_extract(client), ACCESS_LOG_PAGE)
    page = paginator.get_page(request.GET.get("sida"))
    return _render(
        request,
        "portal/access_log.html",
        client,
        "log",
        {"page": page, "rows": page.object_list, "me": request.user.pk},
    )


@portal_page
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def sign_in_settings(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    """Choose a password, to sign in with it and an authenticator app instead of links."""
    user = cast(User, request.user)  # portal_page let only a signed-in client through
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, user)
        flash.success(request, _("Your password is saved."))
        return redirect("portal:settings")
    _log(request, client, "sign-in settings")
    has_app = any(True for _d in devices_for_user(user, confirmed=True))
    return _render(
        request,
        "portal/settings.html",
        client,
        "settings",
        {"form": form, "has_password": user.has_usable_password(), "has_app": has_app},
        status=400 if form.errors else 200,
    )


@portal_page
def my_data(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    _log(request, client, "my data")
    exports = list(exports_of(request.user, client)[:3])
    return _render(request, "portal/my_data.html", client, "data", {"exports": exports})


@portal_page
@require_POST
def my_data_request(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    """A copy of everything held about the client, made in the task queue (GDPR art. 15)."""
    request_personal_export(user=request.user, person=client)
    flash.success(
        request, _("Your copy is being prepared. Reload this page in a minute to download it.")
    )
    return redirect("portal:my_data")


@portal_page
@require_http_methods(["GET"])
def my_data_download(request: AuthenticatedRequest, client: Client, key: UUID) -> HttpResponse:
    export = exports_of(request.user, client).filter(key=key).first()
    if export is None or not export.is_ready:
        raise Http404
    log_personal_export_download(user=request.user, export=export, person=client)
    with export.file.open("rb") as handle:
        return private_download(handle.read(), "application/json", "allt-om-mig.json")


# --- Restriction of processing (GDPR art. 18), with a step to confirm --------------------------


@portal_page
@require_http_methods(["GET"])
def restriction(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    """What a restriction means, and the box to tick before it is asked for (or lifted)."""
    _log(request, client, "restriction")
    return _restriction_page(request, client, PortalRestrictionForm(), PortalLiftForm())


def _restriction_page(
    request: AuthenticatedRequest,
    client: Client,
    form: PortalRestrictionForm,
    lift_form: PortalLiftForm,
    status: int = 200,
) -> HttpResponse:
    return _render(
        request,
        "portal/restriction.html",
        client,
        "data",
        {"form": form, "lift_form": lift_form},
        status=status,
    )


@portal_page
@require_POST
def restrict(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    form = PortalRestrictionForm(request.POST)
    if form.is_valid() and not client.is_restricted:
        restrict_processing(user=request.user, client=client, by_client=True)
        flash.success(request, _("Your care team will not use your data until you say otherwise."))
        return redirect("portal:my_data")
    _log(request, client, "restriction")
    return _restriction_page(request, client, form, PortalLiftForm(), status=400)


@portal_page
@require_POST
def restriction_lift(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    form = PortalLiftForm(request.POST)
    if form.is_valid() and client.is_restricted:
        lift_restriction(user=request.user, client=client, by_client=True)
        flash.success(request, _("Your care team may work with your data again."))
        return redirect("portal:my_data")
    _log(request, client, "restriction")
    return _restriction_page(request, client, PortalRestrictionForm(), form, status=400)


def _json_bytes(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")


# The client's own copies: the same functions the care team's downloads use, with no
# viewer, which is the client's whole binder (coordination/export/binder.py).


@portal_page
def download_pdf(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    _log(request, client, "download binder pdf", action=Action.EXPORT)
    return private_download(render_binder_pdf(client), "application/pdf", "min-parm.pdf")


@portal_page
def download_json(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    _log(request, client, "download json", action=Action.EXPORT)
    return private_download(
        _json_bytes(export_json(client)), "application/json", "mina-uppgifter.json"
    )


@portal_page
def download_fhir(request: AuthenticatedRequest, client: Client) -> HttpResponse:
    _log(request, client, "download fhir", action=Action.EXPORT)
    return private_download(
        _json_bytes(export_fhir_bundle(client)),
        "application/fhir+json",
        "mina-uppgifter-fhir.json",
    )
