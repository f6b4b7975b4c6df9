"""Follow-up (domain.md 2.1): goal attainment per sub-goal at each meeting, the ORS over
time with its cut-off and reliable change, and the client's "Min delaktighet" ratings.

Everything here is read from what was recorded elsewhere (the meetings' goal reviews,
submitted worksheets); nothing is typed twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from egenmakt.coordination.access import ClientAccess, visible_q
from egenmakt.coordination.checklist import OrsStatus, ors_status
from egenmakt.coordination.models import (
    Client,
    Goal,
    GoalReview,
    Meeting,
    MeetingStatus,
    StepRecord,
)
from egenmakt.coordination.selectors.mapping import visible_submitted
from egenmakt.instruments.display import ChartData, chart_data
from egenmakt.instruments.models import InstrumentDefinition
from egenmakt.instruments.scoring import classify_change
from egenmakt.instruments.selectors import find_current_definition

from .meetings import last_held_meeting_day

ORS = "ors"
MY_PARTICIPATION = "my_participation"


@dataclass
class GoalRow:
    goal: Goal
    cells: list[GoalReview | None]  # one per held meeting, oldest first
    meetings: list[Meeting] = field(default_factory=list)  # the held meetings, as cells

    @property
    def by_meeting(self) -> list[tuple[Meeting, GoalReview | None]]:
        """Each cell with its meeting, so a list on a phone names the meeting of each."""
        return list(zip(self.meetings, self.cells, strict=True))

    @property
    def latest(self) -> GoalReview | None:
        return next((cell for cell in reversed(self.cells) if cell is not None), None)


@dataclass
class Trajectory:
    """A worksheet's primary score over time, with the change from the first to the latest."""

    definition: InstrumentDefinition | None
    data: ChartData
    since_start: str  # "improved" | "deteriorated" | "no_reliable_change" | ""

    @property
    def first(self) -> Any:
        return self.data.points[0] if self.data.points else None

    @property
    def latest(self) -> Any:
        return self.data.points[-1] if self.data.points else None


@dataclass
class FollowUp:
    meetings: list[Meeting]
    goals: list[GoalRow]
    ors: Trajectory
    participation: Trajectory
    participation_answers: list[tuple[str, str]]  # (statement, answer) of the latest


def held_meetings(access: ClientAccess, client: Client) -> list[Meeting]:
    """Held meetings this user reads (the same rule as the meeting pages)."""
    return list(
        Meeting.objects.filter(client=client, status=MeetingStatus.HELD)
        .filter(visible_q(access, has_shared_flag=False))
        .order_by("starts_at", "id")
    )


def _trajectory(access: ClientAccess, client: Client, key: str, language: str) -> Trajectory:
    definition = find_current_definition(key, client.organisation)
    if definition is None:
        return Trajectory(None, ChartData(None, "", [], None, "", None), "")
    data = chart_data(definition.definition, visible_submitted(access, client, key), language)
    since_start = ""
    if data.score is not None and len(data.points) > 1:
        since_start = classify_change(
            definition.definition,
            data.score["key"],
            before=data.points[0].value,
            after=data.points[-1].value,
        )
    return Trajectory(definition, data, since_start)


def _participation_answers(trajectory: Trajectory, language: str) -> list[tuple[str, str]]:
    latest = trajectory.latest
    if trajectory.definition is None or latest is None:
        return []
    answers = latest.response.answers
    labels = {"yes": _("yes"), "partly": _("partly"), "no": _("no")}
    rows = []
    for section in trajectory.definition.definition["sections"]:
        for item in section["items"]:
            if item["type"] != "yes_partly_no":
                continue
            value = answers.get(item["key"])
            rows.append((item["label"].get(language) or item["label"]["sv"], labels.get(value, "")))
    return rows


def build_followup(access: ClientAccess, client: Client, goals: list[Goal]) -> FollowUp:
    """The follow-up of ``client`` for the given access; ``goals`` are the plan's sub-goals."""
    language = (get_language() or "sv")[:2]
    meetings = held_meetings(access, client)
    reviews = GoalReview.objects.filter(
        Q(meeting__in=[m.pk for m in meetings]), goal__in=[g.pk for g in goals]
    )
    by_cell = {(r.goal_id, r.meeting_id): r for r in reviews}
    rows = [
        GoalRow(goal, [by_cell.get((goal.pk, m.pk)) for m in meetings], meetings) for goal in goals
    ]
    ors = _trajectory(access, client, ORS, language)
    participation = _trajectory(access, client, MY_PARTICIPATION, language)
    return FollowUp(
        meetings=meetings,
        goals=rows,
        ors=ors,
        participation=participation,
        participation_answers=_participation_answers(participation, language),
    )


def ors_for(
    access: ClientAccess | None,
    client: Client,
    steps: Iterable[StepRecord],
    upcoming: Meeting | None,
    today: date | None = None,
    *,
    last_held: date | Literal["read"] | None = "read",
) -> OrsStatus:
    """The ORS due dates: a month after the start, then before ``upcoming`` (the next
    booked meeting) unless one is in since the last held meeting (``last_held``, read
    here unless the caller has it)."""
    return ors_status(
        client,
        steps,
        today,
        next_meeting=timezone.localtime(upcoming.starts_at).date() if upcoming else None,
        last_held=(
            last_held_meeting_day(access, client) if isinstance(last_held, str) else last_held
        ),
    )
