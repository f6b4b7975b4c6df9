"""The programme report page, its exports and research export keys."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from egenmakt.accounts.models import Organisation
from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.core.http import View, page_rule, protected_object
from egenmakt.core.tabular import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from egenmakt.peer.models import RecruitmentRound

from . import services
from .caseload import caseload_report, default_period
from .diversity import diversity
from .forms import CaseloadExportForm, CaseloadPeriodForm, ExportRequestForm, ResearchKeyForm
from .models import ExportFormat, ExportKind, ReportExport, ResearchKey
from .national import national_report
from .programme import FUNNEL_STAGES, programme_report, rounds_in
from .rules import (
    caseload_units,
    may_open_caseload,
    may_open_national,
    may_open_programme,
    report_networks,
    rollup_organisations,
    sees_the_people,
)
from .shown import shown_report


def _int(value: Any) -> int | None:
    return int(value) if str(value or "").isdigit() else None


class ReportScope(NamedTuple):
    """The networks the user may report on, the one chosen and the round, decided once."""

    networks: list[Organisation]
    chosen: Organisation | None
    round: RecruitmentRound | None

    @property
    def network(self) -> Organisation:
        if self.chosen is None:  # only a scope the decorator let through is used
            raise PermissionDenied
        return self.chosen


def _resolve_scope(request: HttpRequest, source: QueryDict) -> ReportScope:
    """The chosen network (one the user may report on) and round, or 404."""
    networks = list(report_networks(request.user))
    if not networks:
        return ReportScope([], None, None)
    wanted = _int(source.get("network"))
    network = next((n for n in networks if n.pk == wanted), None) if wanted else networks[0]
    if network is None:
        raise Http404
    round_ = None
    if _int(source.get("round")):
        round_ = rounds_in(network).filter(pk=_int(source.get("round"))).first()
        if round_ is None:
            raise Http404
    return ReportScope(networks, network, round_)


def _log_scope_read(request: HttpRequest, scope: ReportScope, *, action: str, reason: str) -> None:
    log_access(request=request, action=action, organisation=scope.network, reason=reason)


def _may_report(scope: ReportScope) -> bool:
    return bool(scope.networks)


_scope_view = protected_object(url_kwarg="source", resolve=_resolve_scope, log_read=_log_scope_read)


def report_view(**options: Any) -> Callable[[View], View]:
    """The report's scope is named in the query (GET) or the form (POST), not the path:
    403 for someone who reports on no network, 404 for a network or round out of reach."""
    decorate = _scope_view(allow=_may_report, **options)

    def wrap(view: View) -> View:
        opened = decorate(view)

        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            source = request.POST if request.method == "POST" else request.GET
            return opened(request, *args, source=source, **kwargs)

        return wrapped

    return wrap


def _resolve_export(request: HttpRequest, key: Any) -> ReportExport:
    export = ReportExport.objects.filter(key=key, requested_by=request.user.pk).first()
    if export is None or not export.file:
        raise Http404
    return export


def _log_export_read(
    request: HttpRequest, export: ReportExport, *, action: str, reason: str
) -> None:
    log_access(
        request=request, action=action, obj=export, organisation=export.network, reason=reason
    )


# An export file, only ever to the person who asked for it.
export_view = protected_object(
    url_kwarg="key",
    resolve=_resolve_export,
    log_read=_log_export_read,
    default_action=Action.EXPORT,
)


def _my_exports(request: HttpRequest) -> list[ReportExport]:
    return list(
        ReportExport.objects.filter(requested_by=request.user.pk)
        .select_related("round", "research_key")
        .order_by("-requested_at")[:10]
    )


@login_required
@require_GET
@page_rule(may_open_programme, "programme report")
@report_view(reason="programme report")
def programme(request: AuthenticatedRequest, scope: ReportScope) -> HttpResponse:
    network, round_, networks = scope.network, scope.round, scope.networks
    report = shown_report(
        programme_report(network, round_),
        suppress=not sees_the_people(request.user, network),
    )
    exports = _my_exports(request)
    rounds = list(rounds_in(network))
    return render(
        request,
        "reports/programme.html",
        {
            "report": report,
            "diversity": diversity([round_] if round_ else rounds, report.today),
            "networks": networks,
            "rounds": rounds,
            "stages": FUNNEL_STAGES,
            "funnel_bars": report.funnel_bars,
            "funnel_height": 20 + 34 * len(FUNNEL_STAGES),
            "month_bars": report.month_bars,
            "exports": exports,
            "pending": any(e.is_pending for e in exports),
            "keys": list(ResearchKey.objects.filter(network=network)),
            "formats": ExportFormat.choices,
        },
    )


@login_required
@require_GET
@page_rule(may_open_national, "national programme summary")
def national(request: AuthenticatedRequest) -> HttpResponse:
    """Every network below an organisation the user reports for, added up; small counts
    suppressed for every reader."""
    tops = list(rollup_organisations(request.user))
    wanted = _int(request.GET.get("org"))
    top = next((t for t in tops if t.pk == wanted), None) if wanted else tops[0]
    if top is None:
        raise Http404
    log_access(
        request=request, action=Action.VIEW, organisation=top, reason="national programme summary"
    )
    report = shown_report(national_report(top), suppress=True)
    return render(
        request,
        "reports/national.html",
        {
            "report": report,
            "tops": tops,
            "stages": FUNNEL_STAGES,
            "funnel_bars": report.funnel_bars,
            "funnel_height": 20 + 34 * len(FUNNEL_STAGES),
        },
    )


@login_required
@require_GET
def export_list(request: AuthenticatedRequest) -> HttpResponse:
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
@report_view(reason="export")
def export_create(request: AuthenticatedRequest, scope: ReportScope) -> HttpResponse:
    network, round_ = scope.network, scope.round
    form = ExportRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to export and in which format."))
        return redirect(_back(network, round_))
    kind = form.cleaned_data["kind"]
    key = None
    if kind == ExportKind.RESEARCH:
        key = ResearchKey.objects.filter(
            network=network, pk=form.cleaned_data["research_key"] or 0
        ).first()
    try:
        services.request_export(
            user=request.user,
            network=network,
            kind=kind,
            format=form.cleaned_data["format"],
            round_=round_,
            research_key=key,
        )
    except PermissionDenied:
        raise PermissionDenied("export") from None
    except services.ReportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The export is being made. It appears below when it is ready."))
    return redirect(_back(network, round_))


@login_required
@require_GET
@export_view(reason="download")
def export_download(request: AuthenticatedRequest, export: ReportExport) -> FileResponse:
    content_type = CSV_CONTENT_TYPE if export.format == ExportFormat.CSV else XLSX_CONTENT_TYPE
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.file.name.rsplit("/", 1)[-1],
        content_type=content_type,
    )


@login_required
@require_POST
@report_view(reason="research key")
def key_create(request: AuthenticatedRequest, scope: ReportScope) -> HttpResponse:
    network, round_ = scope.network, scope.round
    form = ResearchKeyForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors["name"]))
        return redirect(_back(network, round_))
    try:
        services.create_research_key(
            user=request.user, network=network, name=form.cleaned_data["name"]
        )
    except PermissionDenied:
        raise PermissionDenied("research key") from None
    except services.ReportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The export key is made."))
    return redirect(_back(network, round_))


# --- The caseload report: outcomes of coordination across a unit ---------------------------


class CaseloadScope(NamedTuple):
    """The units the user may see the caseload of, and the one chosen, decided once."""

    units: list[Organisation]
    chosen: Organisation | None

    @property
    def unit(self) -> Organisation:
        if self.chosen is None:  # only a scope the decorator let through is used
            raise PermissionDenied
        return self.chosen


def _resolve_caseload(request: HttpRequest, source: QueryDict) -> CaseloadScope:
    """The chosen unit (one the user may see), or 404; the user's top unit by default."""
    units = list(caseload_units(request.user))
    if not units:
        return CaseloadScope([], None)
    wanted = _int(source.get("unit"))
    unit = next((u for u in units if u.pk == wanted), None) if wanted else units[0]
    if unit is None:
        raise Http404
    return CaseloadScope(units, unit)


def _log_caseload_read(
    request: HttpRequest, scope: CaseloadScope, *, action: str, reason: str
) -> None:
    log_access(request=request, action=action, organisation=scope.unit, reason=reason)


_caseload_scope = protected_object(
    url_kwarg="source", resolve=_resolve_caseload, log_read=_log_caseload_read
)


def caseload_view(**options: Any) -> Callable[[View], View]:
    """As ``report_view``: 403 for someone who sees no caseload, 404 for a unit out of reach."""
    decorate = _caseload_scope(allow=lambda scope: bool(scope.units), **options)

    def wrap(view: View) -> View:
        opened = decorate(view)

        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            source = request.POST if request.method == "POST" else request.GET
            return opened(request, *args, source=source, **kwargs)

        return wrapped

    return wrap


def _unit_choices(units: list[Organisation]) -> list[tuple[int, str]]:
    """The units in tree order, each name indented by its depth below the user's own."""
    paths = [u.path for u in units]
    tops = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
    choices = []
    for unit in units:
        top = next(t for t in tops if unit.path.startswith(t))
        depth = unit.path.count("/") - top.count("/")
        choices.append((unit.pk, "\u2013 " * depth + unit.name))
    return choices


@login_required
@require_GET
@page_rule(may_open_caseload, "caseload report")
@caseload_view(reason="caseload report")
def caseload(request: AuthenticatedRequest, scope: CaseloadScope) -> HttpResponse:
    unit = scope.unit
    starts_on, ends_on = default_period()
    given = "starts_on" in request.GET or "ends_on" in request.GET
    form = CaseloadPeriodForm(
        request.GET if given else None, initial={"starts_on": starts_on, "ends_on": ends_on}
    )
    report = None
    if not given or form.is_valid():
        if given:
            starts_on, ends_on = form.cleaned_data["starts_on"], form.cleaned_data["ends_on"]
        report = caseload_report(unit, starts_on, ends_on)
    exports = _my_exports(request)
    return render(
        request,
        "reports/caseload.html",
        {
            "form": form,
            "report": report,
            "unit": unit,
            "units": _unit_choices(scope.units),
            "starts_on": starts_on,
            "ends_on": ends_on,
            "exports": exports,
            "pending": any(e.is_pending for e in exports),
            "keys": list(ResearchKey.objects.filter(network=unit)),
            "formats": ExportFormat.choices,
        },
        status=200 if report is not None else 400,
    )


def _back_to_caseload(unit: Organisation, source: QueryDict) -> str:
    query: dict[str, str] = {"unit": str(unit.pk)}
    for name in ("starts_on", "ends_on"):
        value = source.get(name)
        if isinstance(value, str) and _valid_day(value):
            query[name] = value
    return f"{reverse('reports:caseload')}?{urlencode(query)}#exports"


def _valid_day(value: Any) -> bool:
    form = CaseloadPeriodForm({"starts_on": value, "ends_on": value})
    return form.is_valid()


@login_required
@require_POST
@caseload_view(reason="export")
def caseload_export(request: AuthenticatedRequest, scope: CaseloadScope) -> HttpResponse:
    unit = scope.unit
    form = CaseloadExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to export, the period and the format."))
        return redirect(_back_to_caseload(unit, request.POST))
    data = form.cleaned_data
    key = None
    if data["kind"] == ExportKind.CASELOAD_EXTRACT:
        key = ResearchKey.objects.filter(network=unit, pk=data["research_key"] or 0).first()
    try:
        services.request_export(
            user=request.user,
            network=unit,
            kind=data["kind"],
            format=data["format"],
            research_key=key,
            period=(data["starts_on"], data["ends_on"]),
        )
    except PermissionDenied:
        raise PermissionDenied("export") from None
    except services.ReportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The export is being made. It appears below when it is ready."))
    return redirect(_back_to_caseload(unit, request.POST))


@login_required
@require_POST
@caseload_view(reason="research key")
def caseload_key_create(request: AuthenticatedRequest, scope: CaseloadScope) -> HttpResponse:
    unit = scope.unit
    form = ResearchKeyForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors["name"]))
        return redirect(_back_to_caseload(unit, request.POST))
    try:
        services.create_research_key(
            user=request.user, network=unit, name=form.cleaned_data["name"]
        )
    except PermissionDenied:
        raise PermissionDenied("research key") from None
    except services.ReportError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The export key is made."))
    return redirect(_back_to_caseload(unit, request.POST))
