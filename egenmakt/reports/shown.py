"""The programme report as its reader may see it: every count about people shown as it is
to those who see the people themselves (the network's coordinators, who work with the
applicants by name), and with counts of one to four shown as "<5" to everyone else (the
analysts), together with what would give such a count back: a rate or a number of days
over fewer than five people, a bar's length, the "only one" mark. One function for the
page, the files and the API, so none says more than another (``core.suppression``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from egenmakt.accounts.models import Organisation
from egenmakt.core.suppression import is_small, shown_count

from .programme import Bar, FollowUp, ProgrammeReport, RoundRow, funnel_bars, month_bars

Count = int | str


@dataclass(frozen=True)
class ShownFollowUp:
    eligible: Count
    employed: Count


@dataclass(frozen=True)
class ShownRound:
    label: str
    round: Any
    applied: Count
    interviewed: Count
    admitted: Count
    completed: Count
    employed: Count
    after_6: ShownFollowUp
    after_12: ShownFollowUp


@dataclass(frozen=True)
class ShownMonth:
    month: date
    working: Count
    meetings: Count
    per_peer_supporter: float | None
    sick_days: int | None
    activities: int | None
    activities_per_peer_supporter: float | None


@dataclass(frozen=True)
class ShownWorkplace:
    name: str
    region: str
    active: Count
    total: Count
    peer_supporters: Count
    sick_days: int | None
    only_one: bool


@dataclass(frozen=True)
class ShownRegion:
    name: str
    workplaces: int
    active: Count
    total: Count


@dataclass(frozen=True)
class ShownReport:
    network: Organisation
    round: Any
    today: date
    rounds: list[ShownRound]
    total: ShownRound
    months: list[ShownMonth]
    workplaces: list[ShownWorkplace]
    regions: list[ShownRegion]
    suppressed: bool
    funnel_bars: list[Bar]
    month_bars: list[Bar]


def shown_report(report: ProgrammeReport, *, suppress: bool) -> ShownReport:
    def count(value: int) -> Count:
        return shown_count(value) if suppress else value

    def follow_up(row: FollowUp) -> ShownFollowUp:
        return ShownFollowUp(count(row.eligible), count(row.employed))

    def round_row(row: RoundRow) -> ShownRound:
        return ShownRound(
            row.label,
            row.round,
            count(row.applied),
            count(row.interviewed),
            count(row.admitted),
            count(row.completed),
            count(row.employed),
            follow_up(row.after_6),
            follow_up(row.after_12),
        )

    def few(people: int) -> bool:
        return suppress and is_small(people)

    months = [
        ShownMonth(
            m.month,
            count(m.working),
            count(m.meetings),
            None if few(m.working) else m.per_peer_supporter,
            None if few(m.working) else m.sick_days,
            None if few(m.working) else m.activities,
            None if few(m.working) else m.activities_per_peer_supporter,
        )
        for m in report.months
    ]
    bars = funnel_bars(report.total)
    if suppress:
        bars = [
            Bar(b.label, shown_count(count), b.x, b.y, 0, b.height) if is_small(count) else b
            for b, (_key, _label, count) in zip(bars, report.total.stages(), strict=True)
        ]
    drawn = month_bars(report.months)
    if suppress:
        bottom = max((b.y + b.height for b in drawn), default=0)
        drawn = [
            Bar(b.label, 0, b.x, bottom, b.width, 0) if few(m.working) else b
            for b, m in zip(drawn, report.months, strict=True)
        ]
    return ShownReport(
        network=report.network,
        round=report.round,
        today=report.today,
        rounds=[round_row(r) for r in report.rounds],
        total=round_row(report.total),
        months=months,
        workplaces=[
            ShownWorkplace(
                w.name,
                w.region,
                count(w.active),
                count(w.total),
                count(w.peer_supporters),
                None if few(w.peer_supporters) else w.sick_days,
                w.active == 1 and not suppress,
            )
            for w in report.workplaces
        ],
        regions=[
            ShownRegion(r.name, r.workplaces, count(r.active), count(r.total))
            for r in report.regions
        ],
        suppressed=suppress,
        funnel_bars=bars,
        month_bars=drawn,
    )
