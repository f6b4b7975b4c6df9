"""Each role reaches its own start page and is refused, with a logged denial, on the others'."""

from __future__ import annotations

import pytest

from egenmakt.accounts.models import Membership
from egenmakt.accounts.roles import ROLE_SLUGS, Role
from egenmakt.audit.models import AccessLog, Outcome

PEOPLE = [str(role) for role in Role.values] + [f"outsider_{role}" for role in Role.values]


def _role_of(person_key: str) -> str:
    return person_key.removeprefix("outsider_")


@pytest.mark.parametrize("person_key", PEOPLE)
def test_each_role_reaches_its_start_page_and_is_refused_on_the_others(
    cast, signed_in, person_key, django_assert_max_num_queries
):
    client = signed_in(cast.people[person_key])
    own = _role_of(person_key)
    # 18: a start page that lists people logs them, and sealing the log's rows into their
    # hash chain costs two queries (audit/chain.py); the case manager's outcomes panel
    # reads the caseload's ratings in one more (coordination/selectors/outcomes.py); the
    # coordinator's panel of what waits reads their rounds and the placements ending and
    # logs the peer supporters it names; the analyst's reads their networks, units and
    # exports; the supervisor's their meetings, the placements due a fidelity review and
    # the forum meetings (peer/views/start.py, reports/start.py, influence/forum_views.py);
    # the menu asks once whether a coordinator or analyst reports above networks (the
    # national summary, reports/rules.may_open_national).
    with django_assert_max_num_queries(18):
        response = client.get(f"/roll/{ROLE_SLUGS[own]}/")
    assert response.status_code == 200
    assert response.context["role"] == own

    for other in Role.values:
        if other == own:
            continue
        before = AccessLog.objects.filter(outcome=Outcome.DENIED).count()
        response = client.get(f"/roll/{ROLE_SLUGS[other]}/")
        assert response.status_code == 403, other
        assert "403.html" in [t.name for t in response.templates]
        denied = AccessLog.objects.filter(outcome=Outcome.DENIED).order_by("-id").first()
        assert AccessLog.objects.filter(outcome=Outcome.DENIED).count() == before + 1
        assert denied.actor == cast.people[person_key]
        assert denied.path == f"/roll/{ROLE_SLUGS[other]}/"


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/roll/samordnare/")
    assert response.status_code == 302
    assert response["Location"].startswith("/logga-in/")


def test_unknown_role_page_is_not_found(cast, signed_in):
    assert signed_in(cast.coordinator).get("/roll/finns-inte/").status_code == 404


def test_one_role_user_is_sent_straight_to_their_start_page(cast, signed_in):
    response = signed_in(cast.case_manager).get("/")
    assert response.status_code == 302
    assert response["Location"] == "/roll/vardsamordnare/"


def test_several_roles_get_a_choice(cast, signed_in):
    Membership.objects.create(
        user=cast.coordinator, organisation=cast.org("network"), role=Role.INTERVIEWER
    )
    response = signed_in(cast.coordinator).get("/")
    assert response.status_code == 200
    assert [card["slug"] for card in response.context["cards"]] == ["samordnare", "intervjuare"]


def test_revoked_role_is_refused_on_the_next_request(cast, signed_in):
    client = signed_in(cast.auditor)
    assert client.get("/roll/loggranskare/").status_code == 200
    Membership.objects.filter(user=cast.auditor, role=Role.AUDITOR).delete()
    assert client.get("/roll/loggranskare/").status_code == 403


def test_navigation_shows_only_the_users_roles(cast, signed_in):
    client = signed_in(cast.supervisor)
    client.cookies["egenmakt_language"] = "en"
    labels = [item.label for item in client.get("/roll/handledare/").context["nav_items"]]
    assert "Supervisor" in labels
    assert "Auditor" not in labels
    assert "Coordinator" not in labels
