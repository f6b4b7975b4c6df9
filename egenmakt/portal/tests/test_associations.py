"""The client meets the user movement: the portal lists the approved, coming activities of
the client's care-collaboration area only, and the care team adds one to the plan."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from egenmakt.coordination.models import Plan, PlanAction, Principal
from egenmakt.influence.models import Activity, ActivityStatus, CareArea, InfluenceOrganisation
from egenmakt.influence.selectors import areas_of_client

from .factories import as_client, as_staff, invited_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar(cast):
    """The client's area (their region) and another region's, each with activities."""
    ours = CareArea.objects.create(
        name="Västerhav", slug="vasterhav", organisation=cast.org("network")
    )
    ours.units.set([cast.org("region")])
    theirs = CareArea.objects.create(
        name="Nordmark", slug="nordmark", organisation=cast.org("other_network")
    )
    theirs.units.set([cast.org("other_region")])
    association = InfluenceOrganisation.objects.create(name="Föreningen Egen Kraft", kind="user")
    now = timezone.now()

    def activity(area, title, status=ActivityStatus.APPROVED, days=7):
        return Activity.objects.create(
            area=area,
            organisation=association,
            kind="self_help",
            title=title,
            description="Välkommen!",
            starts_at=now + timedelta(days=days),
            ends_at=now + timedelta(days=days, hours=2),
            place="Kvarnen",
            status=status,
            submitted_by=cast.lecturer,
        )

    return {
        "ours": ours,
        "coming": activity(ours, "Självhjälpsgrupp om ångest"),
        "past": activity(ours, "Förra veckans studiecirkel", days=-7),
        "waiting": activity(ours, "Ej godkänd cirkel", status=ActivityStatus.SUBMITTED),
        "refused": activity(ours, "Avslagen träff", status=ActivityStatus.REJECTED),
        "elsewhere": activity(theirs, "Träff i Nordmark"),
    }


def test_the_client_is_in_the_areas_of_their_home_organisation(cast, calendar):
    client, _account = invited_client(cast)
    assert list(areas_of_client(client)) == [calendar["ours"]]


def test_the_portal_lists_only_approved_coming_activities_of_the_clients_area(cast, calendar):
    _client, account = invited_client(cast)
    start = as_client(account).get(reverse("portal:start")).content.decode()
    assert reverse("portal:associations") in start
    response = as_client(account).get(reverse("portal:associations"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Självhjälpsgrupp om ångest" in page and "Föreningen Egen Kraft" in page
    for absent in ("Förra veckans studiecirkel", "Ej godkänd cirkel", "Avslagen träff"):
        assert absent not in page, absent
    assert "Träff i Nordmark" not in page


def test_a_client_outside_every_area_sees_none(cast, calendar):
    calendar["ours"].units.set([cast.org("other_region")])
    _client, account = invited_client(cast)
    page = as_client(account).get(reverse("portal:associations")).content.decode()
    assert "Självhjälpsgrupp om ångest" not in page
    assert "Träff i Nordmark" not in page


def _add(browser, client, key, version):
    return browser.post(
        reverse("coordination:plan_activity", args=[client.pk]),
        {"activity": key, "version": version},
    )


def test_the_care_team_adds_an_activity_to_the_plan_as_a_measure(cast, calendar):
    client, _account = invited_client(cast)
    browser = as_staff(cast.case_manager)
    # The activities are offered in the plan's form, fetched when its section opens.
    page = browser.get(
        reverse("coordination:plan_form", args=[client.pk, "activity"])
    ).content.decode()
    assert "Självhjälpsgrupp om ångest" in page
    assert "Träff i Nordmark" not in page and "Ej godkänd cirkel" not in page
    version = Plan.objects.get(client=client).version
    response = _add(browser, client, str(calendar["coming"].uid), version)
    assert response.status_code == 302
    action = PlanAction.objects.get(plan__client=client)
    assert action.what == "Självhjälpsgrupp om ångest"
    assert action.who == action.organisation_name == "Föreningen Egen Kraft"
    assert action.principal == Principal.OTHER
    assert action.when
    # The page was opened before that save: the same edit number is stale now.
    stale = _add(browser, client, str(calendar["coming"].uid), version)
    assert stale.status_code == 409
    assert PlanAction.objects.filter(plan__client=client).count() == 1


def test_an_activity_not_offered_for_the_clients_area_is_refused(cast, calendar):
    client, _account = invited_client(cast)
    browser = as_staff(cast.case_manager)
    browser.get(reverse("coordination:plan", args=[client.pk]))
    version = Plan.objects.get(client=client).version
    for other in ("elsewhere", "waiting", "past"):
        response = _add(browser, client, str(calendar[other].uid), version)
        assert response.status_code == 400, other
    assert _add(browser, client, "", version).status_code == 400
    assert not PlanAction.objects.filter(plan__client=client).exists()
    assert Plan.objects.get(client=client).version == version


def test_the_pages_speak_swedish(cast, calendar):
    client, account = invited_client(cast)
    page = as_client(account).get(reverse("portal:associations")).content.decode()
    assert "Föreningar och aktiviteter nära dig" in page
    staff = as_staff(cast.case_manager).get(reverse("coordination:plan", args=[client.pk]))
    assert "Lägg till en aktivitet som insats" in staff.content.decode()
