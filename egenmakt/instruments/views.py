"""Pages: the instrument list, import, answering, a response, and change over time.

Every page that shows a response or a subject's answers writes an access-log row before
it renders; subjects and responses outside the user's reach answer 404.
"""

from __future__ import annotations

import secrets
from typing import Any, NamedTuple, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from egenmakt.accounts.models import Organisation
from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import held_roles, holds_role
from egenmakt.accounts.types import AuthenticatedRequest, Viewer
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.core.http import page_rule, protected_object

from . import services
from .answers import InvalidAnswersError
from .chart import render_chart
from .display import ChartData, answer_sections, chart_data, score_rows
from .forms import AnswerStateForm, ImportForm, StartForm
from .models import InstrumentDefinition, Response
from .renderer import AnswerForm
from .schema import DefinitionError, Problem, text
from .selectors import (
    current_definition,
    drafts,
    get_response_for_user,
    instrument_summaries,
    submitted_responses,
)
from .subjects import (
    can_access_subject,
    get_subject_by_slug_for_user,
    organisation_of,
    page_url_of,
    person_of,
    read_reason_of,
    start_url_of,
    subject_type_for_model,
    visible_responses_of,
)


def may_open_instrument_list(user: Viewer) -> bool:
    return bool(held_roles(user)) or bool(getattr(user, "is_superuser", False))


def _viewer_organisations(user: Viewer) -> list[Organisation] | None:
    """The organisations the user holds a role in (None: a superuser without any, who
    sees every version)."""
    ids = {h.organisation_id for h in held_roles(user)}
    if not ids and getattr(user, "is_superuser", False):
        return None
    return list(Organisation.objects.filter(pk__in=ids).order_by("path"))


def _import_organisations(user: Viewer) -> list[Organisation]:
    """Where the user may upload: the organisations they hold an importing role in."""
    ids = {h.organisation_id for h in held_roles(user) if h.role in services.IMPORT_ROLES}
    return list(Organisation.objects.filter(pk__in=ids).order_by("path"))


@login_required
@page_rule(may_open_instrument_list, "instrument list")
def instrument_list(request: AuthenticatedRequest) -> HttpResponse:
    """Every instrument the user's organisations use, which version applies in each and
    who owns each version: for all staff (no personal data). Another region's or a
    sibling's own versions are not shown."""
    organisations = _viewer_organisations(request.user)
    return render(
        request,
        "instruments/list.html",
        {
            "instruments": instrument_summaries(organisations),
            "organisations": organisations or [],
            "can_import": any(h.role in services.IMPORT_ROLES for h in held_roles(request.user)),
            # Keys, file names and answer counts are for the installation's administrators;
            # a coordinator who uploads her network's version sees what is in use where.
            "technical": holds_role(request.user, Role.ADMIN),
        },
    )


@login_required
def import_definition(request: AuthenticatedRequest) -> HttpResponse:
    """An administrator or coordinator uploads their organisation's own template (or a
    new version of one); it applies to that organisation and the units below it. Invalid
    files are explained, never saved."""
    allowed = _import_organisations(request.user)
    if not allowed:
        raise PermissionDenied("instrument import")
    chosen = request.POST.get("organisation", "")
    if request.method == "POST" and chosen and chosen not in {str(o.pk) for o in allowed}:
        # Another organisation's form is never theirs to change.
        raise PermissionDenied("instrument import: organisation")
    problems: list[Problem] = []
    refused = ""
    form = ImportForm(request.POST or None, request.FILES or None, organisations=allowed)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.import_definition(
                user=request.user,
                text=form.cleaned_data["file"],
                file_name=form.file_name,
                organisation=form.cleaned_data["organisation"],
            )
        except DefinitionError as exc:
            problems = exc.problems
        except services.DefinitionRefusedError as exc:
            refused = str(exc)
        else:
            messages.success(
                request,
                _(
                    "Imported %(title)s, version %(version)s. It is used in %(organisation)s "
                    "and the units below it."
                )
                % {
                    "title": row.title(),
                    "version": row.version,
                    "organisation": form.cleaned_data["organisation"].name,
                },
            )
            return redirect("instruments:list")
    status = 400 if problems or refused or form.errors else 200
    return render(
        request,
        "instruments/import.html",
        {"form": form, "problems": problems, "refused": refused},
        status=status,
    )


# --- Answering ------------------------------------------------------------------------------


def _subject(response: Response) -> Model:
    subject = response.subject
    if subject is None:  # the subject row is gone: nothing to show
        raise Http404
    return cast(Model, subject)


def _log_view(request: HttpRequest, response: Response, reason: str = "") -> None:
    """Written before the page is rendered: if logging fails, nothing is shown."""
    log_access(
        request=request,
        action=Action.VIEW,
        person=person_of(_subject(response)),
        obj=response,
        reason=read_reason_of(request.user, _subject(response), reason),
    )


class OpenedResponse(NamedTuple):
    """A response named in the URL and whether this user may change it, decided once."""

    response: Response
    may_change: bool


def _resolve_response(request: HttpRequest, response_id: Any) -> OpenedResponse:
    response = get_response_for_user(request.user, response_id, "view")
    return OpenedResponse(response, can_access_subject(request.user, _subject(response), "change"))


def _log_response_read(
    request: HttpRequest, opened: OpenedResponse, *, action: str, reason: str
) -> None:
    _log_view(request, opened.response, reason)


def _may_change(opened: OpenedResponse) -> bool:
    return opened.may_change


# One decorator for the pages of one response (egenmakt/core/http.py): 404 out of reach,
# 403 when it is theirs to read but not to change, the read logged on GET.
response_view = protected_object(
    url_kwarg="response_id", resolve=_resolve_response, log_read=_log_response_read
)


def _subject_slug(response: Response) -> str:
    subject_type = subject_type_for_model(type(_subject(response)))
    return subject_type.slug if subject_type is not None else ""


def _start_url(response: Response) -> str:
    return reverse(
        "instruments:start",
        args=[response.definition.key, _subject_slug(response), response.subject_id],
    )


@login_required
@require_http_methods(["GET", "POST"])
def start(
    request: AuthenticatedRequest, key: str, subject_slug: str, subject_id: str
) -> HttpResponse:
    """Answer instrument ``key`` about a subject: continue a draft or start a new one."""
    _subject_type, subject = get_subject_by_slug_for_user(
        request.user, subject_slug, subject_id, "view"
    )
    if not can_access_subject(request.user, subject, "change"):
        raise PermissionDenied(f"instrument {key}: read-only")
    owner_start = start_url_of(subject, key)
    if owner_start:
        # The subject's own app records more than the response (who was present...).
        return redirect(owner_start)
    definition = current_definition(key, organisation_of(subject))
    form = StartForm(request.POST or None, definition=definition)
    if request.method == "POST" and form.is_valid():
        try:
            response = services.start_response(
                user=request.user,
                definition=definition,
                subject=subject,
                respondent_kind=form.cleaned_data["respondent_kind"],
                answered_on=form.cleaned_data["answered_on"],
            )
        except (services.InstrumentError, InvalidAnswersError) as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("instruments:answer", response.pk)
    open_drafts = list(drafts(subject, key))
    log_access(
        request=request,
        action=Action.VIEW,
        person=person_of(subject),
        obj=subject,
        reason=read_reason_of(request.user, subject, f"instrument {key}"),
    )
    return render(
        request,
        "instruments/start.html",
        {
            "definition": definition,
            "title": definition.title(),
            "subject": subject,
            "subject_page_url": page_url_of(subject),
            "form": form,
            "drafts": open_drafts,
            "chart_url": reverse("instruments:chart", args=[key, subject_slug, subject_id])
            if definition.is_scored
            else "",
            "submitted": list(
                visible_responses_of(
                    request.user, subject, submitted_responses(subject, key).reverse()
                )[:20]
            ),
        },
        status=400 if form.errors else 200,
    )


def _answer_context(
    request: HttpRequest,
    response: Response,
    form: AnswerForm,
    *,
    version: int,
    edit_token: str,
    answered_on: str,
    date_errors: list[str] | None = None,
    conflict: str = "",
    saved_message: str = "",
) -> dict[str, Any]:
    definition = response.definition
    return {
        "response": response,
        "form": form,
        "title": definition.title(),
        "instrument_help": text(definition.definition.get("help"), get_language()),
        "subject": response.subject,
        "subject_url": _start_url(response),
        "subject_page_url": page_url_of(response.subject),
        "answer_url": reverse("instruments:answer", args=[response.pk]),
        "version": version,
        "edit_token": edit_token,
        "answered_on": answered_on,
        "date_errors": date_errors or [],
        "conflict": conflict,
        "saved_message": saved_message,
    }


def _answer_state(request: HttpRequest) -> AnswerStateForm:
    state = AnswerStateForm(request.POST)
    state.is_valid()  # optional text fields: always valid
    return state


@login_required
@require_http_methods(["GET", "POST"])
@response_view(allow=_may_change, reason="instrument response: read-only")
def answer(request: AuthenticatedRequest, opened: OpenedResponse) -> HttpResponse:
    """The form for one response: save a draft, add a row, or submit."""
    response = opened.response
    definition = response.definition.definition
    language = get_language()
    if request.method == "GET":
        form = AnswerForm(definition, language=language, answers=response.answers)
        return render(
            request,
            "instruments/answer.html",
            _answer_context(
                request,
                response,
                form,
                version=response.version,
                edit_token=secrets.token_hex(8),
                answered_on=response.answered_on.isoformat(),
            ),
        )

    state = _answer_state(request)
    add_row = state.add_row
    form = AnswerForm(definition, language=language, data=request.POST, add_row=add_row)
    form.is_valid()
    version = state.cleaned_data["version"]
    edit_token = state.cleaned_data["edit_token"]
    answered_on, date_errors = state.answered_on_date()
    posted_date = state.cleaned_data["answered_on"]
    # The form is shown again with the answers: a read on POST too.
    _log_view(request, response)
    if add_row or date_errors:
        # Adding a row only redraws the form with what was typed; nothing is saved.
        return render(
            request,
            "instruments/answer.html",
            _answer_context(
                request,
                response,
                form,
                version=version,
                edit_token=edit_token,
                answered_on=posted_date,
                date_errors=date_errors,
            ),
            status=400 if date_errors else 200,
        )
    save = services.submit_response if state.submits else services.save_draft
    try:
        saved = save(
            user=request.user,
            response=response,
            answers=form.raw_answers(),
            expected_version=version,
            edit_token=edit_token,
            answered_on=answered_on,
        )
    except InvalidAnswersError as exc:
        form.set_item_errors(exc.errors)
        return render(
            request,
            "instruments/answer.html",
            _answer_context(
                request,
                response,
                form,
                version=version,
                edit_token=edit_token,
                answered_on=posted_date,
                date_errors=exc.errors.get("answered_on"),
            ),
            status=400,
        )
    except services.StaleResponseError as exc:
        return render(
            request,
            "instruments/answer.html",
            _answer_context(
                request,
                response,
                form,
                version=version,
                edit_token=edit_token,
                answered_on=posted_date,
                conflict=str(exc),
            ),
            status=409,
        )
    except services.InstrumentError as exc:
        messages.error(request, str(exc))
        return redirect("instruments:response", response.pk)
    if state.submits:
        messages.success(request, _("The answers are submitted."))
        return redirect("instruments:response", saved.pk)
    messages.success(
        request,
        _("Draft saved at %(time)s.") % {"time": localtime(saved.updated_at).strftime("%H:%M")},
    )
    return redirect("instruments:answer", saved.pk)


@login_required
@require_POST
@response_view(allow=_may_change, reason="instrument response: read-only")
def autosave(request: AuthenticatedRequest, opened: OpenedResponse) -> HttpResponse:
    """htmx: save the draft as it is typed; answers a status line, never a new form.

    Always 200, so htmx shows the outcome; the form on the page is left untouched, so
    nothing the user typed is lost whatever happens here.
    """
    response = opened.response
    form = AnswerForm(response.definition.definition, language=get_language(), data=request.POST)
    form.is_valid()
    state = _answer_state(request)
    answered_on, date_errors = state.answered_on_date()
    version = state.cleaned_data["version"]
    context: dict[str, Any] = {"version": version}
    if date_errors:
        context["problems"] = [(_("Date answered"), message) for message in date_errors]
        return render(request, "instruments/partials/draft_status.html", context)
    try:
        saved = services.save_draft(
            user=request.user,
            response=response,
            answers=form.raw_answers(),
            expected_version=version,
            edit_token=state.cleaned_data["edit_token"],
            answered_on=answered_on,
        )
    except InvalidAnswersError as exc:
        form.set_item_errors(exc.errors)
        context["problems"] = [
            (question, message) for _a, question, message in form.error_summary()
        ]
        context["problems"] += [(_("Date answered"), m) for m in exc.errors.get("answered_on", [])]
    except (services.StaleResponseError, services.InstrumentError) as exc:
        context["conflict"] = str(exc)
    else:
        context.update(version=saved.version, saved_at=localtime(saved.updated_at))
    return render(request, "instruments/partials/draft_status.html", context)


@login_required
@require_GET
@response_view()
def response_detail(request: AuthenticatedRequest, opened: OpenedResponse) -> HttpResponse:
    """One response, read-only, with its scores and bands."""
    response = opened.response
    language = get_language()
    return render(
        request,
        "instruments/response.html",
        {
            "response": response,
            "title": response.definition.title(),
            "subject": response.subject,
            "subject_url": _start_url(response),
            "subject_page_url": page_url_of(response.subject),
            "scores": score_rows(response, language),
            "sections": answer_sections(response.definition.definition, response.answers, language),
            "can_change": opened.may_change,
        },
    )


# --- Change over time -----------------------------------------------------------------------


def _chart_subject(
    request: HttpRequest, key: str, subject_slug: str, subject_id: str
) -> tuple[Any, InstrumentDefinition, ChartData]:
    _subject_type, subject = get_subject_by_slug_for_user(
        request.user, subject_slug, subject_id, "view"
    )
    definition = current_definition(key, organisation_of(subject))
    responses = list(visible_responses_of(request.user, subject, submitted_responses(subject, key)))
    data = chart_data(definition.definition, responses, get_language())
    return subject, definition, data


@login_required
def chart(
    request: AuthenticatedRequest, key: str, subject_slug: str, subject_id: str
) -> HttpResponse:
    """A subject's primary score over time: the SVG chart and the same data as a table."""
    subject, definition, data = _chart_subject(request, key, subject_slug, subject_id)
    log_access(
        request=request,
        action=Action.VIEW,
        person=person_of(subject),
        obj=subject,
        reason=read_reason_of(request.user, subject, f"instrument chart {key}"),
    )
    return render(
        request,
        "instruments/chart.html",
        {
            "definition": definition,
            "title": definition.title(),
            "subject": subject,
            "data": data,
            "points": list(reversed(data.points)),
            "svg_url": reverse("instruments:chart_svg", args=[key, subject_slug, subject_id]),
            "start_url": reverse("instruments:start", args=[key, subject_slug, subject_id]),
            "can_change": can_access_subject(request.user, subject, "change"),
        },
    )


@login_required
def chart_svg(
    request: AuthenticatedRequest, key: str, subject_slug: str, subject_id: str
) -> HttpResponse:
    """The chart image, drawn from ``instruments/chart.svg``; the CSP stays strict."""
    subject, _definition, data = _chart_subject(request, key, subject_slug, subject_id)
    if data.score is None:
        raise Http404
    log_access(
        request=request,
        action=Action.VIEW,
        person=person_of(subject),
        obj=subject,
        reason=read_reason_of(request.user, subject, f"instrument chart image {key}"),
    )
    response = HttpResponse(render_chart(data), content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
