"""The PEER programme report: per network (the regional user-movement network) and round.

Definitions (shown on the page, the same in every export):

* applied: applications received, erased ones included through their anonymous counts;
* interviewed: applications whose interview was held;
* admitted: admitted to the course after the interviews (reserves who took a place too);
* completed: course participants who completed the course (the third step);
* employed: of those, everyone with a placement that has started;
* employed after 6 / 12 months: of those who completed at least 6 (12) months ago, how
  many had a placement running on the day 6 (12) months after completing;
* supervision meetings per peer supporter and month: meetings attended, divided by the
  number of peer supporters with a placement running some day of that month;
* sick-leave days: reported days of sick leave, counted in the month they fall in;
* activities per peer supporter and month: the work-log entries of the month made in the
  placements counted, divided by the peer supporters with a placement running some day of
  that month.

A closed month's figures are computed once and stored (``reports/stored.py``); the month
under way is computed on every request.

Every number comes from a bounded number of queries whatever the size of the data.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import Organisation
from egenmakt.core.dates import add_months, month_end
from egenmakt.peer.models import (
    Application,
    ApplicationStatus,
    ErasedApplications,
    Participant,
    ParticipantStatus,
    PeerWorkplace,
    Placement,
    RecruitmentRound,
    SickLeave,
    SupervisionAttendance,
    WorkLogEntry,
)

from .stored import FigureKind, Period, figures

FUNNEL_STAGES = [
    ("applied", _("Applied")),
    ("interviewed", _("Interviewed")),
    ("admitted", _("Admitted to the course")),
    ("completed", _("Completed the course")),
    ("employed", _("Employed")),
]
MONTHS_SHOWN = 12


@dataclass
class FollowUp:
    """Employed after N months: of ``eligible`` people, ``employed`` had a job."""

    eligible: int = 0
    employed: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.employed / self.eligible) if self.eligible else None

    def add(self, other: FollowUp) -> None:
        self.eligible += other.eligible
        self.employed += other.employed


@dataclass
class RoundRow:
    label: str
    round: RecruitmentRound | None = None
    applied: int = 0
    interviewed: int = 0
    admitted: int = 0
    completed: int = 0
    employed: int = 0
    after_6: FollowUp = field(default_factory=FollowUp)
    after_12: FollowUp = field(default_factory=FollowUp)

    def stages(self) -> list[tuple[str, Any, int]]:
        return [(key, label, getattr(self, key)) for key, label in FUNNEL_STAGES]

    def add(self, other: RoundRow) -> None:
        for key, _label in FUNNEL_STAGES:
            setattr(self, key, getattr(self, key) + getattr(other, key))
        self.after_6.add(other.after_6)
        self.after_12.add(other.after_12)


@dataclass
class MonthRow:
    month: date
    working: int = 0
    meetings: int = 0
    sick_days: int = 0
    activities: int = 0

    @property
    def per_peer_supporter(self) -> float | None:
        return round(self.meetings / self.working, 1) if self.working else None

    @property
    def activities_per_peer_supporter(self) -> float | None:
        return round(self.activities / self.working, 1) if self.working else None


@dataclass
class WorkplaceRow:
    name: str
    region: str
    active: int
    total: int
    peer_supporters: int
    sick_days: int = 0


@dataclass
class RegionRow:
    name: str
    workplaces: int = 0
    active: int = 0
    total: int = 0


@dataclass
class ProgrammeReport:
    network: Organisation
    round: RecruitmentRound | None
    today: date
    rounds: list[RoundRow]
    total: RoundRow
    months: list[MonthRow]
    workplaces: list[WorkplaceRow]
    regions: list[RegionRow]


def rounds_in(network: Organisation) -> Any:
    return RecruitmentRound.objects.filter(organisation__path__startswith=network.path).order_by(
        "course_start", "pk"
    )


def _covers(starts_on: date, ends_on: date | None, day: date) -> bool:
    return starts_on <= day and (ends_on is None or ends_on >= day)


def _funnel(rounds: list[RecruitmentRound], today: date) -> list[RoundRow]:
    ids = [r.pk for r in rounds]
    rows = {r.pk: RoundRow(label=r.title, round=r) for r in rounds}
    for values in (
        Application.objects.filter(round_id__in=ids)
        .values("round_id")
        .annotate(
            applied=Count("id"),
            interviewed=Count("id", filter=Q(interviewed_at__isnull=False)),
            admitted=Count("id", filter=Q(status=ApplicationStatus.ADMITTED)),
        )
    ):
        row = rows[values["round_id"]]
        row.applied, row.interviewed, row.admitted = (
            values["applied"],
            values["interviewed"],
            values["admitted"],
        )
    for erased in ErasedApplications.objects.filter(round_id__in=ids):
        row = rows[erased.round_id]
        row.applied += erased.applied
        row.interviewed += erased.interviewed
        row.admitted += erased.admitted

    completers = Participant.objects.filter(
        application__round_id__in=ids, status=ParticipantStatus.COMPLETED
    )
    completed = list(completers.values_list("application__round_id", "user_id", "completed_at"))
    # The completers' placements, chosen by a subquery rather than a list of ids sent back.
    jobs: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for person, starts_on, ends_on in Placement.objects.filter(
        peer_supporter_id__in=completers.exclude(user__isnull=True).values("user_id")
    ).values_list("peer_supporter_id", "starts_on", "ends_on"):
        jobs[person].append((starts_on, ends_on))
    # A cohort completes on one day: the follow-up days are worked out once per moment.
    follow_days: dict[Any, list[date]] = {}
    for round_id, user_id, completed_at in completed:
        row = rows[round_id]
        row.completed += 1
        placements = jobs.get(user_id, []) if user_id else []
        if any(starts_on <= today for starts_on, _e in placements):
            row.employed += 1
        if completed_at is None:
            continue
        days = follow_days.get(completed_at)
        if days is None:
            done = timezone.localtime(completed_at).date()
            days = follow_days[completed_at] = [add_months(done, 6), add_months(done, 12)]
        for day, follow in zip(days, (row.after_6, row.after_12), strict=True):
            if day <= today:
                follow.eligible += 1
                if any(_covers(s, e, day) for s, e in placements):
                    follow.employed += 1
    return [rows[r.pk] for r in rounds]


def _placements(network: Organisation, people: list[int] | None) -> Any:
    placements = Placement.objects.filter(workplace__network__path__startswith=network.path)
    if people is not None:
        placements = placements.filter(peer_supporter_id__in=people)
    return placements


def _month_figures(placements: Any, months: list[Period]) -> list[dict[str, int]]:
    """Working peer supporters, supervision meetings attended, sick-leave days and logged
    activities of each month, in four queries for all the months asked for."""
    if not months:
        return []
    rows = {m.start: {"working": 0, "meetings": 0, "sick_days": 0, "activities": 0} for m in months}
    window_start, window_end = min(m.start for m in months), max(m.end for m in months)
    periods = list(
        placements.filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=window_start), starts_on__lte=window_end
        ).values_list("peer_supporter_id", "starts_on", "ends_on")
    )
    for month in months:
        rows[month.start]["working"] = len(
            {
                person
                for person, starts_on, ends_on in periods
                if starts_on <= month.end and (ends_on is None or ends_on >= month.start)
            }
        )
    people = {person for person, _s, _e in periods}
    tz = timezone.get_current_timezone()
    for values in (
        SupervisionAttendance.objects.filter(
            attended=True,
            peer_supporter_id__in=people,
            meeting__starts_at__date__gte=window_start,
            meeting__starts_at__date__lte=window_end,
        )
        .annotate(month=TruncMonth("meeting__starts_at", tzinfo=tz))
        .values("month")
        .annotate(n=Count("id"))
    ):
        month = values["month"]
        first = (month.date() if hasattr(month, "date") else month).replace(day=1)
        if first in rows:
            rows[first]["meetings"] += values["n"]
    for starts_on, ends_on in SickLeave.objects.filter(
        placement__in=placements, starts_on__lte=window_end, ends_on__gte=window_start
    ).values_list("starts_on", "ends_on"):
        for month in months:
            lo, hi = max(starts_on, month.start), min(ends_on, month.end)
            if lo <= hi:
                rows[month.start]["sick_days"] += (hi - lo).days + 1
    for values in (
        WorkLogEntry.objects.filter(
            placement__in=placements, day__gte=window_start, day__lte=window_end
        )
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(n=Count("id"))
    ):
        month = values["month"]
        first = (month.date() if hasattr(month, "date") else month).replace(day=1)
        if first in rows:
            rows[first]["activities"] += values["n"]
    return [rows[m.start] for m in months]


def _scope(network: Organisation, round_: RecruitmentRound | None) -> str:
    return f"network:{network.pk}" + (f"/round:{round_.pk}" if round_ is not None else "")


def _completed_people(round_: RecruitmentRound) -> list[int]:
    return list(
        Participant.objects.filter(
            application__round=round_, status=ParticipantStatus.COMPLETED, user__isnull=False
        ).values_list("user_id", flat=True)
    )


def _recompute_months(scope: str, months: list[Period]) -> list[dict[str, Any]] | None:
    parts = dict(part.split(":", 1) for part in scope.split("/"))
    network = Organisation.objects.filter(pk=int(parts["network"])).first()
    round_ = None
    if "round" in parts:
        round_ = RecruitmentRound.objects.filter(pk=int(parts["round"])).first()
        if round_ is None:
            return None
    if network is None:
        return None
    people = _completed_people(round_) if round_ is not None else None
    return _month_figures(_placements(network, people), months)


# A closed month's figures are stored (reports/stored.py); raise the version when the
# definitions of the monthly figures change.
MONTH_FIGURES = FigureKind(
    code="programme_months",
    version=2,
    keys=("working", "meetings", "sick_days", "activities"),
    compute=_recompute_months,
)


def _months(
    network: Organisation, round_: RecruitmentRound | None, placements: Any, today: date
) -> list[MonthRow]:
    """The last twelve months, this one included: closed months from the store."""
    last = today.replace(day=1)
    months = [
        Period(first, month_end(first))
        for first in (add_months(last, -i) for i in reversed(range(MONTHS_SHOWN)))
    ]
    values = figures(
        MONTH_FIGURES,
        _scope(network, round_),
        months,
        lambda wanted: _month_figures(placements, wanted),
        today,
    )
    return [MonthRow(m.start, **v) for m, v in zip(months, values, strict=True)]


def _workplaces(
    network: Organisation, placements: Any, today: date
) -> tuple[list[WorkplaceRow], list[RegionRow]]:
    active = Q(placements__in=placements) & (
        Q(placements__ends_on__isnull=True) | Q(placements__ends_on__gte=today)
    )
    workplaces = list(
        PeerWorkplace.objects.filter(network__path__startswith=network.path)
        .select_related("workplace")
        .annotate(
            active=Count("placements", filter=active & Q(placements__starts_on__lte=today)),
            total=Count("placements", filter=Q(placements__in=placements)),
            people=Count(
                "placements__peer_supporter", filter=Q(placements__in=placements), distinct=True
            ),
        )
        .order_by("workplace__path")
    )
    root_ids = {int(w.workplace.path.strip("/").split("/")[0]) for w in workplaces}
    roots = dict(Organisation.objects.filter(pk__in=root_ids).values_list("pk", "name"))
    sick: dict[int, int] = defaultdict(int)
    for workplace_id, starts_on, ends_on in SickLeave.objects.filter(
        placement__in=placements
    ).values_list("placement__workplace_id", "starts_on", "ends_on"):
        sick[workplace_id] += (ends_on - starts_on).days + 1
    rows = []
    regions: dict[str, RegionRow] = {}
    for w in workplaces:
        region = roots.get(int(w.workplace.path.strip("/").split("/")[0]), "")
        rows.append(
            WorkplaceRow(w.workplace.name, region, w.active, w.total, w.people, sick.get(w.pk, 0))
        )
        summary = regions.setdefault(region, RegionRow(region))
        summary.workplaces += 1
        summary.active += w.active
        summary.total += w.total
    return rows, sorted(regions.values(), key=lambda r: r.name)


def programme_report(
    network: Organisation, round_: RecruitmentRound | None = None, today: date | None = None
) -> ProgrammeReport:
    today = today or timezone.localdate()
    rounds = [round_] if round_ is not None else list(rounds_in(network))
    funnel = _funnel(rounds, today)
    total = RoundRow(label=str(_("All rounds")) if round_ is None else round_.title)
    for row in funnel:
        total.add(row)
    people = _completed_people(round_) if round_ is not None else None
    placements = _placements(network, people)
    workplaces, regions = _workplaces(network, placements, today)
    return ProgrammeReport(
        network=network,
        round=round_,
        today=today,
        rounds=funnel,
        total=total,
        months=_months(network, round_, placements, today),
        workplaces=workplaces,
        regions=regions,
    )


# Geometry of the charts, drawn as SVG by the template (no script, readable as a table too).


@dataclass(frozen=True)
class Bar:
    label: Any
    value: float | str
    x: int
    y: int
    width: int
    height: int


def funnel_bars(row: RoundRow, max_width: int = 380) -> list[Bar]:
    top = max((count for _k, _l, count in row.stages()), default=0) or 1
    return [
        Bar(label, count, 240, 10 + i * 34, round(max_width * count / top), 24)
        for i, (_key, label, count) in enumerate(row.stages())
    ]


def month_bars(months: list[MonthRow], max_height: int = 140) -> list[Bar]:
    values = [m.per_peer_supporter or 0.0 for m in months]
    top = max(values, default=0) or 1
    bars = []
    for i, (month, value) in enumerate(zip(months, values, strict=True)):
        height = round(max_height * value / top)
        bars.append(Bar(month.month, value, 40 + i * 48, 20 + max_height - height, 32, height))
    return bars
