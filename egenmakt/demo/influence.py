"""Demo data for user influence: one area with its units, organisations (published or
not), forums on the three levels, calendar activities in every state, and ladders."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from egenmakt.demo.cast import Cast

AREA_SLUG = "vasterhav-centrum"


def _ladder(user: Any, unit: Any, reached: dict[str, int], answered_on: Any) -> None:
    from egenmakt.instruments import services as instrument_services
    from egenmakt.instruments.selectors import current_definition
    from egenmakt.instruments.subjects import organisation_of

    answers = {
        f"level{step}_{column}": ("yes" if step <= top else "no")
        for column, top in reached.items()
        for step in range(1, 6)
    }
    response = instrument_services.start_response(
        user=user,
        definition=current_definition("participation_ladder", organisation_of(unit)),
        subject=unit,
        respondent_kind="staff",
        answered_on=answered_on,
    )
    instrument_services.submit_response(
        user=user, response=response, answers=answers, expected_version=response.version
    )


def _forum_work(cast: Cast, steering: Any) -> None:
    """The steering group's work: Kim Ek (the lecturer's account) represents Egen Kraft,
    raised a matter at the first meeting that was adopted at the second, confirmed its
    minutes and reported back; Sara Holm's matter is pending. The next meeting's agenda is
    open, and the last one's minutes are not written yet."""
    from egenmakt.influence import forum_services
    from egenmakt.influence.models import ForumMeeting, ForumMember, MatterStatus

    coordinator = cast.coordinator
    kim = ForumMember.objects.get(forum=steering, name="Kim Ek")
    kim.user = cast.lecturer
    kim.save(update_fields=["user"])
    sara = ForumMember.objects.get(forum=steering, name="Sara Holm")
    first, second, _ahead = list(steering.meetings.order_by("day"))
    ForumMeeting.objects.filter(pk=first.pk).update(
        minutes="§1 Tolk vid vårdplanering: Egen Kraft tar upp att många saknar tolk. "
        "Förvaltningen utreder till nästa möte.\n§2 Övrigt: inget.",
        minutes_by=coordinator,
        minutes_at=timezone.now(),
    )
    first.refresh_from_db()
    forum_services.confirm_minutes(user=cast.lecturer, meeting=first)
    forum_services.save_report(
        user=cast.lecturer,
        meeting=first,
        text="Vi tog upp tolkfrågan; förvaltningen utreder och svarar i nästa möte.",
    )
    interpreter = forum_services.raise_matter(
        user=coordinator,
        forum=steering,
        raised_by=kim,
        title="Tolk vid vårdplanering",
        description="Många får inte tolk när de planerar sin vård.",
        raised_on=first.day,
        meeting=first,
    )
    forum_services.link_meeting(user=coordinator, matter=interpreter, meeting=second)
    forum_services.decide_matter(
        user=coordinator,
        matter=interpreter,
        status=MatterStatus.ADOPTED,
        reason="",
        decision_reference="RS 2026/114",
        decided_on=second.day,
    )
    forum_services.raise_matter(
        user=coordinator,
        forum=steering,
        raised_by=sara,
        title="Kvällsöppen mottagning en dag i veckan",
        description="",
        raised_on=second.day,
        meeting=second,
    )


def _consultations(cast: Cast, area: Any, organisations: list[Any]) -> None:
    """Three consultations: one answered, summarised and published (its deadline moved
    into the past afterwards, as the services take no deadline in the past), one open to
    answer (Egen Kraft: the lecturer's organisation), and a draft."""
    from egenmakt.influence import consultation_services as consultations
    from egenmakt.influence.models import Consultation

    today = timezone.localdate()
    coordinator = cast.coordinator
    done = consultations.create_consultation(
        user=coordinator,
        area=area,
        title="Remiss: regional plan för psykisk hälsa 2027",
        question="Vad saknar ni i förslaget till regional plan för psykisk hälsa 2027? "
        "Vilka tre förändringar är viktigast för era medlemmar?",
        deadline=today + timedelta(days=1),
        organisations=organisations,
    )
    done = consultations.send_consultation(user=coordinator, consultation=done)
    consultations.answer_consultation(
        user=cast.lecturer,
        consultation=done,
        organisation=organisations[0],
        text="Planen behöver tydligare stöd till anhöriga och peer support på varje mottagning.",
    )
    consultations.save_summary(
        user=coordinator,
        consultation=done,
        summary="En av två föreningar svarade. Den tog upp stöd till anhöriga och peer "
        "support; båda förs in i planens kapitel om delaktighet.",
    )
    consultations.publish_consultation(user=coordinator, consultation=done, published=True)
    Consultation.objects.filter(pk=done.pk).update(deadline=today - timedelta(days=20))
    open_one = consultations.create_consultation(
        user=coordinator,
        area=area,
        title="Remiss: kvällsöppen mottagning",
        question="Mottagningen föreslår kvällsöppet en dag i veckan. Vilken dag och vilka "
        "tider passar era medlemmar bäst?",
        deadline=today + timedelta(days=10),
        organisations=organisations,
    )
    consultations.send_consultation(user=coordinator, consultation=open_one)
    consultations.create_consultation(
        user=coordinator,
        area=area,
        title="Remiss: tolk vid vårdplanering",
        question="Hur fungerar tolk vid vårdplanering för era medlemmar?",
        deadline=today + timedelta(days=30),
        organisations=organisations[:1],
    )


@transaction.atomic
def seed_demo_influence(cast: Cast) -> None:
    from egenmakt.influence import services
    from egenmakt.influence.models import CareArea, ForumMember, InfluenceOrganisation

    if CareArea.objects.filter(slug=AREA_SLUG).exists():
        return
    today = timezone.localdate()
    area = CareArea.objects.create(
        name="Västerhav Centrum",
        slug=AREA_SLUG,
        description="Region Västerhavs psykiatri och Västerhavs kommun i centrala Västerhav.",
        organisation=cast.org("network"),
    )
    # The area's units: the clinic and the social psychiatry, where the demo's clients have
    # their home (so their own pages list the area's activities), and the workplaces.
    area.units.set(
        [
            cast.org(key)
            for key in (
                "clinic",
                "social_psychiatry",
                "outpatient",
                "housing_support",
                "meeting_place",
            )
        ]
    )
    egen = InfluenceOrganisation.objects.create(
        name="Föreningen Egen Kraft",
        kind="user",
        focus="Ångest, depression och återhämtning",
        activities="Självhjälpsgrupper varje vecka, studiecirklar, peer support-utbildning.",
        contact_name="Föreningens kansli",
        contact_email="info@egenkraft.egenmakt.example",
        account=cast.org("user_org_a"),
        published=True,
        publish_contact=True,
    )
    hjarn = InfluenceOrganisation.objects.create(
        name="Hjärnkraft Västerhav",
        kind="both",
        focus="Psykos och bipolär sjukdom; anhörigstöd",
        activities="Föreläsningar och anhörigträffar.",
        account=cast.org("user_org_b"),
        published=True,
    )
    quiet = InfluenceOrganisation.objects.create(
        name="Anhöriggruppen Östra", kind="relatives", published=False
    )
    for org in (egen, hjarn, quiet):
        org.areas.add(area)
    coordinator = cast.coordinator
    council = services.save_forum(
        user=coordinator,
        area=area,
        forum=None,
        data={
            "name": "Brukarrådet på öppenvården Nordstaden",
            "level": "service",
            "kind": "user_council",
            "unit": cast.org("outpatient"),
            "started_on": today - timedelta(days=400),
        },
    )
    steering = services.save_forum(
        user=coordinator,
        area=area,
        forum=None,
        data={
            "name": "Styrgruppen för psykiatrisamverkan",
            "level": "system",
            "kind": "steering_group",
            "started_on": today - timedelta(days=700),
        },
    )
    since = today - timedelta(days=300)
    seats: list[tuple[Any, str, str, InfluenceOrganisation | None]] = [
        (council, "Maja Lind", "representative", egen),
        (council, "Olle Berg", "own_experience", None),
        (council, "Enhetschefen", "staff", None),
        (steering, "Sara Holm", "representative", hjarn),
        (steering, "Kim Ek", "representative", egen),
    ]
    for forum, name, capacity, represents in seats:
        ForumMember.objects.create(
            forum=forum, name=name, capacity=capacity, organisation=represents, since=since
        )
    for days in (-120, -30, 30):
        services.add_meeting(
            user=coordinator, forum=steering, day=today + timedelta(days=days), note=""
        )
    _forum_work(cast, steering)
    _consultations(cast, area, [egen, hjarn])
    for days, title, kind, org, decision in (
        (-40, "Temadag om återhämtning", "theme_day", egen, True),
        (5, "Självhjälpsgrupp: ångest", "self_help", egen, True),
        (12, "Föreläsning: att leva med psykos", "lecture", hjarn, True),
        (20, "Studiecirkel: brukarinflytande", "study_circle", egen, None),
    ):
        day = today + timedelta(days=days)
        activity = services.submit_activity(
            user=coordinator,
            area=area,
            organisation=org,
            kind=kind,
            title=title,
            description="Fri entré. Fika finns.",
            starts_at=timezone.make_aware(datetime.combine(day, time(18))),
            ends_at=timezone.make_aware(datetime.combine(day, time(20))),
            place="Träffpunkt Kvarnen",
        )
        if decision:
            services.decide_activity(user=coordinator, activity=activity, approve=True)
    _ladder(
        cast.workplace_manager,
        cast.org("outpatient"),
        {"opening": 2, "opportunity": 1, "obligation": 1},
        today - timedelta(days=200),
    )
    _ladder(
        cast.workplace_manager,
        cast.org("outpatient"),
        {"opening": 3, "opportunity": 2, "obligation": 2},
        today - timedelta(days=10),
    )
