"""My plan: the decided version, and the plan being worked on marked as a draft."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from egenmakt.coordination.services import plan as plans
from egenmakt.coordination.tests.factories import decided_plan

from .factories import as_client, invited_client

pytestmark = pytest.mark.django_db


def test_the_plan_page_shows_the_decided_goal_and_marks_a_changed_plan_as_draft(cast):
    client, account = invited_client(cast)
    browser = as_client(account)
    assert "Din plan är inte beslutad än" in browser.get(reverse("portal:plan")).content.decode()

    manager = cast.case_manager
    plan = decided_plan(cast, client, responsible_person=manager)
    page = browser.get(reverse("portal:plan")).content.decode()
    assert "Gå med i kören" in page and "Går på kören två gånger i månaden" in page
    assert "Beslutad tillsammans" in page and "Arbetas med, inte beslutad än" not in page

    plans.add_goal(
        user=manager,
        client=client,
        plan=plan,
        expected_version=plan.version,
        text="Sova bättre",
        measure="Sover sju timmar de flesta nätter",
        target_date=timezone.localdate() + timedelta(days=90),
    )
    page = browser.get(reverse("portal:plan")).content.decode()
    decided, draft = page.split("Arbetas med, inte beslutad än")
    assert "Gå med i kören" in decided and "Sova bättre" not in decided
    assert "Sova bättre" in draft and "Utkast" in page
