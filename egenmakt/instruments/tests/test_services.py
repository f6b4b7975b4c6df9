"""Answering: drafts, submission, validation, scoring, locking, access and the access log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import AccessLog
from egenmakt.instruments import services
from egenmakt.instruments.answers import InvalidAnswersError
from egenmakt.instruments.models import Response, ResponseStatus
from egenmakt.instruments.tests.factories import (
    ORS_ANSWERS,
    engine_definition,
    ors_definition,
    start,
    submitted,
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def ors():
    return ors_definition()


def test_submitting_the_ors_stores_its_scores(cast, ors):
    response = submitted(ors, cast.peer_supporter, cast.coordinator, ORS_ANSWERS)
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    assert response.submitted_at is not None
    assert response.scores["total"] == {"value": 25.0, "band_key": "clinical", "clinical": True}


def test_a_13_on_a_0_to_10_line_is_refused_next_to_that_item_and_nothing_is_saved(cast, ors):
    response = start(ors, cast.peer_supporter, cast.coordinator)
    with pytest.raises(InvalidAnswersError) as caught:
        services.save_draft(
            user=cast.coordinator,
            response=response,
            answers={**ORS_ANSWERS, "socially": "13"},
            expected_version=response.version,
        )
    assert caught.value.errors == {"socially": ["13 is outside the line 0–10."]}
    response.refresh_from_db()
    assert response.answers == {}
    assert response.version == 1


def test_submit_without_a_required_item_saves_nothing(cast, ors):
    response = start(ors, cast.peer_supporter, cast.coordinator)
    answers = {k: v for k, v in ORS_ANSWERS.items() if k != "overall"}
    with pytest.raises(InvalidAnswersError) as caught:
        services.submit_response(
            user=cast.coordinator, response=response, answers=answers, expected_version=1
        )
    assert list(caught.value.errors) == ["overall"]
    response.refresh_from_db()
    assert response.status == ResponseStatus.DRAFT
    assert response.answers == {}


def test_a_draft_may_leave_required_items_unanswered(cast, ors):
    response = start(ors, cast.peer_supporter, cast.coordinator)
    saved = services.save_draft(
        user=cast.coordinator,
        response=response,
        answers={"individually": "4,5"},
        expected_version=1,
    )
    assert saved.answers == {"individually": 4.5}
    assert saved.scores["total"]["value"] is None
    assert saved.version == 2


def test_a_stale_form_is_refused_and_the_newer_answers_stay(cast, ors):
    response = start(ors, cast.peer_supporter, cast.coordinator)
    services.save_draft(
        user=cast.coordinator, response=response, answers={"individually": 3}, expected_version=1
    )
    with pytest.raises(services.StaleResponseError) as caught:
        services.save_draft(
            user=cast.peer_supporter,
            response=response,
            answers={"individually": 9},
            expected_version=1,
        )
    assert "Someone else saved" in str(caught.value)
    response.refresh_from_db()
    assert response.answers == {"individually": 3.0}


def test_the_same_form_may_save_over_its_own_autosave(cast, ors):
    response = start(ors, cast.peer_supporter, cast.coordinator)
    services.save_draft(
        user=cast.coordinator,
        response=response,
        answers={"individually": 3},
        expected_version=1,
        edit_token="page-a",
    )
    # The page still holds edit number 1 when its submit button races the autosave.
    saved = services.submit_response(
        user=cast.coordinator,
        response=response,
        answers=ORS_ANSWERS,
        expected_version=1,
        edit_token="page-a",
    )
    assert saved.status == ResponseStatus.SUBMITTED


def test_every_write_is_in_the_access_log_with_whose_data_it_is(cast, ors):
    before = AccessLog.objects.count()
    response = submitted(ors, cast.peer_supporter, cast.coordinator, ORS_ANSWERS)
    rows = list(AccessLog.objects.order_by("id")[before:])
    assert [r.action for r in rows] == ["create", "change"]
    assert rows[1].reason == AuditEvent.RESPONSE_SUBMITTED == "submit"
    assert {r.person_id for r in rows} == {str(cast.peer_supporter.pk)}
    assert {r.object_id for r in rows} == {str(response.pk)}


def test_an_outsider_cannot_start_a_response(cast, ors):
    with pytest.raises(PermissionDenied):
        start(ors, cast.peer_supporter, cast.outsider_coordinator)
    assert not Response.objects.filter(entered_by=cast.outsider_coordinator).exists()


def test_a_user_may_answer_about_themself(cast, ors):
    response = submitted(ors, cast.interviewer, cast.interviewer, ORS_ANSWERS)
    assert response.scores["total"]["value"] == 25.0


def test_a_workplace_manager_answers_for_their_workplace_but_not_another(cast):
    definition = engine_definition()
    start(definition, cast.org("outpatient"), cast.workplace_manager)
    with pytest.raises(PermissionDenied):
        start(definition, cast.org("housing_support"), cast.workplace_manager)


def test_respondent_kind_must_be_one_the_instrument_allows(cast):
    definition = engine_definition()
    with pytest.raises(services.InstrumentError):
        start(
            definition, cast.org("outpatient"), cast.workplace_manager, respondent_kind="relative"
        )


def test_a_future_date_is_refused(cast, ors):
    response = start(ors, cast.peer_supporter, cast.coordinator)
    with pytest.raises(InvalidAnswersError) as caught:
        services.save_draft(
            user=cast.coordinator,
            response=response,
            answers={},
            expected_version=1,
            answered_on=timezone.localdate() + timedelta(days=1),
        )
    assert "answered_on" in caught.value.errors


def test_a_submitted_response_is_not_turned_back_into_a_draft(cast, ors):
    response = submitted(ors, cast.peer_supporter, cast.coordinator, ORS_ANSWERS)
    with pytest.raises(services.InstrumentError):
        services.save_draft(
            user=cast.coordinator, response=response, answers={}, expected_version=2
        )
