"""The programme report page, its exports and research export keys."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access, log_denied
from egenmakt.core.tabular import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE

from . import services
from .models import ExportFormat, ExportKind, ReportExport, ResearchKey
from .programme import FUNNEL_STAGES, funnel_bars, month_bars, programme_report, rounds_in
from .rules import report_networks


def _refuse(request: HttpRequest, reason: str) -> HttpResponse:
    log_denied(request, reason=reason)
    return render(request, "403.html", status=403)


def _int(value: Any) -> int | None:
    return int(value) if str(value or "").isdigit() else None


def _scope(request: HttpRequest, source: Any) -> tuple[Any, Any, list[Any]]:
    """The chosen network (one the user may report on) and round, or 404."""
    networks = list(report_networks(request.user))
    if not networks:
        raise PermissionDenied
    wanted = _int(source.get("network"))
    network = next((n for n in networks if n.pk == wanted), None) if wanted else networks[0]
    if network is None:
        raise Http404
    round_ = None
    if _int(source.get("round")):
        round_ = rounds_in(network).filter(pk=_int(source.get("round"))).first()
        if round_ is None:
            raise Http404
    return network, round_, networks


def _my_exports(request: HttpRequest) -> list[ReportExport]:
    return list(
        ReportExport.objects.filter(requested_by=request.user.pk)
        .select_related("round", "research_key")
        .order_by("-requested_at")[:10]
    )


@login_required
@require_GET
def programme(request: HttpRequest) -> HttpResponse:
    try:
        network, round_, networks = _scope(request, request.GET)
    except PermissionDenied:
        return _refuse(request, "programme report")
    report = programme_report(network, round_)
    log_access(request=request, action=Action.VIEW, organisation=network, reason="programme report")
    exports = _my_exports(request)
    return render(
        request,
        "reports/programme.html",
        {
            "report": report,
            "networks": networks,
            "rounds": list(rounds_in(network)),
            "stages": FUNNEL_STAGES,
            "funnel_bars": funnel_bars(report.total),
            "funnel_height": 20 + 34 * len(FUNNEL_STAGES),
            "month_bars": month_bars(report.months),
            "exports": exports,
            "pending": any(e.is_pending for e in exports),
            "keys": list(ResearchKey.objects.filter(network=network)),
            "formats": ExportFormat.choices,
        },
    )


@login_required
@require_GET
def export_list(request: HttpRequest) -> HttpResponse:
    """The htmx partial that refreshes itself while an export is being made."""
    exports = _my_exports(request)
    return render(
        request,
        "reports/partials/exports.html",
        {"exports": exports, "pending": any(e.is_pending for e in exports)},
    )


def _back(network: Any, round_: Any) -> str:
    query = {"network": network.pk, **({"round": round_.pk} if round_ else {})}
    return f"{reverse('reports:programme')}?{urlencode(query)}#exports"


@login_required
@require_POST
def export_create(request: HttpRequest) -> HttpResponse:
    try:
        network, round_, _networks = _scope(request, request.POST)
    except PermissionDenied:
        return _refuse(request, "export")
    kind = request.POST.get("kind", "")
    key = None
    if kind == ExportKind.RESEARCH:
        key = ResearchKey.objects.filter(
            network=network, pk=_int(request.POST.get("research_key")) or 0
        ).first()
    try:
        services.request_export(
            user=request.user,
            network=network,
            kind=kind,
            format=request.POST.get("format", ""),
            round_=round_,
            research_key=key,
            request=request,
        )
    except PermissionDenied:
        return _refuse(request, "export")
    except services.ReportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The export is being made. It appears below when it is ready."))
    return redirect(_back(network, round_))


@login_required
@require_GET
def export_download(request: HttpRequest, key: str) -> FileResponse:
    export = ReportExport.objects.filter(key=key, requested_by=request.user.pk).first()
    if export is None or not export.file:
        raise Http404
    log_access(
        request=request,
        action=Action.EXPORT,
        obj=export,
        organisation=export.network,
        reason="download",
    )
    content_type = CSV_CONTENT_TYPE if export.format == ExportFormat.CSV else XLSX_CONTENT_TYPE
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.file.name.rsplit("/", 1)[-1],
        content_type=content_type,
    )


@login_required
@require_POST
def key_create(request: HttpRequest) -> HttpResponse:
    try:
        network, round_, _networks = _scope(request, request.POST)
        services.create_research_key(
            user=request.user, network=network, name=request.POST.get("name", ""), request=request
        )
    except PermissionDenied:
        return _refuse(request, "research key")
    except services.ReportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The export key is made."))
    return redirect(_back(network, round_))
