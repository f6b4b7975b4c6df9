"""Two coordinating organisations with equal rights, and the coordinators' contact log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from egenmakt.accounts.models import Membership, User
from egenmakt.accounts.roles import Role
from egenmakt.influence.models import CareArea, InfluenceOrganisation, OutreachContact
from egenmakt.influence.rules import areas_for, is_area_coordinator

pytestmark = pytest.mark.django_db


@pytest.fixture
def area(cast):
    area = CareArea.objects.create(name="Centrum", slug="centrum", organisation=cast.org("network"))
    org = InfluenceOrganisation.objects.create(
        name="Egen Kraft", kind="user", account=cast.org("user_org_a")
    )
    org.areas.add(area)
    return area


@pytest.fixture
def region_coordinator(cast):
    user = User.objects.create_user(
        "samverkan@example.org", "losen-2026-samverkan", full_name="Sam Verkan"
    )
    Membership.objects.create(user=user, organisation=cast.org("region"), role=Role.COORDINATOR)
    return user


def test_a_second_coordinating_organisation_gets_the_same_rights(
    cast, area, region_coordinator, signed_in
):
    assert not is_area_coordinator(region_coordinator, area)
    assert (
        signed_in(region_coordinator).get(reverse("influence:area", args=[area.pk])).status_code
        == 404
    )
    network = signed_in(cast.coordinator)
    url = reverse("influence:area_co_organisation", args=[area.pk])
    assert network.post(url, {"organisation": cast.org("region").pk}).status_code == 302
    area.refresh_from_db()
    assert area.co_organisation == cast.org("region")
    assert is_area_coordinator(region_coordinator, area)
    assert area in areas_for(region_coordinator)
    region = signed_in(region_coordinator)
    page = region.get(reverse("influence:area", args=[area.pk])).content.decode()
    assert "tillsammans med Region Västerhav" in page
    assert region.get(reverse("influence:outreach", args=[area.pk])).status_code == 200
    # The area's own organisation cannot be its second; nothing changes.
    region.post(url, {"organisation": cast.org("network").pk})
    area.refresh_from_db()
    assert area.co_organisation == cast.org("region")
    # Removed again, the second's coordinators lose the area.
    region.post(url, {"organisation": ""})
    area.refresh_from_db()
    assert area.co_organisation is None and not is_area_coordinator(region_coordinator, area)


def test_the_contact_log_records_outreach_and_refuses_bad_input(cast, area, signed_in):
    browser = signed_in(cast.coordinator)
    org = area.organisations.get()
    add = reverse("influence:outreach_add", args=[area.pk])
    today = timezone.localdate()
    good = {
        "organisation": org.pk, "contacted_on": today.isoformat(), "channel": "visit",
        "purpose": "views", "note": "Synpunkter på väntetider",
    }  # fmt: skip
    assert browser.post(add, good).status_code == 302
    contact = OutreachContact.objects.get()
    assert (contact.organisation, contact.recorded_by) == (org, cast.coordinator)
    page = browser.get(reverse("influence:outreach", args=[area.pk])).content.decode()
    assert "Synpunkter på väntetider" in page and "Besök" in page
    other = InfluenceOrganisation.objects.create(name="Annan", kind="user")
    for bad in (
        {**good, "contacted_on": (today + timedelta(days=1)).isoformat()},
        {**good, "organisation": other.pk},
        {**good, "purpose": "gossip"},
    ):
        assert browser.post(add, bad).status_code == 400
    assert OutreachContact.objects.count() == 1
