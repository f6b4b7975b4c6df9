"""Reports (influence indicators, the programme report) and the public calendar."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Router
from ninja.errors import HttpError

from egenmakt.api.auth import person_for
from egenmakt.api.models import Area
from egenmakt.api.schemas import (
    ActivityOut,
    ErrorOut,
    IndicatorsOut,
    InvalidOut,
    ProgrammeReportOut,
)
from egenmakt.audit.services import log_access
from egenmakt.influence.indicators import dashboard, quarters
from egenmakt.influence.public_views import approved_activities, area_by_slug
from egenmakt.influence.rules import areas_for
from egenmakt.reports.programme import programme_report, rounds_in
from egenmakt.reports.rules import report_networks, sees_the_people
from egenmakt.reports.shown import shown_report

from .common import HIDDEN, LIST_LIMIT

router = Router()


# --- Reports: indicators (``influence:indicators``) and the programme report ------------------


@router.get(
    "/indicators",
    response={200: IndicatorsOut, **HIDDEN},
    url_name="indicators",
    tags=["reports"],
)
def indicators(request: HttpRequest, area_id: int | None = None) -> Any:
    """The influence indicators of the areas the caller reads, or of one of them; counts
    and shares only, as on the page."""
    user = person_for(request, Area.REPORTS)
    readable = list(areas_for(user))
    if not readable:
        raise PermissionDenied("indicators")
    scope = readable
    if area_id is not None:
        scope = [a for a in readable if a.pk == area_id]
        if not scope:
            raise HttpError(404, "Not found.")
    periods = quarters(timezone.localdate())
    return {
        "periods": [p.label for p in periods],
        "indicators": [
            {
                "key": row.indicator.key,
                "level": row.indicator.level,
                "label": str(row.indicator.label),
                "unit": row.indicator.unit,
                "values": row.values,
            }
            for row in dashboard(scope, periods)
        ],
    }


def _funnel(row: Any) -> dict[str, Any]:
    return {
        "label": str(row.label),
        "round_id": row.round.pk if row.round is not None else None,
        **{key: getattr(row, key) for key in ("applied", "interviewed", "admitted")},
        **{key: getattr(row, key) for key in ("completed", "employed")},
        "after_6": row.after_6,
        "after_12": row.after_12,
    }


@router.get(
    "/reports/programme",
    response={200: ProgrammeReportOut, **HIDDEN},
    url_name="programme_report",
    tags=["reports"],
)
def programme(
    request: HttpRequest, network_id: int | None = None, round_id: int | None = None
) -> Any:
    """The programme report's figures (``reports:programme``) for a network the caller
    reports on (its coordinators and analysts): 403 for nobody's, 404 outside."""
    user = person_for(request, Area.REPORTS)
    networks = list(report_networks(user))
    if not networks:
        raise PermissionDenied("programme report")
    network = next((n for n in networks if n.pk == network_id), None) if network_id else networks[0]
    if network is None:
        raise HttpError(404, "Not found.")
    round_ = None
    if round_id is not None:
        round_ = rounds_in(network).filter(pk=round_id).first()
        if round_ is None:
            raise HttpError(404, "Not found.")
    log_access(request=request, organisation=network, reason="programme report")
    suppress = not sees_the_people(user, network)
    report = shown_report(programme_report(network, round_), suppress=suppress)
    return {
        "network_id": network.pk,
        "round_id": round_.pk if round_ is not None else None,
        "suppressed": suppress,
        "rounds": [_funnel(row) for row in report.rounds],
        "total": _funnel(report.total),
        "months": report.months,
    }


# --- Influence: the public calendar (``influence_public:calendar``), no token needed ------


@router.get(
    "/influence/areas/{slug}/calendar",
    response={200: list[ActivityOut], 400: ErrorOut, 404: ErrorOut, 422: InvalidOut},
    auth=None,
    url_name="calendar",
    tags=["influence"],
)
def calendar(
    request: HttpRequest,
    slug: str = Path(..., pattern=r"^[-a-zA-Z0-9_]+$"),
    past: bool = False,
) -> Any:
    """The area's approved activities, coming (or, with ``past``, the earlier ones)."""
    area = area_by_slug(slug)
    now = timezone.now()
    rows = approved_activities(area)
    rows = (
        rows.filter(ends_at__lt=now).order_by("-starts_at")
        if past
        else rows.filter(ends_at__gte=now).order_by("starts_at")
    )
    return [
        {
            "uid": str(a.uid),
            "kind": a.kind,
            "title": a.title,
            "description": a.description,
            "starts_at": a.starts_at,
            "ends_at": a.ends_at,
            "place": a.place,
            "organisation": a.organisation.name,
        }
        for a in rows[:LIST_LIMIT]
    ]
