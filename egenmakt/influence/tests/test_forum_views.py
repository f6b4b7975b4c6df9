"""A forum's changes, one URL each: add a member, add a meeting, end a membership."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from egenmakt.accounts.models import Membership
from egenmakt.audit.models import AccessLog, Outcome
from egenmakt.influence.models import CareArea, Forum, ForumMeeting, ForumMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum(cast):
    area = CareArea.objects.create(
        name="Västerhav Centrum", slug="vasterhav-centrum", organisation=cast.org("network")
    )
    return Forum.objects.create(area=area, name="Brukarrådet", level="service", kind="user_council")


@pytest.fixture
def member(forum):
    return ForumMember.objects.create(
        forum=forum, name="Olle Berg", capacity="own_experience", since=date(2026, 1, 5)
    )


def test_a_coordinator_adds_a_member(cast, signed_in, forum):
    response = signed_in(cast.coordinator).post(
        reverse("influence:forum_member_add", args=[forum.pk]),
        {"name": "Maja Lind", "capacity": "own_experience", "since": "2026-02-01"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("influence:forum", args=[forum.pk])
    assert forum.members.get().name == "Maja Lind"


def test_an_invalid_member_is_shown_again_with_the_bound_form(cast, signed_in, forum):
    response = signed_in(cast.coordinator).post(
        reverse("influence:forum_member_add", args=[forum.pk]),
        {"name": "Maja Lind", "capacity": "representative", "since": "2026-02-01"},
    )
    assert response.status_code == 400
    form = response.context["member_form"]
    assert form.is_bound and "organisation" in form.errors
    assert not response.context["meeting_form"].is_bound
    assert not forum.members.exists()


def test_a_coordinator_adds_a_meeting_and_an_empty_one_is_refused(cast, signed_in, forum):
    client = signed_in(cast.coordinator)
    url = reverse("influence:forum_meeting_add", args=[forum.pk])
    response = client.post(url, {"day": "2026-03-01", "note": "Vårmöte"})
    assert response.status_code == 302
    assert ForumMeeting.objects.get(forum=forum).note == "Vårmöte"
    response = client.post(url, {"day": ""})
    assert response.status_code == 400
    assert "day" in response.context["meeting_form"].errors


def test_a_coordinator_ends_a_membership_today(cast, signed_in, forum, member):
    response = signed_in(cast.coordinator).post(
        reverse("influence:forum_member_end", args=[forum.pk, member.pk])
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.until == timezone.localdate()


def test_a_member_of_another_forum_is_not_found(cast, signed_in, forum, member):
    other = Forum.objects.create(
        area=forum.area, name="Styrgruppen", level="system", kind="steering_group"
    )
    response = signed_in(cast.coordinator).post(
        reverse("influence:forum_member_end", args=[other.pk, member.pk])
    )
    assert response.status_code == 404


def test_an_analyst_reads_the_forum_but_is_refused_its_changes(cast, signed_in, forum, member):
    Membership.objects.create(user=cast.analyst, organisation=cast.org("network"), role="analyst")
    client = signed_in(cast.analyst)
    assert client.get(reverse("influence:forum", args=[forum.pk])).status_code == 200
    before = AccessLog.objects.filter(outcome=Outcome.DENIED).count()
    response = client.post(reverse("influence:forum_member_end", args=[forum.pk, member.pk]))
    assert response.status_code == 403
    denied = AccessLog.objects.filter(outcome=Outcome.DENIED)
    assert denied.count() == before + 1  # logged once, by handler403
    assert denied.latest("id").reason == "change forum"
    member.refresh_from_db()
    assert member.until is None


def test_the_actions_answer_only_posts(cast, signed_in, forum, member):
    client = signed_in(cast.coordinator)
    for url in (
        reverse("influence:forum_member_add", args=[forum.pk]),
        reverse("influence:forum_meeting_add", args=[forum.pk]),
        reverse("influence:forum_member_end", args=[forum.pk, member.pk]),
    ):
        assert client.get(url).status_code == 405
    assert client.post(reverse("influence:forum", args=[forum.pk])).status_code == 405


def test_a_required_choice_offers_no_empty_radio_button(cast, signed_in, forum):
    """The forum's level is required: the form offers its three levels, not "---------"."""
    page = signed_in(cast.coordinator).get(reverse("influence:forum_new", args=[forum.area.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert 'name="level" value="service"' in text
    assert "---------" not in text.split('name="level"', 1)[1].split("</fieldset>", 1)[0]
    assert 'name="level" value=""' not in text


def test_the_forum_and_organisation_forms_offer_no_blank_radio_choice(cast, signed_in, forum):
    """The level of a forum and the kind of an organisation are one of the choices: the
    forms offered a blank "---------" radio button as well (issue 26)."""
    browser = signed_in(cast.coordinator)
    page = browser.get(reverse("influence:forum_new", args=[forum.area.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    levels = re.findall(r'<input type="radio" name="level" value="([^"]*)"', html)
    assert levels == ["individual", "service", "system"]
    assert "" not in [value for value, _label in page.context["form"].fields["level"].choices]
    from egenmakt.influence.forms import OrganisationForm

    form = OrganisationForm(areas=CareArea.objects.all())
    assert "" not in [value for value, _label in form.fields["kind"].choices]
