"""Asking for exports, making them in the task queue, and research export keys."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from egenmakt.accounts.models import Organisation, User
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.core.tabular import to_csv, to_xlsx
from egenmakt.peer.models import RecruitmentRound

from .exports import programme_tables, research_table
from .models import ExportFormat, ExportKind, ExportStatus, ReportExport, ResearchKey
from .programme import programme_report
from .rules import may_report_on

KEEP_EXPORTS = timedelta(days=7)


class ReportError(Exception):
    pass


@transaction.atomic
def create_research_key(*, user: User, network: Organisation, name: str) -> ResearchKey:
    if not may_report_on(user, network):
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
) -> ReportExport:
    """Record the wish and enqueue the work, in one transaction."""
    if not may_report_on(user, network):
        raise PermissionDenied
    if kind not in ExportKind.values or format not in ExportFormat.values:
        raise ReportError(_("Choose what to export and in which format."))
    if round_ is not None and not round_.organisation.path.startswith(network.path):
        raise PermissionDenied
    if kind == ExportKind.RESEARCH:
        if research_key is None:
            raise ReportError(_("Choose an export key for the pseudonymised data."))
        if research_key.network_id != network.pk:
            raise PermissionDenied
    export = ReportExport.objects.create(
        kind=kind,
        format=format,
        network=network,
        round=round_,
        research_key=research_key if kind == ExportKind.RESEARCH else None,
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
            if export.kind == ExportKind.RESEARCH:
                if export.research_key is None:
                    raise ReportError("research export without a key")
                tables = [research_table(export.network, export.round, export.research_key)]
            else:
                tables = programme_tables(programme_report(export.network, export.round))
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
    prefix = "pseudonymiserat" if export.kind == ExportKind.RESEARCH else "programrapport"
    name = f"{prefix}-{timezone.localdate():%Y-%m-%d}.{export.format}"
    export.file.save(name, ContentFile(content), save=False)
    export.rows = sum(len(t.rows) for t in tables)
    export.status = ExportStatus.READY
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "rows", "status", "finished_at"])
    return export.status


def erase_old_exports(now: Any = None) -> int:
    cutoff = (now or timezone.now()) - KEEP_EXPORTS
    count = 0
    for export in ReportExport.objects.filter(requested_at__lt=cutoff).exclude(file=""):
        export.file.delete(save=False)
        export.file = ""
        export.save(update_fields=["file"])
        count += 1
    return count
