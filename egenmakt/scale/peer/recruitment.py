"""Recruitment: rounds with their members, applications at every step, the screening and
interview decisions, interviews and their records.

Applications of rounds closed longer than the retention period exist only as their
anonymous counts, as ``erase_expired_applications`` leaves them; the admitted stay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from egenmakt.accounts.roles import Role
from egenmakt.demo.peer import STORIES
from egenmakt.instruments.models import Response
from egenmakt.peer.models import (
    PRIVACY_NOTICE_VERSION,
    Application,
    ApplicationStatus,
    Channel,
    Decision,
    DecisionOutcome,
    DecisionReason,
    DecisionStep,
    ErasedApplications,
    Interview,
    InterviewRecord,
    RecordKind,
    RecruitmentRound,
    RoundMember,
    RoundRole,
    RoundStatus,
    WorkCapacity,
    YesPartlyNo,
)
from egenmakt.scale.answers import response_row
from egenmakt.scale.context import LogTarget

from .run import PLACE, PeerRun

S = ApplicationStatus
OPEN_ROUND_COURSE_IN = 70
RUNNING_COURSE_STARTED = 14
SCREENING_REASON: dict[str, str] = {
    DecisionOutcome.GO_ON: DecisionReason.MORE_TO_LEARN,
    DecisionOutcome.NOT_NOW: DecisionReason.TIMING,
    DecisionOutcome.NO: DecisionReason.CRITERIA_NOT_MET,
}
INTERVIEW_OUTCOME = {
    S.ADMITTED: (DecisionOutcome.ADMIT, DecisionReason.CRITERIA_MET),
    S.RESERVE: (DecisionOutcome.RESERVE, DecisionReason.PLACES),
    S.DECLINED: (DecisionOutcome.DECLINE, DecisionReason.CRITERIA_NOT_MET),
}
INTERVIEWED = {S.INTERVIEWED, S.ADMITTED, S.RESERVE}
ERASED_FIELD: dict[str, str] = {
    S.ADMITTED: "admitted",
    S.RESERVE: "reserve",
    S.NOT_NOW: "not_now",
    S.DECLINED: "declined",
    S.WITHDRAWN: "withdrawn",
}


@dataclass
class Draft:
    """An application before it is inserted, with what happened to it."""

    row: Application
    interviewed: bool = False
    screening: str | None = None  # the screening outcome, if screened


def rounds(run: PeerRun) -> list[tuple[RecruitmentRound, bool]]:
    c, r = run.c, run.r
    total = c.plan.years * c.plan.rounds_per_year
    interval = 365 // c.plan.rounds_per_year
    rows = []
    for i in range(total):
        is_open = i == total - 1
        if is_open:
            course_start = run.today + timedelta(days=OPEN_ROUND_COURSE_IN)
        else:
            course_start = run.today - timedelta(
                days=RUNNING_COURSE_STARTED + (total - 2 - i) * interval
            )
        rows.append(
            RecruitmentRound(
                organisation=r.org("network"),
                title=f"Peer support-utbildning Skala {r.index} nr {i + 1}",
                status=RoundStatus.OPEN if is_open else RoundStatus.CLOSED,
                jobs_expected=max(1, c.plan.course_places * 2 // 3),
                course_places=c.plan.course_places,
                channels=[Channel.USER_ORGANISATIONS, Channel.SERVICES],
                advertising_from=course_start - timedelta(days=100),
                applications_until=course_start - timedelta(days=63),
                interviews_from=course_start - timedelta(days=73),
                interviews_until=course_start - timedelta(days=42),
                decision_by=course_start - timedelta(days=35),
                course_start=course_start,
                closed_at=None if is_open else c.moment(course_start - timedelta(days=30)),
                created_by=r.people(Role.COORDINATOR)[0],
            )
        )
    rounds = c.insert(RecruitmentRound, rows)
    members = []
    for round_ in rounds:
        for role, people, movement in (
            (RoundRole.COORDINATOR, r.people(Role.COORDINATOR), True),
            (RoundRole.INTERVIEWER, r.people(Role.INTERVIEWER), False),
        ):
            for n, person in enumerate(people):
                members.append(
                    RoundMember(
                        round=round_,
                        user=person,
                        role=role,
                        represents_user_movement=movement or n % 2 == 0,
                    )
                )
    c.insert(RoundMember, members)
    return [(round_, round_.status == RoundStatus.OPEN) for round_ in rounds]


def _statuses(run: PeerRun, count: int, is_open: bool) -> list[str]:
    shares: list[tuple[str, float]]
    if is_open:
        shares = [
            (S.WITHDRAWN, 0.05),
            (S.NOT_NOW, 0.08),
            (S.DECLINED, 0.07),
            (S.INTERVIEWED, 0.10),
            (S.INTERVIEW_BOOKED, 0.15),
            (S.GO_ON, 0.15),
        ]
    else:
        shares = [(S.WITHDRAWN, 0.05), (S.NOT_NOW, 0.15), (S.DECLINED, 0.25)]
    statuses: list[str] = []
    for status, share in shares:
        statuses += [status] * max(1, round(count * share))
    rest = count - len(statuses)
    if is_open:
        statuses += [S.APPLIED] * rest
    else:
        places = min(run.c.plan.course_places, rest)
        reserve = min(max(1, round(rest * 0.2)), rest - places)
        # After the interview: admitted, reserves, the rest declined.
        statuses += [S.ADMITTED] * places + [S.RESERVE] * reserve
        statuses += ["declined_after_interview"] * (rest - places - reserve)
    run.rng.shuffle(statuses)
    return statuses[:count]


def applications(run: PeerRun, round_: RecruitmentRound, is_open: bool) -> list[Draft]:
    c = run.c
    erased = not is_open and round_.closed_at is not None and round_.erase_after() < timezone.now()
    counts = ErasedApplications(round=round_)
    drafts: list[Draft] = []
    last_day = min(round_.applications_until, run.today)
    for n, status in enumerate(_statuses(run, c.plan.applications_per_round, is_open)):
        after_interview = status == "declined_after_interview"
        status = S.DECLINED if after_interview else status
        submitted = c.moment(c.day_between(round_.advertising_from, last_day))
        screened = status not in {S.APPLIED, S.WITHDRAWN}
        interviewed = after_interview or status in INTERVIEWED
        held_on = c.day_between(round_.interviews_from, min(round_.interviews_until, run.today))
        own, care, why = STORIES[n % len(STORIES)]
        row = Application(
            round=round_,
            status=status,
            full_name=c.name(),
            email=c.email("sokande"),
            municipality=f"Skalkommun {run.r.index}",
            birth_year=run.rng.randint(1955, 2003),
            own_experience=own,
            care_experience=care,
            motivation=why,
            work_capacity=run.rng.choice(WorkCapacity.values),
            available_for_course=YesPartlyNo.YES,
            heard_from=run.rng.choice(Channel.values),
            privacy_notice_version=PRIVACY_NOTICE_VERSION,
            submitted_at=submitted,
            screened_at=submitted + timedelta(days=run.rng.randint(1, 10)) if screened else None,
            interviewed_at=c.moment(held_on) if interviewed else None,
            withdrawn_at=submitted + timedelta(days=3) if status == S.WITHDRAWN else None,
        )
        screening = None
        if screened:
            if status in {S.NOT_NOW}:
                screening = DecisionOutcome.NOT_NOW
            elif status == S.DECLINED and not after_interview:
                screening = DecisionOutcome.NO
            else:
                screening = DecisionOutcome.GO_ON
        if erased and status != S.ADMITTED:
            counts.applied += 1
            counts.screened += screened
            counts.interviewed += interviewed
            name = ERASED_FIELD.get(status)
            if name:
                setattr(counts, name, getattr(counts, name) + 1)
            continue
        drafts.append(Draft(row, interviewed, screening))
    if erased:
        counts.erased_at = round_.erase_after()
        c.insert(ErasedApplications, [counts])
    saved = c.insert(Application, [d.row for d in drafts])
    for draft, row in zip(drafts, saved, strict=True):
        draft.row = row
        run.r.log_targets.append(
            LogTarget(
                run.ct[Application],
                row.pk,
                run.ct[Application],
                row.pk,
                f"/peer/ansokningar/{row.pk}/",
            )
        )
    _decisions_and_interviews(run, round_, drafts, is_open)
    return drafts


def _decisions_and_interviews(
    run: PeerRun, round_: RecruitmentRound, drafts: list[Draft], is_open: bool
) -> None:
    c, r = run.c, run.r
    coordinator = r.people(Role.COORDINATOR)[0]
    interviewers = r.people(Role.INTERVIEWER)
    decisions, interviews = [], []
    for draft in drafts:
        app = draft.row
        if draft.screening and app.screened_at:
            decisions.append(
                Decision(
                    application=app,
                    step=DecisionStep.SCREENING,
                    outcome=draft.screening,
                    reason=SCREENING_REASON[draft.screening],
                    decided_by=coordinator,
                    decided_at=app.screened_at,
                )
            )
        if draft.interviewed and app.status in INTERVIEW_OUTCOME and app.interviewed_at:
            outcome, reason = INTERVIEW_OUTCOME[S(app.status)]
            decisions.append(
                Decision(
                    application=app,
                    step=DecisionStep.INTERVIEW,
                    outcome=outcome,
                    reason=reason,
                    decided_by=coordinator,
                    decided_at=app.interviewed_at + timedelta(days=5),
                )
            )
        booked = app.status == S.INTERVIEW_BOOKED
        if draft.interviewed or booked:
            first, second = run.rng.sample(interviewers, 2)
            when = app.interviewed_at or c.moment(
                c.day_between(run.today + timedelta(days=1), round_.interviews_until)
            )
            interviews.append(
                Interview(
                    application=app,
                    starts_at=when,
                    place=PLACE,
                    interviewer_1=first,
                    interviewer_2=second,
                    booked_by=coordinator,
                    held_at=None if booked else when + timedelta(hours=1),
                )
            )
    c.insert(Decision, decisions)
    saved = c.insert(Interview, interviews)
    records = []
    for interview in saved:
        if interview.held_at is None:
            continue
        for kind in (RecordKind.NOTES, RecordKind.ASSESSMENT):
            for author in (interview.interviewer_1, interview.interviewer_2, None):
                records.append(InterviewRecord(interview=interview, kind=kind, author=author))
    records = c.insert(InterviewRecord, records)
    responses = []
    for record in records:
        interview = record.interview
        responses.append(
            response_row(
                run.pools[record.kind],
                run.rng,
                subject_type_id=run.ct[InterviewRecord],
                subject_id=record.pk,
                entered_by_id=record.author_id or interview.interviewer_1_id,
                answered_on=timezone.localtime(interview.starts_at).date(),
            )
        )
    c.insert_only(Response, responses)
