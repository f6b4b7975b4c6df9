"""The client rates the last meeting (the alliance) on their own pages; the care team sees
the rating and its warning on the follow-up page and the start page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from egenmakt.coordination.models import Client, Phase, StepRecord
from egenmakt.coordination.tests.factories import ensure_instruments
from egenmakt.instruments.models import Response

from .factories import as_client, as_staff, invited_client

pytestmark = pytest.mark.django_db


def _rate(browser, listened: str, goals: str, approach: str, overall: str) -> Response:
    started = browser.post(reverse("portal:worksheet_start", args=["alliance"]))
    assert started.status_code == 302
    response = Response.objects.filter(definition__key="alliance").latest("id")
    answers = {"a-listened": listened, "a-goals": goals, "a-approach": approach}
    sent = browser.post(
        started.url,
        {**answers, "a-overall": overall, "version": response.version, "_action": "submit"},
    )
    assert sent.status_code == 302
    response.refresh_from_db()
    return response


def test_the_client_rates_the_meeting_and_the_care_team_sees_the_warning(cast):
    ensure_instruments()
    client, account = invited_client(cast, name="Kim Allians")
    # The alliance rating follows the resource-group meetings (the work phase).
    Client.objects.filter(pk=client.pk).update(phase=Phase.WORK)
    browser = as_client(account)
    assert "alliance" in [
        d.key for d in browser.get(reverse("portal:worksheets")).context["fillable"]
    ]
    first = _rate(browser, "10", "9.5", "10", "9.5")
    assert not first.is_draft and first.score_value("total") == 39.0
    record = StepRecord.objects.get(response=first)
    assert record.step == "alliance" and record.shared

    staff = as_staff(cast.case_manager)
    page = staff.get(reverse("coordination:followup", args=[client.pk])).content.decode()
    assert "Skattning av senaste mötet" in page and "39" in page
    assert "Samarbetet" not in page  # no warning yet

    second = _rate(browser, "8", "8", "9", "8.5")  # 33.5: below 36, and fallen from 39
    assert second.score_value("total") == 33.5
    page = staff.get(reverse("coordination:followup", args=[client.pk])).content.decode()
    assert "Klientens skattning av mötena varnar." in page
    assert "Samarbetet under sin gräns (33,5)" in page
    assert "Samarbetet har sjunkit från 39 till 33,5" in page
    start = staff.get(reverse("accounts:role_start", args=["vardsamordnare"])).content.decode()
    assert "Kim Allians" in start and "Samarbetet har sjunkit" in start
