"""Outcomes steer the plan: the ORS against its expected progress from the intake, the
alliance rating after the meetings, shown in colour and in words on the follow-up page,
the client's overview, the meeting page before a meeting and the case manager's start
page (whose query count does not grow with the caseload)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from egenmakt.coordination.models import Client, Meeting, MeetingStatus, Phase
from egenmakt.coordination.selectors.outcomes import (
    Rating,
    caseload_needing_attention,
    outcome_status,
)
from egenmakt.coordination.services import mapping as services
from egenmakt.coordination.tests.factories import ensure_instruments, shared_client
from egenmakt.instruments import services as instrument_services
from egenmakt.instruments.models import InstrumentDefinition
from egenmakt.instruments.scoring import primary_score

pytestmark = pytest.mark.django_db

ORS_ITEMS = ("individually", "interpersonally", "socially", "overall")
ALLIANCE_ITEMS = ("listened", "goals", "approach", "overall")


def _submit(cast, client: Client, key: str, items: tuple, total: float, days_ago: int) -> None:
    ensure_instruments()
    record = services.start_worksheet(
        user=cast.case_manager,
        client=client,
        definition=InstrumentDefinition.objects.filter(key=key).order_by("-version").first(),
        respondent_kind="client",
        done_on=timezone.localdate() - timedelta(days=days_ago),
        present=[cast.case_manager],
    )
    response = record.response
    instrument_services.submit_response(
        user=cast.case_manager,
        response=response,
        answers=_split(items, total),
        expected_version=response.version,
    )


def _split(items: tuple, total: float) -> dict:
    """Four answers that add up to ``total`` exactly."""
    quarter = round(total / 4, 1)
    return {**dict.fromkeys(items[:3], quarter), items[3]: round(total - 3 * quarter, 1)}


def ors(cast, client: Client, total: float, days_ago: int) -> None:
    _submit(cast, client, "ors", ORS_ITEMS, total, days_ago)


def alliance(cast, client: Client, total: float, days_ago: int) -> None:
    _submit(cast, client, "alliance", ALLIANCE_ITEMS, total, days_ago)


def _score(key: str) -> dict:
    ensure_instruments()
    row = InstrumentDefinition.objects.filter(key=key).order_by("-version").first()
    return primary_score(row.definition)


def _ratings(*values: float) -> list[Rating]:
    return [Rating(date(2026, 1, 1) + timedelta(days=28 * i), v) for i, v in enumerate(values)]


# --- The one rule, on fixed numbers ----------------------------------------------------------


def test_the_latest_ors_is_measured_against_the_band_from_the_intake():
    rule, rule_alliance = _score("ors"), _score("alliance")
    on_track = outcome_status(rule, _ratings(15, 20), rule_alliance, [])
    assert on_track.ors_progress.kind == "on_track" and not on_track.needs_attention
    below = outcome_status(rule, _ratings(15, 20, 21), rule_alliance, [])
    # Intake 15, second rating expected 23.75 (21.25–26.25): 21 is below.
    assert below.ors_progress.kind == "below_expected" and below.off_track
    worse = outcome_status(rule, _ratings(30, 31, 25), rule_alliance, [])
    assert worse.ors_progress.kind == "reliably_worse" and worse.needs_attention
    intake_only = outcome_status(rule, _ratings(30), rule_alliance, [])
    assert intake_only.ors_progress.kind == "intake" and not intake_only.needs_attention


def test_the_alliance_warns_below_its_cut_off_and_when_it_falls():
    rule, rule_alliance = _score("ors"), _score("alliance")
    fine = outcome_status(rule, [], rule_alliance, _ratings(37, 38))
    assert not fine.alliance_warning
    below = outcome_status(rule, [], rule_alliance, _ratings(35.9))
    assert below.alliance_below_cutoff and not below.alliance_fell
    assert not outcome_status(rule, [], rule_alliance, _ratings(36)).alliance_below_cutoff
    fell = outcome_status(rule, [], rule_alliance, _ratings(39, 37.5))
    assert fell.alliance_fell and not fell.alliance_below_cutoff and fell.needs_attention
    assert (fell.alliance_previous.value, fell.alliance.value) == (39, 37.5)


# --- The pages ---------------------------------------------------------------------------------


def test_the_follow_up_page_says_the_status_in_words_and_warns_about_the_alliance(cast, signed_in):
    client = shared_client(cast, phase=Phase.WORK)
    ors(cast, client, 15, days_ago=60)
    ors(cast, client, 16, days_ago=30)  # expected 20 (17.5–22.5): below expected
    held = Meeting.objects.create(
        client=client,
        starts_at=timezone.now() - timedelta(days=41),
        place="Mottagningen",
        status=MeetingStatus.HELD,
        organisation=cast.org("clinic"),
        created_by=cast.case_manager,
    )
    alliance(cast, client, 39, days_ago=40)
    alliance(cast, client, 34, days_ago=10)  # below 36, and fallen from 39
    page = signed_in(cast.case_manager).get(reverse("coordination:followup", args=[client.pk]))
    # Each rating is linked to the held meeting it rates (the latest before it).
    assert [rated for _r, rated in page.context["alliance"]] == [held, held]
    assert page.status_code == 200
    text = page.content.decode()
    assert "ORS under förväntan" in text
    assert "outcome-tag--below_expected" in text
    assert "förväntat 17,5–22,5" in text
    assert "Samarbetet under sin gräns (34)" in text
    assert "Samarbetet har sjunkit från 39 till 34" in text
    overview = signed_in(cast.case_manager).get(reverse("coordination:client", args=[client.pk]))
    assert "Utfallet avviker." in overview.content.decode()


def test_the_chart_table_says_each_ratings_status(cast, signed_in):
    client = shared_client(cast)
    ors(cast, client, 30, days_ago=90)
    ors(cast, client, 31, days_ago=60)  # expected 31.25 (28.75–33.75)
    ors(cast, client, 24, days_ago=30)  # 6 below the intake
    browser = signed_in(cast.case_manager)
    browser.cookies["egenmakt_language"] = "en"
    text = browser.get(
        reverse("instruments:chart", args=["ors", "klient", client.pk])
    ).content.decode()
    assert "Compared with expected" in text
    assert '<span class="outcome-tag outcome-tag--on_track">on track</span>' in text
    assert '<span class="outcome-tag outcome-tag--reliably_worse">reliably worse</span>' in text
    assert "intake" in text


def test_the_meeting_page_shows_the_latest_status_before_a_planned_meeting(cast, signed_in):
    client = shared_client(cast, phase=Phase.WORK)
    ors(cast, client, 30, days_ago=60)
    ors(cast, client, 24, days_ago=3)
    planned = Meeting.objects.create(
        client=client,
        starts_at=timezone.now() + timedelta(days=7),
        place="Mottagningen",
        status=MeetingStatus.PLANNED,
        organisation=cast.org("clinic"),
        created_by=cast.case_manager,
    )
    text = (
        signed_in(cast.case_manager)
        .get(reverse("coordination:meeting", args=[client.pk, planned.pk]))
        .content.decode()
    )
    assert "Inför mötet: utfall" in text
    assert "ORS säkert sämre" in text


def test_the_start_page_lists_clients_off_track_in_words(cast, signed_in):
    off = shared_client(cast, name="Alva Avviker", phase=Phase.WORK)
    ors(cast, off, 30, days_ago=60)
    ors(cast, off, 24, days_ago=3)
    fine = shared_client(cast, name="Bo Bra", phase=Phase.WORK)
    ors(cast, fine, 15, days_ago=60)
    ors(cast, fine, 21, days_ago=3)
    text = (
        signed_in(cast.case_manager)
        .get(reverse("accounts:role_start", args=["vardsamordnare"]))
        .content.decode()
    )
    assert "Utfall som avviker" in text
    assert "Alva Avviker" in text and "ORS säkert sämre" in text
    assert "Bo Bra" not in text.split("Utfall som avviker")[1].split("</section>")[0]
    # An outsider's caseload is empty.
    assert caseload_needing_attention(cast.outsider_case_manager) == []


def test_the_start_page_query_count_does_not_grow_with_the_caseload(
    cast, signed_in, django_assert_max_num_queries
):
    def add(index: int) -> None:
        client = shared_client(cast, name=f"Klient {index}", phase=Phase.WORK)
        ors(cast, client, 30, days_ago=60)
        ors(cast, client, 24, days_ago=3)
        alliance(cast, client, 39, days_ago=20)
        alliance(cast, client, 30, days_ago=2)

    add(0)
    browser = signed_in(cast.case_manager)
    url = reverse("accounts:role_start", args=["vardsamordnare"])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert browser.get(url).status_code == 200
    for index in range(1, 5):
        add(index)
    with django_assert_max_num_queries(len(one)):
        page = browser.get(url)
    assert page.content.decode().count("ORS säkert sämre") == 5
