"""Indicators of effect on hand-built matters: raised per forum, share with an outcome,
share adopted, median days to the outcome; the dashboard's batch and the per-quarter
definition give the same numbers, and a closed quarter's value stays as it was."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from egenmakt.influence.indicators import dashboard, dashboard_live, dashboard_per_period
from egenmakt.influence.indicators.scope import Period
from egenmakt.influence.models import (
    CareArea,
    Forum,
    ForumMember,
    InfluenceOrganisation,
    Matter,
    MatterStatus,
)

pytestmark = pytest.mark.django_db

Q1 = Period(date(2026, 1, 1), date(2026, 3, 31))
Q2 = Period(date(2026, 4, 1), date(2026, 6, 30))
KEYS = ("matters_per_forum", "matters_with_outcome", "matters_adopted", "days_to_outcome")


@pytest.fixture
def area(cast):
    area = CareArea.objects.create(name="Centrum", slug="centrum", organisation=cast.org("network"))
    org = InfluenceOrganisation.objects.create(
        name="Egen Kraft", kind="user", account=cast.org("user_org_a")
    )
    org.areas.add(area)
    steering = Forum.objects.create(
        area=area, name="Styrgrupp", level="system", kind="steering_group"
    )
    council = Forum.objects.create(
        area=area, name="Brukarråd", level="service", kind="user_council",
        started_on=date(2026, 4, 15),
    )  # fmt: skip
    seat = ForumMember.objects.create(
        forum=steering, name="Kim Ek", capacity="representative", organisation=org,
        since=date(2025, 1, 1),
    )  # fmt: skip

    def matter(forum, raised, status=MatterStatus.PENDING, decided=None):
        return Matter.objects.create(
            forum=forum, title="Fråga", raised_by=seat, organisation=org, raised_on=raised,
            status=status, decided_on=decided, created_by=cast.coordinator,
            reason="Ingen budget" if status == MatterStatus.REJECTED else "",
        )  # fmt: skip

    # Q1: three raised in the steering group; one adopted in Q1 after 20 days.
    matter(steering, date(2026, 1, 10), MatterStatus.ADOPTED, date(2026, 1, 30))
    matter(steering, date(2026, 2, 1), MatterStatus.REJECTED, date(2026, 4, 11))  # 69 days
    matter(steering, date(2026, 3, 1))
    # Q2: one raised in each forum; one partly adopted after 10 days.
    matter(steering, date(2026, 5, 1), MatterStatus.PARTLY, date(2026, 5, 11))
    matter(council, date(2026, 6, 1))
    # Another area's matters never count.
    other = CareArea.objects.create(name="Annat", slug="annat", organisation=cast.org("network"))
    matter(Forum.objects.create(area=other, name="X", level="system", kind="steering_group"),
           date(2026, 5, 2), MatterStatus.ADOPTED, date(2026, 5, 3))  # fmt: skip
    return area


def _values(rows):
    return {r.indicator.key: r.values for r in rows if r.indicator.key in KEYS}


def test_effect_indicators_on_hand_built_matters(area):
    grouped = _values(dashboard([area], [Q1, Q2]))
    assert grouped == _values(dashboard_per_period([area], [Q1, Q2]))
    # Q1: 3 raised, one forum running (the council starts in April); Q2: 2 over 2 forums.
    assert grouped["matters_per_forum"] == [3.0, 1.0]
    # By the end of Q1 one of three had its outcome; by the end of Q2 three of five.
    assert grouped["matters_with_outcome"] == [33.3, 60.0]
    # Decided in Q1: one, adopted; in Q2: the rejection and the partial adoption.
    assert grouped["matters_adopted"] == [100.0, 50.0]
    # Days to the outcome: Q1 20; Q2 the median of 69 and 10.
    assert grouped["days_to_outcome"] == [20.0, 39.5]


def test_a_closed_quarters_value_does_not_change_with_a_later_decision(area):
    before = _values(dashboard([area], [Q1]))
    pending = Matter.objects.get(raised_on=date(2026, 3, 1))
    pending.status, pending.decided_on = MatterStatus.ADOPTED, Q1.end + timedelta(days=40)
    pending.save()
    # By its definition (computed anew), not only because the quarter is stored.
    assert _values(dashboard_live([area], [Q1])) == before
    assert _values(dashboard([area], [Q1])) == before
