"""Project-wide views: health check and friendly error pages in both languages."""

from __future__ import annotations

import logging

from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token

from egenmakt.core.input import ControlCharacterInputError

logger = logging.getLogger(__name__)


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


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        # A form sent with far too much text (DATA_UPLOAD_MAX_MEMORY_SIZE): say so plainly.
        return render(request, "400.html", {"too_big": True}, status=413)
    if isinstance(exception, ControlCharacterInputError):
        return render(request, "400.html", {"control_characters": True}, status=400)
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    # Render without the database: the error may be that it is down.
    from django.template import loader

    template = loader.get_template("500.html")
    return HttpResponse(template.render({"request": request}), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)


def error_preview(request: HttpRequest, code: int) -> HttpResponse:
    """Development only: look at the error pages."""
    pages = {400: "400.html", 403: "403.html", 404: "404.html", 500: "500.html"}
    if code not in pages:
        raise Http404
    return render(request, pages[code], status=code)
