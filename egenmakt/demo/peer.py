"""A demo recruitment round for ``make run``: open, with applications at every step.

Applicants are synthetic (Faker's Swedish names with a fixed seed, addresses on the
reserved demo domain). Everything goes through the services, as in real use.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from faker import Faker

from egenmakt.demo.cast import Cast
from egenmakt.peer.models import (
    Channel,
    DecisionOutcome,
    DecisionReason,
    DecisionStep,
    RecruitmentRound,
    RoundRole,
    RoundStatus,
    WorkCapacity,
    YesPartlyNo,
)
from egenmakt.peer.selectors.library import homework_library_for
from egenmakt.peer.services import interviews as interviews_services
from egenmakt.peer.services import recruitment as services

ROUND_TITLE = "Peer support-utbildning Västerhav 2027"

STORIES = [
    (
        "Jag har levt med depression och ångest i många år. Det som hjälpte mig var att "
        "träffa andra med liknande erfarenheter i en självhjälpsgrupp.",
        "Öppenvårdspsykiatri, en period i heldygnsvård för sex år sedan, boendestöd.",
        "Jag vill ge andra det hopp som jag själv fick när det var som mörkast.",
    ),
    (
        "Jag fick diagnosen bipolär sjukdom när jag var 25. Idag vet jag mina tidiga "
        "tecken och har en plan för när det börjar svaja.",
        "Psykiatrimottagning, samtalsstöd, en brukarförening.",
        "Jag tror att min erfarenhet kan göra skillnad för någon som är ny i vården.",
    ),
    (
        "Psykos för tio år sedan. Återhämtningen tog tid, och det var arbetet och "
        "vännerna som bar mig.",
        "Psykosmottagning, personligt ombud, daglig sysselsättning.",
        "Jag vill arbeta med människor och använda det jag har lärt mig på vägen.",
    ),
]


def stories_of(n: int) -> dict[str, str]:
    own, care, why = STORIES[n % len(STORIES)]
    return {"own_experience": own, "care_experience": care, "motivation": why}


# What the demo applicants chose to state about themselves (the diversity report counts it).
GENDERS = ["kvinna", "man", "Kvinna", "icke-binär", "", "man", "kvinna"]
BACKGROUNDS = ["swedish", "swedish", "foreign", "", "swedish", "foreign", "swedish"]
FUNCTIONING = ["no", "yes", "no", "", "no", "no", "yes"]


def traits_of(n: int) -> dict[str, str]:
    return {
        "gender": GENDERS[n % len(GENDERS)],
        "background": BACKGROUNDS[n % len(BACKGROUNDS)],
        "functioning": FUNCTIONING[n % len(FUNCTIONING)],
    }


@transaction.atomic
def seed_demo_recruitment(cast: Cast) -> RecruitmentRound:
    """Create the demo round once; later runs leave it as it is (idempotent)."""
    network = cast.org("network")
    existing = RecruitmentRound.objects.filter(organisation=network, title=ROUND_TITLE).first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    round_ = services.create_round(
        user=cast.coordinator,
        organisation=network,
        title=ROUND_TITLE,
        jobs_expected=6,
        course_places=10,
        max_applications=None,
        channels=[Channel.USER_ORGANISATIONS, Channel.SERVICES, Channel.NOTICE_BOARDS],
        channels_other="",
        advertising_from=today - timedelta(days=30),
        applications_until=today + timedelta(days=7),
        interviews_from=today - timedelta(days=3),
        interviews_until=today + timedelta(days=28),
        decision_by=today + timedelta(days=35),
        course_start=today + timedelta(days=70),
    )
    for person, role in (
        (cast.interviewer, RoundRole.INTERVIEWER),
        (cast.second_interviewer, RoundRole.INTERVIEWER),
    ):
        services.add_round_member(user=cast.coordinator, round_=round_, person=person, role=role)
    round_ = services.set_round_status(
        user=cast.coordinator, round_=round_, status=RoundStatus.OPEN
    )
    fake = Faker("sv_SE")
    fake.seed_instance("egenmakt-demo-recruitment")
    applications = []
    for n in range(10):
        applications.append(
            services.submit_application(
                round_=round_,
                data={
                    "full_name": f"{fake.first_name()} {fake.last_name()}",
                    "email": f"sokande{n + 1}@{settings.DEMO_EMAIL_DOMAIN}",
                    "phone": f"070-{1000000 + n * 7919:07d}"[:11],
                    "municipality": "Västerhav",
                    "birth_year": 1965 + n * 3,
                    **traits_of(n),
                    **stories_of(n),
                    "work_capacity": WorkCapacity.HALF_OR_MORE if n % 4 else WorkCapacity.UNSURE,
                    "available_for_course": YesPartlyNo.YES,
                    "support_needs": "Påminnelser om hemuppgifterna." if n % 3 == 0 else "",
                    "heard_from": [Channel.USER_ORGANISATIONS, Channel.SERVICES][n % 2],
                },
                language="sv",
                accepted_notice=True,
            )
        )
    screen = {
        0: DecisionOutcome.GO_ON,
        1: DecisionOutcome.GO_ON,
        2: DecisionOutcome.GO_ON,
        3: DecisionOutcome.NOT_NOW,
    }
    for n, outcome in screen.items():
        services.decide(
            user=cast.coordinator,
            application=applications[n],
            step=DecisionStep.SCREENING,
            outcome=outcome,
            reason=DecisionReason.MORE_TO_LEARN
            if outcome == DecisionOutcome.GO_ON
            else DecisionReason.TIMING,
        )
    interviews_services.book_interview(
        user=cast.coordinator,
        application=applications[0],
        starts_at=timezone.make_aware(datetime.combine(today + timedelta(days=3), time(10, 0))),
        duration_minutes=60,
        place="Brukarnätverkets lokal, Storgatan 1",
        interviewer_1=cast.interviewer,
        interviewer_2=cast.second_interviewer,
    )
    services.withdraw_application(application=applications[9])
    return round_


COURSE_TITLE = "Peer support-utbildning Västerhav hösten 2026"
COURSE_THEMES = [
    "Peer supporterns roll: ska och ska inte",
    "Vad är återhämtning?",
    "Egen erfarenhet som verktyg",
    "Bemötande och lågaffektivt förhållningssätt",
    "Svåra situationer och första hjälpen vid psykisk ohälsa",
    "Etik och tystnadsplikt",
]


@transaction.atomic
def seed_demo_course(cast: Cast) -> None:
    """A course under way: a finished round, its admitted as participants, course days
    (some held, with attendance), homework with a hand-in. Idempotent.

    The first participant enrolled can sign in with the demo password; seed_demo prints
    who that is (``demo_course_participant``).
    """
    from datetime import date

    from egenmakt.demo.cast import DEMO_PASSWORD
    from egenmakt.peer.models import Cohort, Interview, RecordKind
    from egenmakt.peer.services import course as course_services
    from egenmakt.peer.services import homework as homework_services

    if Cohort.objects.filter(title=COURSE_TITLE).exists():
        return
    network = cast.org("network")
    round_ = seed_round(cast, network)
    today = timezone.localdate()
    fake = Faker("sv_SE")
    fake.seed_instance("egenmakt-demo-course")
    for n in range(4):
        application = services.submit_application(
            round_=round_,
            data={
                "full_name": f"{fake.first_name()} {fake.last_name()}",
                "email": f"deltagare{n + 1}@{settings.DEMO_EMAIL_DOMAIN}",
                "phone": "",
                "municipality": "Västerhav",
                "birth_year": 1970 + n * 5,
                **traits_of(n + 3),
                **stories_of(n),
                "work_capacity": WorkCapacity.HALF_OR_MORE,
                "available_for_course": YesPartlyNo.YES,
                "support_needs": "Påminnelser om hemuppgifterna." if n == 1 else "",
                "heard_from": Channel.SERVICES,
            },
            language="sv",
            accepted_notice=True,
        )
        services.decide(
            user=cast.coordinator,
            application=application,
            step=DecisionStep.SCREENING,
            outcome=DecisionOutcome.GO_ON,
            reason=DecisionReason.MORE_TO_LEARN,
        )
        interview = interviews_services.book_interview(
            user=cast.coordinator,
            application=application,
            starts_at=timezone.make_aware(
                datetime.combine(today + timedelta(days=1), time(9 + n, 0))
            ),
            duration_minutes=45,
            place="Brukarnätverkets lokal, Storgatan 1",
            interviewer_1=cast.interviewer,
            interviewer_2=cast.second_interviewer,
        )
        Interview.objects.filter(pk=interview.pk).update(
            starts_at=timezone.now() - timedelta(days=60)
        )
        interview.refresh_from_db()
        interviews_services.start_record(
            user=cast.interviewer, interview=interview, kind=RecordKind.NOTES
        )
        services.decide(
            user=cast.coordinator,
            application=application,
            step=DecisionStep.INTERVIEW,
            outcome=DecisionOutcome.ADMIT,
            reason=DecisionReason.CRITERIA_MET,
        )
    cohort = course_services.create_cohort(
        user=cast.training_lead, round_=round_, title=COURSE_TITLE, attendance_threshold=80
    )
    # The network's course leader represents the user movement and has declared own
    # experience, as the handbook asks of a majority of the course leaders (p. 20).
    for person, role, movement in (
        (cast.course_leader, "course_leader", True), (cast.lecturer, "lecturer", False),
    ):  # fmt: skip
        course_services.add_staff(user=cast.training_lead, cohort=cohort, person=person,
                                  role=role, represents_user_movement=movement)  # fmt: skip
    for person in (cast.course_leader, cast.coordinator):
        course_services.declare_lived_experience(user=person, declared=True)
    days: list[date] = [today - timedelta(days=d) for d in (14, 13, 12)] + [
        today + timedelta(days=d) for d in (0, 1, 14)
    ]
    participants = list(cohort.participants.order_by("pk"))
    for day, theme in zip(days, COURSE_THEMES, strict=True):
        session = course_services.add_session(
            user=cast.training_lead,
            cohort=cohort,
            day=day,
            starts=time(9, 0),
            ends=time(16, 0),
            place="Brukarnätverkets lokal, Storgatan 1",
            theme=theme,
            leaders=[cast.course_leader],
        )
        if day < today:
            course_services.take_attendance(
                user=cast.course_leader,
                session=session,
                marks={
                    p.pk: ("absent" if (i == 3 and day != days[0]) else "present")
                    for i, p in enumerate(participants)
                },
            )
    library = homework_library_for(network).entries
    assignment = homework_services.set_homework(
        user=cast.course_leader,
        cohort=cohort,
        title=library[0].title,
        instructions=library[0].instructions,
        due=today + timedelta(days=5),
    )
    first = participants[0]
    if first.user is not None:
        first.user.set_password(DEMO_PASSWORD)
        first.user.save(update_fields=["password"])
        homework_services.hand_in(
            user=first.user,
            participant=first,
            assignment=assignment,
            text="Det som hjälpte mig mest var att träffa andra som varit med om samma sak.",
        )


def demo_course_participant() -> Any:
    """The demo course's participant who can sign in: the first enrolled, given the demo
    password on every seed (an older demo database included), so the account seed_demo
    prints always signs in (issue 17, finding 9; issue 26).

    The participants are enrolled in the order the round lists its applications (newest
    first), so this is not ``deltagare1``; asking the database says who it really is.
    """
    from egenmakt.demo.cast import DEMO_PASSWORD
    from egenmakt.peer.models import Cohort

    cohort = Cohort.objects.filter(title=COURSE_TITLE).first()
    if cohort is None:
        return None
    first = cohort.participants.select_related("user").order_by("pk").first()
    if first is None or first.user is None or not first.user.is_active:
        return None
    if not first.user.check_password(DEMO_PASSWORD):
        first.user.set_password(DEMO_PASSWORD)
        first.user.save(update_fields=["password"])
    return first.user


def seed_round(cast: Cast, network: object) -> RecruitmentRound:
    """The finished round the demo course came from (its dates moved into the past after
    the applications came in: a round only takes applications while it is open)."""
    today = timezone.localdate()
    round_ = services.create_round(
        user=cast.coordinator,
        organisation=network,  # type: ignore[arg-type]
        title="Peer support-utbildning Västerhav hösten 2026 (rekrytering)",
        jobs_expected=3,
        course_places=4,
        max_applications=None,
        channels=[Channel.USER_ORGANISATIONS],
        channels_other="",
        advertising_from=today - timedelta(days=1),
        applications_until=today + timedelta(days=1),
        interviews_from=today,
        interviews_until=today + timedelta(days=2),
        decision_by=today + timedelta(days=3),
        course_start=today + timedelta(days=40),
    )
    for person in (cast.interviewer, cast.second_interviewer):
        services.add_round_member(
            user=cast.coordinator, round_=round_, person=person, role=RoundRole.INTERVIEWER
        )
    return services.set_round_status(user=cast.coordinator, round_=round_, status=RoundStatus.OPEN)
