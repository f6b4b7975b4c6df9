"""Diversity per round from what applicants chose to state, small counts suppressed for
every reader, and the questions on the public form: optional, never shown on the
application to those who read it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from egenmakt.peer.models import (
    Application,
    ApplicationStatus,
    Cohort,
    Participant,
    ParticipantStatus,
    PeerWorkplace,
)
from egenmakt.peer.tests.factories import apply, make_round
from egenmakt.reports.diversity import age_group, diversity, gender_group
from egenmakt.reports.tests.test_programme import place

pytestmark = pytest.mark.django_db


def _table(tables, key):
    table = next(t for t in tables if t.key == key)
    return {str(row.label): (row.applied, row.admitted, row.employed) for row in table.rows}


def test_gender_and_age_are_grouped_as_stated():
    assert [gender_group(g) for g in ("Kvinna", " man ", "icke-binär", "")] == [
        "woman",
        "man",
        "other",
        "not_stated",
    ]
    assert [age_group(y, 2026) for y in (2000, 1996, 1982, 1967, 1966, None)] == [
        "-29",
        "30-44",
        "30-44",
        "45-59",
        "60-",
        "not_stated",
    ]


def test_the_database_bands_the_age_as_age_group_does_on_every_edge(cast):
    """``diversity`` bands the age in its one grouped query: the same bands as
    ``age_group`` (the definition), each edge and a missing year included."""
    from datetime import UTC, datetime

    from django.db.models import F
    from django.db.models.functions import ExtractYear

    from egenmakt.reports.diversity import _age_band

    round_ = make_round(cast)
    years = (2000, 1997, 1996, 1982, 1981, 1967, 1966, 1940, None)
    for year in years:
        apply(round_, birth_year=year)
    # Submitted late on New Year's Eve in UTC: the year is the one ``submitted_at.year`` gives.
    Application.objects.filter(round=round_).update(
        submitted_at=datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    )
    found = dict(
        Application.objects.filter(round=round_)
        .annotate(age=ExtractYear("submitted_at", tzinfo=UTC) - F("birth_year"))
        .annotate(band=_age_band())
        .values_list("birth_year", "band")
    )
    assert found == {year: age_group(year, 2026) for year in years}


def test_diversity_counts_with_small_cells_suppressed(cast):
    round_ = make_round(cast)
    for _n in range(6):
        apply(round_, gender="kvinna", birth_year=1990, background="foreign", functioning="no")
    for _n in range(2):
        apply(round_, gender="Man", birth_year=1960, background="swedish", functioning="yes")
    apply(round_, gender="", birth_year=None)
    # Five of the women admitted; one of them completed and works.
    admitted = list(Application.objects.filter(round=round_, gender="kvinna")[:5])
    Application.objects.filter(pk__in=[a.pk for a in admitted]).update(
        status=ApplicationStatus.ADMITTED
    )
    cohort = Cohort.objects.create(round=round_, title="Kurs", created_by=cast.coordinator)
    worker = cast.peer_supporter
    Participant.objects.create(
        cohort=cohort,
        application=admitted[0],
        user=worker,
        status=ParticipantStatus.COMPLETED,
        completed_at=timezone.now(),
    )
    workplace = PeerWorkplace.objects.create(
        workplace=cast.org("outpatient"),
        network=cast.org("network"),
        registered_by=cast.coordinator,
    )
    place(cast, worker, workplace, timezone.localdate() - timedelta(days=10))

    tables = diversity([round_], timezone.localdate())
    # The labels are read in the reader's language: Swedish here, whatever ran before.
    with translation.override("sv"):
        gender = _table(tables, "gender")
        background = _table(tables, "background")
        functioning = _table(tables, "functioning")
    assert gender == {
        "Kvinna": (6, 5, "<5"),
        "Man": ("<5", 0, 0),
        "Annan beskrivning": (0, 0, 0),
        "Inte angivet": ("<5", 0, 0),
    }
    assert background["Född utomlands, eller båda föräldrarna födda utomlands"] == (6, 5, "<5")
    assert functioning["Inte angivet"] == ("<5", 0, 0)


def test_the_form_asks_optionally_and_the_application_page_does_not_show_it(
    client, cast, signed_in
):
    round_ = make_round(cast)
    form = client.get(reverse("peer_public:apply", args=[round_.public_key])).content.decode()
    assert "Var är du och dina föräldrar födda?" in form
    assert "Jag vill helst inte svara" in form
    application = apply(round_, background="foreign", functioning="yes")
    signed_in(cast.coordinator)
    page = client.get(reverse("peer:application", args=[application.pk])).content.decode()
    assert "Född utomlands" not in page and "funktionsnedsättning" not in page.lower()
    # The report shows the table to the coordinator, suppressed as for anyone.
    report = client.get(reverse("reports:programme")).content.decode()
    assert "Mångfald" in report
