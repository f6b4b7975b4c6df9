"""The caseload report (outcomes of coordination across a unit) against a data set built
by hand on fixed dates: its numbers, small counts suppressed, who sees which unit, the
exports made in the task queue, the pseudonymised extract, and both languages."""

from __future__ import annotations

import copy
import csv
import io
import re
from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from egenmakt.accounts.models import Organisation
from egenmakt.coordination.models import Client, Meeting, MeetingStatus
from egenmakt.coordination.selectors.caseload import caseload_outcomes
from egenmakt.coordination.services import mapping as mapping_services
from egenmakt.coordination.tests.factories import (
    consent,
    decided_plan,
    ensure_instruments,
    new_client,
    with_municipal_partner,
)
from egenmakt.core.suppression import SUPPRESSED
from egenmakt.instruments import services as instrument_services
from egenmakt.instruments.models import InstrumentDefinition
from egenmakt.reports.caseload import caseload_report
from egenmakt.reports.models import ExportStatus, ReportExport, ResearchKey

pytestmark = pytest.mark.django_db

STARTS, ENDS = date(2025, 1, 1), date(2025, 12, 31)
PERIOD = {"starts_on": STARTS.isoformat(), "ends_on": ENDS.isoformat()}
ITEMS = ("individually", "interpersonally", "socially", "overall")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def client_from(cast, started_on: date, name: str) -> Client:
    """A client of the clinic with both case managers and a consent that covers them."""
    client = new_client(cast, name=name, started_on=started_on)
    with_municipal_partner(cast, client)
    consent(cast, client, given_on=started_on)
    client.refresh_from_db()
    return client


def ors(cast, client: Client, day: date, values: tuple[float, ...]) -> None:
    ensure_instruments()
    record = mapping_services.start_worksheet(
        user=cast.case_manager,
        client=client,
        definition=InstrumentDefinition.objects.filter(key="ors").order_by("-version").first(),
        respondent_kind="client",
        done_on=day,
        present=[cast.case_manager],
    )
    response = record.response
    instrument_services.submit_response(
        user=cast.case_manager,
        response=response,
        answers=dict(zip(ITEMS, values, strict=True)),
        expected_version=response.version,
        answered_on=day,
    )


def held(cast, client: Client, day: date, status: str = MeetingStatus.HELD) -> Meeting:
    return Meeting.objects.create(
        client=client,
        starts_at=at(day),
        place="Hemma",
        status=status,
        client_present=True,
        organisation=cast.org("clinic"),
        created_by=cast.case_manager,
    )


def summary(cast, client: Client, day: date, *, both: bool = True) -> None:
    present = [cast.case_manager, cast.municipal_case_manager] if both else [cast.case_manager]
    mapping_services.record_step(
        user=cast.case_manager, client=client, step="summary", done_on=day, present=present
    )


# Seven clients of the clinic, as (start, ORS series (item values), days from the start to
# the compiled mapping, to the first held meeting, to the decided plan, a recent meeting).
SEVEN = [
    # first 16, latest 24: +8, reliably improved
    (date(2025, 1, 10), [(4, 4, 4, 4), (6, 6, 6, 6)], 30, 60, 60, date(2025, 11, 20)),
    # 20 -> 28: improved
    (date(2025, 2, 1), [(5, 5, 5, 5), (7, 7, 7, 7)], 40, 70, 70, date(2025, 12, 1)),
    # 16 -> 21: exactly the reliable change of 5, improved
    (date(2025, 3, 1), [(4, 4, 4, 4), (5, 5, 5, 6)], 20, 50, 80, date(2025, 10, 15)),
    # 24 -> 26: no reliable change
    (date(2025, 3, 15), [(6, 6, 6, 6), (6, 6, 7, 7)], 35, 90, 90, date(2025, 11, 1)),
    # 28 -> 20: reliably worse
    (date(2025, 4, 1), [(7, 7, 7, 7), (5, 5, 5, 5)], 45, 100, 120, None),
    # 20, 24, 22: first against latest, +2, no reliable change
    (
        date(2025, 5, 1),
        [(5, 5, 5, 5), (6, 6, 6, 6), (5, 5, 6, 6)],
        25,
        75,
        None,
        date(2025, 12, 10),
    ),
    # one rating only: not measured twice; nothing else yet
    (date(2025, 6, 1), [(3, 3, 3, 3)], None, None, None, None),
]


@pytest.fixture
def seven(cast):
    clients = []
    for number, (start, series, mapping, meeting, plan, recent) in enumerate(SEVEN):
        client = client_from(cast, start, f"Klient {number} Berg")
        for offset, values in enumerate(series):
            ors(cast, client, start + timedelta(days=14 + 60 * offset), values)
        if mapping is not None:
            # The sixth client's compiled mapping was done by one case manager alone.
            summary(cast, client, start + timedelta(days=mapping), both=number != 5)
        if meeting is not None:
            held(cast, client, start + timedelta(days=meeting))
        if plan is not None:
            decided_plan(cast, client, decided_on=start + timedelta(days=plan))
        if recent is not None:
            held(cast, client, recent)
        clients.append(client)
    # Not counted: booked but not held, held after the period, an ORS after the period.
    held(cast, clients[4], date(2025, 12, 15), status=MeetingStatus.PLANNED)
    held(cast, clients[6], date(2026, 1, 15))
    ors(cast, clients[3], date(2026, 1, 10), (10, 10, 10, 10))
    # Outside the caseload: started before the period; restricted (GDPR art. 18).
    client_from(cast, date(2024, 12, 15), "Före Perioden")
    restricted = client_from(cast, date(2025, 7, 1), "Begränsad Behandling")
    Client.objects.filter(pk=restricted.pk).update(restricted_at=timezone.now())
    return clients


def test_the_facts_per_client_match_the_hand_built_data(cast, seven):
    outcomes = {o.pk: o for o in caseload_outcomes(cast.org("clinic"), STARTS, ENDS)}
    assert set(outcomes) == {c.pk for c in seven}
    facts = [outcomes[c.pk] for c in seven]
    assert [o.ors_change for o in facts] == [
        "improved",
        "improved",
        "improved",
        "no_reliable_change",
        "deteriorated",
        "no_reliable_change",
        None,
    ]
    assert (facts[5].ors_first, facts[5].ors_latest) == (20.0, 22.0)
    assert facts[3].ors_latest == 26.0  # the rating after the period is not read
    assert [o.mapping_days for o in facts] == [30, 40, 20, 35, 45, 25, None]
    assert [o.days_to_first_meeting for o in facts] == [60, 70, 50, 90, 100, 75, None]
    assert [o.days_to_plan for o in facts] == [60, 70, 80, 90, 120, None, None]
    assert [(o.both_steps, o.both_present) for o in facts] == [(1, 1)] * 5 + [(1, 0), (0, 0)]
    assert [o.held_recently for o in facts] == [True, True, True, True, False, True, False]


def test_the_report_counts_and_suppresses_small_numbers(cast, seven):
    report = caseload_report(cast.org("clinic"), STARTS, ENDS)
    assert report.clients == 7
    assert report.ors_measured == 6
    # 3, 2 and 1 of 6: each fewer than five, so shown as "<5" and no share.
    assert [(s.count, s.of, s.percent) for s in report.ors] == [
        (SUPPRESSED, 6, None),
        (SUPPRESSED, 6, None),
        (SUPPRESSED, 6, None),
    ]
    assert [(d.clients, d.median_days) for d in report.durations] == [
        (6, 72.5),
        (5, 80.0),
        (6, 32.5),
    ]
    assert [(s.count, s.of, s.percent) for s in report.method] == [(5, 6, 83), (5, 7, 71)]


def test_a_unit_of_three_clients_shows_only_suppressed_numbers(client, cast, signed_in, seven):
    team = Organisation.objects.create(name="Team Norr", parent=cast.org("clinic"), kind="region")
    Client.objects.filter(pk__in=[c.pk for c in seven[:3]]).update(organisation=team)
    report = caseload_report(team, STARTS, ENDS)
    assert report.clients == SUPPRESSED and report.ors_measured == SUPPRESSED
    assert all(s.percent is None for s in (*report.ors, *report.method))
    assert all(d.clients == SUPPRESSED and d.median_days is None for d in report.durations)
    signed_in(cast.method_supervisor)
    page = client.get(reverse("reports:caseload"), {"unit": team.pk, **PERIOD})
    html = page.content.decode()
    assert page.status_code == 200
    assert "&lt;5" in html and "dolt" in html
    assert "Klient 0 Berg" not in html


def test_who_sees_which_unit(client, cast, signed_in, seven):
    url = reverse("reports:caseload")
    clinic = cast.org("clinic")
    below = Organisation.objects.create(name="Team Söder", parent=clinic, kind="region")
    for allowed in (cast.method_supervisor, cast.analyst):
        signed_in(allowed)
        for unit in (clinic, below):
            assert client.get(url, {"unit": unit.pk, **PERIOD}).status_code == 200, allowed
    signed_in(cast.method_supervisor)
    page = client.get(url, PERIOD)  # their own unit by default
    assert page.status_code == 200
    assert "<dd>7</dd>" in page.content.decode()
    # A sibling and the other region are as if they did not exist.
    for out_of_reach in (cast.org("outpatient"), cast.org("other_region"), cast.org("region")):
        assert client.get(url, {"unit": out_of_reach.pk}).status_code == 404
    signed_in(cast.outsider_analyst)
    assert client.get(url).status_code == 200
    assert client.get(url, {"unit": clinic.pk}).status_code == 404
    for refused in (cast.case_manager, cast.coordinator, cast.auditor, cast.admin):
        signed_in(refused)
        assert client.get(url).status_code == 403, refused


def test_the_menu_offers_the_page_only_to_those_who_may_open_it(client, cast, signed_in):
    url = reverse("reports:caseload")
    for person, shown in (
        (cast.method_supervisor, True),
        (cast.analyst, True),
        (cast.case_manager, False),
        (cast.coordinator, False),
    ):
        signed_in(person)
        page = client.get(reverse("accounts:home"), follow=True).content.decode()
        assert (f'href="{url}"' in page) is shown, person


def test_reading_the_page_is_logged_for_the_unit(client, cast, signed_in, seven):
    from egenmakt.audit.models import AccessLog

    signed_in(cast.analyst)
    before = AccessLog.objects.count()
    client.get(reverse("reports:caseload"), {"unit": cast.org("clinic").pk, **PERIOD})
    row = AccessLog.objects.order_by("-pk").first()
    assert AccessLog.objects.count() == before + 1
    assert row.actor_id == cast.analyst.pk and row.organisation_id == cast.org("clinic").pk


def test_a_bad_period_is_refused_with_the_form(client, cast, signed_in):
    signed_in(cast.analyst)
    page = client.get(
        reverse("reports:caseload"), {"starts_on": "2025-12-31", "ends_on": "2025-01-01"}
    )
    assert page.status_code == 400
    assert "Slutdatumet" in page.content.decode() or "slutdatum" in page.content.decode()
    page = client.get(reverse("reports:caseload"), {"starts_on": "inte ett datum", "ends_on": ""})
    assert page.status_code == 400


def test_the_page_does_the_same_number_of_queries_for_more_clients(client, cast, signed_in, seven):
    signed_in(cast.analyst)
    url = reverse("reports:caseload")
    query = {"unit": cast.org("clinic").pk, **PERIOD}
    client.get(url, query)
    with CaptureQueriesContext(connection) as small:
        client.get(url, query)
    for number in range(4):
        extra = client_from(cast, date(2025, 8, 1), f"Extra {number} Lund")
        ors(cast, extra, date(2025, 8, 10), (5, 5, 5, 5))
        ors(cast, extra, date(2025, 10, 10), (8, 8, 8, 8))
        summary(cast, extra, date(2025, 9, 1))
        held(cast, extra, date(2025, 10, 1))
    with CaptureQueriesContext(connection) as large:
        client.get(url, query)
    assert len(large) == len(small)


def _download(client, export: ReportExport) -> bytes:
    response = client.get(reverse("reports:export_download", args=[export.key]))
    return b"".join(response.streaming_content)


def test_the_exports_are_made_in_the_queue_with_the_page_s_numbers(client, cast, signed_in, seven):
    signed_in(cast.method_supervisor)
    for fmt in ("csv", "xlsx"):
        response = client.post(
            reverse("reports:caseload_export"),
            {"unit": cast.org("clinic").pk, "kind": "caseload", "format": fmt, **PERIOD},
        )
        assert response.status_code == 302
    csv_export, xlsx_export = ReportExport.objects.order_by("pk")
    assert {csv_export.status, xlsx_export.status} == {ExportStatus.READY}
    assert (csv_export.period_from, csv_export.period_to) == (STARTS, ENDS)
    rows = list(csv.reader(io.StringIO(_download(client, csv_export).decode("utf-8-sig"))))
    cells = {row[0]: row[1:] for row in rows if row}
    assert cells["Psykiatrimottagning Centrum"] == ["2025-01-01", "2025-12-31", "7", "6"]
    assert cells["Påtaglig förbättring"] == ["<5", "6", ""]
    assert cells["Steg för båda vårdsamordnarna där båda var med"] == ["5", "6", "83"]
    assert cells["Klienter med ett hållet möte de senaste tre månaderna"] == ["5", "7", "71"]
    assert cells["Start till första hållna resursgruppsmötet"] == ["6", "72.5"]
    assert cells["Start till första beslutade planen"] == ["5", "80.0"]
    book = load_workbook(io.BytesIO(_download(client, xlsx_export)))
    assert len(book.sheetnames) == 3
    shares = {row[0]: row[1:] for row in book[book.sheetnames[1]].iter_rows(values_only=True)}
    assert shares["Steg för båda vårdsamordnarna där båda var med"][:3] == (5, 6, 83)
    assert shares["Påtaglig förbättring"][0] == "<5"
    # Only the asker fetches the file.
    signed_in(cast.analyst)
    response = client.get(reverse("reports:export_download", args=[csv_export.key]))
    assert response.status_code == 404


def test_an_export_of_a_unit_out_of_reach_or_without_a_period_is_refused(
    client, cast, signed_in, seven
):
    signed_in(cast.method_supervisor)
    url = reverse("reports:caseload_export")
    response = client.post(
        url, {"unit": cast.org("outpatient").pk, "kind": "caseload", "format": "csv", **PERIOD}
    )
    assert response.status_code == 404
    response = client.post(
        url, {"unit": cast.org("clinic").pk, "kind": "caseload", "format": "csv"}
    )
    assert response.status_code == 302
    # The programme's form cannot ask for a caseload export either.
    signed_in(cast.coordinator)
    response = client.post(
        reverse("reports:export_create"),
        {"network": cast.org("network").pk, "kind": "caseload", "format": "csv"},
    )
    assert response.status_code == 302
    assert not ReportExport.objects.exists()


def test_the_research_extract_names_nobody(client, cast, signed_in, seven):
    signed_in(cast.analyst)
    clinic = cast.org("clinic")
    response = client.post(
        reverse("reports:caseload_key_create"), {"unit": clinic.pk, "name": "Studie RACT"}
    )
    assert response.status_code == 302
    key = ResearchKey.objects.get(name="Studie RACT", network=clinic)
    for _ in range(2):
        client.post(
            reverse("reports:caseload_export"),
            {
                "unit": clinic.pk,
                "kind": "caseload_extract",
                "format": "csv",
                "research_key": key.pk,
                **PERIOD,
            },
        )
    first, second = ReportExport.objects.order_by("pk")
    texts = [_download(client, e).decode("utf-8-sig") for e in (first, second)]
    assert texts[0] == texts[1]  # the same key gives the same pseudonyms
    rows = list(csv.reader(io.StringIO(texts[0])))
    header, body = rows[0], rows[1:]
    assert len(body) == 7
    assert not {"name", "full_name", "identity_number", "birth_date", "email"} & set(header)
    for person in Client.objects.all():
        assert person.full_name not in texts[0]
        assert person.identity_number not in texts[0]
        assert person.identity_number[:8] not in texts[0]  # the date of birth
        assert str(person.address) not in texts[0]
    assert not re.search(r"\d{4}-\d{2}-\d{2}", texts[0])  # dates to the month only
    pseudonyms = [row[0] for row in body]
    assert all(re.fullmatch(r"P-[0-9A-F]{12}", p) for p in pseudonyms)
    assert len(set(pseudonyms)) == 7
    by = dict(zip(header, zip(*body, strict=True), strict=True))
    assert sorted(by["start_month"]) == [
        "2025-01",
        "2025-02",
        "2025-03",
        "2025-03",
        "2025-04",
        "2025-05",
        "2025-06",
    ]
    assert sorted(by["ors_change"]) == sorted(
        ["improved"] * 3 + ["no_reliable_change"] * 2 + ["deteriorated", ""]
    )
    # A key of another unit is refused, and nothing is half made.
    other = ResearchKey.objects.create(
        network=cast.org("other_region"), name="Nordmark", created_by=cast.outsider_analyst
    )
    client.post(
        reverse("reports:caseload_export"),
        {
            "unit": clinic.pk,
            "kind": "caseload_extract",
            "format": "csv",
            "research_key": other.pk,
            **PERIOD,
        },
    )
    assert ReportExport.objects.count() == 2


@pytest.mark.parametrize(
    ("language", "heading", "measure"),
    [
        ("sv", "Utfall i vårdsamordningen", "Påtaglig förbättring"),
        ("en", "Caseload outcomes", "Reliably improved"),
    ],
)
def test_the_page_in_both_languages(client, cast, signed_in, seven, language, heading, measure):
    signed_in(cast.analyst)
    client.post(reverse("set_language"), {"language": language})
    page = client.get(reverse("reports:caseload"), {"unit": cast.org("clinic").pk, **PERIOD})
    html = page.content.decode()
    assert heading in html and measure in html


def test_the_reliable_change_is_read_from_the_instrument_definition(cast, seven):
    """Nothing here holds a copy of the 5: a definition that says 10 changes the result."""
    for definition in InstrumentDefinition.objects.filter(key="ors"):
        # A copy: the parsed content is shared by the process (instruments.models).
        content = copy.deepcopy(definition.definition)
        content["scoring"]["scores"][0]["reliable_change"] = 10
        definition.definition = content
        definition.checksum = instrument_services.checksum_of(content)
        definition.save(update_fields=["definition", "checksum"])
    outcomes = {o.pk: o for o in caseload_outcomes(cast.org("clinic"), STARTS, ENDS)}
    assert [outcomes[c.pk].ors_change for c in seven[:5]] == ["no_reliable_change"] * 5


def test_an_ended_coordination_counts_but_is_not_due_a_meeting(cast, seven):
    Client.objects.filter(pk=seven[0].pk).update(archived_at=at(date(2025, 12, 1)))
    report = caseload_report(cast.org("clinic"), STARTS, ENDS)
    assert report.clients == 7
    assert [(s.count, s.of) for s in report.method][1] == (SUPPRESSED, 6)
    # Archived after the period's end: still in coordination then.
    Client.objects.filter(pk=seven[0].pk).update(archived_at=at(date(2026, 1, 5)))
    report = caseload_report(cast.org("clinic"), STARTS, ENDS)
    assert [(s.count, s.of, s.percent) for s in report.method][1] == (5, 7, 71)
