"""Who sees what: only the round's people see its applications, every view is logged,
and everything else answers 404 as if it did not exist."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from egenmakt.audit.models import AccessLog, Action, Outcome
from egenmakt.demo.cast import cast_keys
from egenmakt.peer.models import RoundRole
from egenmakt.peer.services import recruitment as services

from .factories import apply, book, make_round, round_dates, screen

pytestmark = pytest.mark.django_db

# Everyone in the cast but the round's own three people.
NOT_IN_ROUND = sorted(
    key
    for key, _role, _org in cast_keys()
    if key not in {"coordinator", "interviewer", "second_interviewer"}
)


@pytest.fixture
def setting(cast):
    round_ = make_round(cast)
    waiting = apply(round_)  # step 1: only coordinators see it
    going_on = screen(cast, apply(round_))
    interview = book(cast, going_on)
    return round_, waiting, going_on, interview


def pages(round_, waiting, going_on, interview):
    return {
        "round": reverse("peer:round", args=[round_.pk]),
        "list": reverse("peer:applications", args=[round_.pk]),
        "board": reverse("peer:board", args=[round_.pk]),
        "waiting": reverse("peer:application", args=[waiting.pk]),
        "going_on": reverse("peer:application", args=[going_on.pk]),
        "interview": reverse("peer:interview", args=[interview.pk]),
        "calendar": reverse("peer:interview_calendar", args=[interview.pk]),
    }


@pytest.mark.parametrize("person", NOT_IN_ROUND)
def test_nobody_outside_the_round_reaches_it(client, cast, signed_in, setting, person):
    signed_in(getattr(cast, person))
    for name, url in pages(*setting).items():
        assert client.get(url).status_code == 404, (person, name)


def test_anonymous_visitors_are_sent_to_sign_in(client, setting):
    for url in pages(*setting).values():
        response = client.get(url)
        assert response.status_code == 302
        assert "logga-in" in response["Location"]


def test_round_coordinator_sees_everything_and_every_view_is_logged(
    client, cast, signed_in, setting
):
    _round, waiting, going_on, _interview = setting
    signed_in(cast.coordinator)
    for url in pages(*setting).values():
        assert client.get(url).status_code == 200, url
    logged = AccessLog.objects.filter(actor=cast.coordinator, action=Action.VIEW)
    assert logged.filter(person_id=str(waiting.pk)).exists()
    assert logged.filter(person_id=str(going_on.pk)).exists()
    assert logged.filter(reason="application list").exists()
    assert logged.filter(reason="application board").exists()


def test_interviewer_sees_only_applications_in_the_interview_step(client, cast, signed_in, setting):
    _round, waiting, going_on, _interview = setting
    signed_in(cast.interviewer)
    urls = pages(*setting)
    assert client.get(urls["waiting"]).status_code == 404
    assert client.get(urls["going_on"]).status_code == 200
    assert client.get(urls["interview"]).status_code == 200
    listing = client.get(urls["list"]).content.decode()
    assert going_on.full_name in listing
    assert waiting.full_name not in listing
    board = client.get(urls["board"]).content.decode()
    assert waiting.full_name not in board


def test_interviewer_cannot_decide_or_book(client, cast, signed_in, setting):
    round_, _waiting, going_on, _interview = setting
    signed_in(cast.interviewer)
    response = client.post(
        reverse("peer:decide", args=[going_on.pk, "screening"]),
        {"outcome": "no", "reason": "other"},
    )
    assert response.status_code == 403
    assert client.get(reverse("peer:book_interview", args=[going_on.pk])).status_code == 403
    assert client.get(reverse("peer:round_people", args=[round_.pk])).status_code == 403
    assert client.get(reverse("peer:funnel", args=[round_.pk])).status_code == 403
    assert AccessLog.objects.filter(
        actor=cast.interviewer, outcome=Outcome.DENIED, reason="application decision"
    ).exists()


def test_coordinator_of_the_organisation_not_in_the_round_sees_nothing(
    client, cast, signed_in, setting
):
    """Holding the coordinator role lets you create rounds, not read others' rounds."""
    round_, *_rest = setting
    from egenmakt.accounts.models import Membership, User

    colleague = User.objects.create_user("kollega@example.org", "x", full_name="Kollega")
    Membership.objects.create(user=colleague, organisation=cast.org("network"), role="coordinator")
    signed_in(colleague)
    assert client.get(reverse("peer:round", args=[round_.pk])).status_code == 404
    # Once added to the round, they do.
    services.add_round_member(
        user=cast.coordinator, round_=round_, person=colleague, role=RoundRole.COORDINATOR
    )
    assert client.get(reverse("peer:round", args=[round_.pk])).status_code == 200


def test_only_coordinators_create_rounds(client, cast, signed_in):
    for person in ("interviewer", "case_manager", "auditor", "outsider_interviewer"):
        signed_in(getattr(cast, person))
        assert client.get(reverse("peer:round_create")).status_code == 403, person
    signed_in(cast.coordinator)
    assert client.get(reverse("peer:round_create")).status_code == 200


def test_outsider_coordinator_cannot_create_a_round_for_our_network(cast):
    with pytest.raises(PermissionDenied):
        services.create_round(
            user=cast.outsider_coordinator,
            organisation=cast.org("network"),
            title="Nordmarks försök",
            jobs_expected=1,
            course_places=1,
            **round_dates(),
        )
