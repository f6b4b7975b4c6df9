"""Scale data for user influence: per region its care-collaboration areas (units are the
PEER workplaces and the clinic), user and relatives' organisations, forums on the three
levels with members and meetings, ten years of calendar activities, and participation
ladders answered twice a year about every unit."""

from __future__ import annotations

from datetime import date, timedelta

from egenmakt.accounts.models import Organisation
from egenmakt.accounts.roles import Role
from egenmakt.influence.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Capacity,
    CareArea,
    Forum,
    ForumKind,
    ForumMeeting,
    ForumMember,
    InfluenceOrganisation,
    Level,
    OrganisationKind,
)
from egenmakt.instruments.models import Response
from egenmakt.scale.answers import AnswerPool, ladder_shape, response_row
from egenmakt.scale.context import Region, ScaleContext, at, given_times
from egenmakt.scale.plan import FORUMS_PER_AREA

SYSTEM_FORUMS = [
    (ForumKind.STEERING_GROUP, "Styrgruppen för psykiatrisamverkan"),
    (ForumKind.DIALOGUE, "Dialogmöte med förvaltningen"),
    (ForumKind.WORKING_GROUP, "Arbetsgruppen för brukarinflytande"),
]
INDIVIDUAL_FORUMS = [
    (ForumKind.STUDY_CIRCLE, "Studiecirkel om återhämtning"),
    (ForumKind.PEER_SUPPORT, "Självhjälpsgruppen"),
    (ForumKind.USER_AUDIT, "Brukarrevision"),
]


def generate(context: ScaleContext) -> None:
    pool = AnswerPool("participation_ladder", context.random, shape=ladder_shape)
    with given_times((Response, "created_at")):
        for region in context.regions:
            _region(context, region, pool)


def _region(c: ScaleContext, r: Region, pool: AnswerPool) -> None:
    rng = c.random
    today = c.today
    start = today - timedelta(days=365 * c.plan.years)
    coordinator = r.people(Role.COORDINATOR)[0]
    peer = r.extra.get("peer")
    workplace_units = [w.workplace for w in peer.workplaces] if peer else []
    # The unit's manager answers its ladder; other units' by the coordinator.
    manager_of = {}
    if peer:
        for workplace, manager in zip(
            peer.workplaces, r.people(Role.WORKPLACE_MANAGER), strict=False
        ):
            manager_of[workplace.workplace_id] = manager

    areas = c.insert(
        CareArea,
        [
            CareArea(
                name=f"Skala {r.index} område {n + 1}",
                slug=f"skala-{c.seed}-{r.index}-{n + 1}",
                organisation=r.org("network"),
            )
            for n in range(c.plan.areas)
        ],
    )
    units_of: dict[int, list[Organisation]] = {}
    through = CareArea.units.through
    links = []
    for n, area in enumerate(areas):
        units = workplace_units[n :: len(areas)][: c.plan.units_per_area]
        if n == 0:
            units.append(r.org("clinic"))
        units_of[area.pk] = units
        links += [through(carearea=area, organisation=u) for u in units]
    c.insert(through, links)

    kinds = [OrganisationKind.USER, OrganisationKind.RELATIVES, OrganisationKind.BOTH]
    accounts = [r.org("user_org_a"), r.org("user_org_b")]
    organisations = c.insert(
        InfluenceOrganisation,
        [
            InfluenceOrganisation(
                name=f"Förening {n + 1} i Skala {r.index}",
                kind=kinds[n % len(kinds)],
                focus="Återhämtning och självhjälp",
                activities="Självhjälpsgrupper och studiecirklar.",
                account=accounts[n] if n < len(accounts) else None,
                published=n % 3 != 2,
                publish_contact=n % 2 == 0,
            )
            for n in range(c.plan.influence_organisations)
        ],
    )
    org_through = InfluenceOrganisation.areas.through
    c.insert(
        org_through,
        [
            org_through(influenceorganisation=o, carearea=areas[n % len(areas)])
            for n, o in enumerate(organisations)
        ],
    )

    forums: list[Forum] = []
    for area in areas:
        for unit in units_of[area.pk]:
            if c.chance(0.5):
                forums.append(
                    Forum(
                        area=area,
                        name=f"Brukarrådet på {unit.name}",
                        level=Level.SERVICE,
                        kind=ForumKind.USER_COUNCIL,
                        unit=unit,
                        started_on=c.day_between(start, today),
                    )
                )
        for n in range(FORUMS_PER_AREA):
            kind, name = (SYSTEM_FORUMS if n % 2 == 0 else INDIVIDUAL_FORUMS)[(n // 2) % 3]
            started = c.day_between(start, today - timedelta(days=90))
            forums.append(
                Forum(
                    area=area,
                    name=f"{name} {n + 1}",
                    level=Level.SYSTEM if n % 2 == 0 else Level.INDIVIDUAL,
                    kind=kind,
                    started_on=started,
                    ended_on=(c.day_between(started, today) if c.chance(0.15) else None),
                )
            )
    forums = c.insert(Forum, forums)
    members, meetings = [], []
    capacities = [
        Capacity.REPRESENTATIVE,
        Capacity.OWN_EXPERIENCE,
        Capacity.RELATIVE,
        Capacity.STAFF,
    ]
    for forum in forums:
        since = forum.started_on or start
        for n in range(rng.randint(3, 7)):
            capacity = capacities[n % len(capacities)]
            members.append(
                ForumMember(
                    forum=forum,
                    name=c.name(),
                    capacity=capacity,
                    organisation=(
                        rng.choice(organisations) if capacity == Capacity.REPRESENTATIVE else None
                    ),
                    since=since,
                    until=c.day_between(since, today) if c.chance(0.2) else None,
                )
            )
        day = since
        last = min(forum.ended_on or today + timedelta(days=90), today + timedelta(days=90))
        while day <= last:
            meetings.append(ForumMeeting(forum=forum, day=day))
            day += timedelta(days=91)
    c.insert_only(ForumMember, members)
    c.insert_only(ForumMeeting, meetings)

    activities = []
    total = c.plan.activities_per_year * c.plan.years
    for n in range(total):
        day = start + timedelta(days=(n * 365 * c.plan.years) // total + rng.randint(0, 6))
        day = min(day, today + timedelta(days=60))
        upcoming = day > today
        status = (
            ActivityStatus.SUBMITTED
            if upcoming and c.chance(0.3)
            else ActivityStatus.REJECTED
            if c.chance(0.05)
            else ActivityStatus.APPROVED
        )
        decided = status != ActivityStatus.SUBMITTED
        organisation = organisations[n % len(organisations)]
        activities.append(
            Activity(
                area=areas[n % len(areas)],
                organisation=organisation,
                kind=rng.choice(ActivityKind.values),
                title=f"Träff {n + 1}",
                description="Fri entré. Fika finns.",
                starts_at=at(day, 18),
                ends_at=at(day, 20),
                place="Träffpunkten",
                status=status,
                submitted_by=coordinator,
                decided_by=coordinator if decided else None,
                decided_at=at(day - timedelta(days=14), 10) if decided else None,
                reason="Krockar med en annan aktivitet."
                if status == ActivityStatus.REJECTED
                else "",
            )
        )
    c.insert_only(Activity, activities)

    organisation_type = c.content_type_id(Organisation)
    ladders = []
    for area in areas:
        for unit in units_of[area.pk]:
            answerer = manager_of.get(unit.pk, coordinator)
            answered: date = start + timedelta(days=rng.randint(0, 180))
            while answered <= today:
                ladders.append(
                    response_row(
                        pool,
                        rng,
                        subject_type_id=organisation_type,
                        subject_id=unit.pk,
                        entered_by_id=answerer.pk,
                        answered_on=answered,
                    )
                )
                answered += timedelta(days=182)
    c.insert_only(Response, ladders)
