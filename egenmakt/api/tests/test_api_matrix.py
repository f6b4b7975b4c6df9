"""The API's permission matrix: every operation, asked with a real bearer token by every
role in the object's organisation, a unit below, a sibling and another region, by the
person with the relationship, and without a token.

The expected outcome of each operation is the row of the page it mirrors in
``egenmakt/tests/permission_matrix.py``: the API goes through the same selectors, so it
must let in exactly whom the page lets in and refuse the others with the page's code
(404 for an object out of reach). Only the anonymous visitor differs: 401, not a redirect
to sign in. Then every operation that needs a scope is asked once more with a token of the
right person that lacks the area's scope (403), an expired one and a revoked one (401).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from egenmakt.accounts.roles import Role
from egenmakt.api.models import SCOPES, ApiToken, Area
from egenmakt.api.services import create_personal_token
from egenmakt.tests.permission_matrix import (
    ANONYMOUS,
    API_TOKEN_ROWS,
    OTHER,
    POSITIONS,
    RELATED,
    ROWS,
    Row,
    expected,
)
from egenmakt.tests.test_permission_matrix import TARGETS, World, person_names

# The page matrix's world: the full demo and an actor for every role and position.
from egenmakt.tests.test_permission_matrix import world as page_world  # noqa: F401

PAGE_ROWS = {row.name: row for row in ROWS}

# Each operation: the page row whose outcomes it must have, the area its token needs, and
# the method (a write sends its body).
MIRRORS: dict[str, tuple[str, str]] = {
    "api:organisations": ("administration:overview", Area.ORGANISATIONS),
    "api:memberships": ("administration:unit_create", Area.ORGANISATIONS),
    "api:membership_give": ("administration:grant_role", Area.ORGANISATIONS),
    "api:membership_end": ("administration:end_membership", Area.ORGANISATIONS),
    "api:clients": ("coordination:clients", Area.COORDINATION),
    "api:client_register": ("coordination:register", Area.COORDINATION),
    "api:client": ("coordination:client", Area.COORDINATION),
    "api:client_consents": ("coordination:consent", Area.COORDINATION),
    "api:client_consent_record": ("coordination:consent", Area.COORDINATION),
    "api:client_meetings": ("coordination:client", Area.COORDINATION),
    "api:client_meeting_book": ("coordination:meeting_book", Area.COORDINATION),
    "api:client_meeting": ("coordination:meeting", Area.COORDINATION),
    "api:client_meeting_minutes": ("coordination:meeting_save", Area.COORDINATION),
    "api:client_plan": ("coordination:plan", Area.COORDINATION),
    "api:client_plan_goal": ("coordination:plan_goal", Area.COORDINATION),
    "api:client_plan_action": ("coordination:plan_action", Area.COORDINATION),
    "api:client_plan_action_status": ("coordination:plan_action_status", Area.COORDINATION),
    "api:client_worksheets": ("coordination:checklist", Area.COORDINATION),
    "api:client_worksheet_start": ("coordination:worksheet_start", Area.COORDINATION),
    "api:response": ("instruments:response", Area.COORDINATION),
    "api:response_answers": ("instruments:answer", Area.COORDINATION),
    "api:rounds": ("peer:rounds", Area.RECRUITMENT),
    "api:round_applications": ("peer:applications", Area.RECRUITMENT),
    "api:application": ("peer:application", Area.RECRUITMENT),
    "api:application_decide": ("peer:decide", Area.RECRUITMENT),
    "api:cohorts": ("peer:cohorts", Area.COURSES),
    "api:cohort_sessions": ("peer:cohort", Area.COURSES),
    "api:attendance": ("peer:attendance", Area.COURSES),
    "api:attendance_save": ("peer:attendance", Area.COURSES),
    "api:indicators": ("influence:indicators", Area.REPORTS),
    "api:programme_report": ("reports:programme", Area.REPORTS),
    "fhir:patient": ("coordination:binder_fhir", Area.COORDINATION),
    "fhir:compartment": ("coordination:binder_fhir", Area.COORDINATION),
}
# The writes: method, body and the code of a success (the page's own "ok" is a redirect or
# the 400 of an empty form, so the API's is put in its place).
WRITES: dict[str, tuple[str, Callable[[World], dict[str, Any]] | None, int]] = {
    "api:attendance_save": ("put", lambda _w: {"marks": []}, 200),
    "api:membership_give": (
        "post",
        lambda w: {"user_id": w.objects["admin_person"].pk, "role": Role.LECTURER},
        201,
    ),
    "api:membership_end": ("delete", None, 204),
    "api:application_decide": ("post", lambda w: _decision(w), 201),
    "api:client_consent_record": ("post", lambda w: _consent(w), 201),
    "api:client_register": ("post", lambda _w: _new_client(), 201),
    "api:client_meeting_book": (
        "post",
        lambda _w: {
            "starts_at": (timezone.now() + timedelta(days=7)).isoformat(),
            "place": "Mottagningen",
            "invite": False,
        },
        201,
    ),
    "api:client_meeting_minutes": (
        "put",
        lambda w: {"version": _meeting_version(w), "minutes": "Vi gick igenom planen."},
        200,
    ),
    "api:client_worksheet_start": (
        "post",
        lambda _w: {"instrument": "ors", "respondent_kind": "client", "done_on": None},
        201,
    ),
    "api:response_answers": ("put", lambda w: _resubmit(w), 200),
    "api:client_plan_goal": (
        "post",
        lambda w: {
            **_plan_version(w),
            "text": "Sjunga",
            "measure": "Två gånger i månaden",
            "target_date": "2030-01-01",
        },
        201,
    ),
    "api:client_plan_action": (
        "post",
        lambda w: {
            **_plan_version(w),
            "what": "Kören",
            "who": "Kim",
            "principal": "region",
            "when": "Tisdagar",
        },
        201,
    ),
    "api:client_plan_action_status": (
        "put",
        lambda w: {**_plan_version(w), "status": "ongoing"},
        200,
    ),
}


_registered = iter(range(100, 10_000))


def _new_client() -> dict[str, Any]:
    """A new client each time (an identity number is registered once per organisation)."""
    from datetime import date

    from egenmakt.demo.coordination import synthetic_identity_number

    return {
        "full_name": "Robin Matrisdotter",
        "identity_number": synthetic_identity_number(date(1990, 5, 17), next(_registered)),
    }


def _plan_version(world: World) -> dict[str, int]:
    """The plan's edit number now (each write that is let in takes the next)."""
    from egenmakt.coordination.models import Plan

    plan = Plan.objects.filter(client=world.objects["client"]).first()
    return {"version": plan.version if plan is not None else 1}


def _meeting_version(world: World) -> int:
    """The meeting's edit number now (each save that is let in takes the next)."""
    meeting = world.objects["meeting"]
    meeting.refresh_from_db()
    return int(meeting.version)


def _resubmit(world: World) -> dict[str, Any]:
    """The demo's submitted response, submitted again as it stands (a correction)."""
    response = world.objects["response"]
    response.refresh_from_db()
    return {"version": response.version, "answers": response.answers, "submit": True}


def _consent(world: World) -> dict[str, Any]:
    """A consent naming the organisations of the client's care team."""
    from django.utils import timezone

    from egenmakt.coordination.selectors.team import active_team

    team = active_team(world.objects["client"])
    return {
        "given_on": timezone.localdate().isoformat(),
        "form": "oral",
        "scope": ["share_information", "plan"],
        "organisation_ids": sorted({seat.organisation_id for seat in team}),
    }


def _decision(world: World) -> dict[str, Any]:
    """A decision the application's current status allows, and allows again after it (each
    cell that is let in takes it once more)."""
    from egenmakt.peer.services.recruitment import STEP_FROM

    application = world.objects["application"]
    application.refresh_from_db()
    if application.status in STEP_FROM["interview"]:
        return {"step": "interview", "outcome": "admit", "reason": "criteria_met"}
    return {"step": "screening", "outcome": "go_on", "reason": "more_to_learn"}


REFUSED = {401, 403, 404, 405}


def _expected(name: str, page_row: Row, who: str, position: str) -> int | str:
    want = expected(page_row, who, position)
    # The page's own answer to the matrix's empty form (its "ok", or 400 or 409 for the
    # form or the edit number it lacks) lets the cell in; the API's write, with a whole
    # body, succeeds there.
    let_in = who == RELATED or position in page_row.allow.get(who, ())
    if name in WRITES and let_in and want not in REFUSED:
        return WRITES[name][2]
    return want


def test_every_api_operation_has_a_mirror() -> None:
    names = {name for name, _target in API_TOKEN_ROWS}
    assert names - {"api:me"} == set(MIRRORS)
    for name, target in API_TOKEN_ROWS:
        if name in MIRRORS:
            # The same object, or one in the same organisation (the page gives a person a
            # role, the API gives it in an organisation).
            page_target = PAGE_ROWS[MIRRORS[name][0]].target
            assert TARGETS[page_target].organisation == TARGETS[target].organisation, name


def _user_for(role: str, organisation: Any) -> Any:
    from egenmakt.accounts.models import User

    return User.objects.get(email=f"matris.{role}.{organisation.pk}@{settings.DEMO_EMAIL_DOMAIN}")


def _token(user: Any, scopes: list[str] | tuple[str, ...] = SCOPES) -> str:
    _row, secret = create_personal_token(user=user, name="matris", scopes=list(scopes), days=30)
    return secret


@pytest.fixture(scope="module")
def world(request: pytest.FixtureRequest) -> World:
    world: World = request.getfixturevalue("page_world")
    return world


@pytest.fixture(scope="module")
def tokens(world: World, django_db_blocker: Any) -> Iterator[dict[Any, str]]:
    """A full-scope personal token for every actor of the world (inside its transaction,
    so they go with it)."""
    made: dict[Any, str] = {}
    with django_db_blocker.unblock():
        for places in world.places.values():
            for organisation in places.values():
                for role in Role.values:
                    key = (role, organisation.pk)
                    if key not in made:
                        made[key] = _token(_user_for(role, organisation))
        for person in [*world.cast.people.values(), world.objects["participant_user"]]:
            made[person.pk] = _token(person)
    yield made


def _url(world: World, name: str) -> str:
    return reverse(name, kwargs=TARGETS[dict(API_TOKEN_ROWS)[name]].args(world))


def _ask(world: World, name: str, url: str, secret: str | None) -> Any:
    cache.clear()  # rate limits count across cells otherwise
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
    if name in WRITES:
        method, body, _ok = WRITES[name]
        send = getattr(Browser(), method)
        if body is None:
            return send(url, **headers)
        return send(url, body(world), content_type="application/json", **headers)
    return Browser().get(url, **headers)


def _related(world: World, target: str) -> Any:
    key = TARGETS[target].related
    if key is None:
        return None
    return world.objects[key[1:]] if key.startswith("@") else world.cast.people[key]


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MIRRORS))
def test_api_matrix(world: World, tokens: dict[Any, str], name: str) -> None:
    page_row: Row = PAGE_ROWS[MIRRORS[name][0]]
    target = dict(API_TOKEN_ROWS)[name]
    url = _url(world, name)
    places = world.places[TARGETS[target].organisation]
    names = person_names(world)
    cells: list[tuple[str, str, str | None]] = [(ANONYMOUS, "", None)]
    for role in Role.values:
        for position in POSITIONS:
            cells.append((role, position, tokens[(role, places[position].pk)]))
    related = _related(world, target)
    if related is not None:
        cells.append((RELATED, "", tokens[related.pk]))
    problems = []
    for who, position, secret in cells:
        response = _ask(world, name, url, secret)
        want = 401 if who == ANONYMOUS else _expected(name, page_row, who, position)
        label = f"{who}@{position}" if position else who
        if response.status_code != want:
            got = f"{response.status_code} {response.content[:300]!r}"
            problems.append(f"{label}: expected {want}, got {got}")
            continue
        if response.status_code != 200 or position == OTHER:
            body = response.content.decode()
            problems += [f"{label}: shows {n!r}" for n in names if n in body]
    assert not problems, f"{name} ({url}): {len(problems)} cells differ:\n" + "\n".join(problems)


def _interview_held(world: World) -> None:
    """The demo's application has its interview booked, where no decision is taken; once
    it is held, the interview step's is."""
    from egenmakt.peer.models import Application, ApplicationStatus

    application = world.objects["application"]
    Application.objects.filter(pk=application.pk).update(status=ApplicationStatus.INTERVIEWED)


# Before a write that must succeed: the state its service takes it from.
BEFORE_SUCCESS: dict[str, Callable[[World], None]] = {
    "api:application_decide": _interview_held,
}

# Rows whose page lets in no role of the matrix, only a person of the demo: the round's
# coordinator decides on its applications.
LET_IN = {"api:application_decide": "coordinator"}


def _let_in(world: World, name: str) -> Any:
    """Someone the page row lets in: the related person, else a role in its organisation,
    else the demo person who holds the right (``LET_IN``)."""
    if name in LET_IN:
        return world.cast.people[LET_IN[name]]
    page_row = PAGE_ROWS[MIRRORS[name][0]]
    target = dict(API_TOKEN_ROWS)[name]
    related = _related(world, target)
    if related is not None and expected(page_row, RELATED, "") not in REFUSED:
        return related
    places = world.places[TARGETS[target].organisation]
    for role in Role.values:
        for position in POSITIONS:
            if position in page_row.allow.get(role, ()):
                return _user_for(role, places[position])
    raise AssertionError(f"nobody is let in to {name}")


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MIRRORS))
def test_a_token_without_the_scope_expired_or_revoked_is_refused(world: World, name: str) -> None:
    area = MIRRORS[name][1]
    url = _url(world, name)
    person = _let_in(world, name)
    # The refusals first: a write that succeeded would leave nothing to refuse.
    others = [s for s in SCOPES if not s.startswith(f"{area}:")]
    assert _ask(world, name, url, _token(person, others)).status_code == 403
    if name in WRITES:  # a read scope does not write
        assert _ask(world, name, url, _token(person, [f"{area}:read"])).status_code == 403
    expired = _token(person)
    ApiToken.objects.filter(user=person).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert _ask(world, name, url, expired).status_code == 401
    revoked = _token(person)
    ApiToken.objects.filter(user=person).update(revoked_at=timezone.now())
    assert _ask(world, name, url, revoked).status_code == 401
    ok = WRITES[name][2] if name in WRITES else 200
    if name in BEFORE_SUCCESS:
        BEFORE_SUCCESS[name](world)
    answer = _ask(world, name, url, _token(person))
    assert answer.status_code == ok, answer.content
