"""Where the current request came from, for the access log, without passing the request.

Services take the acting user (``actor``) and the objects they change, never the request;
the access log still records the page path and the client's address because the
``RequestContextMiddleware`` sets them here for the duration of each request. Outside a
request (the task worker, a management command, a test calling a service) the context is
empty and the row says so: no path, no address.

A ``ContextVar`` rather than a thread-local, so it is right under ASGI as well as WSGI.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse

from .network import client_ip


@dataclass(frozen=True)
class RequestContext:
    path: str = ""
    ip_address: str | None = None


_EMPTY = RequestContext()
_current: ContextVar[RequestContext] = ContextVar("egenmakt_request_context", default=_EMPTY)


def current_request_context() -> RequestContext:
    return _current.get()


@contextmanager
def request_context(path: str = "", ip_address: str | None = None) -> Iterator[None]:
    """Run a block as if it served ``path`` for ``ip_address`` (a task acting for a page)."""
    token = _current.set(RequestContext(path=path, ip_address=ip_address))
    try:
        yield
    finally:
        _current.reset(token)


class RequestContextMiddleware:
    """Sets the request context before any view or service runs, and clears it after."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_context(request.path, client_ip(request)):
            return self.get_response(request)
