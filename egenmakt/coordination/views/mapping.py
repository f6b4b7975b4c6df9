"""Mapping: the network, worksheets, checklist K and the summary."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.coordination import access as access_kernel
from egenmakt.coordination.checklist import (
    MANUAL_STEPS,
    STEPS,
    WORKSHEET_BY_KEY,
    build_checklist,
    worksheets_offered,
)
from egenmakt.coordination.forms.common import add_service_errors
from egenmakt.coordination.forms.mapping import (
    ContactForm,
    MappingPageForm,
    RelativeLinkForm,
    StepForm,
    SummaryEntryForm,
    WorksheetForm,
)
from egenmakt.coordination.models import (
    RELATIVE_SHEETS,
    CareTeamMember,
    Client,
    Contact,
    StepRecord,
)
from egenmakt.coordination.network_map import build_network_map
from egenmakt.coordination.rules import asks_relatives
from egenmakt.coordination.selectors import mapping as mapping_selectors
from egenmakt.coordination.selectors import relatives as relative_selectors
from egenmakt.coordination.selectors import team as team_selectors
from egenmakt.coordination.services import common as common_services
from egenmakt.coordination.services import mapping as mapping_services
from egenmakt.coordination.services import relatives as relative_services
from egenmakt.instruments.models import InstrumentDefinition
from egenmakt.instruments.selectors import current_definitions, find_current_definition

from .common import OpenedClient, client_page, client_view, joint_work, log_read


def _relative_sheets(client: Client) -> dict[str, InstrumentDefinition]:
    """The version of each sheet a relative answers themself that the client's
    organisation uses."""
    found = current_definitions(RELATIVE_SHEETS, client.organisation)
    return {key: found[key] for key in RELATIVE_SHEETS if key in found}


def _network_page(
    request: AuthenticatedRequest,
    opened: OpenedClient,
    *,
    form: ContactForm,
    ask_form: RelativeLinkForm | None = None,
    status: int = 200,
) -> HttpResponse:
    client, access = opened
    log_read(request, client, access, reason="network map")
    contacts = mapping_selectors.contacts_for(access, client)
    asks = asks_relatives(access, client)
    if asks and ask_form is None:
        ask_form = RelativeLinkForm(
            contacts=contacts,
            sheets=[(key, d.title()) for key, d in _relative_sheets(client).items()],
        )
    return client_page(
        request,
        "coordination/network.html",
        client,
        access,
        "network",
        {
            "contacts": contacts,
            "map": build_network_map(contacts, client.full_name),
            "form": form,
            "ask_form": ask_form if asks else None,
            "relative_links": relative_selectors.links_for(access, client),
            "link_days": relative_services.link_days(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
@client_view(reason="network map", log=False)
def network(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    client = opened.client
    form = ContactForm(request.POST or None)
    if request.method == "POST":
        if not joint_work(opened):
            raise PermissionDenied("contacts")
        if form.is_valid():
            try:
                mapping_services.save_contact(
                    user=request.user, client=client, data=form.cleaned_data
                )
            except common_services.CoordinationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, _("%(name)s is added.") % {"name": form.cleaned_data["name"]}
                )
                return redirect(reverse("coordination:network", args=[client.pk]) + "#karta")
    return _network_page(request, opened, form=form, status=400 if form.errors else 200)


@login_required
@require_POST
@client_view(reason="relative link")
def relative_link_send(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    """E-mail a relative from the contact list a one-time link to answer a sheet."""
    client, access = opened
    if not asks_relatives(access, client):
        raise PermissionDenied("relative link")
    sheets = _relative_sheets(client)
    contacts = mapping_selectors.contacts_for(access, client)
    ask_form = RelativeLinkForm(
        request.POST,
        contacts=contacts,
        sheets=[(key, d.title()) for key, d in sheets.items()],
    )
    if ask_form.is_valid():
        contact = ask_form.cleaned_data["contact"]
        try:
            relative_services.send_relative_link(
                user=request.user,
                client=client,
                contact=contact,
                definition=sheets[ask_form.cleaned_data["sheet"]],
            )
        except ValidationError as exc:
            add_service_errors(ask_form, exc)
        except common_services.CoordinationError as exc:
            ask_form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("A link is sent to %(name)s by e-mail.") % {"name": contact.name},
            )
            return redirect(reverse("coordination:network", args=[client.pk]) + "#narstaende")
    return _network_page(request, opened, form=ContactForm(), ask_form=ask_form, status=400)


@login_required
@require_POST
@client_view(reason="relative link")
def relative_link_revoke(
    request: AuthenticatedRequest, opened: OpenedClient, link_id: int
) -> HttpResponse:
    """The link stops working at once."""
    client, access = opened
    link = next(
        (row for row in relative_selectors.links_for(access, client) if row.pk == link_id), None
    )
    if link is None:
        raise Http404
    if not asks_relatives(access, client):
        raise PermissionDenied("relative link")
    try:
        relative_services.revoke_relative_link(user=request.user, client=client, link=link)
    except common_services.CoordinationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("The link to %(name)s no longer works.") % {"name": link.contact.name}
        )
    return redirect(reverse("coordination:network", args=[client.pk]) + "#narstaende")


def _contact_of(opened: OpenedClient, contact_id: int) -> Contact:
    """A contact on the client's map that this user reads (404 otherwise) and may change
    (403 otherwise)."""
    contact = (
        Contact.objects.filter(client=opened.client, pk=contact_id)
        .filter(access_kernel.visible_q(opened.access, has_shared_flag=False))
        .first()
    )
    if contact is None:
        raise Http404
    if not joint_work(opened):
        raise PermissionDenied("contact")
    return contact


@login_required
@require_POST
@client_view(reason="contact")
def contact_remove(
    request: AuthenticatedRequest, opened: OpenedClient, contact_id: int
) -> HttpResponse:
    contact = _contact_of(opened, contact_id)
    mapping_services.remove_contact(user=request.user, client=opened.client, contact=contact)
    messages.success(request, _("%(name)s is removed from the map.") % {"name": contact.name})
    return redirect("coordination:network", opened.client.pk)


@login_required
@require_http_methods(["GET", "POST"])
@client_view(reason="contact", log=False)
def contact_edit(
    request: AuthenticatedRequest, opened: OpenedClient, contact_id: int
) -> HttpResponse:
    client, access = opened
    contact = _contact_of(opened, contact_id)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        mapping_services.save_contact(
            user=request.user,
            client=client,
            data=form.cleaned_data,
            contact=contact,
        )
        messages.success(request, _("The changes are saved."))
        return redirect(reverse("coordination:network", args=[client.pk]) + "#karta")
    log_read(request, client, access, obj=contact, reason="contact")
    return client_page(
        request,
        "coordination/contact_edit.html",
        client,
        access,
        "network",
        {"form": form, "contact": contact},
        status=400 if form.errors else 200,
    )


def _team_for_forms(client: Client) -> list[CareTeamMember]:
    return team_selectors.active_team(client)


@login_required
@require_http_methods(["GET", "POST"])
@client_view(reason="worksheet", log=False)
def worksheet_start(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    """Start a worksheet with the client: who answers, when, who is there, shared or not."""
    client, access = opened
    if not joint_work(opened):
        if not access.in_team:
            raise PermissionDenied("worksheet")
        messages.error(request, common_services.no_joint_work_message(client))
        return redirect("coordination:client", client.pk)
    key = MappingPageForm.read(request)["arbetsblad"] or ""
    allowed = {w.instrument for w in worksheets_offered(client.phase)}
    if key in WORKSHEET_BY_KEY and key not in allowed:
        messages.error(
            request,
            _("That worksheet is not used in the client's present phase (%(phase)s).")
            % {"phase": client.get_phase_display()},
        )
        return redirect("coordination:client", client.pk)
    definition = find_current_definition(key, client.organisation) if key in allowed else None
    if definition is None:
        raise Http404
    if request.method == "GET":
        # The same worksheet begun and not submitted: opened again, not a second draft.
        begun = next(
            (
                record.response
                for record in mapping_selectors.steps_for(access, client)
                if record.response is not None
                and record.response.is_draft
                and record.response.definition.key == definition.key
                and record.entered_by_id == request.user.pk
            ),
            None,
        )
        if begun is not None:
            messages.info(request, _("You have begun this worksheet already: go on here."))
            return redirect("instruments:answer", begun.pk)
    team_seats = _team_for_forms(client)
    form = WorksheetForm(
        request.POST or None,
        request.FILES or None,
        definition=definition,
        team=team_seats,
        user=request.user,
        contacts=Contact.objects.filter(client=client),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = mapping_services.start_worksheet(
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
                relative=data.get("relative"),
                from_paper=data["from_paper"],
                filled_in_by=data["filled_in_by"],
                scan=data["scan"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except common_services.CoordinationError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("instruments:answer", record.response_id)
    log_read(request, client, access, reason=f"worksheet {key}")
    return client_page(
        request,
        "coordination/worksheet_start.html",
        client,
        access,
        "overview",
        {
            "form": form,
            "definition": definition,
            "title": definition.title(),
            "relative_sheet": definition.key in RELATIVE_SHEETS and asks_relatives(access, client),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@client_view(reason="checklist K", log=False)
def checklist(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    """Checklist K, derived from what has been done; record a step done without a sheet."""
    client, access = opened
    team_seats = _team_for_forms(client)
    initial_step = request.GET.get("steg", "")
    form = StepForm(
        request.POST or None,
        team=team_seats,
        user=request.user,
        initial={"step": initial_step} if initial_step in STEPS else None,
    )
    if request.method == "POST":
        if not joint_work(opened):
            raise PermissionDenied("checklist step")
        if form.is_valid():
            data = form.cleaned_data
            try:
                mapping_services.record_step(
                    user=request.user,
                    client=client,
                    step=data["step"],
                    title=data["title"],
                    done_on=data["done_on"],
                    present=data["present"],
                    client_present=data["client_present"],
                    others_present=data["others_present"],
                    comment=data["comment"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except common_services.CoordinationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The step is recorded."))
                return redirect("coordination:checklist", client.pk)
    log_read(request, client, access, reason="checklist K")
    steps = mapping_selectors.steps_for(access, client)
    return client_page(
        request,
        "coordination/checklist.html",
        client,
        access,
        "checklist",
        {
            "checklist": build_checklist(
                steps, team_seats, mapping_selectors.checklist_facts(access, client)
            ),
            "team": team_seats,
            "form": form,
            "manual_steps": MANUAL_STEPS,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@client_view(reason="mapping summary", log=False)
def summary(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    """The mapping summary: what the client wants to change and what stands in the way."""
    client, access = opened
    steps = mapping_selectors.steps_for(access, client)
    by_id = {record.pk: record for record in steps}
    source_id = MappingPageForm.read(request)["steg"]
    source = by_id.get(source_id) if source_id is not None else None
    form = SummaryEntryForm(request.POST or None)
    if request.method == "POST":
        if not joint_work(opened):
            raise PermissionDenied("mapping summary")
        if form.is_valid():
            try:
                mapping_services.add_summary_entry(
                    user=request.user,
                    client=client,
                    source=source,
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except common_services.CoordinationError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Written into the summary."))
                return redirect("coordination:summary", client.pk)
    log_read(request, client, access, reason="mapping summary")
    entries = mapping_selectors.summary_for(access, client)
    summarised = {entry.source_id for entry in entries}
    waiting = [
        r
        for r in steps
        if r.response is not None and r.response.status == "submitted" and r.pk not in summarised
    ]
    return client_page(
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
@require_GET
@client_view(log=False)
def step_scan(request: AuthenticatedRequest, opened: OpenedClient, step_id: int) -> FileResponse:
    """The scanned paper form of a worksheet entered from paper, for those who read the
    worksheet (a sheet kept within one organisation stays with it)."""
    client, access = opened
    record = (
        StepRecord.objects.filter(client=client, pk=step_id)
        .filter(access_kernel.visible_q(access, has_shared_flag=True))
        .first()
    )
    if record is None or not record.scan:
        raise Http404
    log_read(request, client, access, obj=record, reason="scanned worksheet")
    response = FileResponse(record.scan.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="arbetsblad-{record.done_on}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
