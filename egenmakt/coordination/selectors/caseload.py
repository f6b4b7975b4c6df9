"""Outcomes and the method across a unit's caseload: the facts per client, no names.

The reports app turns these into the caseload report (counts, shares and medians with
small counts suppressed) and the pseudonymised research extract; this module only reads,
in a fixed number of queries however many clients the unit has.

What is counted (the page's "how the numbers are counted" says the same):

* **The caseload**: the clients of the unit and the units below it whose coordination
  started in the period. Clients whose processing is restricted (GDPR art. 18) are left
  out: statistics are processing too. Archived clients stay in.
* **Facts up to the period's end** (``as_of``): nothing recorded later is read.
* **ORS since intake**: the first and the latest submitted ORS total; the change is
  classified by the instrument's own ``reliable_change`` (``instruments/definitions/ors.yaml``,
  through ``instruments.scoring.classify_change``), never a copy of the number here.
* **Mapping duration**: start to the first recorded "summary" step of checklist K
  (compiling the mapping, the step that opens the planning). The client's phase is kept
  without the day it changed, so the phase cannot be dated.
* **Both case managers present**: a recorded step that checklist K marks for both
  (``StepDef.both``) counts when at least two of the client's case managers (care-team
  seats with the case-manager role) are among those recorded present.
* **A held meeting in the last three months**: of the clients still in coordination at
  the period's end (not archived) who started at least three months before it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Min, QuerySet
from django.utils import timezone

from egenmakt.accounts.models import Organisation
from egenmakt.coordination.checklist import ORS_STEP, STEPS
from egenmakt.coordination.models import (
    CareTeamMember,
    Client,
    Meeting,
    MeetingStatus,
    PlanVersion,
    StepRecord,
    TeamRole,
)
from egenmakt.core.dates import add_months
from egenmakt.instruments.models import InstrumentDefinition
from egenmakt.instruments.scoring import ChangeKind, classify_change

ORS_SCORE = "total"
SUMMARY_STEP = "summary"
# The steps checklist K marks with a cross: both case managers attend them.
BOTH_STEPS: tuple[str, ...] = tuple(key for key, step in STEPS.items() if step.both)
RECENT_MONTHS = 3


@dataclass
class ClientOutcome:
    """What the caseload report needs of one client; no name, id number or birth date."""

    pk: int
    unit: str
    phase: str
    started_on: date
    archived: bool
    ors: list[float] = field(default_factory=list)
    ors_change: ChangeKind | None = None  # None: fewer than two ORS
    first_meeting_on: date | None = None
    plan_decided_on: date | None = None
    summary_on: date | None = None
    both_steps: int = 0
    both_present: int = 0
    recent_due: bool = False  # counted in the "held meeting in the last three months" share
    held_recently: bool = False

    @property
    def ors_first(self) -> float | None:
        return self.ors[0] if self.ors else None

    @property
    def ors_latest(self) -> float | None:
        return self.ors[-1] if len(self.ors) > 1 else None

    def _days(self, day: date | None) -> int | None:
        return None if day is None else (day - self.started_on).days

    @property
    def days_to_first_meeting(self) -> int | None:
        return self._days(self.first_meeting_on)

    @property
    def days_to_plan(self) -> int | None:
        return self._days(self.plan_decided_on)

    @property
    def mapping_days(self) -> int | None:
        return self._days(self.summary_on)


def caseload_clients(unit: Organisation, starts_on: date, ends_on: date) -> QuerySet[Client]:
    """The unit's caseload: started in the period, under the unit, not restricted."""
    return Client.objects.filter(
        organisation__path__startswith=unit.path,
        started_on__gte=starts_on,
        started_on__lte=ends_on,
        restricted_at__isnull=True,
    )


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def caseload_outcomes(unit: Organisation, starts_on: date, ends_on: date) -> list[ClientOutcome]:
    """One ``ClientOutcome`` per client of the caseload, facts up to ``ends_on``."""
    clients = caseload_clients(unit, starts_on, ends_on)
    end = _end_of(ends_on)
    rows = {
        pk: ClientOutcome(
            pk=pk,
            unit=unit_name,
            phase=phase,
            started_on=started_on,
            archived=archived_at is not None and archived_at < end,
        )
        for pk, unit_name, phase, started_on, archived_at in clients.order_by(
            "started_on", "pk"
        ).values_list("pk", "organisation__name", "phase", "started_on", "archived_at")
    }
    if not rows:
        return []
    ids = clients.values("pk")

    # The ORS: submitted totals in the order they were done.
    series: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for client_id, scores, definition_id in (
        StepRecord.objects.filter(
            client__in=ids,
            step=ORS_STEP,
            done_on__lte=ends_on,
            response__status="submitted",
        )
        .order_by("client_id", "done_on", "pk")
        .values_list("client_id", "response__scores", "response__definition_id")
    ):
        value = ((scores or {}).get(ORS_SCORE) or {}).get("value")
        if value is not None:
            series[client_id].append((float(value), definition_id))
    # The content of each version comes from the process's cache by its checksum.
    definitions: dict[int, dict[str, Any]] = {
        row.pk: row.definition
        for row in InstrumentDefinition.objects.filter(
            pk__in={d for points in series.values() for _v, d in points}
        )
    }
    for client_id, points in series.items():
        row = rows[client_id]
        row.ors = [value for value, _d in points]
        if len(points) > 1:
            # The latest rating's version of the instrument holds the rule of change.
            row.ors_change = classify_change(
                definitions[points[-1][1]], ORS_SCORE, before=row.ors[0], after=row.ors[-1]
            )

    first_meetings = (
        Meeting.objects.filter(client__in=ids, status=MeetingStatus.HELD, starts_at__lt=end)
        .values("client_id")
        .annotate(first=Min("starts_at"))
        .values_list("client_id", "first")
    )
    for client_id, first in first_meetings:
        rows[client_id].first_meeting_on = timezone.localtime(first).date()

    for client_id, decided_on in (
        PlanVersion.objects.filter(plan__client__in=ids, decided_on__lte=ends_on)
        .values("plan__client_id")
        .annotate(first=Min("decided_on"))
        .values_list("plan__client_id", "first")
    ):
        rows[client_id].plan_decided_on = decided_on

    for client_id, done_on in (
        StepRecord.objects.filter(client__in=ids, step=SUMMARY_STEP, done_on__lte=ends_on)
        .values("client_id")
        .annotate(first=Min("done_on"))
        .values_list("client_id", "first")
    ):
        rows[client_id].summary_on = done_on

    _both_present(rows, ids, ends_on)
    _held_recently(rows, ids, ends_on, end)
    return list(rows.values())


def _both_present(rows: dict[int, ClientOutcome], ids: QuerySet[Any], ends_on: date) -> None:
    case_managers: dict[int, set[int]] = defaultdict(set)
    for client_id, user_id in CareTeamMember.objects.filter(
        client__in=ids, role=TeamRole.CASE_MANAGER
    ).values_list("client_id", "user_id"):
        case_managers[client_id].add(user_id)
    steps = StepRecord.objects.filter(client__in=ids, step__in=BOTH_STEPS, done_on__lte=ends_on)
    present: dict[int, set[int]] = defaultdict(set)
    for step_id, user_id in StepRecord.present.through.objects.filter(
        steprecord__in=steps.values("pk")
    ).values_list("steprecord_id", "user_id"):
        present[step_id].add(user_id)
    for step_id, client_id in steps.values_list("pk", "client_id"):
        row = rows[client_id]
        row.both_steps += 1
        if len(present[step_id] & case_managers[client_id]) >= 2:
            row.both_present += 1


def _held_recently(
    rows: dict[int, ClientOutcome], ids: QuerySet[Any], ends_on: date, end: datetime
) -> None:
    since = add_months(ends_on, -RECENT_MONTHS)
    for row in rows.values():
        row.recent_due = not row.archived and row.started_on <= since
    held = set(
        Meeting.objects.filter(
            client__in=ids,
            status=MeetingStatus.HELD,
            starts_at__gte=_end_of(since),
            starts_at__lt=end,
        ).values_list("client_id", flat=True)
    )
    for client_id in held:
        rows[client_id].held_recently = True
