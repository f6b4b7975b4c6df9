"""The JSON API, version 1 (``/api/v1/``): django-ninja over the same selectors and
services as the pages.

Every endpoint resolves its caller from a bearer token (``auth.TokenAuth``), checks the
token's scope for its area, then does what the page does: the same selector decides what
the caller may see (404 for the rest, as on the pages), the same log function writes the
access-log row before anything is returned, and a change goes through the page's service.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from egenmakt.audit.services import log_denied
from egenmakt.core.http import denial_reason

from . import endpoints, fhir
from .auth import RateLimitedError, TokenAuth

api = NinjaAPI(
    title="Egenmakt API",
    version="1",
    description=(
        "Personal access tokens act as their person; organisation service tokens reach "
        "only organisations and influence. Send `Authorization: Bearer <token>`."
    ),
    urls_namespace="api",
    auth=TokenAuth(),
)


ErrorBody = Callable[[int, str, Any], dict[str, Any]]


def _detail(status: int, detail: str, errors: Any = None) -> dict[str, Any]:
    return {"detail": detail} if errors is None else {"detail": detail, "errors": errors}


def _install_handlers(api: NinjaAPI, body: ErrorBody = _detail) -> None:
    """Errors with a clear 4xx, the same for every operation of one API: JSON
    ``{"detail": …}`` in version 1, a FHIR ``OperationOutcome`` under ``/api/fhir/``."""

    def _error(request: HttpRequest, status: int, detail: str) -> HttpResponse:
        response = api.create_response(request, body(status, detail, None), status=status)
        response["Cache-Control"] = "no-store"
        return response

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return _error(request, 404, "Not found.")

    @api.exception_handler(PermissionDenied)
    def denied(request: HttpRequest, exc: Exception) -> HttpResponse:
        # As handler403 on the pages: every refusal is logged here, once.
        log_denied(request, reason=denial_reason(request, exc))
        return _error(request, 403, "Not allowed.")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 403:
            log_denied(request, reason=str(exc))
        return _error(request, exc.status_code, str(exc))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        response = _error(request, 401, "A valid token is needed.")
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(RateLimitedError)
    def rate_limited(request: HttpRequest, exc: Exception) -> HttpResponse:
        response = _error(request, 429, "Too many requests.")
        response["Retry-After"] = "60"
        return response

    @api.exception_handler(NinjaValidationError)
    def invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors: Any = exc.errors
        return api.create_response(request, body(422, "Invalid input.", errors), status=422)


_install_handlers(api)
api.add_router("/", endpoints.router)


# FHIR R4 read of one client's record for integrations (``/api/fhir/``): the binder's FHIR
# export, under the same rules as its download.
fhir_api = NinjaAPI(
    renderer=fhir.FhirRenderer(),
    title="Egenmakt FHIR R4 (read)",
    version="fhir-r4",
    description="FHIR R4 resources of one client, in the patient compartment. Personal "
    "token with the coordination scope, of someone who works jointly with the client.",
    urls_namespace="fhir",
    auth=TokenAuth(),
)
_install_handlers(fhir_api, fhir.outcome)
fhir_api.add_router("/", fhir.router)
