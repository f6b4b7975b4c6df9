"""Worksheets: about ``answers_per_client`` answered items per client, as submitted
responses with the mapping step that records each."""

from __future__ import annotations

from egenmakt.coordination.checklist import WORKSHEET_STEP
from egenmakt.coordination.models import Phase, StepRecord
from egenmakt.instruments.models import Response
from egenmakt.scale.answers import response_row

from .run import ClientDraft, CoordinationRun


def worksheets(run: CoordinationRun, batch: list[ClientDraft]) -> None:
    """About ``answers_per_client`` answered items per client, as submitted responses
    with the step that records each; none before the mapping starts."""
    c, rng = run.c, run.rng
    target = c.plan.answers_per_client
    if not target or not run.keys:
        return
    responses, steps = [], []
    for d in batch:
        client = d.row
        if client.phase == Phase.START:
            continue
        budget = rng.randint(target // 2, target * 3 // 2)
        last = d.ended or run.today
        while budget > 0:
            key = rng.choices(run.keys, run.weights)[0]
            pool = run.pools[key]
            index = rng.randrange(len(pool.patterns))
            budget -= max(1, run.answered[key][index])
            day = c.day_between(client.started_on, last)
            response = response_row(
                pool,
                rng,
                subject_type_id=run.ct_client,
                subject_id=client.pk,
                entered_by_id=d.home_manager.pk,
                answered_on=day,
                respondent_kind=pool.definition.respondents[0],
            )
            response.answers, response.scores = pool.patterns[index]
            responses.append(response)
            steps.append(
                StepRecord(
                    client=client,
                    step=WORKSHEET_STEP[key],
                    done_on=day,
                    shared=c.chance(0.9),
                    organisation=client.organisation,
                    entered_by=d.home_manager,
                )
            )
    saved = c.insert(Response, responses)
    for step, response in zip(steps, saved, strict=True):
        step.response_id = response.pk
    present = StepRecord.present.through
    rows = []
    for step in c.insert(StepRecord, steps):
        rows.append(present(steprecord_id=step.pk, user_id=step.entered_by_id))
    c.insert_only(present, rows)
