"""The follow-up page: goal attainment per meeting, the ORS over time against its expected
progress, the alliance rating after the meetings, "Min delaktighet", and the worksheets of
the work phase (six-step problem solving); and the case manager's start-page alert of the
clients whose outcomes need attention."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.audit.services import log_list_access
from egenmakt.coordination.checklist import WORKSHEET_BY_KEY
from egenmakt.coordination.models import Attainment, Meeting, Plan
from egenmakt.coordination.selectors.followup import MY_PARTICIPATION, ORS, build_followup
from egenmakt.coordination.selectors.mapping import visible_submitted
from egenmakt.coordination.selectors.outcomes import (
    ALLIANCE,
    caseload_needing_attention,
    client_outcome,
)
from egenmakt.coordination.selectors.relatives import everyday_life
from egenmakt.instruments.models import Response

from .common import OpenedClient, client_page, client_view

PROBLEM_SOLVING = "problem_solving"


@login_required
@require_GET
@client_view(reason="follow-up")
def followup(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    client, access = opened
    plan = Plan.objects.filter(client=client).first()
    goals = list(plan.goals.all()) if plan is not None else []
    data = build_followup(access, client, goals)
    start = reverse("coordination:worksheet_start", args=[client.pk])
    offered = [
        (key, f"{start}?arbetsblad={key}")
        for key in (ORS, MY_PARTICIPATION, PROBLEM_SOLVING, ALLIANCE)
        if WORKSHEET_BY_KEY[key].offered_in(client.phase)
    ]
    return client_page(
        request,
        "coordination/followup.html",
        client,
        access,
        "followup",
        {
            "followup": data,
            "everyday_life": everyday_life(access, client),
            "outcome": client_outcome(access, client),
            "alliance": _after_meetings(visible_submitted(access, client, ALLIANCE), data.meetings),
            "scale": Attainment.choices,
            "offered": dict(offered),
            "problem_solving": list(reversed(visible_submitted(access, client, PROBLEM_SOLVING))),
            "chart_url": {
                key: reverse("instruments:chart_svg", args=[key, "klient", client.pk])
                for key in (ORS, MY_PARTICIPATION)
            },
            "table_url": {
                key: reverse("instruments:chart", args=[key, "klient", client.pk])
                for key in (ORS, MY_PARTICIPATION)
            },
        },
    )


def _after_meetings(
    ratings: list[Response], meetings: list[Meeting]
) -> list[tuple[Response, Meeting | None]]:
    """Each alliance rating with the held meeting it rates (the latest held on or before
    the day it was answered), newest first."""
    rows = []
    for response in ratings:
        held = [
            m for m in meetings if timezone.localtime(m.starts_at).date() <= response.answered_on
        ]
        rows.append((response, held[-1] if held else None))
    return list(reversed(rows))


# --- The case manager's start page ---------------------------------------------------------

OUTCOMES_LIMIT = 50


def outcomes_panel(request: HttpRequest) -> dict[str, Any]:
    """The start-page alert: clients whose ORS is off track or whose alliance rating
    warns (``selectors.outcomes``), in constant queries."""
    rows = caseload_needing_attention(request.user)
    shown = rows[:OUTCOMES_LIMIT]
    if shown:
        log_list_access(
            request=request,
            people=[client for client, _status in shown],
            reason="start page: outcomes off track",
        )
    return {"rows": shown, "more": len(rows) > OUTCOMES_LIMIT, "limit": OUTCOMES_LIMIT}
