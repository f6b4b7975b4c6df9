"""A forum representative's start page: minutes waiting for their confirmation and the
meetings to come, each a link that opens; nothing of a forum they have no seat in; and no
panel at all for someone of the role without a seat."""

from __future__ import annotations

import pytest
from django.urls import reverse

from egenmakt.accounts.roles import ROLE_SLUGS, Role
from egenmakt.influence.models import ForumMeeting

from .test_forum_work import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return World(cast)


START = reverse("accounts:role_start", args=[ROLE_SLUGS[Role.LECTURER]])


def forum_panel(response):
    found = [
        p.context["waiting"]
        for p in response.context["panels"]
        if "waiting" in p.context and p.context["waiting"].key == "forum"
    ]
    return found[0] if found else None


def test_the_representative_sees_minutes_to_confirm_and_the_next_meeting(
    client, cast, signed_in, world, django_assert_max_num_queries
):
    ForumMeeting.objects.filter(pk=world.held.pk).update(minutes="§1 Tolk vid vårdplanering.")
    signed_in(cast.lecturer)
    with django_assert_max_num_queries(22):
        response = client.get(START)
    urls = [item.url for item in forum_panel(response).items]
    held = reverse("influence:meeting", args=[world.held.pk])
    ahead = reverse("influence:meeting", args=[world.ahead.pk])
    assert held in urls and ahead in urls
    # The meeting held two days ago has no minutes yet: nothing to confirm there.
    assert reverse("influence:meeting", args=[world.later.pk]) not in urls
    for url in urls:
        assert client.get(url).status_code == 200
    # Once confirmed, the minutes no longer wait.
    client.post(reverse("influence:minutes_confirm", args=[world.held.pk]), {"correction": ""})
    assert held not in [item.url for item in forum_panel(client.get(START)).items]


def test_someone_without_a_seat_is_shown_no_forum_panel(client, cast, signed_in, world):
    signed_in(cast.outsider_lecturer)
    response = client.get(START)
    assert response.status_code == 200
    panel = forum_panel(response)
    assert panel is not None and panel.items == [] and panel.quiet
    assert str(panel.empty) not in response.content.decode()
