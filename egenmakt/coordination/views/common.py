"""What every coordination page does: open a client or 404, log the read, render.

A refusal is ``raise PermissionDenied(reason)`` (or ``allow=`` on ``client_view``); the
denied row is written by ``handler403``, never by a view."""

from __future__ import annotations

from typing import Any, NamedTuple

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.coordination import access as selectors
from egenmakt.coordination.access import ClientAccess, client_access
from egenmakt.coordination.models import Client
from egenmakt.coordination.rules import sees_contact_data, works_jointly
from egenmakt.core.http import protected_object

PAGE_SIZE = 50
SEARCH_LIMIT = 50


class OpenedClient(NamedTuple):
    """A client named in the URL and what this user may do with them, decided once."""

    client: Client
    access: ClientAccess


def _resolve_client(request: HttpRequest, client_id: Any) -> OpenedClient:
    client = selectors.get_client_for(request.user, client_id)
    return OpenedClient(client, client_access(request.user, client))


def in_team(opened: OpenedClient) -> bool:
    """A covered seat: change the client's data, team and consent."""
    return opened.access.in_team


def joint_work(opened: OpenedClient) -> bool:
    """Add to the shared work (``rules.works_jointly``): a valid consent, an open case."""
    return works_jointly(opened.access, opened.client)


def _log_client_read(
    request: HttpRequest, opened: OpenedClient, *, action: str, reason: str
) -> None:
    log_read(request, opened.client, opened.access, action=action, reason=reason)


def log_read(
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


def client_page(
    request: HttpRequest,
    template: str,
    client: Client,
    access: ClientAccess,
    tab: str,
    context: dict[str, Any],
    *,
    status: int = 200,
) -> HttpResponse:
    # The frame of every client page, from the access the decorator decided.
    base = {
        "client": client,
        "access": access,
        "tab": tab,
        "show_contact_data": sees_contact_data(access, client),
        "in_team": access.in_team,
        "joint_work": works_jointly(access, client),
    }
    return render(request, template, {**base, **context}, status=status)


# The decorator of every page about one client: 404 out of reach, PermissionDenied when
# ``allow`` says no (logged by handler403), the read logged on GET (egenmakt/core/http.py).
client_view = protected_object(
    url_kwarg="client_id", resolve=_resolve_client, log_read=_log_client_read
)
