"""User influence: the public pages show only what is published or approved, the calendar
feed is valid iCalendar, permissions hold, the ladder and the indicators count right."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from egenmakt.accounts.models import Membership, Organisation, User
from egenmakt.influence import services
from egenmakt.influence.indicators import INDICATORS, Period, dashboard, quarters
from egenmakt.influence.ladder import area_comparison, highest_steps
from egenmakt.influence.models import (
    Activity,
    ActivityStatus,
    CareArea,
    Forum,
    ForumMember,
    InfluenceOrganisation,
)
from egenmakt.instruments import services as instrument_services
from egenmakt.instruments.selectors import current_definition
from egenmakt.peer.tests.factories import ensure_instruments

pytestmark = pytest.mark.django_db


def at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def area(cast):
    area = CareArea.objects.create(
        name="Västerhav Centrum", slug="vasterhav-centrum", organisation=cast.org("network")
    )
    area.units.set([cast.org("outpatient"), cast.org("housing_support"), cast.org("meeting_place")])
    return area


@pytest.fixture
def orgs(cast, area):
    egen = InfluenceOrganisation.objects.create(
        name="Föreningen Egen Kraft",
        kind="user",
        focus="Ångest och depression",
        contact_name="Hemlig Kontakt",
        contact_email="hemlig@egenkraft.example",
        account=cast.org("user_org_a"),
        published=True,
        publish_contact=False,
    )
    hidden = InfluenceOrganisation.objects.create(
        name="Anhörigföreningen Dold", kind="relatives", published=False
    )
    open_ = InfluenceOrganisation.objects.create(
        name="Hjärnkraft Västerhav",
        kind="user",
        focus="Psykos",
        contact_name="Öppen Kontakt",
        contact_email="kontakt@hjarnkraft.example",
        published=True,
        publish_contact=True,
    )
    for org in (egen, hidden, open_):
        org.areas.add(area)
    return {"egen": egen, "hidden": hidden, "open": open_}


def submit(cast, area, organisation, title, day, user=None):
    return services.submit_activity(
        user=user or cast.lecturer,
        area=area,
        organisation=organisation,
        kind="study_circle",
        title=title,
        description="Välkommen!",
        starts_at=at(day, 18),
        ends_at=at(day, 20),
        place="Kvarnen",
    )


def test_the_public_directory_shows_only_what_is_published(client, orgs, area):
    page = client.get(reverse("influence_public:directory")).content.decode()
    assert "Föreningen Egen Kraft" in page and "Hjärnkraft Västerhav" in page
    assert "Anhörigföreningen Dold" not in page
    assert "hemlig@egenkraft.example" not in page and "Hemlig Kontakt" not in page
    assert "kontakt@hjarnkraft.example" in page
    found = client.get(reverse("influence_public:directory"), {"q": "psykos"}).content.decode()
    assert "Hjärnkraft Västerhav" in found and "Föreningen Egen Kraft" not in found
    hidden = client.get(reverse("influence_public:directory"), {"q": "Dold"}).content.decode()
    assert "Anhörigföreningen Dold" not in hidden


def test_an_activity_reaches_the_public_calendar_and_feed_only_when_approved(
    client, cast, area, orgs, signed_in
):
    today = timezone.localdate()
    waiting = submit(
        cast, area, orgs["egen"], "Studiecirkel: återhämtning", today + timedelta(days=7)
    )
    refused = submit(cast, area, orgs["egen"], "Avslagen föreläsning", today + timedelta(days=8))
    past = submit(cast, area, orgs["egen"], "Temadag i våras", today - timedelta(days=30))
    calendar_url = reverse("influence_public:calendar", args=[area.slug])
    feed_url = reverse("influence_public:feed", args=[area.slug])
    assert "Studiecirkel: återhämtning" not in client.get(calendar_url).content.decode()
    assert not Calendar.from_ical(client.get(feed_url).content).walk("VEVENT")

    signed_in(cast.coordinator)
    client.post(reverse("influence:activity_decide", args=[waiting.pk]), {"decision": "approve"})
    client.post(
        reverse("influence:activity_decide", args=[refused.pk]),
        {"decision": "reject", "reason": "Dubbelbokad lokal."},
    )
    client.post(reverse("influence:activity_decide", args=[past.pk]), {"decision": "approve"})
    client.logout()

    page = client.get(calendar_url).content.decode()
    assert "Studiecirkel: återhämtning" in page
    assert "Avslagen föreläsning" not in page
    assert "Temadag i våras" not in page  # past: kept, shown on request
    assert "Temadag i våras" in client.get(calendar_url, {"tidigare": "1"}).content.decode()
    feed = client.get(feed_url)
    assert feed["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    assert {str(e["summary"]) for e in events} == {"Studiecirkel: återhämtning", "Temadag i våras"}
    for event in events:
        assert event.decoded("dtend") > event.decoded("dtstart")
        assert str(event["uid"]).endswith("@egenmakt")
    assert Activity.objects.get(pk=refused.pk).reason == "Dubbelbokad lokal."


def test_a_rejection_needs_a_reason(cast, area, orgs):
    activity = submit(cast, area, orgs["egen"], "Föreläsning", timezone.localdate())
    with pytest.raises(services.InfluenceError):
        services.decide_activity(user=cast.coordinator, activity=activity, approve=False)
    assert Activity.objects.get(pk=activity.pk).status == ActivityStatus.SUBMITTED


def test_who_may_submit_and_approve(client, cast, area, orgs, signed_in):
    today = timezone.localdate()
    # A member of another user organisation cannot submit for Egen Kraft.
    with pytest.raises(PermissionDenied):
        submit(cast, area, orgs["egen"], "x", today, user=cast.outsider_lecturer)
    # The lecturer's own organisation has no account link for Hjärnkraft.
    with pytest.raises(PermissionDenied):
        submit(cast, area, orgs["open"], "x", today)
    activity = submit(cast, area, orgs["egen"], "Självhjälpsgrupp", today)
    for person in (cast.lecturer, cast.outsider_coordinator, cast.peer_supporter):
        signed_in(person)
        response = client.post(
            reverse("influence:activity_decide", args=[activity.pk]), {"decision": "approve"}
        )
        assert response.status_code == 404, person
        assert client.get(reverse("influence:area", args=[area.pk])).status_code == 404
    signed_in(cast.researcher)  # reads the area, cannot approve
    assert client.get(reverse("influence:area", args=[area.pk])).status_code == 200
    response = client.post(
        reverse("influence:activity_decide", args=[activity.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403
    assert Activity.objects.get(pk=activity.pk).status == ActivityStatus.SUBMITTED
    signed_in(cast.workplace_manager)
    assert client.get(reverse("influence:areas")).status_code == 403
    assert client.get(reverse("influence:indicators")).status_code == 403


def test_the_submit_page_offers_only_the_members_own_organisations(client, cast, orgs, signed_in):
    signed_in(cast.lecturer)
    page = client.get(reverse("influence:submit")).content.decode()
    assert "Föreningen Egen Kraft" in page and "Hjärnkraft Västerhav" not in page
    response = client.post(
        reverse("influence:submit"),
        {
            "organisation": orgs["egen"].pk,
            "area": orgs["egen"].areas.get().pk,
            "kind": "lecture",
            "title": "Föreläsning om återhämtning",
            "day": "2027-02-01",
            "start": "18:00",
            "end": "17:00",
            "place": "Kvarnen",
        },
    )
    assert response.status_code == 400
    assert not Activity.objects.exists()


def test_a_user_representative_speaks_for_an_organisation(cast, area, orgs):
    forum = services.save_forum(
        user=cast.coordinator,
        area=area,
        forum=None,
        data={"name": "Brukarrådet", "level": "service", "kind": "user_council"},
    )
    with pytest.raises(services.InfluenceError):
        services.add_member(
            user=cast.coordinator,
            forum=forum,
            name="Anna",
            capacity="representative",
            organisation=None,
            since=timezone.localdate(),
        )
    member = services.add_member(
        user=cast.coordinator,
        forum=forum,
        name="Bo",
        capacity="own_experience",
        organisation=orgs["egen"],
        since=timezone.localdate(),
    )
    assert member.organisation is None  # speaks for himself, not for the organisation
    with pytest.raises(PermissionDenied):
        services.save_forum(
            user=cast.outsider_coordinator,
            area=area,
            forum=None,
            data={"name": "x", "level": "system", "kind": "other"},
        )


def ladder_answers(opening: int, opportunity: int, obligation: int) -> dict[str, str]:
    reached = {"opening": opening, "opportunity": opportunity, "obligation": obligation}
    return {
        f"level{step}_{column}": ("yes" if step <= reached[column] else "no")
        for step in range(1, 6)
        for column in reached
    }


def answer_ladder(user, unit: Organisation, answers, answered_on: date):
    ensure_instruments()
    definition = current_definition("participation_ladder", None)
    response = instrument_services.start_response(
        user=user,
        definition=definition,
        subject=unit,
        respondent_kind="staff",
        answered_on=answered_on,
    )
    return instrument_services.submit_response(
        user=user, response=response, answers=answers, expected_version=response.version
    )


def test_the_step_reached_is_climbed_from_the_bottom():
    answers = ladder_answers(3, 0, 5)
    answers["level5_opening"] = "yes"  # a yes above a no does not count
    answers["level1_opportunity"] = "partly"
    assert highest_steps(answers) == {"opening": 3, "opportunity": 0, "obligation": 5}


def test_the_dashboard_reads_each_units_latest_ladder_per_quarter_as_the_definition_does(
    cast, area
):
    """The dashboard reads only each unit's latest ladder up to each quarter's end; it gives
    what the per-quarter definition gives from the whole history: two answers on one day
    (the newer counts), a quarter with no new answer (the older one still holds), a unit
    that has not answered yet."""
    from egenmakt.influence.indicators import dashboard_live, dashboard_per_period
    from egenmakt.influence.indicators.batch import ladder_batch
    from egenmakt.influence.indicators.scope import Units

    periods = quarters(date(2026, 8, 20), 5)
    outpatient = cast.org("outpatient")
    for answers, day in (
        (ladder_answers(1, 0, 0), periods[0].start + timedelta(days=3)),
        (ladder_answers(2, 1, 0), periods[2].start + timedelta(days=5)),
        (ladder_answers(5, 5, 5), periods[2].start + timedelta(days=5)),  # same day, newer
        (ladder_answers(0, 0, 0), periods[4].end + timedelta(days=1)),  # after the last
    ):
        answer_ladder(cast.workplace_manager, outpatient, answers, day)
    assert ladder_batch(Units.of([area]), periods) == [0.3, 0.3, 5.0, 5.0, 5.0]
    live = {r.indicator.key: r.values for r in dashboard_live([area], periods)}
    one_by_one = {r.indicator.key: r.values for r in dashboard_per_period([area], periods)}
    assert live["ladder"] == one_by_one["ladder"] == [0.3, 0.3, 5.0, 5.0, 5.0]


def test_the_ladder_compares_units_and_keeps_the_trend(client, cast, area, signed_in):
    today = timezone.localdate()
    outpatient = cast.org("outpatient")
    answer_ladder(
        cast.workplace_manager, outpatient, ladder_answers(1, 1, 0), today - timedelta(days=200)
    )
    answer_ladder(cast.workplace_manager, outpatient, ladder_answers(3, 2, 1), today)
    rows = {row.unit.name: row for row in area_comparison(area)}
    latest = rows["Psykiatrisk öppenvård Nordstaden"].latest
    assert latest is not None and latest.steps == {"opening": 3, "opportunity": 2, "obligation": 1}
    assert len(rows["Psykiatrisk öppenvård Nordstaden"].history) == 2
    assert rows["Boendestöd Östra"].latest is None
    signed_in(cast.coordinator)
    page = client.get(reverse("influence:ladder", args=[area.pk])).content.decode()
    assert "Psykiatrisk öppenvård Nordstaden" in page and "Boendestöd Östra" in page


def test_indicator_values_match_a_hand_built_data_set(client, cast, area, orgs, signed_in):
    from egenmakt.peer.models import PeerWorkplace, Placement

    today = timezone.localdate()
    (period,) = quarters(today, 1)
    previous = quarters(today, 2)[0]
    # Units with a user council: 1 of 3 (an ended council does not count).
    Forum.objects.create(
        area=area,
        name="Brukarråd",
        level="service",
        kind="user_council",
        unit=cast.org("outpatient"),
    )
    Forum.objects.create(
        area=area,
        name="Gammalt råd",
        level="service",
        kind="user_council",
        unit=cast.org("housing_support"),
        ended_on=period.start - timedelta(days=1),
    )
    # System forums: one with a representative; seats 2 representatives + 1 own experience.
    steering = Forum.objects.create(
        area=area, name="Styrgrupp", level="system", kind="steering_group"
    )
    dialogue = Forum.objects.create(area=area, name="Dialogmöte", level="system", kind="dialogue")
    since = period.start - timedelta(days=10)
    ForumMember.objects.create(
        forum=steering, name="A", capacity="representative", organisation=orgs["egen"], since=since
    )
    ForumMember.objects.create(
        forum=steering, name="B", capacity="representative", organisation=orgs["open"], since=since
    )
    ForumMember.objects.create(forum=dialogue, name="C", capacity="own_experience", since=since)
    ForumMember.objects.create(forum=dialogue, name="D", capacity="staff", since=since)
    ForumMember.objects.create(
        forum=dialogue,
        name="E",
        capacity="representative",
        organisation=orgs["egen"],
        since=since,
        until=since + timedelta(days=1),
    )
    # Ladder: outpatient 3/2/1 (mean 2), housing 5/5/5 (mean 5) -> 3.5; meeting place none.
    answer_ladder(
        cast.workplace_manager, cast.org("outpatient"), ladder_answers(3, 2, 1), period.start
    )
    housing_manager = User.objects.create_user("boende@example.org", "x", full_name="Boendechef")
    Membership.objects.create(
        user=housing_manager, organisation=cast.org("housing_support"), role="workplace_manager"
    )
    answer_ladder(
        housing_manager, cast.org("housing_support"), ladder_answers(5, 5, 5), period.start
    )
    # Activities: two approved in the quarter, one waiting, one in the previous quarter.
    for title, day, approve in (
        ("A1", period.start + timedelta(days=1), True),
        ("A2", period.start + timedelta(days=2), True),
        ("A3", period.start + timedelta(days=3), False),
        ("A0", previous.start + timedelta(days=3), True),
    ):
        activity = submit(cast, area, orgs["egen"], title, day)
        if approve:
            services.decide_activity(user=cast.coordinator, activity=activity, approve=True)
    # Peer supporters per workplace: two at the outpatient clinic.
    from egenmakt.peer.tests.test_placement import peer_supporters

    workplace = PeerWorkplace.objects.create(
        workplace=cast.org("outpatient"),
        network=cast.org("network"),
        registered_by=cast.coordinator,
    )
    for person in peer_supporters(cast, 2):
        Placement.objects.create(
            peer_supporter=person,
            workplace=workplace,
            starts_on=period.start - timedelta(days=30),
            employer="workplace",
            share_percent=50,
            contact_person="Chef",
            created_by=cast.coordinator,
        )

    values = {row.indicator.key: row.values for row in dashboard([area], [previous, period])}
    assert values["user_council"][1] == 33.3
    assert values["ladder"][1] == 3.5
    assert values["ladder"][0] is None  # no ladder answered before this quarter
    assert values["activities"] == [1, 2]
    assert values["system_forums"][1] == 1
    assert values["representative_share"][1] == 66.7
    assert values["peer_supporters_per_workplace"][1] == 2.0
    assert values["client_present"] == [None, None]
    assert {i.key for i in INDICATORS if not i.available} == set()

    signed_in(cast.researcher)
    page = client.get(reverse("influence:indicators"), {"area": area.pk})
    assert page.status_code == 200
    assert "33.3 %" in page.content.decode() or "33,3 %" in page.content.decode()
    exported = client.get(reverse("influence:indicators_csv"), {"area": area.pk})
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][2:10] == [p.label for p in quarters(today)]
    council = next(r for r in rows if r[1] == "Enheter med brukarråd")
    assert council[9] == "33.3"
    # An area id that is digits to str.isdigit but not to int() ("²") is an unknown area.
    assert client.get(reverse("influence:indicators"), {"area": "²"}).status_code == 404


def test_quarters_run_back_from_today():
    periods = quarters(date(2026, 2, 10), 3)
    assert [(p.start, p.end) for p in periods] == [
        (date(2025, 7, 1), date(2025, 9, 30)),
        (date(2025, 10, 1), date(2025, 12, 31)),
        (date(2026, 1, 1), date(2026, 3, 31)),
    ]
    assert periods[-1].label == "2026 K1"
    assert Period(date(2026, 4, 1), date(2026, 6, 30)).label == "2026 K2"


def test_the_demo_area_and_query_counts(client, cast, signed_in):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from egenmakt.demo.influence import seed_demo_influence

    ensure_instruments()
    seed_demo_influence(cast)
    seed_demo_influence(cast)  # idempotent
    area = CareArea.objects.get(slug="vasterhav-centrum")
    assert area.activities.filter(status="approved").count() == 3
    signed_in(cast.coordinator)
    urls = [
        reverse("influence:area", args=[area.pk]),
        reverse("influence:ladder", args=[area.pk]),
        reverse("influence_public:calendar", args=[area.slug]),
        reverse("influence_public:directory"),
    ]
    before = []
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        before.append(len(queries))
    # Twenty more organisations, activities and forums cost no more queries.
    for n in range(20):
        org = InfluenceOrganisation.objects.create(
            name=f"Förening {n}", kind="user", published=True
        )
        org.areas.add(area)
        services.submit_activity(
            user=cast.coordinator,
            area=area,
            organisation=org,
            kind="lecture",
            title=f"Föreläsning {n}",
            description="",
            starts_at=at(timezone.localdate() + timedelta(days=n + 1), 18),
            ends_at=at(timezone.localdate() + timedelta(days=n + 1), 19),
            place="Kvarnen",
        )
        Forum.objects.create(area=area, name=f"Forum {n}", level="system", kind="other")
    after = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        after.append(len(queries))
    assert after == before


def test_a_person_sees_their_own_ladder_over_time(client, cast, area, signed_in):
    ensure_instruments()
    definition = current_definition("participation_ladder", None)
    for days, reached in ((100, (1, 1, 0)), (1, (4, 2, 1))):
        response = instrument_services.start_response(
            user=cast.coordinator,
            definition=definition,
            subject=cast.coordinator,
            respondent_kind="staff",
            answered_on=timezone.localdate() - timedelta(days=days),
        )
        instrument_services.submit_response(
            user=cast.coordinator,
            response=response,
            answers=ladder_answers(*reached),
            expected_version=response.version,
        )
    signed_in(cast.coordinator)
    page = client.get(reverse("influence:ladder", args=[area.pk])).content.decode()
    section = page[page.index('id="mine-heading"') :]
    cells = section.split('<td class="ladder-steps">')
    assert [c[0] for c in cells[1:7]] == ["1", "1", "0", "4", "2", "1"]


def test_the_dashboard_gives_the_per_quarter_definitions_numbers_in_a_few_queries(db):
    """Every quarter at once (grouped queries) gives exactly what each indicator gives one
    quarter at a time, on ten years of generated data."""
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from egenmakt.influence.indicators import dashboard_live, dashboard_per_period
    from egenmakt.influence.models import CareArea

    call_command("generate_scale", clients=400, answers_per_client=0, seed=5, stdout=StringIO())
    periods = quarters(timezone.localdate(), 12)
    areas = list(CareArea.objects.all())
    assert areas
    for scope in [areas, *[[area] for area in areas]]:
        expected = {r.indicator.key: r.values for r in dashboard_per_period(scope, periods)}
        with CaptureQueriesContext(connection) as queries:
            found = {r.indicator.key: r.values for r in dashboard_live(scope, periods)}
        assert found == expected
        # The units and the organisations under them, one per indicator, three for "own
        # words" (the instrument's ids, the plans, the answers), two for the ladder (the
        # units' ladders as ids and days, then the answers of each quarter's latest by
        # id), and one each for the forums
        # and the matters, which five share.
        assert len(queries) <= 15, [q["sql"][:80] for q in queries]
    # The data had something to count.
    assert any(v for values in expected.values() for v in values if v)


def test_the_ladder_asks_in_the_seeds_words_and_old_answers_keep_theirs(cast):
    from django.contrib.contenttypes.models import ContentType

    from egenmakt.instruments.models import InstrumentDefinition, Response

    ensure_instruments()
    latest = current_definition("participation_ladder", None)
    assert latest.version == 2
    first = InstrumentDefinition.objects.get(key="participation_ladder", version=1)
    old = Response.objects.create(
        definition=first,
        subject_type=ContentType.objects.get_for_model(Organisation),
        subject_id=str(cast.org("outpatient").pk),
        entered_by=cast.coordinator,
        respondent_kind="staff",
        answered_on=date(2026, 1, 10),
        status="submitted",
        submitted_at=timezone.now(),
        answers={"level1_opening": "yes"},
    )
    old.refresh_from_db()
    assert old.definition.version == 1
    sections = old.definition.definition["sections"]
    assert sections[0]["title"]["sv"] == "Nivå 1: Brukare blir lyssnade på"
    assert latest.definition["sections"][0]["title"]["sv"] == ("Nivå 1: Brukare blir lyssnade till")
