"""Project-wide views: health check and friendly error pages in both languages."""

from __future__ import annotations

import logging
import sys

from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from egenmakt.audit.models import Action
from egenmakt.audit.services import log_denied
from egenmakt.core.http import denial_reason
from egenmakt.core.input import ControlCharacterInputError
from egenmakt.language import chosen_language

logger = logging.getLogger(__name__)

# Faults of a service we depend on rather than of our code: the database (an outage, a
# dropped connection) and, when CACHE_URL names one, Redis. Not IntegrityError, DataError or
# ProgrammingError: those are DatabaseError's subclasses for our own mistakes, and stay 500.
_OUTAGES: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    RedisConnectionError,
    RedisTimeoutError,
)
RETRY_AFTER_SECONDS = 30


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico where a page names no icon (a PDF, a CSV, the API's
    JSON): send them to the one icon, instead of a 404 on each."""
    return HttpResponsePermanentRedirect(static("egenmakt/favicon.svg"))


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: database unavailable")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _api_error(status: int, detail: str) -> JsonResponse:
    """An error of the JSON API (egenmakt/api) as its document says: ``{"detail": …}``."""
    return JsonResponse({"detail": detail}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        if isinstance(exception, RequestDataTooBig):
            return _api_error(413, "The request is too large.")
        return _api_error(400, "The request has control characters or is malformed.")
    if isinstance(exception, RequestDataTooBig):
        # A form sent with far too much text (DATA_UPLOAD_MAX_MEMORY_SIZE): say so plainly.
        return render(request, "400.html", {"too_big": True}, status=413)
    if isinstance(exception, ControlCharacterInputError):
        return render(request, "400.html", {"control_characters": True}, status=400)
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Every refusal ends here, and here it is logged (ASVS 16.3.2): views raise
    ``PermissionDenied(reason)`` instead of logging and rendering 403 themselves."""
    # A refusal may name the act tried (the auditor's CSV export: audit.services.Refused).
    action = getattr(exception, "action", Action.VIEW)
    log_denied(request, reason=denial_reason(request, exception), action=action)
    # A refusal the user should read (an archived record: "can only be read") says why.
    shown = getattr(exception, "user_message", "")
    return render(request, "403.html", {"reason": shown}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return _api_error(404, "Not found.")
    return render(request, "404.html", status=404)


def is_outage(exc: BaseException | None) -> bool:
    """Whether the exception (or one it was raised from) says a service we need is down."""
    for _depth in range(5):
        if exc is None:
            return False
        if isinstance(exc, _OUTAGES) or type(exc) is DatabaseError:
            return True
        exc = exc.__cause__
    return False


def _wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return (
        request.path.startswith("/api/")
        or request.path == "/healthz"
        or ("application/json" in accept and "text/html" not in accept)
    )


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After, in the user's language, rendered without the database.

    No context processors run (navigation would query the database), and the language is
    the cookie's, since the middleware that sets it may not have run.
    """
    with translation.override(chosen_language(request)):
        if _wants_json(request):
            response: HttpResponse = JsonResponse(
                {
                    "error": "service_unavailable",
                    "detail": _("The service is unavailable just now. Try again in a moment."),
                },
                status=503,
            )
        else:
            template = loader.get_template("503.html")
            response = HttpResponse(template.render({"request": request}), status=503)
        response.headers["Content-Language"] = translation.get_language()
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls handler500 inside its `except` for the exception (at each middleware
    # layer, django.core.handlers.exception), so sys.exc_info() is the fault being answered.
    if is_outage(sys.exc_info()[1]):
        return service_unavailable(request)
    # Render without the database: the error may be that it is down.
    with translation.override(chosen_language(request)):
        template = loader.get_template("500.html")
        return HttpResponse(template.render({"request": request}), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)


def error_preview(request: HttpRequest, code: int) -> HttpResponse:
    """Development only: look at the error pages."""
    pages = {400: "400.html", 403: "403.html", 404: "404.html", 500: "500.html", 503: "503.html"}
    if code not in pages:
        raise Http404
    return render(request, pages[code], status=code)
