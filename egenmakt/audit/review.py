"""The rules that flag reads for the auditor's log review (loggkontroll).

Beside a random sample, a review takes every read in its period that some rule flags
(HSLF-FS 2016:40 4 kap. 9 §: the checks are systematic and recurring; IMY looks for reads
outside the care relation). Each app contributes the rules it knows ("log_review_flags" in
its ``AppConfig.contributes``, see ``egenmakt/core/registry.py``): coordination flags reads
outside the care team and of protected identities, accounts a colleague's or one's own
record, and the log itself emergency accesses, so this app imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from egenmakt.core.registry import contributions

from .models import SAMPLED, AccessLog


@dataclass(frozen=True)
class LogReviewFlag:
    """``find`` gets the period's reads (allowed views and exports) of one unit and
    returns the ids of the rows it flags."""

    code: str
    label: Any  # a lazy translated string
    find: Callable[[QuerySet[AccessLog]], Iterable[int]]


def review_flags() -> tuple[LogReviewFlag, ...]:
    return contributions("log_review_flags", LogReviewFlag)


def reason_labels() -> dict[str, Any]:
    """What each reason code reads as on the review page."""
    return {SAMPLED: _("Random sample"), **{flag.code: flag.label for flag in review_flags()}}


def emergency_reads(rows: QuerySet[AccessLog]) -> Iterable[int]:
    return rows.filter(emergency=True).values_list("id", flat=True)


EMERGENCY = LogReviewFlag("emergency", _("Emergency access"), emergency_reads)
