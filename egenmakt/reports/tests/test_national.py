"""The national summary: every network below an organisation added up, one row per
network, small counts suppressed for every reader; who may open it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from egenmakt.accounts.models import Membership, Organisation, OrganisationKind, User
from egenmakt.accounts.roles import Role
from egenmakt.peer.models import Channel, RecruitmentRound, RoundStatus
from egenmakt.peer.services import recruitment as recruitment_services
from egenmakt.peer.tests.factories import apply, round_dates
from egenmakt.reports.national import national_report
from egenmakt.reports.shown import shown_report

pytestmark = pytest.mark.django_db


def _round(coordinator: User, network: Organisation, title: str) -> RecruitmentRound:
    round_ = recruitment_services.create_round(
        user=coordinator,
        organisation=network,
        title=title,
        jobs_expected=4,
        course_places=8,
        max_applications=None,
        channels=[Channel.USER_ORGANISATIONS],
        channels_other="",
        **round_dates(),
    )
    # Open for applications (the test is about counting, not the round's steps).
    RecruitmentRound.objects.filter(pk=round_.pk).update(status=RoundStatus.OPEN)
    round_.refresh_from_db()
    return round_


@pytest.fixture
def national(cast):
    top = Organisation.objects.create(name="Nationell samverkan", kind=OrganisationKind.OTHER)
    north = Organisation.objects.create(
        name="Brukarnätverk Norr", kind=OrganisationKind.USER_NETWORK, parent=top
    )
    south = Organisation.objects.create(
        name="Brukarnätverk Syd", kind=OrganisationKind.USER_NETWORK, parent=top
    )
    coordinator = User.objects.create_user("nat.samordnare@example.org", "x", full_name="N S")
    for network in (north, south):
        Membership.objects.create(user=coordinator, organisation=network, role=Role.COORDINATOR)
    north_rounds = [_round(coordinator, north, "Norr 1"), _round(coordinator, north, "Norr 2")]
    south_round = _round(coordinator, south, "Syd 1")
    for _n in range(6):
        apply(north_rounds[0])
    for _n in range(2):
        apply(north_rounds[1])
    for _n in range(3):
        apply(south_round)
    analyst = User.objects.create_user("nat.analytiker@example.org", "x", full_name="N A")
    Membership.objects.create(user=analyst, organisation=top, role=Role.ANALYST)
    return {"top": top, "north": north, "south": south, "analyst": analyst}


def test_each_network_is_one_row_adding_up_its_rounds(national):
    with translation.override("sv"):
        report = national_report(national["top"])
    rows = {row.label: row.applied for row in report.rounds}
    assert rows == {"Brukarnätverk Norr": 8, "Brukarnätverk Syd": 3}
    assert report.total.applied == 11
    assert report.total.label == "Alla nätverk"
    # Another network, outside the organisation, never counts (the demo network's rounds).
    shown = shown_report(report, suppress=True)
    assert {r.label: r.applied for r in shown.rounds} == {
        "Brukarnätverk Norr": 8,
        "Brukarnätverk Syd": "<5",
    }
    assert shown.total.applied == 11


def test_who_opens_the_national_summary(client, cast, signed_in, national):
    url = reverse("reports:national")
    signed_in(national["analyst"])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Brukarnätverk Norr" in text and "Brukarnätverk Syd" in text
    assert "&lt;5" in text  # the south's three applications
    # Nobody is named, and no workplace either.
    assert "Sökande" not in text
    # A network's own coordinator and analyst report on their network, not above it.
    for person in (cast.coordinator, cast.researcher):
        signed_in(person)
        assert client.get(url).status_code == 403
    # Another organisation's id is not reachable.
    signed_in(national["analyst"])
    assert client.get(url, {"org": cast.org("network").pk}).status_code == 404


def test_the_menu_shows_the_summary_only_to_who_may_open_it(client, cast, signed_in, national):
    url = reverse("reports:national")
    signed_in(national["analyst"])
    assert url in client.get(reverse("accounts:home"), follow=True).content.decode()
    signed_in(cast.coordinator)
    assert url not in client.get(reverse("accounts:home"), follow=True).content.decode()
