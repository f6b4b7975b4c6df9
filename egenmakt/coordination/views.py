"""Pages of the coordination work: clients, consent, care team, network, mapping.

Every page about a client writes an access-log row before it renders (emergency access
flagged, with its reason); clients outside the user's reach answer 404. Views parse
input, call a service or selector and render; the rules are in ``rules.py``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from egenmakt.accounts.models import Organisation, User
from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import organisations_with_role
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access, log_denied, log_list_access
from egenmakt.instruments.models import InstrumentDefinition

from . import selectors, services
from .checklist import (
    MANUAL_STEPS,
    STEPS,
    WORKSHEET_BY_KEY,
    build_checklist,
    next_steps,
    worksheets_offered,
)
from .forms import (
    CaseNoteForm,
    ClientForm,
    ClientSearchForm,
    ConsentRecordForm,
    ContactForm,
    EmergencyForm,
    PhaseForm,
    RegisterClientForm,
    RevokeConsentForm,
    StepForm,
    SummaryEntryForm,
    TeamMemberForm,
    WarningPlanForm,
    WorksheetForm,
    add_service_errors,
)
from .models import (
    CareTeamMember,
    Client,
    Consent,
    Contact,
    EarlyWarningPlan,
    Phase,
    StepRecord,
    TeamRole,
)
from .network_map import build_network_map
from .rules import (
    is_in_care_team,
    may_register_client,
    may_request_emergency_access,
    may_see_contact_data,
    may_work_jointly,
)
from .selectors import ClientAccess, client_access

PAGE_SIZE = 50
SEARCH_LIMIT = 50


def _refuse(request: HttpRequest, reason: str) -> HttpResponse:
    log_denied(request, reason=reason)
    return render(request, "403.html", status=403)


def _open(request: HttpRequest, client_id: int) -> tuple[Client, ClientAccess]:
    client = selectors.get_client_for(request.user, client_id)
    return client, client_access(request.user, client)


def _log(
    request: HttpRequest,
    client: Client,
    access: ClientAccess,
    *,
    obj: Any = None,
    action: str = Action.VIEW,
    reason: str = "",
) -> None:
    """Before anything is shown: who, whose, what, for which organisation, and why."""
    emergency = access.emergency
    log_access(
        request=request,
        action=action,
        person=client,
        obj=obj if obj is not None else client,
        organisation=access.seat.organisation if access.seat is not None else None,
        reason=emergency.reason if emergency is not None else reason,
        emergency=emergency is not None,
    )


def _page(
    request: HttpRequest,
    template: str,
    client: Client,
    access: ClientAccess,
    tab: str,
    context: dict[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    base = {
        "client": client,
        "access": access,
        "tab": tab,
        "show_contact_data": may_see_contact_data(user, client),
        "in_team": is_in_care_team(user, client),
        "joint_work": may_work_jointly(user, client),
    }
    return render(request, template, {**base, **context}, status=status)


# --- The list and registering ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def client_list(request: HttpRequest) -> HttpResponse:
    """The user's clients. Searching is a POST so names and numbers never reach a URL."""
    rows = selectors.clients_for(request.user)
    form = ClientSearchForm(request.POST or None)
    searched = ""
    if request.method == "POST" and form.is_valid() and form.cleaned_data["q"]:
        searched = form.cleaned_data["q"]
        found = list(selectors.search_clients(rows, searched)[: SEARCH_LIMIT + 1])
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
def client_register(request: HttpRequest) -> HttpResponse:
    if not may_register_client(request.user):
        return _refuse(request, "register client")
    organisations = organisations_with_role(request.user, Role.CASE_MANAGER)
    form = RegisterClientForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            client = services.register_client(
                user=request.user,
                organisation=data["organisation"],
                identity_number=data["identity_number"],
                data=data,
                request=request,
            )
        except services.CoordinationError as exc:
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


# --- The client's page ---------------------------------------------------------------------


def _worksheet_rows(steps: list[StepRecord]) -> list[dict[str, Any]]:
    rows = []
    for record in steps:
        if record.response is None:
            continue
        rows.append(
            {
                "record": record,
                "response": record.response,
                "title": record.response.definition.title(),
                "summarised": bool(getattr(record, "has_summary", False)),
            }
        )
    return rows


@login_required
def client_detail(request: HttpRequest, client_id: int) -> HttpResponse:
    client, access = _open(request, client_id)
    _log(request, client, access)
    return _render_detail(request, client, access)


def _render_detail(
    request: HttpRequest,
    client: Client,
    access: ClientAccess,
    *,
    revealed: str = "",
    phase_form: PhaseForm | None = None,
    phase_warnings: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    team = selectors.active_team(client)
    steps = selectors.steps_for(access, client)
    summary = selectors.summary_for(access, client)
    summarised = {entry.source_id for entry in summary if entry.source_id}
    for record in steps:
        record.has_summary = record.pk in summarised  # type: ignore[attr-defined]
    checklist = build_checklist(steps, team, selectors.checklist_facts(access, client))
    next_meeting = selectors.next_meeting_for(access, client)
    ors = selectors.ors_for(access, client, steps, next_meeting)
    consents = selectors.consents_of(client)
    current = next((c for c in consents if c.is_valid()), None)
    worksheet_rows = _worksheet_rows(steps)
    return _page(
        request,
        "coordination/client_detail.html",
        client,
        access,
        "overview",
        {
            "team": team,
            "checklist": checklist,
            "ors": ors,
            "consent": current,
            "revoked": next((c for c in consents if c.revoked_at), None),
            "next_steps": next_steps(client, checklist, ors, consent_valid=access.consent_valid),
            "worksheet_rows": worksheet_rows,
            "next_meeting": next_meeting,
            "to_summarise": [
                row
                for row in worksheet_rows
                if not row["summarised"] and row["response"].status == "submitted"
            ],
            "worksheets": _worksheet_choices(client.phase),
            "phase_moves": [
                (key, Phase(key).label) for key in services.PHASE_MOVES.get(client.phase, ())
            ],
            "phase_form": phase_form or PhaseForm(),
            "phase_warnings": phase_warnings or [],
            "revealed": revealed,
            "summary_count": len(summary),
        },
        status=status,
    )


def _worksheet_choices(phase: str) -> list[tuple[str, str]]:
    offered = worksheets_offered(phase)
    titles = {
        d.key: d.title()
        for d in InstrumentDefinition.objects.filter(
            key__in=[w.instrument for w in offered]
        ).order_by("key", "-version")
    }
    return [(w.instrument, titles[w.instrument]) for w in offered if w.instrument in titles]


@login_required
@require_POST
def identity_reveal(request: HttpRequest, client_id: int) -> HttpResponse:
    """Show the whole number once, on request; the reading is logged as such."""
    client, access = _open(request, client_id)
    if not may_see_contact_data(request.user, client):
        return _refuse(request, "identity number")
    _log(request, client, access, reason="identity number shown")
    return _render_detail(request, client, access, revealed=client.identity.display)


@login_required
@require_POST
def phase_change(request: HttpRequest, client_id: int) -> HttpResponse:
    client, access = _open(request, client_id)
    if not is_in_care_team(request.user, client):
        return _refuse(request, "client phase")
    form = PhaseForm(request.POST)
    if not form.is_valid():
        _log(request, client, access)
        return _render_detail(request, client, access, phase_form=form, status=400)
    steps = selectors.steps_for(access, client)
    checklist = build_checklist(
        steps, selectors.active_team(client), selectors.checklist_facts(access, client)
    )
    try:
        services.change_phase(
            user=request.user,
            client=client,
            phase=form.cleaned_data["phase"],
            reason=form.cleaned_data["reason"],
            open_steps=[str(row.definition.label) for row in checklist.mapping_left],
            request=request,
        )
    except services.NeedsConfirmationError as exc:
        _log(request, client, access)
        return _render_detail(
            request, client, access, phase_form=form, phase_warnings=exc.warnings, status=400
        )
    except services.CoordinationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("The client is now in the phase: %(phase)s.") % {"phase": client.get_phase_display()},
        )
    return redirect("coordination:client", client.pk)


@login_required
@require_http_methods(["GET", "POST"])
def client_edit(request: HttpRequest, client_id: int) -> HttpResponse:
    client, access = _open(request, client_id)
    if not is_in_care_team(request.user, client):
        return _refuse(request, "client details")
    form = ClientForm(request.POST or None, instance=client)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_client(
                user=request.user, client=client, data=form.cleaned_data, request=request
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The details are saved."))
            return redirect("coordination:client", client.pk)
    else:
        _log(request, client, access)
    return _page(
        request,
        "coordination/client_edit.html",
        client,
        access,
        "overview",
        {"form": form},
        status=400 if form.errors else 200,
    )


# --- Care team -------------------------------------------------------------------------------


def _team_form(request: HttpRequest) -> TeamMemberForm:
    roles = [Role.CASE_MANAGER, Role.SUPERVISOR, Role.PEER_SUPPORTER]
    people = (
        User.objects.filter(is_active=True, memberships__role__in=roles)
        .distinct()
        .order_by("full_name")
    )
    organisations = Organisation.objects.filter(memberships__role__in=roles).distinct()
    return TeamMemberForm(
        request.POST if request.method == "POST" else None,
        people=people,
        organisations=organisations.order_by("name"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def team(request: HttpRequest, client_id: int) -> HttpResponse:
    client, access = _open(request, client_id)
    if request.method == "POST" and not is_in_care_team(request.user, client):
        return _refuse(request, "care team")
    form = _team_form(request)
    warnings: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_team_member(
                user=request.user,
                client=client,
                member=data["member"],
                organisation=data["organisation"],
                role=data["role"],
                reason=data["reason"],
                request=request,
            )
        except services.NeedsConfirmationError as exc:
            warnings = exc.warnings
        except services.CoordinationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(name)s is added to the care team.") % {"name": data["member"].full_name},
            )
            return redirect("coordination:team", client.pk)
    _log(request, client, access, reason="care team")
    members = list(
        client.team.select_related("user", "organisation", "added_by").order_by(
            "ended_on", "role", "started_on"
        )
    )
    return _page(
        request,
        "coordination/team.html",
        client,
        access,
        "team",
        {
            "members": members,
            "form": form,
            "warnings": warnings,
            "same_organisation": _same_organisation_warning(members),
        },
        status=400 if (form.errors or warnings) else 200,
    )


def _same_organisation_warning(members: list[CareTeamMember]) -> str:
    managers = [m for m in members if m.active and m.role == TeamRole.CASE_MANAGER]
    if len(managers) == 2 and managers[0].organisation_id == managers[1].organisation_id:
        return _("Both case managers are from %(organisation)s.") % {
            "organisation": managers[0].organisation.name
        }
    return ""


@login_required
@require_POST
def team_end(request: HttpRequest, client_id: int, seat_id: int) -> HttpResponse:
    client, _access = _open(request, client_id)
    if not is_in_care_team(request.user, client):
        return _refuse(request, "care team")
    seat = CareTeamMember.objects.filter(pk=seat_id, client=client).first()
    if seat is None:
        raise Http404
    try:
        services.end_team_member(user=request.user, client=client, seat=seat, request=request)
    except services.CoordinationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("%(name)s has left the care team.") % {"name": seat.user.full_name}
        )
    if seat.user_id == request.user.pk:
        return redirect("coordination:clients")
    return redirect("coordination:team", client.pk)


# --- Consent ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, client_id: int) -> HttpResponse:
    client, access = _open(request, client_id)
    if request.method == "POST" and not is_in_care_team(request.user, client):
        return _refuse(request, "consent")
    team_seats = selectors.active_team(client)
    form = ConsentRecordForm(request.POST or None, request.FILES or None, team=team_seats)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_consent(
                user=request.user,
                client=client,
                given_on=data["given_on"],
                form=data["form"],
                scope=data["scope"],
                details=data["details"],
                valid_until=data["valid_until"],
                organisations=data["organisations"],
                case_managers=data["case_managers"],
                document=data["document"] or None,
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The consent is recorded."))
            return redirect("coordination:client", client.pk)
    _log(request, client, access, reason="consent")
    return _page(
        request,
        "coordination/consent.html",
        client,
        access,
        "consent",
        {
            "consents": selectors.consents_of(client),
            "form": form,
            "revoke_form": RevokeConsentForm(),
        },
        status=400 if form.errors else 200,
    )


def _consent_of(client: Client, consent_id: int) -> Consent:
    row = Consent.objects.filter(pk=consent_id, client=client).first()
    if row is None:
        raise Http404
    return row


@login_required
@require_POST
def consent_revoke(request: HttpRequest, client_id: int, consent_id: int) -> HttpResponse:
    client, _access = _open(request, client_id)
    if not is_in_care_team(request.user, client):
        return _refuse(request, "consent")
    row = _consent_of(client, consent_id)
    form = RevokeConsentForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.revoke_consent(
            user=request.user, client=client, consent=row, note=note, request=request
        )
    except services.CoordinationError as exc:
        messages.error(request, str(exc))
        return redirect("coordination:consent", client.pk)
    messages.success(
        request,
        _("The consent is revoked. From now on only your own organisation's records are open."),
    )
    if not client_access(request.user, client).can_view:
        return redirect("coordination:clients")
    return redirect("coordination:consent", client.pk)


@login_required
def consent_document(request: HttpRequest, client_id: int, consent_id: int) -> FileResponse:
    client, access = _open(request, client_id)
    if not is_in_care_team(request.user, client):
        raise Http404
    row = _consent_of(client, consent_id)
    if not row.document:
        raise Http404
    _log(request, client, access, obj=row, reason="signed consent form")
    response = FileResponse(row.document.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="samtycke-{row.given_on}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# --- Contacts and the network map -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def network(request: HttpRequest, client_id: int) -> HttpResponse:
    client, access = _open(request, client_id)
    form = ContactForm(request.POST or None)
    if request.method == "POST":
        if not may_work_jointly(request.user, client):
            return _refuse(request, "contacts")
        if form.is_valid():
            try:
                services.save_contact(
                    user=request.user, client=client, data=form.cleaned_data, request=request
                )
            except services.CoordinationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, _("%(name)s is added.") % {"name": form.cleaned_data["name"]}
                )
                return redirect(reverse("coordination:network", args=[client.pk]) + "#karta")
    _log(request, client, access, reason="network map")
    contacts = selectors.contacts_for(access, client)
    return _page(
        request,
        "coordination/network.html",
        client,
        access,
        "network",
        {"contacts": contacts, "map": build_network_map(contacts, client.full_name), "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, client_id: int, contact_id: int) -> HttpResponse:
    client, access = _open(request, client_id)
    contact = (
        Contact.objects.filter(client=client, pk=contact_id)
        .filter(selectors.visible_q(access, has_shared_flag=False))
        .first()
    )
    if contact is None:
        raise Http404
    if not may_work_jointly(request.user, client):
        return _refuse(request, "contact")
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and request.POST.get("_remove"):
        services.remove_contact(user=request.user, client=client, contact=contact, request=request)
        messages.success(request, _("%(name)s is removed from the map.") % {"name": contact.name})
        return redirect("coordination:network", client.pk)
    if request.method == "POST" and form.is_valid():
        services.save_contact(
            user=request.user,
            client=client,
            data=form.cleaned_data,
            contact=contact,
            request=request,
        )
        messages.success(request, _("The changes are saved."))
        return redirect(reverse("coordination:network", args=[client.pk]) + "#karta")
    _log(request, client, access, obj=contact, reason="contact")
    return _page(
        request,
        "coordination/contact_edit.html",
        client,
        access,
        "network",
        {"form": form, "contact": contact},
        status=400 if form.errors else 200,
    )


# --- Worksheets, steps, checklist K and the summary --------------------------------------------


def _team_for_forms(client: Client) -> list[CareTeamMember]:
    return selectors.active_team(client)


@login_required
@require_http_methods(["GET", "POST"])
def worksheet_start(request: HttpRequest, client_id: int) -> HttpResponse:
    """Start a worksheet with the client: who answers, when, who is there, shared or not."""
    client, access = _open(request, client_id)
    if not may_work_jointly(request.user, client):
        if not access.in_team:
            return _refuse(request, "worksheet")
        messages.error(request, services.no_joint_work_message(client))
        return redirect("coordination:client", client.pk)
    key = request.GET.get("arbetsblad") or request.POST.get("arbetsblad") or ""
    allowed = {w.instrument for w in worksheets_offered(client.phase)}
    if key in WORKSHEET_BY_KEY and key not in allowed:
        messages.error(
            request,
            _("That worksheet is not used in the client's present phase (%(phase)s).")
            % {"phase": client.get_phase_display()},
        )
        return redirect("coordination:client", client.pk)
    definition = (
        InstrumentDefinition.objects.filter(key=key).order_by("-version").first()
        if key in allowed
        else None
    )
    if definition is None:
        raise Http404
    team_seats = _team_for_forms(client)
    form = WorksheetForm(
        request.POST or None, definition=definition, team=team_seats, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.start_worksheet(
                user=request.user,
                client=client,
                definition=definition,
                respondent_kind=data["respondent_kind"],
                done_on=data["done_on"],
                present=data["present"],
                client_present=data["client_present"],
                others_present=data["others_present"],
                shared=data["shared"],
                comment=data["comment"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except services.CoordinationError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("instruments:answer", record.response_id)
    _log(request, client, access, reason=f"worksheet {key}")
    return _page(
        request,
        "coordination/worksheet_start.html",
        client,
        access,
        "overview",
        {"form": form, "definition": definition, "title": definition.title()},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def checklist(request: HttpRequest, client_id: int) -> HttpResponse:
    """Checklist K, derived from what has been done; record a step done without a sheet."""
    client, access = _open(request, client_id)
    team_seats = _team_for_forms(client)
    initial_step = request.GET.get("steg", "")
    form = StepForm(
        request.POST or None,
        team=team_seats,
        user=request.user,
        initial={"step": initial_step} if initial_step in STEPS else None,
    )
    if request.method == "POST":
        if not may_work_jointly(request.user, client):
            return _refuse(request, "checklist step")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_step(
                    user=request.user,
                    client=client,
                    step=data["step"],
                    title=data["title"],
                    done_on=data["done_on"],
                    present=data["present"],
                    client_present=data["client_present"],
                    others_present=data["others_present"],
                    comment=data["comment"],
                    request=request,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except services.CoordinationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The step is recorded."))
                return redirect("coordination:checklist", client.pk)
    _log(request, client, access, reason="checklist K")
    steps = selectors.steps_for(access, client)
    return _page(
        request,
        "coordination/checklist.html",
        client,
        access,
        "checklist",
        {
            "checklist": build_checklist(
                steps, team_seats, selectors.checklist_facts(access, client)
            ),
            "team": team_seats,
            "form": form,
            "manual_steps": MANUAL_STEPS,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def summary(request: HttpRequest, client_id: int) -> HttpResponse:
    """The mapping summary: what the client wants to change and what stands in the way."""
    client, access = _open(request, client_id)
    steps = selectors.steps_for(access, client)
    by_id = {record.pk: record for record in steps}
    source_id = request.GET.get("steg") or request.POST.get("steg") or ""
    source = by_id.get(int(source_id)) if source_id.isdigit() else None
    form = SummaryEntryForm(request.POST or None)
    if request.method == "POST":
        if not may_work_jointly(request.user, client):
            return _refuse(request, "mapping summary")
        if form.is_valid():
            try:
                services.add_summary_entry(
                    user=request.user,
                    client=client,
                    source=source,
                    request=request,
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except services.CoordinationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Written into the summary."))
                return redirect("coordination:summary", client.pk)
    _log(request, client, access, reason="mapping summary")
    entries = selectors.summary_for(access, client)
    summarised = {entry.source_id for entry in entries}
    waiting = [
        r
        for r in steps
        if r.response is not None and r.response.status == "submitted" and r.pk not in summarised
    ]
    return _page(
        request,
        "coordination/summary.html",
        client,
        access,
        "summary",
        {
            "entries": entries,
            "form": form,
            "source": source,
            "waiting": waiting,
            "source_title": source.response.definition.title()
            if source is not None and source.response is not None
            else (STEPS[source.step].label if source is not None and source.step in STEPS else ""),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def notes(request: HttpRequest, client_id: int) -> HttpResponse:
    """The user's own organisation's notes: never shared by consent."""
    client, access = _open(request, client_id)
    if not access.in_team:
        raise Http404  # an emergency opens the shared work only
    form = CaseNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_case_note(
            user=request.user, client=client, text=form.cleaned_data["text"], request=request
        )
        messages.success(request, _("The note is saved."))
        return redirect("coordination:notes", client.pk)
    _log(request, client, access, reason="case notes")
    return _page(
        request,
        "coordination/notes.html",
        client,
        access,
        "notes",
        {"notes": selectors.notes_for(access, client), "form": form},
        status=400 if form.errors else 200,
    )


# --- Emergency access ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def emergency(request: HttpRequest) -> HttpResponse:
    """Break the glass: open a record outside one's care team, with a reason, for a while."""
    if not may_request_emergency_access(request.user):
        return _refuse(request, "emergency access")
    form = EmergencyForm(request.POST or None)
    matches: list[Client] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            matches = services.find_for_emergency(
                user=request.user, identity_number=data["identity_number"]
            )
        except PermissionDenied:
            return _refuse(request, "emergency access")
        chosen = request.POST.get("client")
        if len(matches) == 1 or chosen:
            client = next((c for c in matches if str(c.pk) == chosen), None) or (
                matches[0] if len(matches) == 1 else None
            )
            if client is not None:
                try:
                    services.open_in_emergency(
                        user=request.user, client=client, reason=data["reason"], request=request
                    )
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    return redirect("coordination:client", client.pk)
        if not matches:
            log_access(
                request=request,
                action=Action.VIEW,
                reason="emergency search: no match",
                emergency=True,
            )
            form.add_error("identity_number", _("No client with this number is registered."))
    if len(matches) > 1:
        # One number at several organisations: their names are shown to choose from.
        log_list_access(
            request=request, people=matches, reason="emergency search: choose", emergency=True
        )
    return render(
        request,
        "coordination/emergency.html",
        {"form": form, "matches": matches if len(matches) > 1 else []},
        status=400 if form.errors else 200,
    )


# --- The early-warning plan ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def warning_plan(request: HttpRequest, client_id: int) -> HttpResponse:
    """The early-warning plan on one printable page: signs, actions, whom to call."""
    client, access = _open(request, client_id)
    if request.method == "POST":
        if not may_work_jointly(request.user, client):
            return _refuse(request, "early-warning plan")
        form = WarningPlanForm(request.POST)
        if form.is_valid():
            services.update_warning_plan(
                user=request.user,
                client=client,
                copies_held_by=form.cleaned_data["copies_held_by"],
                reviewed=bool(request.POST.get("reviewed")),
                request=request,
            )
            messages.success(request, _("The early-warning plan is saved."))
            return redirect("coordination:warning_plan", client.pk)
    _log(request, client, access, reason="early-warning plan")
    latest = selectors.latest_worksheet(access, client, "early_warning_signs")
    row = EarlyWarningPlan.objects.filter(client=client).select_related("reviewed_by").first()
    answers = latest.answers if latest is not None else {}
    return _page(
        request,
        "coordination/warning_plan.html",
        client,
        access,
        "warning",
        {
            "response": latest,
            "signs": [s for s in answers.get("signs", []) if any(s.values())],
            "people": [p for p in answers.get("contacts", []) if any(p.values())],
            "other": answers.get("other", ""),
            "row": row,
            "form": WarningPlanForm(initial={"copies_held_by": row.copies_held_by if row else ""}),
        },
    )
