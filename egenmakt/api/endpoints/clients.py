"""A client's record: the client list, registration, consents, meetings and worksheets
(the coordination pages)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status
from ninja.errors import HttpError

from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import (
    organisations_with_role,
)
from egenmakt.api.auth import person_for
from egenmakt.api.models import Area
from egenmakt.api.schemas import (
    ClientIn,
    ClientOut,
    ClientSummaryOut,
    ConsentIn,
    ConsentOut,
    FormErrorOut,
    PlanOut,
)
from egenmakt.audit.services import log_list_access
from egenmakt.coordination import access as client_kernel
from egenmakt.coordination.access import ClientAccess, client_access
from egenmakt.coordination.forms.clients import RegisterClientForm
from egenmakt.coordination.forms.common import add_service_errors
from egenmakt.coordination.forms.consent import ConsentRecordForm
from egenmakt.coordination.models import Client, Plan
from egenmakt.coordination.rules import may_register_client
from egenmakt.coordination.selectors.consent import consents_of
from egenmakt.coordination.selectors.plan import decided_versions
from egenmakt.coordination.selectors.team import active_team
from egenmakt.coordination.services import clients as clients_services
from egenmakt.coordination.services import consent as consent_services
from egenmakt.coordination.services.common import CoordinationError
from egenmakt.coordination.views.common import log_read

from .common import DENIED, HIDDEN, LIST_LIMIT, form_refusal

router = Router()


# --- Clients (coordination: the client list and a client's pages) -------------------------


def _summary(client: Client) -> dict[str, Any]:
    return {
        "id": client.pk,
        "full_name": client.full_name,
        "organisation_id": client.organisation_id,
        "phase": client.phase,
        "started_on": client.started_on,
        "restricted": client.restricted_at is not None,
    }


def open_client(request: HttpRequest, client_id: int) -> tuple[Client, ClientAccess]:
    """As ``coordination.views.common.client_view``: the client or 404; a sealed record
    (archived or restricted) is opened on its own pages after a reason, never here."""
    user = person_for(request, Area.COORDINATION)
    try:
        client = client_kernel.get_client_for(user, client_id)
    except client_kernel.ReasonRequired:
        raise HttpError(404, "Not found.") from None
    return client, client_access(user, client)


@router.get(
    "/clients",
    response={200: list[ClientSummaryOut], **DENIED},
    url_name="clients",
    tags=["coordination"],
)
def clients(request: HttpRequest) -> Any:
    """The caller's clients (``coordination:client_list``), each read logged."""
    user = person_for(request, Area.COORDINATION)
    rows = list(client_kernel.clients_for(user)[:LIST_LIMIT])
    log_list_access(request=request, people=rows, reason="client list")
    return [_summary(client) for client in rows]


@router.post(
    "/clients",
    response={201: ClientSummaryOut, **DENIED, 400: FormErrorOut},
    url_name="client_register",
    tags=["coordination"],
)
def client_register(request: HttpRequest, payload: ClientIn) -> Any:
    """Register a client as the new-client page does (``coordination:register``, its form
    and the service ``register_client``): case managers only (else 403)."""
    user = person_for(request, Area.COORDINATION, write=True)
    if not may_register_client(user):
        raise PermissionDenied("register client")
    organisations = organisations_with_role(user, Role.CASE_MANAGER)
    organisation_id = payload.organisation_id
    if organisation_id is None and organisations.count() == 1:
        organisation_id = organisations.values_list("pk", flat=True).first()
    data: dict[str, Any] = {
        **payload.dict(
            exclude={"organisation_id", "protected_identity", "interpreter_needed", "started_on"}
        ),
        "meeting_place": payload.meeting_place.value,
        "organisation": "" if organisation_id is None else str(organisation_id),
        "started_on": (payload.started_on or timezone.localdate()).isoformat(),
    }
    for flag in ("protected_identity", "interpreter_needed"):
        if getattr(payload, flag):
            data[flag] = "on"
    form = RegisterClientForm(data, organisations=organisations)
    if form.is_valid():
        cleaned = form.cleaned_data
        try:
            registered = clients_services.register_client(
                user=user,
                organisation=cleaned["organisation"],
                identity_number=cleaned["identity_number"],
                data=cleaned,
            )
        except CoordinationError as exc:
            form.add_error("identity_number", str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # The page goes on to the consent page, whose read is logged; here the answer is.
            log_read(request, registered, client_access(user, registered), reason="client")
            return Status(201, _summary(registered))
    return form_refusal(form)


@router.get(
    "/clients/{client_id}",
    response={200: ClientOut, **HIDDEN},
    url_name="client",
    tags=["coordination"],
)
def client(request: HttpRequest, client_id: int) -> Any:
    """One client and their consents (``coordination:client_detail`` and the consent tab)."""
    found, access = open_client(request, client_id)
    log_read(request, found, access, reason="consent")
    return {**_summary(found), "consents": [_consent(c) for c in consents_of(found)]}


def _consent(consent: Any) -> dict[str, Any]:
    return {
        "id": consent.pk,
        "given_on": consent.given_on,
        "form": consent.form,
        "scope": list(consent.scope),
        "valid_until": consent.valid_until,
        "revoked_at": consent.revoked_at,
        "organisation_ids": sorted(o.pk for o in consent.organisations.all()),
    }


@router.get(
    "/clients/{client_id}/consents",
    response={200: list[ConsentOut], **HIDDEN},
    url_name="client_consents",
    tags=["coordination"],
)
def client_consents(request: HttpRequest, client_id: int) -> Any:
    found, access = open_client(request, client_id)
    log_read(request, found, access, reason="consent")
    return [_consent(c) for c in consents_of(found)]


def open_client_for_change(
    request: HttpRequest, client_id: int, allow: Any = None
) -> tuple[Client, ClientAccess]:
    """A change on a client's pages: the write scope, the client or 404 (as ``open_client``),
    then the page's rule (the care team, ``in_team``, unless another is given): one who
    sees the client but may not change it gets 403, logged, as on the page."""
    person_for(request, Area.COORDINATION, write=True)
    found, access = open_client(request, client_id)
    allowed = access.in_team if allow is None else allow(access, found)
    if not allowed:
        raise PermissionDenied("coordination change")
    return found, access


@router.post(
    "/clients/{client_id}/consents",
    response={201: ConsentOut, **HIDDEN, 400: FormErrorOut},
    url_name="client_consent_record",
    tags=["coordination"],
)
def client_consent_record(request: HttpRequest, client_id: int, payload: ConsentIn) -> Any:
    """Record a consent as the consent page does (``coordination:consent``, its form and
    the service ``record_consent``; the first valid one starts the mapping)."""
    found, access = open_client_for_change(request, client_id)
    form = ConsentRecordForm(
        {
            "given_on": payload.given_on.isoformat(),
            "form": payload.form.value,
            "scope": [key.value for key in payload.scope],
            "organisations": [str(pk) for pk in payload.organisation_ids],
            "case_managers": [str(pk) for pk in payload.case_manager_ids],
            "details": payload.details,
            "valid_until": payload.valid_until.isoformat() if payload.valid_until else "",
        },
        team=active_team(found),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            row = consent_services.record_consent(
                user=request.user,  # type: ignore[arg-type]
                client=found,
                given_on=data["given_on"],
                form=data["form"],
                scope=data["scope"],
                details=data["details"],
                valid_until=data["valid_until"],
                organisations=data["organisations"],
                case_managers=data["case_managers"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # The page goes on to the client, whose read is logged; here the answer is.
            log_read(request, found, access, obj=row, reason="consent")
            return Status(201, _consent(row))
    return form_refusal(form)


@router.get(
    "/clients/{client_id}/plan",
    response={200: PlanOut, **HIDDEN},
    url_name="client_plan",
    tags=["coordination"],
)
def client_plan(request: HttpRequest, client_id: int) -> Any:
    """The plan as its page shows it (``coordination:plan``): the long-term goal, the
    sub-goals and measures, and the number of the version last decided. Reading never
    makes a plan (the page's ``plan_for`` does, for its forms)."""
    found, access = open_client(request, client_id)
    plan = Plan.objects.filter(client=found).first()
    log_read(request, found, access, obj=plan, reason="plan")
    if plan is None:
        return {
            # The edit number the plan starts at when the first change makes it.
            "exists": False, "version": Plan._meta.get_field("version").get_default(),
            "long_term_goal": "", "current_version": None,
            "goals": [], "actions": [],
        }  # fmt: skip
    versions = decided_versions(found, plan)
    return {
        "exists": True,
        "version": plan.version,
        "long_term_goal": plan.long_term_goal,
        "current_version": versions[0] if versions else None,
        "goals": list(plan.goals.all()),
        "actions": list(plan.actions.all()),
    }
