"""A demo recruitment round for ``make run``: open, with applications at every step.

Applicants are synthetic (Faker's Swedish names with a fixed seed, addresses on the
reserved demo domain). Everything goes through the services, as in real use.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from faker import Faker

from egenmakt.accounts.demo import Cast

from . import services
from .models import (
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


def _stories(n: int) -> dict[str, str]:
    own, care, why = STORIES[n % len(STORIES)]
    return {"own_experience": own, "care_experience": care, "motivation": why}


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
                    "gender": "",
                    **_stories(n),
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
    services.book_interview(
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
