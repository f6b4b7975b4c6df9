"""The analyst's panel on their role start page ("start_panels" in ``registrations.py``):
the reports they may open, each a link, and their own exports that are ready."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from egenmakt.accounts.start_panels import Waiting, waiting_panel

from .models import ExportStatus, ReportExport
from .rules import caseload_units, report_networks

LIMIT = 10


def analyst_panel(request: HttpRequest) -> dict[str, Any]:
    items: list[Waiting] = []
    programme = reverse("reports:programme")
    for network in report_networks(request.user)[:LIMIT]:
        items.append(
            Waiting(
                _("Programme report: %(network)s") % {"network": network.name},
                f"{programme}?network={network.pk}",
            )
        )
    caseload = reverse("reports:caseload")
    # The units where the role is held (their own units are chosen on the report page).
    units = list(caseload_units(request.user)[: LIMIT * 5])
    paths = [u.path for u in units]
    for unit in units:
        if not any(unit.path != p and unit.path.startswith(p) for p in paths):
            items.append(
                Waiting(
                    _("Caseload outcomes: %(unit)s") % {"unit": unit.name},
                    f"{caseload}?unit={unit.pk}",
                )
            )
    for export in (
        ReportExport.objects.filter(requested_by=request.user.pk, status=ExportStatus.READY)
        .exclude(file="")
        .order_by("-requested_at")[:3]
    ):
        items.append(
            Waiting(
                _("Your export: %(what)s (%(format)s)")
                % {"what": export.get_kind_display(), "format": export.get_format_display()},
                reverse("reports:export_download", args=[export.key]),
                f"{timezone.localtime(export.requested_at):%Y-%m-%d %H:%M}",
            )
        )
    return waiting_panel(
        request,
        key="analyst",
        heading=_("Your reports"),
        intro=_("The reports you may open, and your latest exports that are ready."),
        items=items,
        empty=_("There is no report for you to open yet."),
        next_actions=[
            (_("Programme report"), "reports:programme"),
            (_("Caseload outcomes"), "reports:caseload"),
        ],
        limit=LIMIT * 2,
    )
