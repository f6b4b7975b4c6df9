"""The course: a cohort with its staff, participants (graduates become peer supporters),
sessions with their leaders and attendance, homework and submissions."""

from __future__ import annotations

from datetime import time, timedelta

from egenmakt.accounts.models import Membership, User
from egenmakt.accounts.roles import Role
from egenmakt.peer.models import (
    Application,
    Assignment,
    Attendance,
    AttendanceStatus,
    Cohort,
    CohortRole,
    CohortStaff,
    CourseSession,
    Participant,
    ParticipantStatus,
    RecruitmentRound,
    Submission,
)
from egenmakt.scale.accounts import staff_user
from egenmakt.scale.context import LogTarget
from egenmakt.scale.plan import ASSIGNMENTS_PER_COURSE, SESSIONS_PER_COURSE

from .recruitment import Draft, S
from .run import PLACE, Graduate, PeerRun

COURSE_DAYS = 35
THEMES = [
    "Peer supporterns roll",
    "Vad är återhämtning?",
    "Egen erfarenhet som verktyg",
    "Bemötande",
    "Svåra situationer",
    "Etik och tystnadsplikt",
    "Brukarrörelsen",
    "Samverkan i teamet",
    "Att ta hand om sig själv",
    "Avslutning och vägen vidare",
]


def course(run: PeerRun, round_: RecruitmentRound, drafts: list[Draft]) -> None:
    c, r = run.c, run.r
    admitted = [d.row for d in drafts if d.row.status == S.ADMITTED]
    if not admitted:
        return
    start = round_.course_start
    finished = start + timedelta(days=COURSE_DAYS) < run.today
    lead = run.rng.choice(r.people(Role.TRAINING_LEAD))
    cohort = c.insert(
        Cohort,
        [
            Cohort(
                round=round_,
                title=round_.title.replace("utbildning", "kursen"),
                created_by=lead,
                created_at=c.moment(start - timedelta(days=30)),
            )
        ],
    )[0]
    leaders = run.rng.sample(r.people(Role.COURSE_LEADER), min(2, c.plan.staff("course_leader")))
    lecturers = run.rng.sample(r.people(Role.LECTURER), min(2, c.plan.staff("lecturer")))
    staff = [CohortStaff(cohort=cohort, user=lead, role=CohortRole.TRAINING_LEAD)]
    staff += [CohortStaff(cohort=cohort, user=u, role=CohortRole.COURSE_LEADER) for u in leaders]
    staff += [CohortStaff(cohort=cohort, user=u, role=CohortRole.LECTURER) for u in lecturers]
    c.insert(CohortStaff, staff)

    users = c.insert(User, [staff_user(c, "deltagare") for _a in admitted])
    completed_at = c.moment(start + timedelta(days=COURSE_DAYS), hour=16)
    participants, graduates = [], []
    for application, user in zip(admitted, users, strict=True):
        status = ParticipantStatus.ACTIVE
        if finished:
            roll = run.rng.random()
            status = (
                ParticipantStatus.COMPLETED
                if roll < 0.85
                else ParticipantStatus.LEFT
                if roll < 0.95
                else ParticipantStatus.NOT_COMPLETED
            )
        done = status == ParticipantStatus.COMPLETED
        participants.append(
            Participant(
                cohort=cohort,
                application=application,
                user=user,
                status=status,
                recommended=True if done else None,
                recommendation_reason="Har visat god förmåga." if done else "",
                decided_by=r.people(Role.COORDINATOR)[0] if finished else None,
                completed_at=completed_at if done else None,
            )
        )
        if done:
            graduates.append(user)
    participants = c.insert(Participant, participants)
    c.insert(
        Membership,
        [
            Membership(
                user=u,
                organisation=r.org("user_org_a" if n % 2 else "user_org_b"),
                role=Role.PEER_SUPPORTER,
            )
            for n, u in enumerate(graduates)
        ],
    )
    run.state.graduates += [Graduate(u.pk, completed_at.date()) for u in graduates]

    sessions = c.insert(
        CourseSession,
        [
            CourseSession(
                cohort=cohort,
                day=start + timedelta(days=7 * (n // 2) + 2 * (n % 2)),
                starts=time(9),
                ends=time(16),
                place=PLACE,
                theme=THEMES[n % len(THEMES)],
            )
            for n in range(SESSIONS_PER_COURSE)
        ],
    )
    through = CourseSession.leaders.through
    c.insert(
        through,
        [through(coursesession=s, user=leaders[n % len(leaders)]) for n, s in enumerate(sessions)],
    )
    marks = []
    for session in sessions:
        if session.day >= run.today:
            continue
        for participant in participants:
            roll = run.rng.random()
            marks.append(
                Attendance(
                    session=session,
                    participant=participant,
                    status=AttendanceStatus.PRESENT
                    if roll < 0.85
                    else AttendanceStatus.LATE
                    if roll < 0.9
                    else AttendanceStatus.ABSENT_REPORTED
                    if roll < 0.95
                    else AttendanceStatus.ABSENT,
                    recorded_by=leaders[0],
                )
            )
    c.insert_only(Attendance, marks)
    assignments = c.insert(
        Assignment,
        [
            Assignment(
                cohort=cohort,
                title=f"Hemuppgift vecka {week}",
                instructions="Skriv en sida om veckans tema utifrån din egen erfarenhet.",
                due=start + timedelta(days=7 * week - 2),
                created_by=leaders[0],
            )
            for week in range(1, ASSIGNMENTS_PER_COURSE + 1)
        ],
    )
    c.insert_only(
        Submission,
        [
            Submission(
                assignment=a,
                participant=p,
                text="Det som hjälpte mig mest var att träffa andra med samma erfarenhet.",
            )
            for a in assignments
            if a.due < run.today
            for p in participants
            if run.rng.random() < 0.8
        ],
    )
    for application, participant in zip(admitted, participants, strict=True):
        run.r.log_targets.append(
            LogTarget(
                run.ct[Application],
                application.pk,
                c.content_type_id(Participant),
                participant.pk,
                f"/peer/kurser/{cohort.pk}/",
            )
        )
