"""django-auditlog's middleware, with the client address taken from the connection only."""

from __future__ import annotations

from auditlog.middleware import AuditlogMiddleware
from django.http import HttpRequest


class ChangeTrailMiddleware(AuditlogMiddleware):
    """Records the actor of model changes for the change trail.

    django-auditlog takes the address from X-Forwarded-For when the header is present, and
    any client can send that header, so the trail would say "from where" whatever the client
    chose. Like the access log, take the peer address of the connection.
    """

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        return request.META.get("REMOTE_ADDR") or None
