"""The indicator "consultations answered" on hand-built consultations: the dashboard's
grouped batch and the per-quarter definition give the same numbers, drafts and other areas
never count, and an answer after the deadline does not count as answered."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from egenmakt.influence.indicators import dashboard, dashboard_live, dashboard_per_period
from egenmakt.influence.indicators.consultations import (
    consultations_answered,
    consultations_answered_batch,
)
from egenmakt.influence.indicators.scope import Period, Units
from egenmakt.influence.models import (
    AskedOrganisation,
    CareArea,
    Consultation,
    ConsultationAnswer,
    ConsultationStatus,
    InfluenceOrganisation,
)

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
Q1 = Period(date(2026, 1, 1), date(2026, 3, 31))
Q2 = Period(date(2026, 4, 1), date(2026, 6, 30))
Q3 = Period(date(2026, 7, 1), date(2026, 9, 30))
KEY = "consultations_answered"


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=STOCKHOLM)


@pytest.fixture
def area(cast):
    area = CareArea.objects.create(name="Centrum", slug="centrum", organisation=cast.org("network"))
    other = CareArea.objects.create(name="Annat", slug="annat", organisation=cast.org("network"))
    orgs = [
        InfluenceOrganisation.objects.create(name=f"Förening {n}", kind="user") for n in range(4)
    ]

    def consultation(where, deadline, asked, answered, status=ConsultationStatus.SENT):
        """``answered``: (organisation index, answered at) pairs."""
        made = Consultation.objects.create(
            area=where, title="Remiss", question="?", deadline=deadline, status=status,
            created_by=cast.coordinator,
        )  # fmt: skip
        for n in asked:
            AskedOrganisation.objects.create(consultation=made, organisation=orgs[n])
        for n, moment in answered:
            ConsultationAnswer.objects.create(
                consultation=made, organisation=orgs[n], text="Svar", answered_at=moment,
                answered_by=cast.lecturer,
            )  # fmt: skip

    # Q1: four asked; three answered by the deadline (one at 23:00 on its day, local time:
    # 22:00 UTC, the same day), one after it (the next morning).
    consultation(
        area, date(2026, 2, 15), [0, 1, 2, 3],
        [(0, _at(date(2026, 2, 1), 9)), (1, _at(date(2026, 2, 15), 23)),
         (2, _at(date(2026, 2, 10), 12)), (3, _at(date(2026, 2, 16), 8))],
    )  # fmt: skip
    # Q2: a closed one, two asked, one answered; another, one asked, none answered.
    consultation(area, date(2026, 5, 5), [0, 1], [(1, _at(date(2026, 5, 1), 10))],
                 ConsultationStatus.CLOSED)  # fmt: skip
    consultation(area, date(2026, 6, 30), [2], [])
    # Never counted: a draft, and another area's consultation.
    consultation(area, date(2026, 5, 10), [0, 1, 2], [], ConsultationStatus.DRAFT)
    consultation(other, date(2026, 5, 10), [0], [(0, _at(date(2026, 5, 1), 10))])
    return area


def test_the_batch_equals_the_definition_on_hand_built_consultations(area):
    periods = [Q1, Q2, Q3]
    by_definition = [consultations_answered([area], p) for p in periods]
    assert by_definition == [75.0, 33.3, None]
    assert consultations_answered_batch(Units.of([area]), periods) == by_definition

    def values(rows):
        return next(r.values for r in rows if r.indicator.key == KEY)

    assert values(dashboard_live([area], periods)) == by_definition
    assert values(dashboard_per_period([area], periods)) == by_definition
    assert values(dashboard([area], periods, today=date(2026, 12, 1))) == by_definition


def test_the_definition_is_shown_with_the_indicator(cast, signed_in, area):
    page = signed_in(cast.coordinator).get(f"/inflytande/indikatorer/?area={area.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Besvarade remisser" in html
    assert "svarade senast sista svarsdag" in html
