"""The early-warning plan: built from the latest worksheet, copies and review recorded,
printable, read by the team and nobody else."""

from __future__ import annotations

import pytest
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from egenmakt.conftest import sign_in
from egenmakt.coordination.models import EarlyWarningPlan
from egenmakt.coordination.services import mapping as services
from egenmakt.coordination.tests.factories import ensure_instruments, shared_client
from egenmakt.instruments import services as instrument_services
from egenmakt.instruments.models import InstrumentDefinition

pytestmark = pytest.mark.django_db


def _fill(cast, client, sign: str) -> None:
    ensure_instruments()
    record = services.start_worksheet(
        user=cast.case_manager,
        client=client,
        definition=InstrumentDefinition.objects.filter(key="early_warning_signs").first(),
        respondent_kind="client",
        done_on=timezone.localdate(),
        present=[cast.case_manager],
    )
    response = record.response
    instrument_services.submit_response(
        user=cast.case_manager,
        response=response,
        answers={
            "signs": [{"sign": sign, "own_action": "Går ut och går", "others_action": "Ring mig"}],
            "contacts": [{"name": "Maria", "role": "mamma", "phone": "070-111 11 11"}],
        },
        expected_version=response.version,
    )


def test_the_plan_shows_the_latest_worksheet_copies_and_review(cast):
    client = shared_client(cast)
    url = reverse("coordination:warning_plan", args=[client.pk])
    browser = sign_in(Browser(), cast.municipal_case_manager)
    assert "Ingen plan vid tidiga varningstecken ännu" in browser.get(url).content.decode()
    _fill(cast, client, "Sover dåligt")
    _fill(cast, client, "Drar mig undan")
    text = browser.get(url).content.decode()
    assert "Drar mig undan" in text and "Sover dåligt" not in text, "the latest version counts"
    assert "070-111 11 11" in text and "Inte granskad ännu" in text
    response = browser.post(url, {"copies_held_by": "Maria, Lena", "reviewed": "1"})
    assert response.status_code == 302
    row = EarlyWarningPlan.objects.get(client=client)
    assert row.reviewed_on == timezone.localdate()
    assert row.reviewed_by == cast.municipal_case_manager
    text = browser.get(url).content.decode()
    assert "Maria, Lena" in text and f"Senast granskad {timezone.localdate():%Y-%m-%d}" in text
    assert "data-print" in text


def test_nobody_outside_the_team_reads_it(cast):
    client = shared_client(cast)
    url = reverse("coordination:warning_plan", args=[client.pk])
    for person in ("clinic_colleague", "outsider_case_manager", "coordinator"):
        assert sign_in(Browser(), getattr(cast, person)).get(url).status_code == 404
