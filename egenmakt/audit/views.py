from __future__ import annotations

import csv
from datetime import UTC
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import holds_role

from .forms import AccessLogSearchForm
from .models import AccessLog, Action
from .selectors import access_log_for_auditor, search_access_log
from .services import log_access, log_denied

PAGE_SIZE = 50


def _searched(request: HttpRequest) -> tuple[AccessLogSearchForm, Any]:
    form = AccessLogSearchForm(request.GET or None)
    rows = access_log_for_auditor(request.user)
    if form.is_bound and form.is_valid():
        rows = search_access_log(rows, **form.cleaned_data)
    elif form.is_bound:
        rows = rows.none()
    return form, rows


def _refuse_non_auditor(request: HttpRequest) -> HttpResponse | None:
    if holds_role(request.user, Role.AUDITOR):
        return None
    log_denied(request, reason="access log")
    return render(request, "403.html", status=403)


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    refused = _refuse_non_auditor(request)
    if refused:
        return refused
    form, rows = _searched(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "audit/access_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _neutralise(value: object) -> str:
    """Stop spreadsheet formula injection (ASVS 1.2.10)."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def access_log_csv(request: HttpRequest) -> HttpResponseBase:
    refused = _refuse_non_auditor(request)
    if refused:
        return refused
    _form, rows = _searched(request)
    log_access(request=request, action=Action.EXPORT, reason="access log CSV export")
    header = [
        _("Time (UTC)"),
        _("User"),
        _("User's e-mail"),
        _("Action"),
        _("Outcome"),
        _("Kind of person"),
        _("Person's id"),
        _("Kind of object"),
        _("Object id"),
        _("Organisation"),
        _("Reason"),
        _("Emergency access"),
        _("Page"),
        _("IP address"),
    ]

    def lines() -> Any:
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow(header)
        row: AccessLog
        for row in rows.iterator(chunk_size=2000):
            yield writer.writerow(
                _neutralise(value)
                for value in (
                    row.occurred_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
                    row.actor.full_name if row.actor else "",
                    row.actor.email if row.actor else "",
                    row.get_action_display(),
                    row.get_outcome_display(),
                    row.person_type.model if row.person_type else "",
                    row.person_id,
                    row.object_type.model if row.object_type else "",
                    row.object_id,
                    row.organisation.name if row.organisation else "",
                    row.reason,
                    _("yes") if row.emergency else "",
                    row.path,
                    row.ip_address or "",
                )
            )

    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="atkomstlogg-{stamp}.csv"'
    return response
