"""django-auditlog's middleware, with the client address the access log uses."""

from __future__ import annotations

from auditlog.middleware import AuditlogMiddleware
from django.http import HttpRequest

from egenmakt.core.network import client_ip


class ChangeTrailMiddleware(AuditlogMiddleware):
    """Records the actor of model changes for the change trail.

    django-auditlog takes the address from X-Forwarded-For when the header is present, and
    any client can send that header, so the trail would say "from where" whatever the client
    chose. Like the access log, read the header only as far as our own proxies wrote it.
    """

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        return client_ip(request)
