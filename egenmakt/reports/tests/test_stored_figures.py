"""Closed periods' figures are stored once and reused (reports/stored.py): the stored and
the live computation agree, the open period is never stored, the nightly recomputation
brings late entries in, and a new definition or a deleted scope leaves nothing stale."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from egenmakt.influence.indicators import FIGURES, dashboard, dashboard_live, quarters
from egenmakt.influence.models import CareArea
from egenmakt.reports import stored
from egenmakt.reports.models import StoredFigures

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 4)  # in the fourth quarter of 2026


def _values(rows):
    return {row.indicator.key: row.values for row in rows}


@pytest.fixture
def areas(db):
    call_command("generate_scale", clients=300, answers_per_client=0, seed=7, stdout=StringIO())
    found = list(CareArea.objects.order_by("pk"))
    assert found
    return found


def test_stored_quarters_equal_the_live_computation_and_cost_fewer_queries(areas, cast):
    periods = quarters(TODAY, 8)
    live = _values(dashboard_live(areas, periods))
    assert any(v for values in live.values() for v in values if v), "nothing to count"

    with CaptureQueriesContext(connection) as first:
        assert _values(dashboard(areas, periods, TODAY)) == live
    # Seven closed quarters stored, the open one not.
    rows = StoredFigures.objects.filter(kind="indicators")
    assert sorted(rows.values_list("period_start", flat=True)) == [p.start for p in periods[:-1]]
    assert set(rows.get(period_start=periods[0].start).values) == set(FIGURES.keys)

    with CaptureQueriesContext(connection) as second:
        assert _values(dashboard(areas, periods, TODAY)) == live
    assert len(second) < len(first)
    assert not [q for q in second if q["sql"].lstrip().upper().startswith("INSERT")]
    # Another choice of areas is a scope of its own, stored apart.
    other = CareArea.objects.create(name="Norr", slug="norr", organisation=cast.org("network"))
    wider = [*areas, other]
    assert _values(dashboard(wider, periods, TODAY)) == _values(dashboard_live(wider, periods))
    assert rows.values("scope").distinct().count() == 2


def test_the_open_quarter_is_stored_the_day_after_it_ends(areas):
    periods = quarters(TODAY, 2)
    dashboard(areas, periods, TODAY)
    assert not StoredFigures.objects.filter(period_start=periods[-1].start).exists()
    dashboard(areas, periods, periods[-1].end)  # its last day: still open
    assert not StoredFigures.objects.filter(period_start=periods[-1].start).exists()
    dashboard(areas, periods, periods[-1].end + timedelta(days=1))
    assert StoredFigures.objects.filter(period_start=periods[-1].start).exists()


def test_recomputation_brings_a_late_entry_into_a_closed_quarter(areas):
    from egenmakt.coordination.models import Meeting, MeetingStatus

    periods = quarters(TODAY, 4)
    before = _values(dashboard(areas, periods, TODAY))
    # A meeting of the last closed quarter is minuted late: held, the client not there.
    previous = periods[-2]
    meeting = (
        Meeting.objects.filter(
            client__organisation__influence_areas__isnull=False,
            starts_at__date__gte=previous.start,
            starts_at__date__lte=previous.end,
        )
        .exclude(status=MeetingStatus.HELD, client_present=False)
        .first()
    )
    if meeting is None:  # the generated data had none there: make one
        meeting = Meeting.objects.filter(client__organisation__influence_areas__isnull=False)[0]
    Meeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.HELD,
        client_present=False,
        starts_at=meeting.starts_at.replace(
            year=previous.start.year, month=previous.start.month, day=15
        ),
    )
    live = _values(dashboard_live(areas, periods))
    assert live["client_present"] != before["client_present"]
    # Stored: the page still shows the figures as they were when the quarter closed.
    assert _values(dashboard(areas, periods, TODAY)) == before

    # The nightly run over the periods that ended in the last 120 days takes the late entry.
    assert stored.recompute(TODAY, ended_within_days=120) == 1
    assert _values(dashboard(areas, periods, TODAY)) == live
    # Nothing changed since: nothing to save.
    assert stored.recompute(TODAY) == 0


def test_the_nightly_window_leaves_older_quarters_alone(areas):
    periods = quarters(TODAY, 4)
    dashboard(areas, periods, TODAY)
    oldest = StoredFigures.objects.get(period_start=periods[0].start)
    oldest.values = {**oldest.values, "activities": 999}
    oldest.save()
    assert stored.recompute(TODAY, ended_within_days=120) == 0
    oldest.refresh_from_db()
    assert oldest.values["activities"] == 999
    assert stored.recompute(TODAY) == 1  # all periods: put right
    oldest.refresh_from_db()
    assert oldest.values["activities"] != 999


def test_a_stored_row_missing_an_indicator_is_computed_again(areas):
    periods = quarters(TODAY, 3)
    live = _values(dashboard_live(areas, periods))
    dashboard(areas, periods, TODAY)
    row = StoredFigures.objects.get(period_start=periods[0].start)
    row.values = {k: v for k, v in row.values.items() if k != "ladder"}
    row.save()
    assert _values(dashboard(areas, periods, TODAY)) == live


def test_another_version_is_not_read_and_recomputation_deletes_it(areas, monkeypatch):
    periods = quarters(TODAY, 3)
    dashboard(areas, periods, TODAY)
    StoredFigures.objects.update(values=dict.fromkeys(FIGURES.keys, 0), version=99)
    # Rows of version 99 are not the definition in use: the page computes anew.
    assert _values(dashboard(areas, periods, TODAY)) == _values(dashboard_live(areas, periods))
    stored.recompute(TODAY)
    assert not StoredFigures.objects.filter(version=99).exists()
    assert StoredFigures.objects.filter(version=FIGURES.version).count() == 2


def test_recomputation_drops_the_figures_of_a_deleted_area(areas, cast):
    periods = quarters(TODAY, 3)
    gone = CareArea.objects.create(name="Borta", slug="borta", organisation=cast.org("network"))
    dashboard([gone], periods, TODAY)
    assert StoredFigures.objects.filter(scope=f"areas:{gone.pk}").count() == 2
    gone.delete()
    stored.recompute(TODAY)
    assert not StoredFigures.objects.filter(scope=f"areas:{gone.pk}").exists()


def test_the_command_runs_the_recomputation(areas):
    dashboard(areas, quarters(TODAY, 3), TODAY)
    out = StringIO()
    call_command("recompute_stored_figures", "--ended-within-days", "120", stdout=out)
    assert "0 changed" in out.getvalue()
