"""What every page of the client's own pages shares: who may open them, the log row of
the client's reading, the page frame."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.coordination.models import Client
from egenmakt.portal import selectors

View = Callable[..., Any]


def portal_page(view: View) -> View:
    """Anonymous: to the sign-in page. Signed in but not this client's: 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('portal:login')}?next={request.path}")
        client = selectors.get_portal_client(request.user)
        return view(request, client, *args, **kwargs)

    return wrapper


def log_own_read(
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


def render_tab(
    request: HttpRequest,
    template: str,
    client: Client,
    tab: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    return render(request, template, {"client": client, "tab": tab, **context}, status=status)
