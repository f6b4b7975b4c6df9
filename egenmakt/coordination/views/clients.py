"""Pages of the coordination work: clients, consent, care team, network, mapping.

Every page about a client writes an access-log row before it renders (emergency access
flagged, with its reason); clients outside the user's reach answer 404. Views parse
input, call a service or selector and render; the rules are in ``rules.py``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import organisations_with_role
from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.audit.services import log_list_access
from egenmakt.coordination import access as access_kernel
from egenmakt.coordination.access import ClientAccess
from egenmakt.coordination.checklist import build_checklist, next_steps, worksheets_offered
from egenmakt.coordination.forms.clients import (
    CaseNoteForm,
    ClientForm,
    ClientSearchForm,
    PhaseForm,
    RegisterClientForm,
)
from egenmakt.coordination.forms.common import add_service_errors
from egenmakt.coordination.models import Client, Phase, StepRecord
from egenmakt.coordination.rules import may_register_client, works_jointly
from egenmakt.coordination.selectors import clients as clients_selectors
from egenmakt.coordination.selectors import consent as consent_selectors
from egenmakt.coordination.selectors import followup as followup_selectors
from egenmakt.coordination.selectors import mapping as mapping_selectors
from egenmakt.coordination.selectors import meetings as meetings_selectors
from egenmakt.coordination.selectors import reminders as reminders_selectors
from egenmakt.coordination.selectors import team as team_selectors
from egenmakt.coordination.selectors.outcomes import client_outcome
from egenmakt.coordination.services import clients as clients_services
from egenmakt.coordination.services import common as common_services
from egenmakt.core.http import anyone, page_rule, row_urls
from egenmakt.instruments.selectors import current_definitions

from .common import (
    PAGE_SIZE,
    SEARCH_LIMIT,
    OpenedClient,
    client_page,
    client_view,
    in_team,
    log_read,
    sealed_client_view,
)


@login_required
@require_http_methods(["GET", "POST"])
@page_rule(anyone)  # each person's own clients, maybe none
def client_list(request: AuthenticatedRequest) -> HttpResponse:
    """The user's clients. Searching is a POST so names and numbers never reach a URL."""
    rows = access_kernel.clients_for(request.user)
    form = ClientSearchForm(request.POST or None)
    searched = ""
    if request.method == "POST" and form.is_valid() and form.cleaned_data["q"]:
        searched = form.cleaned_data["q"]
        found = list(clients_selectors.search_clients(rows, searched)[: SEARCH_LIMIT + 1])
        page = None
        clients = found[:SEARCH_LIMIT]
        too_many = len(found) > SEARCH_LIMIT
    else:
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("sida"))
        clients = list(page.object_list)
        too_many = False
    log_list_access(request=request, people=clients, reason="client list")
    return render(
        request,
        "coordination/client_list.html",
        {
            "clients": clients,
            "page": page,
            "form": form,
            "searched": searched,
            "too_many": too_many,
            "can_register": may_register_client(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def client_register(request: AuthenticatedRequest) -> HttpResponse:
    if not may_register_client(request.user):
        raise PermissionDenied("register client")
    organisations = organisations_with_role(request.user, Role.CASE_MANAGER)
    form = RegisterClientForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            client = clients_services.register_client(
                user=request.user,
                organisation=data["organisation"],
                identity_number=data["identity_number"],
                data=data,
            )
        except common_services.CoordinationError as exc:
            form.add_error("identity_number", str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("%(name)s is registered. Record the consent next.") % {"name": client}
            )
            return redirect("coordination:consent", client.pk)
    return render(
        request,
        "coordination/client_register.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _worksheet_rows(
    client: Client, steps: list[StepRecord], *, answers: bool
) -> list[dict[str, Any]]:
    """The worksheet table's rows with their links and titles made here, the link once
    per row (to answer a draft when ``answers``, else to read) and the title once per
    instrument version, not by tags in the template."""
    summary_url = reverse("coordination:summary", args=[client.pk])
    read_url = row_urls("instruments:response")
    answer_url = row_urls("instruments:answer")
    titles: dict[int, str] = {}
    rows = []
    for record in steps:
        response = record.response
        if response is None:
            continue
        if response.definition_id not in titles:
            titles[response.definition_id] = response.definition.title()
        rows.append(
            {
                "record": record,
                "response": response,
                "title": titles[response.definition_id],
                "summarised": bool(getattr(record, "has_summary", False)),
                "url": (answer_url if answers and response.is_draft else read_url)(response.pk),
                "summary_url": f"{summary_url}?{urlencode({'steg': record.pk})}",
            }
        )
    return rows


@login_required
@require_GET
@client_view()
def client_detail(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    return _render_detail(request, *opened)


def _render_detail(
    request: AuthenticatedRequest,
    client: Client,
    access: ClientAccess,
    *,
    revealed: str = "",
    phase_form: PhaseForm | None = None,
    phase_warnings: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    # Every query of the page runs here, in the selectors: the template reads lists.
    team, handovers = team_selectors.team_and_handovers(client)
    steps = mapping_selectors.steps_for(access, client)
    summary = mapping_selectors.summary_for(access, client)
    summarised = {entry.source_id for entry in summary if entry.source_id}
    for record in steps:
        record.has_summary = record.pk in summarised  # type: ignore[attr-defined]
    meetings = mapping_selectors.checklist_meetings(access, client)
    checklist = build_checklist(
        steps, team, mapping_selectors.checklist_facts(access, client, meetings)
    )
    next_meeting, last_held = meetings_selectors.next_and_last_held(meetings)
    ors = followup_selectors.ors_for(access, client, steps, next_meeting, last_held=last_held)
    consents = consent_selectors.consents_of(client, case_managers=False)
    current = next((c for c in consents if c.is_valid()), None)
    worksheet_rows = _worksheet_rows(client, steps, answers=works_jointly(access, client))
    return client_page(
        request,
        "coordination/client_detail.html",
        client,
        access,
        "overview",
        {
            "team": team,
            "checklist": checklist,
            "ors": ors,
            "outcome": client_outcome(access, client, steps),
            "consent": current,
            "consent_organisations": list(current.organisations.all()) if current else [],
            "revoked": next((c for c in consents if c.revoked_at), None),
            "next_steps": next_steps(client, checklist, ors, consent_valid=access.consent_valid),
            "worksheet_rows": worksheet_rows,
            "next_meeting": next_meeting,
            "to_summarise": [
                row
                for row in worksheet_rows
                if not row["summarised"] and row["response"].status == "submitted"
            ],
            "worksheets": _worksheet_choices(client),
            "phase_moves": [
                (key, Phase(key).label)
                for key in clients_services.PHASE_MOVES.get(client.phase, ())
            ],
            "phase_form": phase_form or PhaseForm(),
            "phase_warnings": phase_warnings or [],
            "revealed": revealed,
            "summary_count": len(summary),
            "reminders": reminders_selectors.reminders_about(client),
            "handovers": handovers if access.in_team else [],
        },
        status=status,
    )


def _worksheet_choices(client: Client) -> list[tuple[str, str]]:
    """The worksheets of the client's phase, titled as the client's organisation's
    version names them."""
    offered = worksheets_offered(client.phase)
    titles = {
        key: d.title()
        for key, d in current_definitions(
            [w.instrument for w in offered], client.organisation
        ).items()
    }
    return [(w.instrument, titles[w.instrument]) for w in offered if w.instrument in titles]


def _sees_contact_data(opened: OpenedClient) -> bool:
    """``rules.may_see_contact_data`` for a client already opened."""
    return not opened.client.protected_identity or opened.access.in_team


@login_required
@require_POST
@sealed_client_view(allow=_sees_contact_data, reason="identity number")
def identity_reveal(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    """Show the whole number once, on request; the reading is logged as such."""
    client, access = opened
    log_read(request, client, access, reason="identity number shown")
    return _render_detail(request, client, access, revealed=client.identity.display)


@login_required
@require_POST
@client_view(allow=in_team, reason="client phase")
def phase_change(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    client, access = opened
    form = PhaseForm(request.POST)
    if not form.is_valid():
        log_read(request, client, access)
        return _render_detail(request, client, access, phase_form=form, status=400)
    try:
        clients_services.change_phase(
            user=request.user,
            client=client,
            phase=form.cleaned_data["phase"],
            reason=form.cleaned_data["reason"],
        )
    except common_services.NeedsConfirmationError as exc:
        log_read(request, client, access)
        return _render_detail(
            request, client, access, phase_form=form, phase_warnings=exc.warnings, status=400
        )
    except common_services.CoordinationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("The client is now in the phase: %(phase)s.") % {"phase": client.get_phase_display()},
        )
    return redirect("coordination:client", client.pk)


@login_required
@require_http_methods(["GET", "POST"])
@client_view(allow=in_team, reason="client details", log=False)
def client_edit(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    client, access = opened
    form = ClientForm(request.POST or None, instance=client)
    if request.method == "POST" and form.is_valid():
        try:
            clients_services.update_client(user=request.user, client=client, data=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The details are saved."))
            return redirect("coordination:client", client.pk)
    else:
        log_read(request, client, access)
    return client_page(
        request,
        "coordination/client_edit.html",
        client,
        access,
        "overview",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@client_view(reason="case notes", log=False)
def notes(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    """The user's own organisation's notes: never shared by consent."""
    client, access = opened
    if not access.in_team:
        raise Http404  # an emergency opens the shared work only
    form = CaseNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        clients_services.add_case_note(
            user=request.user, client=client, text=form.cleaned_data["text"]
        )
        messages.success(request, _("The note is saved."))
        return redirect("coordination:notes", client.pk)
    log_read(request, client, access, reason="case notes")
    return client_page(
        request,
        "coordination/notes.html",
        client,
        access,
        "notes",
        {"notes": clients_selectors.notes_for(access, client), "form": form},
        status=400 if form.errors else 200,
    )
