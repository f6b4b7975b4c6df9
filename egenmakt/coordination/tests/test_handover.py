"""A case manager who leaves the care team writes a hand-over note: the work goes on when
people change. The note is required for a case manager, kept with the seat, shown to the
care team on the client's page for a while, never to anyone outside it; nothing is
half-written when it is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from egenmakt.audit.models import AccessLog
from egenmakt.conftest import sign_in
from egenmakt.coordination.models import CareTeamMember, TeamRole
from egenmakt.coordination.selectors.team import HANDOVER_DAYS, recent_handovers
from egenmakt.coordination.services import team as team_services
from egenmakt.coordination.tests.factories import decided_plan, shared_client

pytestmark = pytest.mark.django_db

NOTE = "Kim vill att nästa vårdsamordnare ringer före hembesök. Bostadsansökan skickad 1/12."


def as_(user) -> Browser:
    return sign_in(Browser(), user)


def test_the_leave_page_shows_what_is_open_and_asks_for_the_note(cast):
    client = shared_client(cast)
    decided_plan(cast, client)
    seat = client.team.get(user=cast.municipal_case_manager)
    browser = as_(cast.case_manager)
    url = reverse("coordination:team_leave", args=[client.pk, seat.pk])
    page = browser.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Överlämning" in html and "Åtgärder som inte är klara" in html
    assert AccessLog.objects.filter(actor=cast.case_manager, path=url).exists()
    # The team page links to it instead of ending the seat in one click.
    team = browser.get(reverse("coordination:team", args=[client.pk])).content.decode()
    assert url in team


def test_a_case_manager_cannot_leave_without_a_note(cast):
    client = shared_client(cast)
    seat = client.team.get(user=cast.municipal_case_manager)
    url = reverse("coordination:team_end", args=[client.pk, seat.pk])
    response = as_(cast.case_manager).post(url, {"handover_note": "   "})
    assert response.status_code == 400
    assert "Skriv vad den som tar över behöver veta" in response.content.decode()
    seat.refresh_from_db()
    assert seat.ended_on is None and seat.handover_note == ""


def test_the_note_is_kept_and_shown_to_the_care_team_only(cast):
    client = shared_client(cast)
    seat = client.team.get(user=cast.municipal_case_manager)
    url = reverse("coordination:team_end", args=[client.pk, seat.pk])
    response = as_(cast.case_manager).post(url, {"handover_note": NOTE})
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.ended_on == timezone.localdate() and seat.handover_note == NOTE
    overview = reverse("coordination:client", args=[client.pk])
    html = as_(cast.case_manager).get(overview).content.decode()
    assert NOTE in html
    team = as_(cast.case_manager).get(reverse("coordination:team", args=[client.pk]))
    assert NOTE in team.content.decode()
    # The one who left, and anyone outside the team, no longer reach the client at all.
    for person in (cast.municipal_case_manager, cast.outsider_case_manager):
        assert as_(person).get(overview).status_code == 404


def test_other_seats_may_leave_without_a_note(cast):
    client = shared_client(cast)
    supervisor = team_services.add_team_member(
        user=cast.case_manager,
        client=client,
        member=cast.method_supervisor,
        organisation=cast.org("clinic"),
        role=TeamRole.METHOD_SUPERVISOR,
    )
    team_services.end_team_member(user=cast.case_manager, client=client, seat=supervisor)
    supervisor.refresh_from_db()
    assert supervisor.ended_on is not None and supervisor.handover_note == ""
    assert recent_handovers(client) == []


def test_the_note_leaves_the_overview_after_the_hand_over_period(cast):
    client = shared_client(cast)
    seat = client.team.get(user=cast.municipal_case_manager)
    team_services.end_team_member(
        user=cast.case_manager, client=client, seat=seat, handover_note=NOTE
    )
    today = timezone.localdate()
    assert [s.pk for s in recent_handovers(client, today)] == [seat.pk]
    later = today + timedelta(days=HANDOVER_DAYS)
    assert [s.pk for s in recent_handovers(client, later)] == [seat.pk]
    assert recent_handovers(client, later + timedelta(days=1)) == []
    assert CareTeamMember.objects.get(pk=seat.pk).handover_note == NOTE  # kept with the seat
