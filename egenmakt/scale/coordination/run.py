"""What the steps of one region's coordination data share: the clients being made, the
case managers by organisation, the worksheet pools and how much each pattern answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from egenmakt.coordination.checklist import WORKSHEETS
from egenmakt.coordination.models import (
    Client,
    Consent,
    Goal,
    Plan,
    PlanAction,
    PlanVersion,
    ResourceGroupMember,
)
from egenmakt.scale.answers import AnswerPool
from egenmakt.scale.context import Region, RegionRun, ScaleContext


@dataclass
class ClientDraft:
    row: Client
    home_manager: Any
    partner: Any | None
    partner_org: Any | None
    ended: date | None  # the day the client's coordination closed
    consent: Consent | None = None
    plan: Plan | None = None
    goals: list[Goal] = field(default_factory=list)
    actions: list[PlanAction] = field(default_factory=list)
    versions: list[PlanVersion] = field(default_factory=list)
    members: list[ResourceGroupMember] = field(default_factory=list)


class CoordinationRun(RegionRun):
    def __init__(
        self, context: ScaleContext, region: Region, pools: dict[str, AnswerPool], serial: int
    ) -> None:
        super().__init__(context, region)
        self.pools = pools
        self.serial = serial
        self.first_serial = serial
        self.ct_client = context.content_type_id(Client)
        self.ct_plan = context.content_type_id(Plan)
        # Worksheets are answered in proportion to how often the method uses them.
        self.keys = [w.instrument for w in WORKSHEETS if w.instrument in pools]
        self.weights = [4.0 if key == "ors" else 1.0 for key in self.keys]
        self.answered = {
            key: [sum(1 for v in a.values() if v not in (None, "", [], {})) for a, _s in p.patterns]
            for key, p in pools.items()
        }
        # Case managers by the primary key of their organisation (``clients.case_managers``).
        self.managers: dict[int, list[Any]] = {}

    def plan_day(self, d: ClientDraft) -> date:
        """The day the client's plan was first written."""
        return min(d.row.started_on + timedelta(days=120), d.ended or self.today)
