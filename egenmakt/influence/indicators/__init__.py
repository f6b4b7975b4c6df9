"""Indicators of real user influence on the three levels, computed per quarter.

domain.md 4.3: no published indicator set was found. These are our proposals (INFERRED),
each computed only from data in Egenmakt and shown with its definition. An indicator whose
data lives in a part of Egenmakt not yet built says so instead of showing a number.

Each indicator takes the areas and a period, and returns a number or None (nothing to
count). The dashboard asks for all quarters at once: each indicator's ``batch`` gives the
same numbers for every period in one grouped query (conditional aggregation, one column
per quarter), so the page runs a handful of queries however many quarters it shows,
instead of one per indicator per quarter. A closed quarter's values are computed once and
stored (``reports/stored.py``); only the open quarter is computed on every request. The
per-period functions stay, as the definition the batches are tested against (and what
``bench/aggregates.py`` times).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egenmakt.influence.models import CareArea, Level
from egenmakt.reports.stored import FigureKind, figures

from .batch import (
    activities_batch,
    client_present_batch,
    goal_own_words_batch,
    ladder_batch,
    peer_supporters_batch,
    representative_share_batch,
    system_forums_batch,
    user_council_batch,
)
from .consultations import consultations_answered, consultations_answered_batch
from .matters import (
    matters_per_forum,
    matters_per_forum_batch,
    median_days_batch,
    median_days_to_outcome,
    share_adopted,
    share_adopted_batch,
    share_with_outcome,
    share_with_outcome_batch,
)
from .per_period import (
    activities_in_period,
    client_present_share,
    goal_own_words_share,
    ladder_mean,
    peer_supporters_per_workplace,
    representative_share,
    system_forums_with_representatives,
    units_with_user_council,
)
from .scope import Period, Units, quarters

__all__ = [
    "FIGURES",
    "INDICATORS",
    "Indicator",
    "IndicatorRow",
    "Period",
    "dashboard",
    "dashboard_live",
    "dashboard_per_period",
    "quarters",
]


@dataclass(frozen=True)
class Indicator:
    key: str
    level: str
    label: Any
    definition: Any
    unit: str  # "percent", "count" or "mean"
    compute: Callable[[list[CareArea], Period], float | None] | None
    # Every period at once, same values as ``compute`` per period.
    batch: Callable[[Units, list[Period]], list[float | None]] | None = None

    @property
    def available(self) -> bool:
        return self.compute is not None


INDICATORS: list[Indicator] = [
    Indicator(
        "client_present",
        Level.INDIVIDUAL,
        _("Resource-group meetings with the client present"),
        _(
            "Share of the quarter's held resource-group meetings where the client took "
            "part, for clients whose home organisation is in the area."
        ),
        "percent",
        client_present_share,
        client_present_batch,
    ),
    Indicator(
        "goal_own_words",
        Level.INDIVIDUAL,
        _("Plans with the goal in the client's own words"),
        _(
            "Share of plans decided in the quarter whose client answered “yes” to “My plan "
            "is written in my own words” in their latest “My participation” (clients who "
            "have not answered are left out)."
        ),
        "percent",
        goal_own_words_share,
        goal_own_words_batch,
    ),
    Indicator(
        "activities",
        Level.INDIVIDUAL,
        _("Activities in the shared calendar"),
        _(
            "Approved activities of the user and relatives' organisations (theme days, "
            "study circles, self-help groups, lectures) starting in the quarter."
        ),
        "count",
        activities_in_period,
        activities_batch,
    ),
    Indicator(
        "peer_supporters_per_workplace",
        Level.SERVICE,
        _("Peer supporters per workplace"),
        _(
            "Peer supporters with a running placement at the end of the quarter, divided by "
            "the workplaces (units of the area) that have any; the handbook asks for two."
        ),
        "mean",
        peer_supporters_per_workplace,
        peer_supporters_batch,
    ),
    Indicator(
        "user_council",
        Level.SERVICE,
        _("Units with a user council"),
        _("Share of the area's units with a user council running at the end of the quarter."),
        "percent",
        units_with_user_council,
        user_council_batch,
    ),
    Indicator(
        "ladder",
        Level.SERVICE,
        _("Participation ladder: steps reached per unit"),
        _(
            "For each unit its latest participation ladder up to the end of the quarter: the "
            "step reached on the three questions (0–5), averaged; then the mean over units."
        ),
        "mean",
        ladder_mean,
        ladder_batch,
    ),
    Indicator(
        "system_forums",
        Level.SYSTEM,
        _("System-level forums with user representatives"),
        _(
            "Forums at system level (steering groups, dialogue meetings...) running at the end "
            "of the quarter with at least one user representative speaking for an organisation."
        ),
        "count",
        system_forums_with_representatives,
        system_forums_batch,
    ),
    Indicator(
        "representative_share",
        Level.SYSTEM,
        _("User seats held by representatives of organisations"),
        _(
            "Of the forum seats held by users at the end of the quarter: the share held by "
            "user representatives (who speak for an organisation) rather than by persons "
            "speaking from their own experience."
        ),
        "percent",
        representative_share,
        representative_share_batch,
    ),
    # Effect: what the representatives raised and what it changed (indicators/matters.py).
    Indicator(
        "matters_per_forum",
        Level.SYSTEM,
        _("Matters raised per forum"),
        _(
            "Matters that user representatives raised in the quarter, divided by the area's "
            "forums (every level) running at its end."
        ),
        "mean",
        matters_per_forum,
        matters_per_forum_batch,
    ),
    Indicator(
        "matters_with_outcome",
        Level.SYSTEM,
        _("Matters with an outcome"),
        _(
            "Of the matters raised by the end of the quarter, the share whose outcome "
            "(adopted, partly adopted or rejected) was decided by then."
        ),
        "percent",
        share_with_outcome,
        share_with_outcome_batch,
    ),
    Indicator(
        "matters_adopted",
        Level.SYSTEM,
        _("Matters adopted"),
        _(
            "Of the matters whose outcome was decided in the quarter, the share adopted "
            "wholly or in part."
        ),
        "percent",
        share_adopted,
        share_adopted_batch,
    ),
    Indicator(
        "days_to_outcome",
        Level.SYSTEM,
        _("Days from raised to decided (median)"),
        _(
            "For the matters whose outcome was decided in the quarter: the median number of "
            "days from the meeting where it was raised to the decision."
        ),
        "mean",
        median_days_to_outcome,
        median_days_batch,
    ),
    # Consultations (remiss): whether the organisations asked got to answer in time.
    Indicator(
        "consultations_answered",
        Level.SYSTEM,
        _("Consultations answered"),
        _(
            "Of the organisations asked in consultations whose deadline falls in the "
            "quarter, the share that answered by the deadline."
        ),
        "percent",
        consultations_answered,
        consultations_answered_batch,
    ),
]


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    values: list[float | None]


def _scope(areas: list[CareArea]) -> str:
    return "areas:" + ",".join(str(pk) for pk in sorted({int(a.pk) for a in areas}))


def _live(areas: list[CareArea], periods: list[Period]) -> list[dict[str, Any]]:
    """Each period's values by indicator key: one query for the units, then one per
    indicator for all the periods at once."""
    units = Units.of(areas)
    by_key: dict[str, list[float | None]] = {}
    for indicator in INDICATORS:
        if indicator.batch is not None:
            by_key[indicator.key] = indicator.batch(units, periods)
        elif indicator.compute is not None:
            by_key[indicator.key] = [indicator.compute(areas, period) for period in periods]
        else:
            by_key[indicator.key] = [None for _p in periods]
    return [{key: values[i] for key, values in by_key.items()} for i in range(len(periods))]


def _recompute(scope: str, spans: list[Any]) -> list[dict[str, Any]] | None:
    ids = [int(pk) for pk in scope.removeprefix("areas:").split(",") if pk]
    areas = list(CareArea.objects.filter(pk__in=ids))
    if len(areas) != len(ids):
        return None
    return _live(areas, [Period(s.start, s.end) for s in spans])


# Closed quarters are stored (reports/stored.py); raise the version when a definition
# above changes, so that quarters stored under the old one are computed anew.
FIGURES = FigureKind(
    code="indicators",
    version=1,
    keys=tuple(indicator.key for indicator in INDICATORS),
    compute=_recompute,
)


def dashboard(
    areas: list[CareArea], periods: list[Period], today: date | None = None
) -> list[IndicatorRow]:
    """Every indicator for every period: closed quarters from the store, the open one
    computed live (a handful of queries whatever the number of quarters)."""
    values = figures(
        FIGURES,
        _scope(areas),
        periods,
        lambda wanted: _live(areas, wanted),
        today or timezone.localdate(),
    )
    return [
        IndicatorRow(indicator, [period[indicator.key] for period in values])
        for indicator in INDICATORS
    ]


def dashboard_live(areas: list[CareArea], periods: list[Period]) -> list[IndicatorRow]:
    """The same, every quarter computed now (what the store is tested against)."""
    values = _live(areas, periods)
    return [
        IndicatorRow(indicator, [period[indicator.key] for period in values])
        for indicator in INDICATORS
    ]


def dashboard_per_period(areas: list[CareArea], periods: list[Period]) -> list[IndicatorRow]:
    """The same, one indicator and one period at a time (the definition, for the tests)."""
    return [
        IndicatorRow(
            indicator,
            [indicator.compute(areas, p) if indicator.compute else None for p in periods],
        )
        for indicator in INDICATORS
    ]
