"""The record of processing activities (GDPR art. 30), generated from the registry of
personal data: a page for the operator, administrators and auditors, and the same as a
workbook in Swedish or English."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import holds_role
from egenmakt.accounts.types import AuthenticatedRequest, Viewer
from egenmakt.core.http import with_rule
from egenmakt.core.tabular import Table, to_xlsx

from .registry import processing_record
from .services import Refused

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def may_read_processing_record(user: Viewer) -> bool:
    """The operator, and the administrators and auditors of the organisations (who answer
    for the processing and its review); it names models and rules, no person."""
    return bool(user.is_superuser or holds_role(user, Role.ADMIN) or holds_role(user, Role.AUDITOR))


def _require(user: Viewer) -> None:
    if not may_read_processing_record(user):
        raise Refused("processing record")


@login_required
@require_GET
def processing_record_page(request: AuthenticatedRequest) -> HttpResponse:
    _require(request.user)
    return render(
        request,
        "audit/processing_record.html",
        {"groups": processing_record(), "documents": (("sv", "svenska"), ("en", "English"))},
    )


with_rule(processing_record_page, may_read_processing_record)


def _table() -> Table:
    table = Table(
        title=_("Record of processing activities"),
        headers=[
            _("Area"),
            _("Data"),
            _("What it holds"),
            _("Whose data"),
            _("Purpose"),
            _("Legal basis"),
            _("Sensitive (GDPR art. 9)"),
            _("Recipients"),
            _("Kept"),
        ],
    )
    for app, rows in processing_record():
        for row in rows:
            entry = row.entry
            table.rows.append(
                [
                    app,
                    row.name,
                    str(entry.holds),
                    "; ".join(row.whose),
                    str(entry.purpose),
                    str(entry.basis.label),
                    _("yes") if entry.special_category else _("no"),
                    str(entry.recipients),
                    str(entry.retention),
                ]
            )
    return table


@login_required
@require_GET
def processing_record_document(request: AuthenticatedRequest, language: str) -> HttpResponse:
    _require(request.user)
    if language not in {"sv", "en"}:
        raise Http404
    with translation.override(language):
        content = to_xlsx([_table()])
        stem = "registerforteckning" if language == "sv" else "record-of-processing"
    response = HttpResponse(content, content_type=XLSX)
    name = f"{stem}-{timezone.localdate():%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
