"""The programme report's numbers against a data set built by hand, who may see it, its
exports made in the task queue, and the pseudonymised research extract."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from egenmakt.accounts.models import Membership, User
from egenmakt.accounts.roles import Role
from egenmakt.peer.models import (
    Application,
    ApplicationStatus,
    Cohort,
    ErasedApplications,
    Participant,
    ParticipantStatus,
    PeerWorkplace,
    Placement,
    RecruitmentRound,
    SickLeave,
    SupervisionAttendance,
    SupervisionMeeting,
    WorkLogEntry,
)
from egenmakt.peer.tests.factories import apply, make_round
from egenmakt.reports import services
from egenmakt.reports.exports import research_table
from egenmakt.reports.models import ExportStatus, ReportExport, ResearchKey
from egenmakt.reports.programme import programme_report

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 15)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def person(email: str, name: str, cast) -> User:
    user = User.objects.create_user(email, "x", full_name=name)
    Membership.objects.create(user=user, organisation=cast.org("network"), role=Role.PEER_SUPPORTER)
    return user


def place(cast, who, workplace, starts_on, ends_on=None):
    return Placement.objects.create(
        peer_supporter=who,
        workplace=workplace,
        starts_on=starts_on,
        ends_on=ends_on,
        end_reason="Flyttade" if ends_on else "",
        employer="user_organisation",
        share_percent=50,
        contact_person="Enhetschefen",
        supervisor=cast.supervisor,
        created_by=cast.coordinator,
    )


def meeting(cast, day, attended):
    row = SupervisionMeeting.objects.create(
        supervisor=cast.supervisor, kind="group", starts_at=at(day), place="Nätverket"
    )
    for who, present in attended.items():
        SupervisionAttendance.objects.create(meeting=row, peer_supporter=who, attended=present)
    return row


@pytest.fixture
def data(cast):
    """Round A: 7 applications (+3 erased), 5 (+1) interviewed, 4 admitted, 3 completed,
    2 employed, 1 of 2 employed after six months. Round B: 2 applications. A round of
    another network that must never count."""
    round_a = make_round(cast, title="Omgång A")
    round_b = make_round(cast, title="Omgång B")
    apps = [apply(round_a, full_name=f"Anna Andersson{i}") for i in range(7)]
    for app in apps[:5]:
        Application.objects.filter(pk=app.pk).update(interviewed_at=at(date(2025, 12, 1)))
    for app in apps[:4]:
        Application.objects.filter(pk=app.pk).update(status=ApplicationStatus.ADMITTED)
    ErasedApplications.objects.create(round=round_a, applied=3, interviewed=1)
    for _ in range(2):
        apply(round_b)
    other = RecruitmentRound.objects.create(
        organisation=cast.org("other_network"),
        title="Nordmarks omgång",
        jobs_expected=2,
        course_places=4,
        advertising_from=date(2025, 9, 1),
        applications_until=date(2025, 10, 1),
        interviews_from=date(2025, 10, 2),
        interviews_until=date(2025, 10, 20),
        decision_by=date(2025, 10, 25),
        course_start=date(2026, 1, 10),
        created_by=cast.outsider_coordinator,
    )
    Application.objects.bulk_create(
        Application(
            round=other,
            full_name=f"Nord {i}",
            email=f"nord{i}@example.org",
            status=ApplicationStatus.ADMITTED,
            interviewed_at=at(date(2025, 10, 5)),
            privacy_notice_version="1",
        )
        for i in range(5)
    )

    cohort = Cohort.objects.create(round=round_a, title="Kurs A", created_by=cast.coordinator)
    u1 = person("u1@example.org", "Ulla Ett", cast)
    u2 = person("u2@example.org", "Ulf Två", cast)
    u3 = person("u3@example.org", "Una Tre", cast)
    for app, user, completed_on in (
        (apps[0], u1, date(2026, 3, 1)),
        (apps[1], u2, date(2026, 3, 1)),
        (apps[2], u3, date(2026, 9, 1)),
    ):
        Participant.objects.create(
            cohort=cohort,
            application=app,
            user=user,
            status=ParticipantStatus.COMPLETED,
            completed_at=at(completed_on),
        )
    Participant.objects.create(cohort=cohort, application=apps[3], status=ParticipantStatus.LEFT)

    w1 = PeerWorkplace.objects.create(
        workplace=cast.org("outpatient"),
        network=cast.org("network"),
        registered_by=cast.coordinator,
    )
    w2 = PeerWorkplace.objects.create(
        workplace=cast.org("housing_support"),
        network=cast.org("network"),
        registered_by=cast.coordinator,
    )
    p1 = place(cast, u1, w1, date(2026, 4, 1))
    p2 = place(cast, u2, w1, date(2026, 4, 1), date(2026, 6, 30))
    p3 = place(cast, cast.peer_supporter, w2, date(2026, 10, 10))
    # The work log: May 3 + 1 = 4 activities over 2 people, October 2 + 1 = 3 over 2.
    for placement, day in (
        (p1, date(2026, 5, 4)),
        (p1, date(2026, 5, 5)),
        (p1, date(2026, 5, 31)),
        (p2, date(2026, 5, 12)),
        (p1, date(2026, 10, 1)),
        (p1, date(2026, 10, 31)),
        (p3, date(2026, 10, 12)),
    ):
        WorkLogEntry.objects.create(
            peer_supporter=placement.peer_supporter,
            placement=placement,
            day=day,
            kind="support_talk",
            minutes=30,
            setting="outpatient",
            themes=["recovery"],
        )
    meeting(cast, date(2026, 5, 10), {u1: True, u2: True})
    meeting(cast, date(2026, 10, 20), {u1: True, cast.peer_supporter: False})
    SickLeave.objects.create(
        placement=p1,
        starts_on=date(2026, 5, 30),
        ends_on=date(2026, 6, 2),
        recorded_by=cast.coordinator,
    )
    return {"a": round_a, "b": round_b, "people": [u1, u2, u3], "applications": apps}


def test_the_numbers_match_the_hand_built_data(cast, data):
    report = programme_report(cast.org("network"), today=TODAY)
    a, b = report.rounds
    assert (a.applied, a.interviewed, a.admitted, a.completed, a.employed) == (10, 6, 4, 3, 2)
    assert (a.after_6.eligible, a.after_6.employed) == (2, 1)
    assert (a.after_12.eligible, a.after_12.employed) == (0, 0)
    assert (b.applied, b.interviewed, b.admitted, b.completed, b.employed) == (2, 0, 0, 0, 0)
    total = report.total
    assert (total.applied, total.interviewed, total.admitted, total.completed) == (12, 6, 4, 3)
    assert total.employed == 2

    months = {m.month: m for m in report.months}
    assert len(months) == 12
    assert min(months) == date(2025, 12, 1) and max(months) == date(2026, 11, 1)
    assert [months[date(2026, m, 1)].working for m in range(3, 12)] == [0, 2, 2, 2, 1, 1, 1, 2, 2]
    may, june, october = (
        months[date(2026, 5, 1)],
        months[date(2026, 6, 1)],
        months[date(2026, 10, 1)],
    )
    assert (may.meetings, may.per_peer_supporter, may.sick_days) == (2, 1.0, 2)
    assert (june.meetings, june.sick_days) == (0, 2)
    assert (october.meetings, october.per_peer_supporter) == (1, 0.5)
    assert sum(m.sick_days for m in report.months) == 4
    assert (may.activities, may.activities_per_peer_supporter) == (4, 2.0)
    assert (october.activities, october.activities_per_peer_supporter) == (3, 1.5)
    assert (june.activities, june.activities_per_peer_supporter) == (0, 0.0)
    assert sum(m.activities for m in report.months) == 7
    assert months[date(2026, 3, 1)].activities_per_peer_supporter is None  # nobody working

    workplaces = {w.name: w for w in report.workplaces}
    outpatient = workplaces["Psykiatrisk öppenvård Nordstaden"]
    housing = workplaces["Boendestöd Östra"]
    assert (outpatient.region, outpatient.active, outpatient.total) == ("Region Västerhav", 1, 2)
    assert (outpatient.peer_supporters, outpatient.sick_days) == (2, 4)
    assert (housing.region, housing.active, housing.total) == ("Västerhavs kommun", 1, 1)
    regions = {r.name: (r.workplaces, r.active, r.total) for r in report.regions}
    assert regions == {"Region Västerhav": (1, 1, 2), "Västerhavs kommun": (1, 1, 1)}


def test_one_round_counts_only_its_own_peer_supporters(cast, data):
    report = programme_report(cast.org("network"), data["a"], today=TODAY)
    assert [r.label for r in report.rounds] == ["Omgång A"]
    assert report.total.applied == 10
    workplaces = {w.name: w for w in report.workplaces}
    assert workplaces["Boendestöd Östra"].total == 0
    october = next(m for m in report.months if m.month == date(2026, 10, 1))
    assert (october.working, october.meetings, october.per_peer_supporter) == (1, 1, 1.0)
    # Only round A's graduate's activities: the network's other peer supporter's are not.
    assert (october.activities, october.activities_per_peer_supporter) == (2, 2.0)


def test_who_sees_the_report(client, cast, signed_in, data):
    url = reverse("reports:programme")
    for allowed in (cast.coordinator, cast.researcher):
        signed_in(allowed)
        page = client.get(url)
        assert page.status_code == 200, allowed
        assert "Omgång A" in page.content.decode()
        assert "Anna Andersson" not in page.content.decode()
    for refused in (cast.peer_supporter, cast.workplace_manager, cast.supervisor, cast.auditor):
        signed_in(refused)
        assert client.get(url).status_code == 403, refused
    signed_in(cast.outsider_coordinator)
    page = client.get(url)  # their own network, with none of Västerhav's rounds
    assert page.status_code == 200
    assert "Omgång A" not in page.content.decode()
    assert client.get(url, {"network": cast.org("network").pk}).status_code == 404
    assert client.get(url, {"round": data["a"].pk}).status_code == 404


def test_the_page_does_the_same_number_of_queries_for_more_data(client, cast, signed_in, data):
    signed_in(cast.coordinator)
    url = reverse("reports:programme")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    round_c = make_round(cast, title="Omgång C")
    for _ in range(5):
        apply(round_c)
    extra = [person(f"extra{i}@example.org", f"Extra {i}", cast) for i in range(4)]
    workplace = PeerWorkplace.objects.create(
        workplace=cast.org("meeting_place"),
        network=cast.org("network"),
        registered_by=cast.coordinator,
    )
    for who in extra:
        place(cast, who, workplace, date(2026, 2, 1))
        meeting(cast, date(2026, 8, 3), {who: True})
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


def test_exports_are_made_in_the_queue_and_only_the_asker_fetches_them(
    client, cast, signed_in, data
):
    signed_in(cast.coordinator)
    for fmt in ("csv", "xlsx"):
        response = client.post(
            reverse("reports:export_create"),
            {"network": cast.org("network").pk, "kind": "programme", "format": fmt},
        )
        assert response.status_code == 302
    csv_export, xlsx_export = ReportExport.objects.order_by("pk")
    assert csv_export.status == ExportStatus.READY and xlsx_export.status == ExportStatus.READY
    download = client.get(reverse("reports:export_download", args=[csv_export.key]))
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Från ansökan till anställning"]
    omg_a = next(r for r in rows if r and r[0] == "Omgång A")
    assert omg_a[1:6] == ["10", "6", "4", "3", "2"]

    download = client.get(reverse("reports:export_download", args=[xlsx_export.key]))
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert len(book.sheetnames) == 4
    first = book[book.sheetnames[0]]
    assert [c.value for c in first[2]][:6] == ["Omgång A", 10, 6, 4, 3, 2]

    page = client.get(reverse("reports:programme")).content.decode()
    assert reverse("reports:export_download", args=[csv_export.key]) in page

    signed_in(cast.researcher)
    assert client.get(reverse("reports:export_download", args=[csv_export.key])).status_code == 404


def test_a_research_export_needs_a_key_and_nothing_is_half_made(client, cast, signed_in, data):
    signed_in(cast.researcher)
    response = client.post(
        reverse("reports:export_create"),
        {"network": cast.org("network").pk, "kind": "research", "format": "csv"},
        follow=True,
    )
    assert "Välj en exportnyckel" in response.content.decode()
    assert not ReportExport.objects.exists()
    other_key = ResearchKey.objects.create(
        network=cast.org("other_network"), name="Nordmark", created_by=cast.outsider_coordinator
    )
    response = client.post(
        reverse("reports:export_create"),
        {
            "network": cast.org("network").pk,
            "kind": "research",
            "format": "csv",
            "research_key": other_key.pk,
        },
        follow=True,
    )
    assert not ReportExport.objects.exists()


def test_the_pseudonymised_export_names_nobody_and_keeps_pseudonyms_per_key(
    client, cast, signed_in, data
):
    signed_in(cast.researcher)
    client.post(
        reverse("reports:key_create"), {"network": cast.org("network").pk, "name": "Studie 2026"}
    )
    key = ResearchKey.objects.get(name="Studie 2026")
    for _ in range(2):
        client.post(
            reverse("reports:export_create"),
            {
                "network": cast.org("network").pk,
                "kind": "research",
                "format": "csv",
                "research_key": key.pk,
            },
        )
    first, second = ReportExport.objects.order_by("pk")
    texts = [
        b"".join(
            client.get(reverse("reports:export_download", args=[e.key])).streaming_content
        ).decode("utf-8-sig")
        for e in (first, second)
    ]
    assert texts[0] == texts[1]  # the same key gives the same pseudonyms
    rows = list(csv.reader(io.StringIO(texts[0])))
    header, body = rows[0], rows[1:]
    assert len(body) == 9  # every application of the network's two rounds, no other network
    applications = Application.objects.filter(round__organisation=cast.org("network"))
    for application in applications:
        assert application.full_name not in texts[0]
        assert application.email not in texts[0]
    for user in data["people"]:
        assert user.full_name not in texts[0] and user.email not in texts[0]
    assert "@" not in texts[0]
    # No identity number of any kind: no run of six or more digits outside the pseudonyms.
    assert not any(re.search(r"\d{6,}", cell) for row in body for cell in row[1:])
    pseudonyms = [row[0] for row in body]
    assert all(re.fullmatch(r"P-[0-9A-F]{12}", p) for p in pseudonyms)
    assert len(set(pseudonyms)) == len(pseudonyms)
    assert str(data["applications"][0].pk) not in pseudonyms

    by = dict(zip(header, zip(*body, strict=True), strict=True))
    assert sorted(by["completed"]).count("1") == 3
    assert list(by["employed_after_6_months"]).count("1") == 1
    assert list(by["employed_after_6_months"]).count("0") == 1

    other = ResearchKey.objects.create(
        network=cast.org("network"), name="Annan studie", created_by=cast.coordinator
    )
    again = research_table(cast.org("network"), None, other)
    assert not set(pseudonyms) & {row[0] for row in again.rows}


def test_a_formula_in_a_round_title_is_neutralised(client, cast, signed_in, data):
    RecruitmentRound.objects.filter(pk=data["b"].pk).update(title="=HYPERLINK(1)")
    export = services.request_export(
        user=cast.coordinator, network=cast.org("network"), kind="programme", format="csv"
    )
    export.refresh_from_db()
    text = export.file.read().decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text


def test_the_demo_programme_gives_a_report_worth_reading(cast):
    from egenmakt.demo.programme import seed_demo_programme
    from egenmakt.peer.tests.factories import ensure_instruments

    ensure_instruments()
    seed_demo_programme(cast)
    seed_demo_programme(cast)  # idempotent
    report = programme_report(cast.org("network"))
    (row,) = [r for r in report.rounds if r.label == "Peer support-utbildning Västerhav 2025"]
    assert (row.applied, row.interviewed, row.admitted, row.completed, row.employed) == (
        9,
        6,
        4,
        3,
        2,
    )
    assert (row.after_6.eligible, row.after_6.employed) == (3, 2)
    assert sum(m.meetings for m in report.months) == 7
    assert sum(m.sick_days for m in report.months) == 3


def test_export_files_are_erased_after_a_week(cast, data):
    from datetime import timedelta

    from django.core.management import call_command

    export = services.request_export(
        user=cast.coordinator, network=cast.org("network"), kind="programme", format="xlsx"
    )
    export.refresh_from_db()
    path = export.file.path
    ReportExport.objects.filter(pk=export.pk).update(
        requested_at=timezone.now() - timedelta(days=8)
    )
    call_command("erase_old_exports", stdout=io.StringIO())
    export.refresh_from_db()
    assert not export.file
    import os

    assert not os.path.exists(path)
    assert export.status == ExportStatus.READY  # the record of the export stays


def test_an_export_of_an_unknown_kind_or_format_is_refused_with_a_message(
    client, cast, signed_in, data
):
    signed_in(cast.researcher)
    for posted in ({"kind": "everything", "format": "csv"}, {"kind": "programme", "format": "pdf"}):
        response = client.post(
            reverse("reports:export_create"),
            {"network": cast.org("network").pk, **posted},
            follow=True,
        )
        assert response.status_code == 200
        assert list(response.context["messages"])
    assert not ReportExport.objects.exists()


def test_a_research_key_needs_a_name(client, cast, signed_in, data):
    signed_in(cast.researcher)
    client.post(reverse("reports:key_create"), {"network": cast.org("network").pk, "name": " "})
    client.post(
        reverse("reports:key_create"), {"network": cast.org("network").pk, "name": "x" * 121}
    )
    assert not ResearchKey.objects.exists()


def test_small_counts_are_suppressed_for_whoever_does_not_see_the_people(
    client, cast, signed_in, data
):
    from egenmakt.reports.rules import sees_the_people
    from egenmakt.reports.shown import shown_report

    network = cast.org("network")
    assert sees_the_people(cast.coordinator, network)
    assert not sees_the_people(cast.researcher, network)
    report = programme_report(network, today=TODAY)
    plain = shown_report(report, suppress=False)
    assert (plain.rounds[0].applied, plain.rounds[0].admitted) == (10, 4)
    shown = shown_report(report, suppress=True)
    a, b = shown.rounds
    assert (a.applied, a.interviewed, a.admitted, a.completed, a.employed) == (
        10, 6, "<5", "<5", "<5",
    )  # fmt: skip
    assert (a.after_6.eligible, a.after_6.employed) == ("<5", "<5")
    assert (b.applied, b.interviewed) == ("<5", 0)  # none names nobody: shown as 0
    may = next(m for m in shown.months if m.month == date(2026, 5, 1))
    assert (may.working, may.per_peer_supporter, may.sick_days) == ("<5", None, None)
    # Activities over fewer than five peer supporters are hidden the same way.
    assert (may.activities, may.activities_per_peer_supporter) == (None, None)
    plain_may = next(m for m in plain.months if m.month == date(2026, 5, 1))
    assert (plain_may.activities, plain_may.activities_per_peer_supporter) == (4, 2.0)
    outpatient = next(w for w in shown.workplaces if w.name == "Psykiatrisk öppenvård Nordstaden")
    assert (outpatient.active, outpatient.total, outpatient.sick_days) == ("<5", "<5", None)
    assert not outpatient.only_one
    # A bar's length would give the count back: a small one is drawn empty, labelled "<5".
    assert [(bar.value, bar.width) for bar in shown.funnel_bars][2:] == [("<5", 0)] * 3

    # The page, the file and the API say the same to the analyst.
    signed_in(cast.researcher)
    page = client.get(reverse("reports:programme")).content.decode()
    assert "&lt;5" in page and "visas som" in page
    client.post(
        reverse("reports:export_create"),
        {"network": network.pk, "kind": "programme", "format": "csv"},
    )
    export = ReportExport.objects.get(requested_by=cast.researcher)
    text = b"".join(
        client.get(reverse("reports:export_download", args=[export.key])).streaming_content
    ).decode("utf-8-sig")
    omg_a = next(r for r in csv.reader(io.StringIO(text)) if r and r[0] == "Omgång A")
    assert omg_a[1:6] == ["10", "6", "<5", "<5", "<5"]
    may_row = next(r for r in csv.reader(io.StringIO(text)) if r and r[0] == "2026-05")
    assert may_row[1] == "<5" and may_row[4:7] == ["", "", ""]
    from egenmakt.api.tests.factories import bearer, personal_token

    secret = personal_token(cast.researcher, ["reports:read"])
    answer = client.get("/api/v1/reports/programme", **bearer(secret)).json()
    assert answer["suppressed"] is True and answer["total"]["admitted"] == "<5"
    api_may = next(m for m in answer["months"] if m["month"] == "2026-05-01")
    assert api_may["activities"] is None and api_may["activities_per_peer_supporter"] is None
    # The coordinator, who works with the applicants by name, reads the numbers; only the
    # diversity tables (groups by sensitive traits) are suppressed for every reader.
    signed_in(cast.coordinator)
    page = client.get(reverse("reports:programme")).content.decode()
    before, _diversity, after = re.split(r'id="diversity-heading"|id="months-heading"', page)
    assert "&lt;5" not in before and "&lt;5" not in after


def test_closed_months_are_stored_equal_to_the_live_figures_and_recomputed(cast, data):
    from egenmakt.core.dates import month_end
    from egenmakt.reports import stored
    from egenmakt.reports.models import StoredFigures
    from egenmakt.reports.programme import _month_figures, _placements

    network = cast.org("network")

    def live(round_=None):
        people = None
        if round_ is not None:
            people = list(
                Participant.objects.filter(
                    application__round=round_, status=ParticipantStatus.COMPLETED
                ).values_list("user_id", flat=True)
            )
        months = [stored.Period(m.month, month_end(m.month)) for m in first.months]
        figures = _month_figures(_placements(network, people), months)
        return [(f["working"], f["meetings"], f["sick_days"], f["activities"]) for f in figures]

    def shown(report):
        return [(m.working, m.meetings, m.sick_days, m.activities) for m in report.months]

    first = programme_report(network, today=TODAY)
    # Eleven closed months stored; November 2026, under way, is not.
    rows = StoredFigures.objects.filter(kind="programme_months", scope=f"network:{network.pk}")
    assert rows.count() == 11
    assert not rows.filter(period_start=date(2026, 11, 1)).exists()
    assert shown(first) == live()
    again = programme_report(network, today=TODAY)
    assert shown(again) == shown(first) == live()
    # One round is a scope of its own.
    one_round = programme_report(network, data["a"], today=TODAY)
    assert shown(one_round) == live(data["a"])
    assert StoredFigures.objects.filter(scope=f"network:{network.pk}/round:{data['a'].pk}").count()

    # A sick leave in May reported late: the stored May stays until the nightly run.
    p1 = Placement.objects.filter(peer_supporter=data["people"][0]).first()
    SickLeave.objects.create(
        placement=p1,
        starts_on=date(2026, 5, 4),
        ends_on=date(2026, 5, 6),
        recorded_by=cast.coordinator,
    )
    may = {m.month: m for m in programme_report(network, today=TODAY).months}[date(2026, 5, 1)]
    assert may.sick_days == 2
    assert stored.recompute(TODAY) == 2  # May for the network and for round A
    after = programme_report(network, today=TODAY)
    may = {m.month: m for m in after.months}[date(2026, 5, 1)]
    assert may.sick_days == 5
    assert shown(after) == live()
    assert shown(programme_report(network, data["a"], today=TODAY)) != shown(one_round)

    # An activity logged late reaches the stored month with the nightly run, as does a
    # month stored under the figures' earlier version (without activities).
    WorkLogEntry.objects.create(
        peer_supporter=data["people"][0],
        placement=p1,
        day=date(2026, 7, 3),
        kind="group",
        minutes=60,
        setting="group_room",
        themes=[],
    )
    stored.recompute(TODAY)
    july = {m.month: m for m in programme_report(network, today=TODAY).months}[date(2026, 7, 1)]
    assert july.activities == 1
    assert shown(programme_report(network, today=TODAY)) == live()
    StoredFigures.objects.filter(kind="programme_months").update(version=1)
    assert shown(programme_report(network, today=TODAY)) == live()
    stored.recompute(TODAY)
    assert not StoredFigures.objects.filter(kind="programme_months", version=1).exists()


def test_a_deleted_rounds_stored_months_go_with_the_recomputation(cast, data):
    from egenmakt.reports import stored
    from egenmakt.reports.models import StoredFigures

    network = cast.org("network")
    programme_report(network, data["b"], today=TODAY)
    scope = f"network:{network.pk}/round:{data['b'].pk}"
    assert StoredFigures.objects.filter(scope=scope).count() == 11
    StoredFigures.objects.filter(scope=scope).update(scope=f"network:{network.pk}/round:999999")
    stored.recompute(TODAY)
    assert not StoredFigures.objects.filter(scope__endswith="/round:999999").exists()


def test_the_follow_up_counts_from_the_local_day_of_completion(cast, data):
    """A completion at 00:30 Swedish time on 16 May 2026 is 15 May in UTC. Its follow-up
    after six months is 16 November, the day after TODAY, so it is not counted yet; from
    the UTC day it would be (15 November)."""
    u3 = data["people"][2]
    not_yet = Participant.objects.filter(user=u3)
    not_yet.update(completed_at=at(date(2026, 5, 16), 0) + timedelta(minutes=30))
    assert not_yet.get().completed_at.astimezone(UTC).date() == date(2026, 5, 15)
    (a, _b) = programme_report(cast.org("network"), today=TODAY).rounds
    # u1 (working since April) and u2 (1 March) are due; u3 is due tomorrow.
    assert (a.after_6.eligible, a.after_6.employed) == (2, 1)
