"""Scale data for the PEER programme: ten years of rounds per region (the newest open),
applications at every step, interviews with their records, courses with attendance and
homework, workplaces, placements, sick leave, fidelity reviews, supervision and reunions.

One module per area of the programme, as in ``egenmakt.peer``: ``recruitment``,
``course``, ``placement`` (workplaces too), ``supervision`` and ``follow_up``; each step
takes the region's ``PeerRun`` (``run``), which carries what earlier steps made.
"""

from __future__ import annotations

from egenmakt.instruments.models import Response
from egenmakt.peer.models import Cohort, RecordKind
from egenmakt.scale.answers import AnswerPool
from egenmakt.scale.context import ScaleContext, given_times

from . import course, follow_up, placement, recruitment, supervision
from .run import PeerRun


def generate(context: ScaleContext) -> None:
    rng = context.random
    pools = {
        RecordKind.NOTES: AnswerPool("applicant_interview", rng),
        RecordKind.ASSESSMENT: AnswerPool("selection_criteria", rng),
        "fidelity": AnswerPool("fidelity", rng, yes_bias=0.8),
        "supervision": AnswerPool("supervision_meeting", rng),
        "readiness": AnswerPool("workplace_readiness", rng, yes_bias=0.85),
    }
    with given_times((Response, "created_at"), (Cohort, "created_at")):
        for region in context.regions:
            _region(PeerRun(context, region, pools))


def _region(run: PeerRun) -> None:
    placement.workplaces(run)
    for round_, is_open in recruitment.rounds(run):
        drafts = recruitment.applications(run, round_, is_open)
        if not is_open:
            course.course(run, round_, drafts)
    placement.placements(run)
    supervision.meetings(run)
    follow_up.events(run)
