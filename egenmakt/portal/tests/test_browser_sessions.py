"""On a phone: the client's start page lists the booked mapping sessions (date, time,
place, what is planned in plain words), accessible and without sideways scrolling at
390 px; and the care team's booking page passes axe-core. Screenshots go to
``test-artifacts/portal/``."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from egenmakt.coordination.services import sessions as session_services
from egenmakt.peer.tests.test_browser import assert_accessible, browser, new_page
from egenmakt.portal import services

from .factories import invited_client
from .test_browser import PHONE, shot
from .test_browser_method import fits

__all__ = ["browser"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_client_sees_the_booked_mapping_sessions_on_a_phone(browser, live_server, cast):
    client, account = invited_client(cast)
    day = timezone.localdate() + timedelta(days=3)
    session_services.book_sessions(
        user=cast.case_manager,
        client=client,
        starts=[
            timezone.make_aware(datetime.combine(day + timedelta(weeks=n), time(10, 0)))
            for n in range(3)
        ],
        duration_minutes=60,
        place="Psykiatrimottagningen Centrum, Storgatan 12, rum 3 (entréplan)",
        planned_steps=["normal_day", "network_map", "early_warning"],
        booked=[cast.case_manager, cast.municipal_case_manager],
    )
    errors: list[str] = []
    page = new_page(browser, errors, **PHONE)
    token = services.issue_link(account)
    page.goto(f"{live_server.url}/mina-sidor/lank/{token}/")
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("heading", name="Möten med dina samordnare").wait_for()
    assert page.get_by_text("Vi ritar en karta över människorna i ditt liv").count() == 3
    assert_accessible(page)
    assert fits(page)
    shot(page, "start-mapping-sessions")
    assert errors == []
