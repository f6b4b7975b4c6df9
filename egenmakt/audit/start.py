"""The auditor's panel on their role start page ("start_panels" in ``registrations.py``):
emergency accesses and log reviews waiting, counted, each a link to where it is done."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from egenmakt.accounts.start_panels import Waiting, waiting_panel

from . import selectors

LIMIT = 10


def auditor_panel(request: HttpRequest) -> dict[str, Any]:
    items: list[Waiting] = []
    grants = selectors.emergency_accesses_to_review(request.user)
    if grants:
        items.append(
            Waiting(
                ngettext(
                    "%(count)s emergency access to review",
                    "%(count)s emergency accesses to review",
                    grants,
                )
                % {"count": grants},
                reverse("audit:emergency"),
            )
        )
    for review in selectors.open_log_reviews(request.user, LIMIT):
        items.append(
            Waiting(
                _("Log review of %(unit)s, %(start)s–%(end)s")
                % {
                    "unit": review.organisation.name,
                    "start": f"{review.period_start:%Y-%m-%d}",
                    "end": f"{review.period_end:%Y-%m-%d}",
                },
                reverse("audit:log_review", args=[review.pk]),
                ngettext(
                    "%(count)s read left to judge",
                    "%(count)s reads left to judge",
                    review.left,  # type: ignore[attr-defined]
                )
                % {"count": review.left},  # type: ignore[attr-defined]
            )
        )
    return waiting_panel(
        request,
        key="auditor",
        heading=_("Waiting for your review"),
        intro=_("Emergency accesses not yet reviewed, and log reviews not yet finished."),
        items=items,
        empty=_("No emergency access or log review waits for you right now."),
        next_actions=[
            (_("Access log"), "audit:access_log"),
            (_("Log review"), "audit:log_reviews"),
            (_("Emergency accesses"), "audit:emergency"),
        ],
        limit=LIMIT,
        more_url_name="audit:log_reviews",
    )
