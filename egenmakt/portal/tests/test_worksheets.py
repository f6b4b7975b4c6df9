"""The client fills in the ORS on their own pages; the care team sees it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from egenmakt.coordination.models import StepRecord
from egenmakt.coordination.tests.factories import ensure_instruments
from egenmakt.instruments.models import Response

from .factories import as_client, as_staff, invited_client

pytestmark = pytest.mark.django_db

ORS = {"a-individually": "4", "a-interpersonally": "6.5", "a-socially": "5", "a-overall": "5.5"}


def test_the_client_fills_in_the_ors_and_the_care_team_sees_it(cast):
    ensure_instruments()
    client, account = invited_client(cast)
    browser = as_client(account)
    start = browser.get(reverse("portal:start")).content.decode()
    assert "Fyll i ORS nu" in start
    started = browser.post(reverse("portal:worksheet_start", args=["ors"]))
    assert started.status_code == 302
    response = Response.objects.get(entered_by=account.user)
    assert response.respondent_kind == "client" and response.is_draft
    form = browser.get(started.url)
    assert form.status_code == 200 and "Skicka till min vårdgrupp" in form.content.decode()
    # Sending with answers missing explains and saves nothing.
    missing = browser.post(
        started.url, {"version": response.version, "_action": "submit", "a-individually": "4"}
    )
    assert missing.status_code == 400
    response.refresh_from_db()
    assert response.is_draft
    sent = browser.post(started.url, {**ORS, "version": response.version, "_action": "submit"})
    assert sent.status_code == 302
    response.refresh_from_db()
    assert not response.is_draft and response.score_value("total") == 21.0
    record = StepRecord.objects.get(response=response)
    assert record.step == "ors" and record.shared and record.organisation == client.organisation

    # The care team's view of the client shows it, and the ORS is no longer due.
    staff = as_staff(cast.case_manager).get(reverse("coordination:client", args=[client.pk]))
    assert response in [row["response"] for row in staff.context["worksheet_rows"]]
    assert staff.context["ors"].done_on == response.answered_on
    # On the client's side: read it, and follow it over time.
    assert "Fyll i ORS nu" not in browser.get(reverse("portal:start")).content.decode()
    assert browser.get(reverse("portal:worksheet", args=[response.pk])).status_code == 200
    chart = browser.get(reverse("portal:chart"))
    assert chart.status_code == 200 and len(chart.context["points"]) == 1
    svg = browser.get(reverse("portal:chart_svg"))
    assert svg.status_code == 200 and svg["Content-Type"].startswith("image/svg+xml")
    # Sent answers are the care team's record now: the client reads, no longer edits.
    assert browser.get(reverse("portal:answer", args=[response.pk])).status_code == 404


def test_a_worksheet_kept_by_one_organisation_is_not_shown(cast):
    from egenmakt.coordination.services import mapping as services
    from egenmakt.instruments.models import InstrumentDefinition

    ensure_instruments()
    client, account = invited_client(cast)
    definition = InstrumentDefinition.objects.filter(key="normal_day").latest("version")
    kept = services.start_worksheet(
        user=cast.case_manager,
        client=client,
        definition=definition,
        respondent_kind="staff",
        done_on=client.started_on,
        shared=False,
    )
    browser = as_client(account)
    assert kept.response not in browser.get(reverse("portal:worksheets")).context["responses"]
    assert browser.get(reverse("portal:worksheet", args=[kept.response_id])).status_code == 404


def test_only_client_fillable_worksheets_can_be_started(cast):
    ensure_instruments()
    _client, account = invited_client(cast)
    browser = as_client(account)
    keys = [d.key for d in browser.get(reverse("portal:worksheets")).context["fillable"]]
    assert "ors" in keys and "relative_rating" not in keys
    assert (
        browser.post(reverse("portal:worksheet_start", args=["relative_rating"])).status_code == 404
    )
    assert browser.get(reverse("portal:worksheet_start", args=["ors"])).status_code == 405


def test_the_alliance_rating_is_offered_once_the_meetings_have_begun(cast):
    from egenmakt.coordination.models import Client, Phase

    ensure_instruments()
    client, account = invited_client(cast)
    browser = as_client(account)
    assert client.phase not in (Phase.WORK, Phase.FOLLOW_UP)
    keys = [d.key for d in browser.get(reverse("portal:worksheets")).context["fillable"]]
    assert "alliance" not in keys
    assert browser.post(reverse("portal:worksheet_start", args=["alliance"])).status_code == 404
    Client.objects.filter(pk=client.pk).update(phase=Phase.WORK)
    keys = [d.key for d in browser.get(reverse("portal:worksheets")).context["fillable"]]
    assert "alliance" in keys
    assert browser.post(reverse("portal:worksheet_start", args=["alliance"])).status_code == 302


def test_starting_a_worksheet_again_opens_the_one_begun_and_the_start_page_names_it_once(cast):
    ensure_instruments()
    _client, account = invited_client(cast)
    browser = as_client(account)
    first = browser.post(reverse("portal:worksheet_start", args=["ors"]))
    again = browser.post(reverse("portal:worksheet_start", args=["ors"]))
    assert again.url == first.url
    assert Response.objects.filter(entered_by=account.user).count() == 1
    start = browser.get(reverse("portal:start")).content.decode()
    assert start.count("Du har börjat på") == 1
