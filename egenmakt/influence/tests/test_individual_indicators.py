"""The individual-level indicators that come from the resource-group work: meetings with
the client present, and plans whose goal is in the client's own words."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from egenmakt.coordination.models import Meeting, MeetingStatus, PlanVersion
from egenmakt.coordination.services import mapping as services
from egenmakt.coordination.services import meetings as meeting_services
from egenmakt.coordination.tests.factories import decided_plan, ensure_instruments, shared_client
from egenmakt.influence.indicators import dashboard, dashboard_per_period, quarters
from egenmakt.influence.indicators.per_period import client_present_share, goal_own_words_share
from egenmakt.influence.models import CareArea
from egenmakt.instruments import services as instrument_services
from egenmakt.instruments.models import InstrumentDefinition

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic_area(cast):
    area = CareArea.objects.create(
        name="Psykiatrin", slug="psykiatrin", organisation=cast.org("network")
    )
    area.units.set([cast.org("clinic")])
    return area


def _meeting(cast, client, day, present):
    return Meeting.objects.create(
        client=client,
        starts_at=timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 10)),
        place="Hemma",
        status=MeetingStatus.HELD,
        client_present=present,
        organisation=cast.org("clinic"),
        created_by=cast.case_manager,
    )


def test_share_of_held_meetings_with_the_client_present(cast, clinic_area):
    (period,) = quarters(timezone.localdate(), 1)
    client = shared_client(cast)
    for present in (True, True, False):
        _meeting(cast, client, period.start, present)
    # Booked (not held) and last quarter's meetings do not count.
    Meeting.objects.create(
        client=client,
        starts_at=timezone.now() + timedelta(days=1),
        place="Hemma",
        organisation=cast.org("clinic"),
        created_by=cast.case_manager,
    )
    _meeting(cast, client, period.start - timedelta(days=5), False)
    assert client_present_share([clinic_area], period) == 66.7
    assert _both_ways(clinic_area, "client_present") == [0.0, 66.7]
    other_area = CareArea.objects.create(
        name="Annat", slug="annat", organisation=cast.org("network")
    )
    other_area.units.set([cast.org("housing_support")])
    assert client_present_share([other_area], period) is None


def test_a_meeting_counts_for_the_clients_home_area_whoever_booked_it(cast, clinic_area):
    """The municipal partner books and holds the meeting; it counts where the client belongs
    (the clinic), not for the partner's social psychiatry, because the meeting carries the
    client's home organisation from the moment it is booked."""
    (period,) = quarters(timezone.localdate(), 1)
    client = shared_client(cast)
    assert client.organisation == cast.org("clinic")
    meeting = meeting_services.book_meeting(
        user=cast.municipal_case_manager,
        client=client,
        starts_at=timezone.now() + timedelta(days=3),
        chair="Kim",
        invite=False,
    )
    assert meeting.organisation == cast.org("social_psychiatry")
    assert meeting.home_organisation == cast.org("clinic")
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.make_aware(
            timezone.datetime(period.start.year, period.start.month, period.start.day, 10)
        ),
        status=MeetingStatus.HELD,
        client_present=True,
    )
    partner_area = CareArea.objects.create(
        name="Socialpsykiatrin", slug="socialpsykiatrin", organisation=cast.org("network")
    )
    partner_area.units.set([cast.org("social_psychiatry")])
    assert client_present_share([clinic_area], period) == 100.0
    assert client_present_share([partner_area], period) is None
    assert _both_ways(partner_area, "client_present") == [None, None]


def _participation(cast, client, own_words, day):
    ensure_instruments()
    record = services.start_worksheet(
        user=cast.case_manager,
        client=client,
        definition=InstrumentDefinition.objects.filter(key="my_participation").first(),
        respondent_kind="client",
        done_on=day,
        present=[cast.case_manager],
    )
    keys = ("own_words", "chose_goals", "chose_group", "heard_at_meetings", "understand",
            "copies", "can_say_no", "decides_pace")  # fmt: skip
    answers = dict.fromkeys(keys, "yes") | {"own_words": own_words}
    instrument_services.submit_response(
        user=cast.case_manager,
        response=record.response,
        answers=answers,
        expected_version=record.response.version,
    )


def test_share_of_decided_plans_with_the_goal_in_the_clients_own_words(cast, clinic_area):
    today = timezone.localdate()
    (period,) = quarters(today, 1)
    yes, no, unknown = (shared_client(cast, name=n) for n in ("Ada Ek", "Bo Ek", "Cy Ek"))
    for client in (yes, no, unknown):
        decided_plan(cast, client, decided_on=today)
    # The latest answer counts: "no" first, then "yes".
    _participation(cast, yes, "no", today - timedelta(days=2))
    _participation(cast, yes, "yes", today - timedelta(days=1))
    _participation(cast, no, "partly", today)
    assert goal_own_words_share([clinic_area], period) == 50.0
    assert _both_ways(clinic_area, "goal_own_words") == [None, 50.0]
    # Each decided version carries the client's home organisation.
    assert {v.home_organisation_id for v in PlanVersion.objects.all()} == {cast.org("clinic").pk}


def _both_ways(area, key):
    """The dashboard's grouped query and the per-quarter definition agree."""
    periods = quarters(timezone.localdate(), 2)
    grouped = {r.indicator.key: r.values for r in dashboard([area], periods)}[key]
    one_by_one = {r.indicator.key: r.values for r in dashboard_per_period([area], periods)}[key]
    assert grouped == one_by_one
    return grouped
