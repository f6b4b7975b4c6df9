"""Asking for exports, making them in the task queue, and research export keys."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from egenmakt.accounts.models import Organisation, User
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.core.tabular import Table, to_csv, to_xlsx
from egenmakt.peer.models import RecruitmentRound

from .caseload import caseload_report, caseload_research_table, caseload_tables
from .exports import programme_tables, research_table
from .models import (
    CASELOAD_KINDS,
    ExportFormat,
    ExportKind,
    ExportStatus,
    ReportExport,
    ResearchKey,
)
from .programme import programme_report
from .rules import may_report_on, may_see_caseload, sees_the_people
from .shown import shown_report

KEEP_EXPORTS = timedelta(days=7)


class ReportError(Exception):
    pass


@transaction.atomic
def create_research_key(*, user: User, network: Organisation, name: str) -> ResearchKey:
    """A key for a network's programme extracts or for a unit's caseload extracts."""
    if not (may_report_on(user, network) or may_see_caseload(user, network)):
        raise PermissionDenied
    name = name.strip()
    if not name:
        raise ReportError(_("Give the key a name."))
    if ResearchKey.objects.filter(network=network, name=name).exists():
        raise ReportError(_("There is already a key with that name."))
    key = ResearchKey.objects.create(network=network, name=name, created_by=user)
    log_access(actor=user, action=Action.CREATE, obj=key, organisation=network)
    return key


@transaction.atomic
def request_export(
    *,
    user: User,
    network: Organisation,
    kind: str,
    format: str,
    round_: RecruitmentRound | None = None,
    research_key: ResearchKey | None = None,
    period: tuple[date, date] | None = None,
) -> ReportExport:
    """Record the wish and enqueue the work, in one transaction. A caseload export is
    about ``network`` as the unit, over ``period`` (from, until)."""
    if kind not in ExportKind.values or format not in ExportFormat.values:
        raise ReportError(_("Choose what to export and in which format."))
    caseload = kind in CASELOAD_KINDS
    if not (may_see_caseload if caseload else may_report_on)(user, network):
        raise PermissionDenied
    if caseload and (period is None or period[0] > period[1]):
        raise ReportError(_("Choose a period whose start is not after its end."))
    if round_ is not None and not round_.organisation.path.startswith(network.path):
        raise PermissionDenied
    pseudonymised = kind in (ExportKind.RESEARCH, ExportKind.CASELOAD_EXTRACT)
    if pseudonymised:
        if research_key is None:
            raise ReportError(_("Choose an export key for the pseudonymised data."))
        if research_key.network_id != network.pk:
            raise PermissionDenied
    export = ReportExport.objects.create(
        kind=kind,
        format=format,
        network=network,
        round=None if caseload else round_,
        research_key=research_key if pseudonymised else None,
        period_from=period[0] if caseload and period else None,
        period_to=period[1] if caseload and period else None,
        language=translation.get_language() or "sv",
        requested_by=user,
    )
    log_access(
        actor=user,
        action=Action.EXPORT,
        obj=export,
        organisation=network,
        reason=str(ExportKind(kind).label),
    )
    from .tasks import build_export

    build_export.enqueue(export.pk)
    return export


def build_export(export_id: int) -> str:
    with transaction.atomic():
        export = (
            ReportExport.objects.select_for_update(of=("self",))
            .select_related("network", "round", "research_key")
            .filter(pk=export_id, status=ExportStatus.QUEUED)
            .first()
        )
        if export is None:
            return "nothing to do"
        export.status = ExportStatus.RUNNING
        export.save(update_fields=["status"])
    try:
        with translation.override(export.language):
            tables = _tables(export)
            content = (
                to_xlsx(tables)
                if export.format == ExportFormat.XLSX
                else to_csv(tables).encode("utf-8")
            )
    except Exception as exc:
        ReportExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.FAILED, error=str(exc)[:300], finished_at=timezone.now()
        )
        raise
    prefix = FILE_PREFIX[export.kind]
    name = f"{prefix}-{timezone.localdate():%Y-%m-%d}.{export.format}"
    export.file.save(name, ContentFile(content), save=False)
    export.rows = sum(len(t.rows) for t in tables)
    export.status = ExportStatus.READY
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "rows", "status", "finished_at"])
    return export.status


# The file names, in Swedish as the users read them.
FILE_PREFIX: dict[str, str] = {
    ExportKind.PROGRAMME: "programrapport",
    ExportKind.RESEARCH: "pseudonymiserat",
    ExportKind.CASELOAD: "utfall-vardsamordning",
    ExportKind.CASELOAD_EXTRACT: "utfall-pseudonymiserat",
}


def _tables(export: ReportExport) -> list[Table]:
    kind, key = export.kind, export.research_key
    pseudonymised = kind in (ExportKind.RESEARCH, ExportKind.CASELOAD_EXTRACT)
    if pseudonymised and key is None:
        raise ReportError("research export without a key")
    if kind in CASELOAD_KINDS:
        if export.period_from is None or export.period_to is None:
            raise ReportError("caseload export without a period")
        period = (export.network, export.period_from, export.period_to)
        if key is not None and kind == ExportKind.CASELOAD_EXTRACT:
            return [caseload_research_table(*period, key)]
        return caseload_tables(caseload_report(*period))
    if key is not None and kind == ExportKind.RESEARCH:
        return [research_table(export.network, export.round, key)]
    report = programme_report(export.network, export.round)
    suppress = not sees_the_people(export.requested_by, export.network)
    return programme_tables(shown_report(report, suppress=suppress))


def erase_old_exports(now: Any = None) -> int:
    cutoff = (now or timezone.now()) - KEEP_EXPORTS
    count = 0
    for export in ReportExport.objects.filter(requested_at__lt=cutoff).exclude(file=""):
        export.file.delete(save=False)
        export.file = ""
        export.save(update_fields=["file"])
        count += 1
    return count
