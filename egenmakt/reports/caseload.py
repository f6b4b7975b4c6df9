"""The caseload report: outcomes and the method across a unit's coordination clients.

The facts per client come from ``coordination.selectors.caseload``; this module counts
them and suppresses small counts (``core.suppression``) once, so the page, the CSV and the
XLSX say the same. The research extract has one row per client under a keyed pseudonym
(``exports.pseudonym``, the PEER extract's), with no name, identity number or birth date,
and dates to the month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from egenmakt.accounts.models import Organisation
from egenmakt.coordination.selectors.caseload import ClientOutcome, caseload_outcomes
from egenmakt.core.dates import add_months
from egenmakt.core.suppression import shown_count, shown_median, shown_share
from egenmakt.core.tabular import Table

from .exports import month_of, pseudonym, yes_no
from .models import ResearchKey

DEFAULT_MONTHS = 12


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last twelve months, today included."""
    today = today or timezone.localdate()
    return add_months(today, -DEFAULT_MONTHS), today


@dataclass(frozen=True)
class Share:
    label: StrOrPromise
    count: int | str  # "<5" for one to four
    of: int | str
    percent: int | None  # None: hidden (fewer than five) or nothing to count


@dataclass(frozen=True)
class Duration:
    label: StrOrPromise
    clients: int | str
    median_days: float | None  # None: fewer than five clients


@dataclass(frozen=True)
class CaseloadReport:
    unit: Organisation
    starts_on: date
    ends_on: date
    clients: int | str
    ors_measured: int | str
    ors: list[Share]
    durations: list[Duration]
    method: list[Share]


def _share(label: StrOrPromise, numerator: int, denominator: int) -> Share:
    return Share(
        label, shown_count(numerator), shown_count(denominator), shown_share(numerator, denominator)
    )


def _duration(label: StrOrPromise, values: list[int | None]) -> Duration:
    known = [v for v in values if v is not None]
    return Duration(label, shown_count(len(known)), shown_median(known))


def summarise(
    unit: Organisation, starts_on: date, ends_on: date, outcomes: list[ClientOutcome]
) -> CaseloadReport:
    measured = [o for o in outcomes if o.ors_change is not None]
    ors = [
        _share(
            _("Reliably improved"), sum(o.ors_change == "improved" for o in measured), len(measured)
        ),
        _share(
            _("No reliable change"),
            sum(o.ors_change == "no_reliable_change" for o in measured),
            len(measured),
        ),
        _share(
            _("Reliably worse"),
            sum(o.ors_change == "deteriorated" for o in measured),
            len(measured),
        ),
    ]
    durations = [
        _duration(
            _("Start to the first held resource-group meeting"),
            [o.days_to_first_meeting for o in outcomes],
        ),
        _duration(_("Start to the first decided plan"), [o.days_to_plan for o in outcomes]),
        _duration(_("Mapping: start to compiling the mapping"), [o.mapping_days for o in outcomes]),
    ]
    due = [o for o in outcomes if o.recent_due]
    method = [
        _share(
            _("Steps for both case managers where both were there"),
            sum(o.both_present for o in outcomes),
            sum(o.both_steps for o in outcomes),
        ),
        _share(
            _("Clients with a held meeting in the last three months"),
            sum(o.held_recently for o in due),
            len(due),
        ),
    ]
    return CaseloadReport(
        unit=unit,
        starts_on=starts_on,
        ends_on=ends_on,
        clients=shown_count(len(outcomes)),
        ors_measured=shown_count(len(measured)),
        ors=ors,
        durations=durations,
        method=method,
    )


def caseload_report(unit: Organisation, starts_on: date, ends_on: date) -> CaseloadReport:
    return summarise(unit, starts_on, ends_on, caseload_outcomes(unit, starts_on, ends_on))


def _cell(value: int | float | str | None) -> int | float | str:
    return "" if value is None else value


def caseload_tables(report: CaseloadReport) -> list[Table]:
    """The report as the page shows it, small counts suppressed the same way."""
    about = Table(
        _("Caseload"),
        [_("Unit"), _("From"), _("Until"), _("Clients"), _("Clients with two ORS or more")],
        [
            [
                report.unit.name,
                report.starts_on.isoformat(),
                report.ends_on.isoformat(),
                report.clients,
                report.ors_measured,
            ]
        ],
    )
    shares = Table(
        _("Shares"),
        [_("Measure"), _("Number"), _("Of"), _("Share (%)")],
        [[str(s.label), s.count, s.of, _cell(s.percent)] for s in (*report.ors, *report.method)],
    )
    times = Table(
        _("Time from the start"),
        [_("Measure"), _("Clients"), _("Median (days)")],
        [[str(d.label), d.clients, _cell(d.median_days)] for d in report.durations],
    )
    return [about, shares, times]


def _number(value: float | None) -> float | int | str:
    if value is None:
        return ""
    return int(value) if float(value).is_integer() else value


def caseload_research_table(
    unit: Organisation, starts_on: date, ends_on: date, key: ResearchKey
) -> Table:
    """One row per client, known only by a pseudonym keyed with the export key."""
    rows = [
        [
            pseudonym(key, "client", o.pk),
            o.unit,
            month_of(o.started_on),
            o.phase,
            _number(o.ors_first),
            _number(o.ors_latest),
            len(o.ors),
            o.ors_change or "",
            _cell(o.days_to_first_meeting),
            _cell(o.days_to_plan),
            _cell(o.mapping_days),
            o.both_steps,
            o.both_present,
            yes_no(o.held_recently) if o.recent_due else "",
        ]
        for o in caseload_outcomes(unit, starts_on, ends_on)
    ]
    return Table(
        _("Pseudonymised data"),
        [
            "pseudonym",
            "unit",
            "start_month",
            "phase",
            "ors_first",
            "ors_latest",
            "ors_ratings",
            "ors_change",
            "days_to_first_held_meeting",
            "days_to_decided_plan",
            "mapping_days",
            "steps_for_both_case_managers",
            "steps_both_present",
            "held_meeting_last_3_months",
        ],
        rows,
    )
