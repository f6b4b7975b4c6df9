"""HTTP helpers shared by every app: the decorator that opens a protected object.

Every page about a protected object (a client, a course, a recruitment round, a placement,
a forum...) starts the same way: find the object named in the URL, decide once what this
user may do with it, answer 404 when it is out of reach (so nobody learns that it exists),
refuse with 403 when it is in reach but the act is not allowed, and log the read before
anything is shown. ``protected_object`` builds that decorator for one kind of object from
two functions the owning app supplies::

    client_view = protected_object(
        url_kwarg="client_id", resolve=_resolve_client, log_read=_log_client_read
    )

    @login_required
    @require_GET
    @client_view(reason="follow-up")
    def followup(request, opened): ...

    @login_required
    @require_POST
    @client_view(allow=lambda opened: opened.access.joint_work, reason="plan")
    def plan_goal_add(request, opened): ...

``resolve(request, value)`` returns what the view works with (the object and the access
decided for it) or raises ``Http404``; the decorator calls the view with it in place of
the URL argument, so access is resolved once per request. ``allow`` failing raises
``PermissionDenied(reason)``, and ``handler403`` (egenmakt/views.py) writes the denied row
of the access log: no view logs its own refusals. On GET and HEAD the decorator logs the
read through ``log_read`` before the view runs (``log=False`` when the view logs a more
specific object itself); changes are logged by the services that make them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse

T = TypeVar("T")
# Any response: a page, a file download, a streamed CSV.
View = Callable[..., HttpResponseBase]

SAFE_METHODS = ("GET", "HEAD")


def protected_object(
    *,
    url_kwarg: str,
    resolve: Callable[[HttpRequest, Any], T],
    log_read: Callable[..., None] | None = None,
    default_action: str = "view",
) -> Callable[..., Callable[[View], View]]:
    """The decorator factory for one kind of protected object (see the module's text)."""

    def decorator(
        *,
        allow: Callable[[T], bool] | None = None,
        reason: str = "",
        action: str = default_action,
        log: bool = True,
    ) -> Callable[[View], View]:
        def wrap(view: View) -> View:
            @wraps(view)
            def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
                opened = resolve(request, kwargs.pop(url_kwarg))
                if allow is not None and not allow(opened):
                    raise PermissionDenied(reason)
                if log and log_read is not None and request.method in SAFE_METHODS:
                    log_read(request, opened, action=action, reason=reason)
                return view(request, opened, *args, **kwargs)

            return wrapped

        return wrap

    return decorator


# The attribute a page's view carries its rule in: who may open it, a predicate about the
# user. ``functools.wraps`` copies it to every decorator outside, so the view the URLconf
# resolves to still names it (``rule_of``).
RULE_ATTRIBUTE = "may_open"


def with_rule(view: View, may_open: Callable[[Any], bool]) -> View:
    """Name the rule a decorator enforces on ``view`` (the auditor's pages, the
    administration): the menu and the start pages ask it before they link to the page."""
    setattr(view, RULE_ATTRIBUTE, may_open)
    return view


def page_rule(
    may_open: Callable[[Any], bool], reason: str = "", *, missing: bool = False
) -> Callable[[View], View]:
    """A page that is not about one object, open to whom ``may_open(user)`` lets in: 403
    with ``reason`` for the rest (404 when ``missing``: a page that is someone's own).

    The rule is the page's one entrance check, and the one the menu and the start pages
    ask (``rule_of``), so a link is shown exactly to those the page lets in::

        @login_required
        @page_rule(may_request_emergency_access, "emergency access")
        def emergency(request): ...
    """

    def wrap(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not may_open(request.user):
                if missing:
                    raise Http404
                raise PermissionDenied(reason)
            return view(request, *args, **kwargs)

        return with_rule(wrapped, may_open)

    return wrap


def anyone(_user: Any) -> bool:
    """The rule of a page every signed-in person opens (a list of their own, maybe empty)."""
    return True


def rule_of(view: Callable[..., Any]) -> Callable[[Any], bool] | None:
    """The rule a view names (``page_rule``, ``with_rule``), if any."""
    rule: Callable[[Any], bool] | None = getattr(view, RULE_ATTRIBUTE, None)
    return rule


def denial_reason(request: HttpRequest, exception: BaseException | None) -> str:
    """What the access log says about a refusal: the refusal's own reason, else the page."""
    reason = str(exception) if exception is not None else ""
    if not reason and request.resolver_match is not None:
        reason = request.resolver_match.view_name
    return reason


def private_download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """A file of someone's personal data, to save: an attachment no cache keeps."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


# A number no row has, for ``row_urls``.
_ANY_PK = 918273645


def row_urls(name: str, *args: Any) -> Callable[[Any], str]:
    """The URL of ``name`` for each row of a table, resolved once: ``row_urls(name)(pk)``
    is ``reverse(name, args=[*args, pk])`` without a resolver walk per row."""
    pattern = reverse(name, args=[*args, _ANY_PK])
    head, tail = pattern.rsplit(str(_ANY_PK), 1)
    return lambda pk: f"{head}{int(pk)}{tail}"
