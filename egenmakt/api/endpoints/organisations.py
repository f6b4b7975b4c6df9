"""The token itself, and organisations and memberships (the administration pages)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.errors import HttpError

from egenmakt.accounts import services as account_services
from egenmakt.accounts.selectors import (
    AdminScope,
    admin_scope,
    membership_in_scope,
    memberships_in_scope,
    organisation_in_scope,
    person_in_scope,
)
from egenmakt.api.auth import Caller, caller_for, person_for
from egenmakt.api.models import Area
from egenmakt.api.schemas import (
    MembershipIn,
    MembershipOut,
    OrganisationOut,
    TokenOut,
)
from egenmakt.audit.services import log_access, log_list_access

from .common import DENIED, HIDDEN, LIST_LIMIT, api_reason

router = Router()


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
    log_access(request=request, reason=api_reason(request, "api: organisation tree"))
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
        reason=api_reason(request, "api: memberships"),
    )
    return [_membership(row) for row in rows]


def _membership(row: Any) -> dict[str, Any]:
    return {
        "id": row.pk,
        "user_id": row.user_id,
        "full_name": row.user.full_name,
        "organisation_id": row.organisation_id,
        "role": row.role,
        "created_at": row.created_at,
    }


def _admin_for_change(request: HttpRequest) -> tuple[Any, AdminScope]:
    """A change of memberships is a person's act (the change trail names them): a personal
    token of an administrator, with the write scope."""
    user = person_for(request, Area.ORGANISATIONS, write=True)
    scope = admin_scope(user)
    if scope is None:
        raise HttpError(403, "Only an organisation's administrator changes its memberships.")
    return user, scope


@router.post(
    "/organisations/{organisation_id}/memberships",
    response={201: MembershipOut, **HIDDEN},
    url_name="membership_give",
    tags=["organisations"],
)
def membership_give(request: HttpRequest, organisation_id: int, payload: MembershipIn) -> Any:
    """Give a person already in the administrator's tree a role in one of its
    organisations (``administration:grant_role``, its service ``grant_role``)."""
    user, scope = _admin_for_change(request)
    organisation = organisation_in_scope(scope, organisation_id)
    person = person_in_scope(scope, payload.user_id)
    try:
        row = account_services.grant_role(
            actor=user, scope=scope, user=person, organisation=organisation, role=payload.role
        )
    except account_services.OutsideTree:
        raise HttpError(404, "Not found.") from None
    except account_services.AdministrationError as exc:
        raise HttpError(400, str(exc)) from None
    return Status(201, _membership(row))


@router.delete(
    "/memberships/{membership_id}",
    response={204: None, **HIDDEN},
    url_name="membership_end",
    tags=["organisations"],
)
def membership_end(request: HttpRequest, membership_id: int) -> Any:
    """End a role in the administrator's tree (``administration:end_membership``)."""
    user, scope = _admin_for_change(request)
    membership = membership_in_scope(scope, membership_id)
    try:
        account_services.end_membership(actor=user, scope=scope, membership=membership)
    except account_services.OutsideTree:
        raise HttpError(404, "Not found.") from None
    except account_services.AdministrationError as exc:
        raise HttpError(400, str(exc)) from None
    return Status(204, None)
