"""The operations of ``/api/v1/``, by area. Each calls the selector or service its page
calls; the comments name the page it mirrors."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from egenmakt.accounts.selectors import (
    AdminScope,
    admin_scope,
    memberships_in_scope,
    organisation_in_scope,
)
from egenmakt.audit.services import log_access, log_list_access
from egenmakt.coordination import access as client_kernel
from egenmakt.coordination.access import ClientAccess, client_access
from egenmakt.coordination.models import Client
from egenmakt.coordination.selectors.consent import consents_of
from egenmakt.coordination.selectors.meetings import meetings_for
from egenmakt.coordination.views.common import log_read
from egenmakt.influence.public_views import approved_activities, area_by_slug

from .auth import Caller, caller_for, person_for
from .models import Area
from .schemas import (
    ActivityOut,
    ClientOut,
    ClientSummaryOut,
    ConsentOut,
    ErrorOut,
    MeetingOut,
    MembershipOut,
    OrganisationOut,
    TokenOut,
)

router = Router()
DENIED = {401: ErrorOut, 403: ErrorOut, 429: ErrorOut}
HIDDEN = {**DENIED, 404: ErrorOut}
LIST_LIMIT = 500


@router.get("/me", response={200: TokenOut, **DENIED}, url_name="me", tags=["token"])
def me(request: HttpRequest) -> Any:
    """The token this request came with: whose, which scopes, until when."""
    caller: Caller = request.auth  # type: ignore[attr-defined]
    token = caller.token
    return {
        "name": token.name,
        "kind": "service" if token.is_service else "personal",
        "scopes": token.scopes,
        "expires_at": token.expires_at,
        "user_id": token.user_id,
        "organisation_id": token.organisation_id,
    }


# --- Organisations and memberships (administration, /administration/) ---------------------


def _scope(request: HttpRequest) -> AdminScope:
    """Where the caller administers: a person's own admin scope (as on the administration
    pages), or a service token's organisation and the units below it."""
    caller = caller_for(request, Area.ORGANISATIONS)
    token = caller.token
    if token.organisation is not None:
        return AdminScope(actor=token.created_by, paths=(token.organisation.path,))
    scope = admin_scope(caller.user)
    if scope is None:
        raise HttpError(403, "Only an organisation's administrator reads its tree.")
    return scope


@router.get(
    "/organisations",
    response={200: list[OrganisationOut], **DENIED},
    url_name="organisations",
    tags=["organisations"],
)
def organisations(request: HttpRequest) -> Any:
    scope = _scope(request)
    log_access(request=request, reason="api: organisation tree")
    return list(scope.organisations().order_by("path")[:LIST_LIMIT])


@router.get(
    "/organisations/{organisation_id}/memberships",
    response={200: list[MembershipOut], **HIDDEN},
    url_name="memberships",
    tags=["organisations"],
)
def memberships(request: HttpRequest, organisation_id: int) -> Any:
    scope = _scope(request)
    organisation = organisation_in_scope(scope, organisation_id)
    rows = list(
        memberships_in_scope(scope)
        .filter(organisation=organisation, user__is_superuser=False)
        .select_related("user")
        .order_by("user__full_name", "role", "id")[:LIST_LIMIT]
    )
    log_list_access(
        request=request,
        people=[row.user for row in rows],
        organisation=organisation,
        reason="api: memberships",
    )
    return [
        {
            "id": row.pk,
            "user_id": row.user_id,
            "full_name": row.user.full_name,
            "organisation_id": row.organisation_id,
            "role": row.role,
            "created_at": row.created_at,
        }
        for row in rows
    ]


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


def _open_client(request: HttpRequest, client_id: int) -> tuple[Client, ClientAccess]:
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


@router.get(
    "/clients/{client_id}",
    response={200: ClientOut, **HIDDEN},
    url_name="client",
    tags=["coordination"],
)
def client(request: HttpRequest, client_id: int) -> Any:
    """One client and their consents (``coordination:client_detail`` and the consent tab)."""
    found, access = _open_client(request, client_id)
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
    found, access = _open_client(request, client_id)
    log_read(request, found, access, reason="consent")
    return [_consent(c) for c in consents_of(found)]


@router.get(
    "/clients/{client_id}/meetings",
    response={200: list[MeetingOut], **HIDDEN},
    url_name="client_meetings",
    tags=["coordination"],
)
def client_meetings(request: HttpRequest, client_id: int) -> Any:
    """The meetings the caller's seat reads (``coordination:meetings``)."""
    found, access = _open_client(request, client_id)
    log_read(request, found, access, reason="meetings")
    return [
        {
            "id": m.pk,
            "starts_at": m.starts_at,
            "duration_minutes": m.duration_minutes,
            "place": m.place,
            "status": m.status,
            "invited": m.invited,
            "came": m.came,
        }
        for m in meetings_for(access, found)
    ]


# --- Influence: the public calendar (``influence_public:calendar``), no token needed ------


@router.get(
    "/influence/areas/{slug}/calendar",
    response={200: list[ActivityOut], 404: ErrorOut},
    auth=None,
    url_name="calendar",
    tags=["influence"],
)
def calendar(request: HttpRequest, slug: str, past: bool = False) -> Any:
    """The area's approved activities, coming (or, with ``past``, the earlier ones)."""
    from django.utils import timezone

    area = area_by_slug(slug)
    now = timezone.now()
    rows = approved_activities(area)
    rows = (
        rows.filter(ends_at__lt=now).order_by("-starts_at")
        if past
        else rows.filter(ends_at__gte=now).order_by("starts_at")
    )
    return [
        {
            "uid": str(a.uid),
            "kind": a.kind,
            "title": a.title,
            "description": a.description,
            "starts_at": a.starts_at,
            "ends_at": a.ends_at,
            "place": a.place,
            "organisation": a.organisation.name,
        }
        for a in rows[:LIST_LIMIT]
    ]
