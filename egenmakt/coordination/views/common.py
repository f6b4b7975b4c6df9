"""What every coordination page does: open a client or 404, log the read, render.

A refusal is ``raise PermissionDenied(reason)`` (or ``allow=`` on ``client_view``); the
denied row is written by ``handler403``, never by a view."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, NamedTuple
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse

from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.coordination import access as selectors
from egenmakt.coordination.access import ClientAccess, ReasonRequired, client_access
from egenmakt.coordination.models import Client
from egenmakt.coordination.rules import RecordFrozenError, sees_contact_data, works_jointly
from egenmakt.core.http import SAFE_METHODS, protected_object

PAGE_SIZE = 50
SEARCH_LIMIT = 50


class OpenedClient(NamedTuple):
    """A client named in the URL and what this user may do with them, decided once."""

    client: Client
    access: ClientAccess


def _resolve_sealed(request: HttpRequest, client_id: Any) -> OpenedClient:
    """The client, also when archived or restricted (after the reason for a read)."""
    client = selectors.get_client_for(request.user, client_id)
    return OpenedClient(client, client_access(request.user, client))


def _resolve_client(request: HttpRequest, client_id: Any) -> OpenedClient:
    """The client; an archived or restricted record refuses every change with its reason
    (403, logged by handler403), whoever asks and whether or not a reason was given."""
    if request.method in SAFE_METHODS:
        return _resolve_sealed(request, client_id)
    try:
        opened = _resolve_sealed(request, client_id)
    except ReasonRequired as exc:
        raise RecordFrozenError(exc.client) from exc
    if opened.client.is_frozen:
        raise RecordFrozenError(opened.client)
    return opened


def in_team(opened: OpenedClient) -> bool:
    """A covered seat: change the client's data, team and consent (an open record)."""
    return opened.access.in_team and not opened.client.is_frozen


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
    if emergency is not None:
        reason = emergency.reason
    elif access.grant is not None:
        # A sealed record: the reason given when it was opened goes with every read.
        reason = f"{AuditEvent.ARCHIVE_READ}: {access.grant.reason}"[:500]
    log_access(
        request=request,
        action=action,
        person=client,
        obj=obj if obj is not None else client,
        organisation=access.seat.organisation if access.seat is not None else None,
        reason=reason,
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
        # Buttons and forms: an archived or restricted record shows none.
        "in_team": access.in_team and not client.is_frozen,
        "own_notes": access.in_team,
        "joint_work": works_jointly(access, client),
    }
    return render(request, template, {**base, **context}, status=status)


_client_view = protected_object(
    url_kwarg="client_id", resolve=_resolve_client, log_read=_log_client_read
)
_sealed_client_view = protected_object(
    url_kwarg="client_id", resolve=_resolve_sealed, log_read=_log_client_read
)


def _ask_reason_first(
    decorator: Callable[..., Callable[[Any], Any]],
) -> Callable[..., Callable[[Any], Any]]:
    """A sealed record the user may open sends them to the reason form first."""

    def factory(**options: Any) -> Callable[[Any], Any]:
        def wrap(view: Any) -> Any:
            inner = decorator(**options)(view)

            @wraps(view)
            def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
                try:
                    return inner(request, *args, **kwargs)
                except ReasonRequired as exc:
                    target = reverse("coordination:archive_open", args=[exc.client.pk])
                    return redirect(f"{target}?{urlencode({'next': request.path})}")

            return wrapped

        return wrap

    return factory


# The decorator of every page about one client: 404 out of reach, PermissionDenied when
# ``allow`` says no (logged by handler403), the read logged on GET (egenmakt/core/http.py),
# a sealed record's reason asked first and its changes refused.
client_view = _ask_reason_first(_client_view)
# The same for the few posts a sealed record takes: a read asked for by POST (the whole
# identity number) and the restriction itself.
sealed_client_view = _ask_reason_first(_sealed_client_view)
