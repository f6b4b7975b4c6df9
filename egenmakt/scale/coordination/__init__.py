"""Scale data for care and support coordination: ten years of a region's clients with
their care teams, consents, contacts, worksheets, plans (goals, measures, decided
versions), resource groups and meetings (held, with attendance, goal reviews and
decisions, and the next one booked), and the people the access log is about.

Volumes per region at full size (``egenmakt.scale.plan``): 10,000 clients who started
evenly over ten years, 100 case managers (half in the clinic, half in the municipality),
about ``ANSWERS_PER_CLIENT`` worksheet items answered per client (a million a region).
Clients who started more than two years ago are mostly closed, with their seats ended.

Identity numbers are synthetic: birth numbers 980–999 only
(``egenmakt.demo.coordination.synthetic_identity_number``).

One module per area, as in ``egenmakt.coordination``: ``clients`` (case managers, clients,
care teams, consents, contacts), ``worksheets``, ``plans`` (with the resource group) and
``meetings``; each step takes the region's ``CoordinationRun`` (``run``) and a batch of
clients.
"""

from __future__ import annotations

from egenmakt.coordination.checklist import WORKSHEETS
from egenmakt.coordination.models import (
    Client,
    Consent,
    Contact,
    Decision,
    Goal,
    Meeting,
    Plan,
    PlanAction,
    PlanVersion,
)
from egenmakt.instruments.models import InstrumentDefinition, Response
from egenmakt.scale.answers import AnswerPool
from egenmakt.scale.context import ScaleContext, given_times

from . import clients, meetings, plans, worksheets
from .run import CoordinationRun

# Clients are made, and their dependants inserted, this many at a time.
CLIENT_BATCH = 1_000


def generate(context: ScaleContext) -> None:
    rng = context.random
    keys = set(InstrumentDefinition.objects.values_list("key", flat=True))
    pools = {
        w.instrument: AnswerPool(w.instrument, rng) for w in WORKSHEETS if w.instrument in keys
    }
    times = (
        (Client, "created_at"),
        (Client, "updated_at"),
        (Consent, "recorded_at"),
        (Contact, "updated_at"),
        (Plan, "updated_at"),
        (Goal, "created_at"),
        (PlanAction, "created_at"),
        (PlanVersion, "decided_at"),
        (Meeting, "created_at"),
        (Meeting, "updated_at"),
        (Decision, "recorded_at"),
        (Response, "created_at"),
        (Response, "updated_at"),
    )
    with given_times(*times):
        serial = 0
        for region in context.regions:
            serial = _region(CoordinationRun(context, region, pools, serial))


def _region(run: CoordinationRun) -> int:
    """Make one region's clients, batch by batch; return the next client serial number."""
    clients.case_managers(run)
    total = run.c.plan.clients_per_region
    for first in range(0, total, CLIENT_BATCH):
        batch = clients.clients(run, min(CLIENT_BATCH, total - first))
        clients.teams_and_consents(run, batch)
        clients.contacts(run, batch)
        worksheets.worksheets(run, batch)
        plans.plans(run, batch)
        meetings.meetings(run, batch)
    return run.serial
