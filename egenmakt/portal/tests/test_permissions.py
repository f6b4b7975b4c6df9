"""Only the client themself reaches their own pages; they reach nothing else.

The matrix: every portal URL by {the client, another client, a relative with an account,
the case manager, an outsider, anonymous}. Anyone but the client gets 404, as if the
pages did not exist; anonymous is sent to sign in.
"""

from __future__ import annotations

import pytest
from django.test import Client as Browser
from django.urls import reverse

from egenmakt.accounts.models import User
from egenmakt.coordination.models import Client, MemberKind, Phase, ResourceGroupMember
from egenmakt.portal import services
from egenmakt.portal.models import PortalAccount

from .factories import as_client, as_staff, ensure_instruments, invited_client

pytestmark = pytest.mark.django_db


def own_pages(response_id: int) -> list[str]:
    """Every page of the portal that shows the signed-in client's data (GET)."""
    return [
        reverse("portal:start"),
        reverse("portal:plan"),
        reverse("portal:warning_plan"),
        reverse("portal:worksheets"),
        reverse("portal:worksheet", args=[response_id]),
        reverse("portal:answer", args=[response_id]),
        reverse("portal:chart"),
        reverse("portal:checklist"),
        reverse("portal:messages"),
        reverse("portal:meetings"),
        reverse("portal:consent"),
        reverse("portal:access_log"),
        reverse("portal:my_data"),
        reverse("portal:settings"),
        reverse("portal:notifications"),
        reverse("portal:restriction"),
        reverse("portal:associations"),
    ]


# Pages besides ``own_pages`` that show or change the client's data.
MORE = [
    "portal:chart_svg",
    "portal:download_pdf",
    "portal:download_json",
    "portal:download_fhir",
    "portal:my_data_request",
    "portal:restrict",
    "portal:restriction_lift",
    "portal:notifications_save",
]
# A copy of the client's data opens only for whoever asked (audit/tests/test_rights.py).
ASKED_FOR = {"my_data_download"}
# Signing in comes before anyone is known; the invitation is the care team's page
# (tested in test_sign_in.py and below).
NOT_OF_A_CLIENT = {"login", "link_sent", "link", "invite", "end_access"}
# A thread of messages and its posts (coordination/tests/test_messages.py).
MESSAGES = {"message_start", "message_thread", "message_reply", "message_attachment"}
# One meeting and the client's confirmation of its minutes (coordination/tests/test_minutes.py).
MEETINGS = {"meeting", "meeting_confirm"}


def test_every_portal_url_is_in_the_matrix():
    from django.urls import resolve

    from egenmakt.portal import urls

    names = {pattern.name for pattern in urls.urlpatterns}
    covered = {resolve(url).url_name for url in own_pages(1)}
    covered |= {name.split(":")[1] for name in MORE} | {"worksheet_start"} | NOT_OF_A_CLIENT
    covered |= ASKED_FOR | MESSAGES | MEETINGS
    assert names == covered


@pytest.fixture
def setting(cast):
    ensure_instruments()
    client, account = invited_client(cast)
    browser = as_client(account)
    started = browser.post(reverse("portal:worksheet_start", args=["ors"]))
    response_id = int(started.url.rstrip("/").split("/")[-2])
    relative = User.objects.create_user(
        "mamma.berg@example.org", "ett-langt-losenord-2026", full_name="Maria Berg"
    )
    ResourceGroupMember.objects.create(
        client=client,
        name="Maria Berg",
        kind=MemberKind.RELATIVE,
        role="mamma",
        user=relative,
        chosen_by_client=True,
        organisation=cast.org("clinic"),
        added_by=cast.case_manager,
    )
    _other, other_account = invited_client(cast, name="Alex Lund", email="alex@example.org")
    return {
        "client": client,
        "account": account,
        "browser": browser,
        "response_id": response_id,
        "relative": relative,
        "other": other_account,
    }


def test_the_client_reaches_every_own_page(setting):
    for url in own_pages(setting["response_id"]):
        assert setting["browser"].get(url).status_code == 200, url


def test_everyone_else_gets_404_on_the_clients_pages(cast, setting):
    others = {
        "another client": as_client(setting["other"]),
        "relative": as_staff(setting["relative"]),
        "case manager": as_staff(cast.case_manager),
        "outsider": as_staff(cast.outsider_case_manager),
        "auditor": as_staff(cast.auditor),
    }
    for who, browser in others.items():
        for url in own_pages(setting["response_id"]):
            if who == "another client" and f"/{setting['response_id']}/" not in url:
                continue  # their own pages, checked below
            assert browser.get(url).status_code == 404, (who, url)
        assert (
            browser.post(reverse("portal:answer", args=[setting["response_id"]])).status_code == 404
        )


def test_another_client_sees_only_their_own_data(setting):
    browser = as_client(setting["other"])
    for url in (
        reverse("portal:start"),
        reverse("portal:worksheets"),
        reverse("portal:access_log"),
    ):
        page = browser.get(url).content.decode()
        assert "Kim Berg" not in page, url
    assert "Alex Lund" in browser.get(reverse("portal:start")).content.decode()


def test_anonymous_is_sent_to_sign_in(setting):
    for url in [*own_pages(setting["response_id"]), *(reverse(name) for name in MORE)]:
        response = Browser().get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("portal:login")), url


def test_the_client_reaches_no_staff_page(cast, setting):
    client = setting["client"]
    browser = setting["browser"]
    for url in (
        "/samordning/",
        f"/samordning/{client.pk}/",
        f"/samordning/{client.pk}/plan/",
        f"/samordning/{client.pk}/varningsplan/",
        "/instrument/",
        f"/instrument/svar/{setting['response_id']}/",
        f"/instrument/svar/{setting['response_id']}/besvara/",
        f"/instrument/ors/klient/{client.pk}/forandring/",
        "/granskning/",
        "/peer/",
        "/roll/vardsamordnare/",
        "/admin/",
        f"/mina-sidor/bjud-in/{client.pk}/",
    ):
        assert browser.get(url).status_code == 404, url
    home = browser.get("/")
    assert home.status_code == 302 and home.url == "/mina-sidor/"


def test_the_client_reaches_the_public_pages_their_associations_page_links_to(cast, setting):
    """The directory of organisations and an area's calendar are open to anyone; the
    client's associations page links to them (they answered 404 to a signed-in client)."""
    from egenmakt.influence.models import CareArea

    area = CareArea.objects.create(name="Centrum", slug="centrum", organisation=cast.org("network"))
    browser = setting["browser"]
    for url in (
        reverse("influence_public:directory"),
        reverse("influence_public:calendar", args=[area.slug]),
        reverse("influence_public:feed", args=[area.slug]),
    ):
        assert browser.get(url).status_code == 200, url


def test_ended_access_ends_it_on_the_next_request(cast, setting):
    browser = setting["browser"]
    services.end_access(user=cast.case_manager, client=setting["client"])
    assert browser.get(reverse("portal:start")).status_code == 404
    assert browser.get(reverse("portal:access_log")).status_code == 404


def test_closed_coordination_ends_it(cast, setting):
    client = setting["client"]
    Client.objects.filter(pk=client.pk).update(phase=Phase.CLOSED)
    assert setting["browser"].get(reverse("portal:start")).status_code == 404


def test_a_user_with_a_role_is_never_made_a_portal_login(cast):
    _client, account = invited_client(cast)
    assert PortalAccount.objects.filter(user=account.user).exists()
    assert not account.user.memberships.exists()
