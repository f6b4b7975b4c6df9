"""The administrator's start page: people in their tree whose sign-in is not set up, each
a link that opens, never someone of another tree; and every role's start page in few
queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from egenmakt.accounts import services
from egenmakt.accounts.roles import ROLE_SLUGS, Role
from egenmakt.accounts.selectors import admin_scope

pytestmark = pytest.mark.django_db

START = reverse("accounts:role_start", args=[ROLE_SLUGS[Role.ADMIN]])


def waiting(response):
    return response.context["panels"][0].context["waiting"]


def invite(cast, actor, organisation, email):
    return services.invite_person(
        actor=actor,
        scope=admin_scope(actor),
        email=email,
        full_name=f"Inbjuden {email}",
        organisation=organisation,
        role=Role.PEER_SUPPORTER,
        language="sv",
    )


def test_the_administrator_sees_an_invitation_not_yet_used(
    client, cast, signed_in, django_assert_max_num_queries
):
    mine = invite(cast, cast.admin, cast.org("user_org_a"), "ny@example.org")
    theirs = invite(cast, cast.outsider_admin, cast.org("other_network"), "annan@example.org")
    signed_in(cast.admin)
    with django_assert_max_num_queries(18):
        response = client.get(START)
    urls = [item.url for item in waiting(response).items]
    url = reverse("administration:person", args=[mine.pk])
    assert url in urls
    assert reverse("administration:person", args=[theirs.pk]) not in urls
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", [r for r in Role if r != Role.CASE_MANAGER])
def test_every_roles_start_page_has_a_panel_of_what_waits(client, cast, signed_in, role):
    """With nothing waiting each says so and offers next actions the person may open."""
    signed_in(getattr(cast, f"outsider_{role}"))
    response = client.get(reverse("accounts:role_start", args=[ROLE_SLUGS[role]]))
    assert response.status_code == 200
    panels = [p.context["waiting"] for p in response.context["panels"] if "waiting" in p.context]
    assert panels
    for panel in panels:
        if not panel.items and not panel.quiet:
            assert str(panel.empty) in response.content.decode()
            for action in panel.next_actions:
                assert client.get(action.url).status_code == 200


def test_beyond_the_first_the_panel_links_to_the_whole_list(client, cast, signed_in):
    for n in range(11):
        invite(cast, cast.admin, cast.org("user_org_a"), f"ny{n}@example.org")
    signed_in(cast.admin)
    panel = waiting(client.get(START))
    assert len(panel.items) == 10 and panel.more
    assert panel.more_url == reverse("administration:people")
    assert client.get(panel.more_url).status_code == 200
    # The administrator is not listed as waiting on themself.
    assert reverse("administration:person", args=[cast.admin.pk]) not in [
        item.url for item in panel.items
    ]
