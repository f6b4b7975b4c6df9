"""What the steps of one region's PEER data share: the answer pools, the content types
the responses and the access log point at, and what earlier steps made for later ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from egenmakt.accounts.models import User
from egenmakt.peer.models import (
    Application,
    InterviewRecord,
    PeerWorkplace,
    Placement,
    SupervisionAttendance,
)
from egenmakt.scale.answers import AnswerPool
from egenmakt.scale.context import Region, RegionRun, ScaleContext

PLACE = "Brukarnätverkets lokal, Storgatan 1"


@dataclass
class Graduate:
    user_id: int
    completed: date


@dataclass
class PeerState:
    """What one region's PEER generator made, for the later steps of the same region."""

    workplaces: list[PeerWorkplace] = field(default_factory=list)
    graduates: list[Graduate] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)


class PeerRun(RegionRun):
    def __init__(self, context: ScaleContext, region: Region, pools: dict[str, AnswerPool]) -> None:
        super().__init__(context, region)
        self.pools = pools
        self.state = PeerState()
        region.extra["peer"] = self.state
        self.ct = {
            model: context.content_type_id(model)
            for model in (Application, InterviewRecord, Placement, PeerWorkplace, User)
        }
        self.ct_attendance = context.content_type_id(SupervisionAttendance)
