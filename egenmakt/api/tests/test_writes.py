"""The API's writes go through the pages' services: the same refusals, the same log rows,
bad input refused with nothing written."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from egenmakt.audit.models import AccessLog, Action, Outcome
from egenmakt.peer.models import Application, ApplicationStatus, Decision
from egenmakt.peer.tests.factories import apply, make_round, screen

from .factories import bearer, personal_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()


def _post(path: str, body: Any, secret: str) -> Any:
    return Client().post(path, body, content_type="application/json", **bearer(secret))


# --- An application's status: a step's decision (``peer:decide``) ------------------------


def _decide_url(application: Application) -> str:
    return f"/api/v1/applications/{application.pk}/decisions"


GO_ON = {"step": "screening", "outcome": "go_on", "reason": "more_to_learn", "comment": "Bra."}


def test_the_round_coordinator_moves_an_application_on_and_both_rows_are_logged(
    cast: Any,
) -> None:
    application = apply(make_round(cast))
    secret = personal_token(cast.coordinator, ["recruitment:write"])
    before = AccessLog.objects.count()
    answer = _post(_decide_url(application), GO_ON, secret)
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["application_status"] == ApplicationStatus.GO_ON
    application.refresh_from_db()
    assert application.status == ApplicationStatus.GO_ON
    decision = Decision.objects.get(application=application)
    assert body["id"] == decision.pk and decision.comment == "Bra."
    assert decision.decided_by == cast.coordinator
    rows = list(AccessLog.objects.order_by("pk")[before:])
    # The opening, as the page's decorator logs it, then the service's change.
    assert [(r.action, r.outcome) for r in rows] == [
        (Action.VIEW, Outcome.ALLOWED),
        (Action.CHANGE, Outcome.ALLOWED),
    ]
    assert all(r.actor_id == cast.coordinator.pk for r in rows)
    assert all(r.person_id == str(application.pk) for r in rows)
    assert rows[0].path == _decide_url(application)
    assert rows[1].reason == "screening: go_on"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        # Not in the document: 422 before any service.
        ({**GO_ON, "outcome": "maybe"}, 422),
        ({**GO_ON, "step": "lottery"}, 422),
        ({"step": "screening", "outcome": "go_on"}, 422),
        ({**GO_ON, "comment": "x" * 2001}, 422),
        # The service's refusals, as the page's form errors: 400.
        ({**GO_ON, "outcome": "admit"}, 400),  # an outcome of the other step
        ({"step": "interview", "outcome": "admit", "reason": "criteria_met"}, 400),  # too early
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(
    cast: Any, body: dict[str, Any], code: int
) -> None:
    application = apply(make_round(cast))
    secret = personal_token(cast.coordinator, ["recruitment:write"])
    changes = AccessLog.objects.filter(action=Action.CHANGE).count()
    answer = _post(_decide_url(application), body, secret)
    assert answer.status_code == code, answer.content
    assert answer["Content-Type"].startswith("application/json") and answer.json()["detail"]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPLIED
    assert not Decision.objects.filter(application=application).exists()
    assert AccessLog.objects.filter(action=Action.CHANGE).count() == changes


def test_a_stopped_application_with_a_booked_interview_is_refused_as_on_the_page(
    cast: Any,
) -> None:
    from egenmakt.peer.tests.factories import book

    application = screen(cast, apply(make_round(cast)))
    book(cast, application)
    application.refresh_from_db()
    status = application.status
    secret = personal_token(cast.coordinator, ["recruitment:write"])
    answer = _post(_decide_url(application), {**GO_ON, "outcome": "no"}, secret)
    assert answer.status_code == 400
    application.refresh_from_db()
    assert application.status == status
    assert Decision.objects.filter(application=application).count() == 1  # the screening


def test_an_interviewer_sees_the_application_but_may_not_decide_and_is_logged(
    cast: Any,
) -> None:
    application = screen(cast, apply(make_round(cast)))
    secret = personal_token(cast.interviewer, ["recruitment:read", "recruitment:write"])
    seen = Client().get(f"/api/v1/applications/{application.pk}", **bearer(secret))
    assert seen.status_code == 200
    answer = _post(_decide_url(application), {**GO_ON, "outcome": "no"}, secret)
    assert answer.status_code == 403
    denied = AccessLog.objects.filter(outcome=Outcome.DENIED).latest("pk")
    assert denied.actor_id == cast.interviewer.pk and denied.path == _decide_url(application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.GO_ON
    assert Decision.objects.filter(application=application).count() == 1


def test_someone_outside_the_round_gets_404_as_for_a_missing_application(cast: Any) -> None:
    application = apply(make_round(cast))
    secret = personal_token(cast.case_manager, ["recruitment:write"])
    assert _post(_decide_url(application), GO_ON, secret).status_code == 404
    assert _post("/api/v1/applications/999999/decisions", GO_ON, secret).status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPLIED


# --- A consent (``coordination:consent``) ----------------------------------------------------


def _consent_body(cast: Any, **overrides: Any) -> dict[str, Any]:
    from django.utils import timezone

    body = {
        "given_on": timezone.localdate().isoformat(),
        "form": "written",
        "scope": ["share_information", "plan"],
        "organisation_ids": [cast.org("clinic").pk, cast.org("social_psychiatry").pk],
        "case_manager_ids": [cast.case_manager.pk, cast.municipal_case_manager.pk],
    }
    return {**body, **overrides}


def test_the_case_manager_records_a_consent_which_opens_the_partner_and_is_logged(
    cast: Any,
) -> None:
    from egenmakt.coordination.models import Consent, Phase
    from egenmakt.coordination.tests.factories import new_client, with_municipal_partner

    client = new_client(cast)
    with_municipal_partner(cast, client)
    partner = personal_token(cast.municipal_case_manager, ["coordination:read"])
    assert Client().get(f"/api/v1/clients/{client.pk}", **bearer(partner)).status_code == 404
    secret = personal_token(cast.case_manager, ["coordination:write"])
    before = AccessLog.objects.count()
    answer = _post(f"/api/v1/clients/{client.pk}/consents", _consent_body(cast), secret)
    assert answer.status_code == 201, answer.content
    row = Consent.objects.get(client=client)
    assert answer.json()["id"] == row.pk and row.recorded_by == cast.case_manager
    assert set(row.case_managers.all()) == {cast.case_manager, cast.municipal_case_manager}
    client.refresh_from_db()
    assert client.phase == Phase.MAPPING  # the first valid consent starts the mapping
    rows = list(AccessLog.objects.order_by("pk")[before:])
    # The service's row of the change, then the read of what the answer shows.
    assert [r.action for r in rows] == [Action.CREATE, Action.VIEW]
    assert all(r.person_id == str(client.pk) and r.actor_id == cast.case_manager.pk for r in rows)
    assert Client().get(f"/api/v1/clients/{client.pk}", **bearer(partner)).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"form": "telepathy"}, 422, None),
        ({"scope": []}, 422, None),
        ({"scope": ["everything"]}, 422, None),
        ({"organisation_ids": "clinic"}, 422, None),
        ({"given_on": "2020-02-30"}, 422, None),
        # The form's and the service's refusals, by field, as on the page.
        ({"given_on": "2999-01-01"}, 400, "given_on"),
        ({"valid_until": "2000-01-01"}, 400, "valid_until"),
        ({"organisation_ids": [999999]}, 400, "organisations"),
        ({"case_manager_ids": [1]}, 400, "case_managers"),
    ],
)
def test_a_bad_consent_is_refused_and_nothing_is_written(
    cast: Any, overrides: dict[str, Any], code: int, field: str | None
) -> None:
    from egenmakt.coordination.models import Consent
    from egenmakt.coordination.tests.factories import new_client, with_municipal_partner

    client = new_client(cast)
    with_municipal_partner(cast, client)
    secret = personal_token(cast.case_manager, ["coordination:write"])
    changes = AccessLog.objects.exclude(action=Action.VIEW).count()
    body = _consent_body(cast, **overrides)
    answer = _post(f"/api/v1/clients/{client.pk}/consents", body, secret)
    assert answer.status_code == code, answer.content
    if field is not None:
        assert answer.json()["errors"][field]
    assert not Consent.objects.filter(client=client).exists()
    assert AccessLog.objects.exclude(action=Action.VIEW).count() == changes


def test_a_consent_from_outside_the_care_team_is_404_and_without_write_scope_403(
    cast: Any,
) -> None:
    from egenmakt.coordination.models import Consent
    from egenmakt.coordination.tests.factories import new_client

    client = new_client(cast)
    url = f"/api/v1/clients/{client.pk}/consents"
    outsider = personal_token(cast.clinic_colleague, ["coordination:write"])
    assert _post(url, _consent_body(cast), outsider).status_code == 404
    reader = personal_token(cast.case_manager, ["coordination:read"])
    assert _post(url, _consent_body(cast), reader).status_code == 403
    assert not Consent.objects.filter(client=client).exists()


# --- The plan: sub-goals, measures and a measure's status (``coordination:plan_*``) ---------


def _plan(client: Any, secret: str) -> dict[str, Any]:
    answer = Client().get(f"/api/v1/clients/{client.pk}/plan", **bearer(secret))
    assert answer.status_code == 200
    body: dict[str, Any] = answer.json()
    return body


GOAL = {"text": "Gå med i kören", "measure": "Två gånger i månaden", "target_date": "2030-06-01"}
MEASURE = {"what": "Följa med till kören", "who": "Kim", "principal": "region", "when": "Tisdagar"}


def test_the_care_team_adds_a_goal_and_a_measure_and_sets_its_status_with_the_edit_number(
    cast: Any,
) -> None:
    from egenmakt.coordination.models import Goal, PlanAction
    from egenmakt.coordination.tests.factories import shared_client

    client = shared_client(cast)
    secret = personal_token(cast.municipal_case_manager, ["coordination:write"])
    version = _plan(client, secret)["version"]
    before = AccessLog.objects.count()
    goal = _post(f"/api/v1/clients/{client.pk}/plan/goals", {**GOAL, "version": version}, secret)
    assert goal.status_code == 201, goal.content
    assert goal.json()["version"] == version + 1
    row = Goal.objects.get(pk=goal.json()["id"])
    assert row.text == GOAL["text"] and row.plan.client == client
    rows = list(AccessLog.objects.order_by("pk")[before:])
    # The service's row of the change, then the read of what the answer shows.
    assert [r.action for r in rows] == [Action.CHANGE, Action.VIEW]
    assert all(r.actor_id == cast.municipal_case_manager.pk for r in rows)
    assert all(r.person_id == str(client.pk) for r in rows)

    body = {**MEASURE, "goal_id": row.pk, "version": version + 1}
    measure = _post(f"/api/v1/clients/{client.pk}/plan/actions", body, secret)
    assert measure.status_code == 201, measure.content
    action = PlanAction.objects.get(pk=measure.json()["id"])
    assert action.goal == row and action.who == "Kim"

    url = f"/api/v1/clients/{client.pk}/plan/actions/{action.pk}/status"
    changed = Client().put(
        url, {"status": "done", "version": version + 2}, content_type="application/json",
        **bearer(secret),
    )  # fmt: skip
    assert changed.status_code == 200, changed.content
    action.refresh_from_db()
    assert action.status == "done" and changed.json()["version"] == version + 3
    assert AccessLog.objects.filter(
        action=Action.CHANGE, person_id=str(client.pk), actor=cast.municipal_case_manager
    ).exists()


def test_a_stale_edit_number_is_409_and_nothing_is_saved(cast: Any) -> None:
    from egenmakt.coordination.models import Goal, Plan
    from egenmakt.coordination.tests.factories import shared_client

    client = shared_client(cast)
    secret = personal_token(cast.case_manager, ["coordination:write"])
    version = _plan(client, secret)["version"]
    first = _post(f"/api/v1/clients/{client.pk}/plan/goals", {**GOAL, "version": version}, secret)
    assert first.status_code == 201
    count = Goal.objects.filter(plan__client=client).count()
    stale = _post(
        f"/api/v1/clients/{client.pk}/plan/goals",
        {**GOAL, "text": "Något annat", "version": version},
        secret,
    )
    assert stale.status_code == 409
    assert stale.json()["version"] == version + 1 and stale.json()["detail"]
    assert Goal.objects.filter(plan__client=client).count() == count
    assert Plan.objects.get(client=client).version == version + 1
    denied_row = AccessLog.objects.latest("pk")
    assert denied_row.reason == "plan: refused stale save"


@pytest.mark.parametrize(
    ("path", "body", "code"),
    [
        ("goals", {**GOAL, "version": None}, 422),  # no edit number
        ("goals", {**GOAL, "version": -1}, 422),
        ("goals", {**GOAL, "text": ""}, 422),
        ("goals", {**GOAL, "target_date": "soon"}, 422),
        ("goals", {**GOAL, "target_date": "2000-01-01"}, 400),  # the service: ahead
        ("actions", {**MEASURE, "principal": "the king"}, 422),
        ("actions", {**MEASURE, "goal_id": 999999}, 400),  # not a sub-goal of this plan
        ("actions", {**MEASURE, "who": "x" * 151}, 422),
    ],
)
def test_a_bad_plan_change_is_refused_and_nothing_is_written(
    cast: Any, path: str, body: dict[str, Any], code: int
) -> None:
    from egenmakt.coordination.models import Goal, Plan, PlanAction
    from egenmakt.coordination.tests.factories import shared_client

    client = shared_client(cast)
    secret = personal_token(cast.case_manager, ["coordination:write"])
    version = _plan(client, secret)["version"]
    body = {"version": version, **body}
    if body["version"] is None:
        del body["version"]
    changes = AccessLog.objects.exclude(action=Action.VIEW).count()
    answer = _post(f"/api/v1/clients/{client.pk}/plan/{path}", body, secret)
    assert answer.status_code == code, answer.content
    assert answer.json()["detail"]
    assert not Goal.objects.filter(plan__client=client).exists()
    assert not PlanAction.objects.filter(plan__client=client).exists()
    assert Plan.objects.filter(client=client, version__gt=version).count() == 0
    assert AccessLog.objects.exclude(action=Action.VIEW).count() == changes


def test_without_a_valid_consent_the_own_case_manager_sees_the_plan_but_gets_403(
    cast: Any,
) -> None:
    from egenmakt.coordination.models import Goal
    from egenmakt.coordination.tests.factories import new_client

    client = new_client(cast)
    secret = personal_token(cast.case_manager, ["coordination:read", "coordination:write"])
    version = _plan(client, secret)["version"]
    url = f"/api/v1/clients/{client.pk}/plan/goals"
    assert _post(url, {**GOAL, "version": version}, secret).status_code == 403
    assert AccessLog.objects.latest("pk").outcome == Outcome.DENIED
    outsider = personal_token(cast.clinic_colleague, ["coordination:write"])
    assert _post(url, {**GOAL, "version": version}, outsider).status_code == 404
    assert not Goal.objects.filter(plan__client=client).exists()


def test_a_measure_of_another_clients_plan_is_404(cast: Any) -> None:
    from egenmakt.coordination.models import PlanAction
    from egenmakt.coordination.tests.factories import shared_client

    mine, other = shared_client(cast), shared_client(cast, name="Alex Ek")
    secret = personal_token(cast.case_manager, ["coordination:write"])
    version = _plan(other, secret)["version"]
    added = _post(
        f"/api/v1/clients/{other.pk}/plan/actions", {**MEASURE, "version": version}, secret
    )
    assert added.status_code == 201
    action_id = added.json()["id"]
    mine_version = _plan(mine, secret)["version"]
    answer = Client().put(
        f"/api/v1/clients/{mine.pk}/plan/actions/{action_id}/status",
        {"status": "done", "version": mine_version}, content_type="application/json",
        **bearer(secret),
    )  # fmt: skip
    assert answer.status_code == 404
    assert PlanAction.objects.get(pk=action_id).status == "planned"


# --- Booking a resource-group meeting (``coordination:meeting_book``) -----------------------


def _when(days: float) -> str:
    from datetime import timedelta

    from django.utils import timezone

    return (timezone.now() + timedelta(days=days)).replace(microsecond=0).isoformat()


def test_the_care_team_books_a_meeting_with_the_standing_agenda_and_it_is_logged(
    cast: Any,
) -> None:
    from egenmakt.coordination.models import Meeting
    from egenmakt.coordination.tests.factories import shared_client

    client = shared_client(cast)
    secret = personal_token(cast.case_manager, ["coordination:write"])
    before = AccessLog.objects.count()
    body = {"starts_at": _when(14), "place": "Mottagningen", "extra_items": ["Boendet"]}
    answer = _post(f"/api/v1/clients/{client.pk}/meetings", body, secret)
    assert answer.status_code == 201, answer.content
    meeting = Meeting.objects.get(client=client)
    assert answer.json()["id"] == meeting.pk and meeting.place == "Mottagningen"
    titles = list(meeting.agenda.values_list("title", flat=True))
    assert "Boendet" in titles and len(titles) > 1  # the standing agenda came with it
    rows = [r for r in AccessLog.objects.order_by("pk")[before:] if r.person_id == str(client.pk)]
    assert rows and rows[-1].action == Action.VIEW and rows[-1].actor_id == cast.case_manager.pk
    assert any(r.action in {Action.CREATE, Action.CHANGE} for r in rows)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"starts_at": "tomorrow"}, 422),
        ({"duration_minutes": 5}, 422),
        ({"extra_items": "Boendet"}, 422),
        ({"starts_at": _when(-1)}, 400),  # the service: a time that has not passed
        ({"starts_at": _when(365 * 3)}, 400),  # the form: at most two years ahead
    ],
)
def test_a_bad_booking_is_refused_and_nothing_is_written(
    cast: Any, body: dict[str, Any], code: int
) -> None:
    from egenmakt.coordination.models import Meeting
    from egenmakt.coordination.tests.factories import shared_client

    client = shared_client(cast)
    secret = personal_token(cast.case_manager, ["coordination:write"])
    changes = AccessLog.objects.exclude(action=Action.VIEW).count()
    answer = _post(f"/api/v1/clients/{client.pk}/meetings", {"starts_at": _when(7), **body}, secret)
    assert answer.status_code == code, answer.content
    assert answer.json()["detail"]
    assert not Meeting.objects.filter(client=client).exists()
    assert AccessLog.objects.exclude(action=Action.VIEW).count() == changes


def test_without_a_valid_consent_booking_is_403_and_outside_the_team_404(cast: Any) -> None:
    from egenmakt.coordination.models import Meeting
    from egenmakt.coordination.tests.factories import new_client

    client = new_client(cast)
    url = f"/api/v1/clients/{client.pk}/meetings"
    mine = personal_token(cast.case_manager, ["coordination:write"])
    assert _post(url, {"starts_at": _when(7)}, mine).status_code == 403
    outsider = personal_token(cast.clinic_colleague, ["coordination:write"])
    assert _post(url, {"starts_at": _when(7)}, outsider).status_code == 404
    assert not Meeting.objects.filter(client=client).exists()


# --- Registering a client (``coordination:register``) ----------------------------------------


def _new_client(**overrides: Any) -> dict[str, Any]:
    from datetime import date

    from egenmakt.demo.coordination import synthetic_identity_number

    return {
        "full_name": "Robin Ny",
        "identity_number": synthetic_identity_number(date(1990, 5, 17), 4242),
        "city": "Västerhav",
        **overrides,
    }


def test_a_case_manager_registers_a_client_in_their_team_and_it_is_logged(cast: Any) -> None:
    from egenmakt.coordination.models import Client as CareClient

    secret = personal_token(cast.case_manager, ["coordination:write"])
    before = AccessLog.objects.count()
    answer = _post("/api/v1/clients", _new_client(), secret)
    assert answer.status_code == 201, answer.content
    client = CareClient.objects.get(pk=answer.json()["id"])
    assert client.full_name == "Robin Ny" and client.organisation == cast.org("clinic")
    assert client.team.filter(user=cast.case_manager, ended_on__isnull=True).exists()
    rows = list(AccessLog.objects.order_by("pk")[before:])
    assert [r.action for r in rows] == [Action.CREATE, Action.VIEW]
    assert all(r.person_id == str(client.pk) and r.actor_id == cast.case_manager.pk for r in rows)
    listed = Client().get("/api/v1/clients", **bearer(secret)).json()
    assert client.pk in [row["id"] for row in listed]


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"full_name": ""}, 422, None),
        ({"meeting_place": "the moon"}, 422, None),
        ({"identity_number": "19900517-0000"}, 400, "identity_number"),  # bad check digit
        ({"email": "not an address"}, 400, "email"),
        ({"started_on": "2999-01-01"}, 400, "started_on"),
        ({"organisation_id": 999999}, 400, "organisation"),
    ],
)
def test_a_bad_registration_is_refused_and_nothing_is_written(
    cast: Any, overrides: dict[str, Any], code: int, field: str | None
) -> None:
    from egenmakt.coordination.models import Client as CareClient

    secret = personal_token(cast.case_manager, ["coordination:write"])
    count = CareClient.objects.count()
    changes = AccessLog.objects.exclude(action=Action.VIEW).count()
    answer = _post("/api/v1/clients", _new_client(**overrides), secret)
    assert answer.status_code == code, answer.content
    if field is not None:
        assert answer.json()["errors"][field]
    assert CareClient.objects.count() == count
    assert AccessLog.objects.exclude(action=Action.VIEW).count() == changes


def test_the_same_person_twice_is_400_and_someone_not_a_case_manager_403(cast: Any) -> None:
    from egenmakt.coordination.models import Client as CareClient

    secret = personal_token(cast.case_manager, ["coordination:write"])
    assert _post("/api/v1/clients", _new_client(), secret).status_code == 201
    again = _post("/api/v1/clients", _new_client(full_name="Robin Igen"), secret)
    assert again.status_code == 400 and again.json()["errors"]["identity_number"]
    interviewer = personal_token(cast.second_interviewer, ["coordination:write"])
    assert _post("/api/v1/clients", _new_client(), interviewer).status_code == 403
    assert AccessLog.objects.latest("pk").outcome == Outcome.DENIED
    assert CareClient.objects.filter(full_name__startswith="Robin").count() == 1


# --- A meeting's minutes (``coordination:meeting_save``) -------------------------------------


def _put(path: str, body: Any, secret: str) -> Any:
    return Client().put(path, body, content_type="application/json", **bearer(secret))


def _held_yesterday(cast: Any) -> tuple[Any, Any, str]:
    """A shared client's meeting booked through the API, moved to yesterday."""
    from datetime import timedelta

    from django.utils import timezone

    from egenmakt.coordination.models import Meeting
    from egenmakt.coordination.tests.factories import shared_client

    client = shared_client(cast)
    secret = personal_token(cast.case_manager, ["coordination:read", "coordination:write"])
    booked = _post(
        f"/api/v1/clients/{client.pk}/meetings",
        {"starts_at": _when(7), "place": "Mottagningen", "invite": False},
        secret,
    )
    assert booked.status_code == 201, booked.content
    Meeting.objects.filter(pk=booked.json()["id"]).update(
        starts_at=timezone.now() - timedelta(days=1)
    )
    return client, Meeting.objects.get(pk=booked.json()["id"]), secret


def test_the_care_team_records_the_minutes_with_the_edit_number(cast: Any) -> None:
    from egenmakt.coordination.models import Meeting, MeetingStatus

    client, meeting, secret = _held_yesterday(cast)
    url = f"/api/v1/clients/{client.pk}/meetings/{meeting.pk}"
    read = Client().get(url, **bearer(secret)).json()
    item = read["agenda"][0]
    member = read["attendance"][0]
    body = {
        "version": read["version"],
        "held": True,
        "client_present": True,
        "minutes": "Vi gick igenom planen.",
        "agenda_notes": [{"item_id": item["id"], "notes": "Gick bra."}],
        "present": [{"member_id": member["member_id"], "present": True}],
    }
    saved = _put(f"{url}/minutes", body, secret)
    assert saved.status_code == 200, saved.content
    answer = saved.json()
    assert answer["status"] == MeetingStatus.HELD and answer["version"] == read["version"] + 1
    assert answer["minutes"] == "Vi gick igenom planen."
    assert next(i for i in answer["agenda"] if i["id"] == item["id"])["notes"] == "Gick bra."
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.client_present is True
    # Nothing was booked that was not asked for.
    assert Meeting.objects.filter(client=client).count() == 1
    # A second writer with the old edit number: 409, nothing of theirs saved.
    stale = _put(f"{url}/minutes", {**body, "minutes": "Något annat."}, secret)
    assert stale.status_code == 409 and stale.json()["version"] == answer["version"]
    meeting.refresh_from_db()
    assert meeting.minutes == "Vi gick igenom planen."
    # Left out is left as it is.
    again = _put(f"{url}/minutes", {"version": answer["version"], "minutes": "Tillägg."}, secret)
    assert again.status_code == 200, again.content
    meeting.refresh_from_db()
    assert meeting.minutes == "Tillägg." and meeting.client_present is True


@pytest.mark.parametrize(
    "change",
    [
        {"agenda_notes": [{"item_id": 999999, "notes": "Fel punkt"}]},  # not this meeting's
        {"present": [{"member_id": 999999, "present": True}]},  # not a member
        {"minutes": "x" * 10_001},  # too long for the page's form
    ],
)
def test_bad_minutes_are_refused_and_nothing_is_written(cast: Any, change: dict[str, Any]) -> None:
    client, meeting, secret = _held_yesterday(cast)
    url = f"/api/v1/clients/{client.pk}/meetings/{meeting.pk}/minutes"
    answer = _put(url, {"version": meeting.version, "minutes": "Ny text.", **change}, secret)
    assert answer.status_code in (400, 422), answer.content
    assert answer.json()["detail"]
    fresh = type(meeting).objects.get(pk=meeting.pk)
    assert (fresh.version, fresh.minutes) == (meeting.version, meeting.minutes)


def test_a_meeting_not_yet_come_is_not_marked_held(cast: Any) -> None:
    from egenmakt.coordination.models import Meeting
    from egenmakt.coordination.tests.factories import shared_client

    client = shared_client(cast)
    secret = personal_token(cast.case_manager, ["coordination:read", "coordination:write"])
    booked = _post(
        f"/api/v1/clients/{client.pk}/meetings",
        {"starts_at": _when(7), "place": "Mottagningen", "invite": False},
        secret,
    ).json()
    url = f"/api/v1/clients/{client.pk}/meetings/{booked['id']}/minutes"
    answer = _put(url, {"version": 1, "held": True, "client_present": True}, secret)
    assert answer.status_code == 400 and "held" in answer.json()["errors"]
    assert Meeting.objects.get(pk=booked["id"]).status == "planned"


# --- Worksheets (``coordination:worksheet_start``, ``instruments:answer``) -------------------


ORS_FULL = {"individually": 6.5, "interpersonally": 7, "socially": 5, "overall": 6}


def test_the_care_team_starts_a_worksheet_saves_a_draft_and_submits_it(cast: Any) -> None:
    from egenmakt.coordination.models import StepRecord
    from egenmakt.coordination.tests.factories import shared_client

    client = shared_client(cast)
    secret = personal_token(cast.case_manager, ["coordination:read", "coordination:write"])
    started = _post(
        f"/api/v1/clients/{client.pk}/worksheets",
        {"instrument": "ors", "respondent_kind": "client"},
        secret,
    )
    assert started.status_code == 201, started.content
    body = started.json()
    assert body["status"] == "draft" and body["instrument"] == "ors"
    record = StepRecord.objects.get(client=client, response_id=body["id"])
    assert record.entered_by == cast.case_manager and record.shared
    url = f"/api/v1/responses/{body['id']}/answers"
    draft = _put(url, {"version": body["version"], "answers": {"individually": 4}}, secret)
    assert draft.status_code == 200, draft.content
    assert draft.json()["status"] == "draft" and draft.json()["answers"] == {"individually": 4}
    # Submitting needs every required item: refused by item, nothing saved.
    partial = _put(url, {"version": draft.json()["version"], "answers": {}, "submit": True}, secret)
    assert partial.status_code == 400 and "socially" in partial.json()["errors"]
    done = _put(
        url, {"version": draft.json()["version"], "answers": ORS_FULL, "submit": True}, secret
    )
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "submitted" and done.json()["scores"]["total"]
    # The old edit number: 409, the submitted answers stand.
    stale = _put(url, {"version": body["version"], "answers": {"individually": 1}}, secret)
    assert stale.status_code == 409
    read = Client().get(f"/api/v1/responses/{body['id']}", **bearer(secret)).json()
    assert read["answers"] == ORS_FULL


@pytest.mark.parametrize(
    ("answers", "code"),
    [
        ({"individually": 11}, 400),  # outside the scale
        ({"individually": "mycket"}, 400),  # not a number
        ({"no_such_item": 1}, 400),
        ("alla", 422),  # not an object
    ],
)
def test_bad_answers_are_refused_and_nothing_is_written(cast: Any, answers: Any, code: int) -> None:
    from egenmakt.coordination.tests.factories import shared_client
    from egenmakt.instruments.models import Response

    client = shared_client(cast)
    secret = personal_token(cast.case_manager, ["coordination:read", "coordination:write"])
    started = _post(
        f"/api/v1/clients/{client.pk}/worksheets",
        {"instrument": "ors", "respondent_kind": "client"},
        secret,
    ).json()
    answer = _put(
        f"/api/v1/responses/{started['id']}/answers",
        {"version": started["version"], "answers": answers},
        secret,
    )
    assert answer.status_code == code, answer.content
    fresh = Response.objects.get(pk=started["id"])
    assert (fresh.version, fresh.answers) == (started["version"], {})


def test_a_worksheet_outside_the_phase_or_the_team_is_refused(cast: Any) -> None:
    from egenmakt.coordination.tests.factories import shared_client

    client = shared_client(cast)
    secret = personal_token(cast.case_manager, ["coordination:read", "coordination:write"])
    unknown = _post(
        f"/api/v1/clients/{client.pk}/worksheets",
        {"instrument": "fidelity", "respondent_kind": "staff"},
        secret,
    )
    assert unknown.status_code == 400
    outsider = personal_token(cast.outsider_case_manager, ["coordination:write"])
    hidden = _post(
        f"/api/v1/clients/{client.pk}/worksheets",
        {"instrument": "ors", "respondent_kind": "client"},
        outsider,
    )
    assert hidden.status_code == 404
