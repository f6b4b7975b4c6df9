"""Answering through the pages: drafts, htmx autosave, submit, conflicts, access and the log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from egenmakt.audit.models import AccessLog
from egenmakt.instruments import services
from egenmakt.instruments.models import Response, ResponseStatus
from egenmakt.instruments.renderer import field_name
from egenmakt.instruments.tests.factories import (
    ORS_ANSWERS,
    engine_definition,
    ors_definition,
    start,
    submitted,
)


@pytest.fixture
def english(signed_in):
    def _sign_in(user):
        client = signed_in(user)
        client.cookies["egenmakt_language"] = "en"
        return client

    return _sign_in


@pytest.fixture
def draft(cast):
    return start(ors_definition(), cast.peer_supporter, cast.coordinator)


def ors_post(answers: dict, *, version: int = 1, action: str = "draft", **extra) -> dict:
    data = {field_name(k): str(v) for k, v in answers.items()}
    data.update(version=str(version), edit_token="tab-1", _action=action, **extra)
    return data


def views_of(obj) -> list[AccessLog]:
    return list(AccessLog.objects.filter(object_id=str(obj.pk), action="view"))


def test_coordinator_starts_an_ors_about_a_peer_supporter(cast, english):
    client = english(cast.coordinator)
    url = reverse("instruments:start", args=["ors", "user", cast.peer_supporter.pk])
    assert client.get(url).status_code == 200
    kind = ors_definition().respondents[0]
    page = client.post(url, {"respondent_kind": kind, "answered_on": str(timezone.localdate())})
    response = Response.objects.get(entered_by=cast.coordinator)
    assert page.status_code == 302
    assert page["Location"] == reverse("instruments:answer", args=[response.pk])


def test_outsider_gets_404_for_the_subject_and_its_responses(cast, english, draft):
    client = english(cast.outsider_coordinator)
    urls = [
        reverse("instruments:start", args=["ors", "user", cast.peer_supporter.pk]),
        reverse("instruments:chart", args=["ors", "user", cast.peer_supporter.pk]),
        reverse("instruments:chart_svg", args=["ors", "user", cast.peer_supporter.pk]),
        reverse("instruments:answer", args=[draft.pk]),
        reverse("instruments:response", args=[draft.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("instruments:autosave", args=[draft.pk]), {}).status_code == 404
    assert (
        client.post(
            reverse("instruments:answer", args=[draft.pk]), ors_post(ORS_ANSWERS)
        ).status_code
        == 404
    )
    draft.refresh_from_db()
    assert draft.answers == {}


def test_unknown_subject_types_and_ids_are_404(cast, english):
    client = english(cast.coordinator)
    assert client.get(reverse("instruments:start", args=["ors", "nothing", 1])).status_code == 404
    assert client.get(reverse("instruments:start", args=["ors", "user", "abc"])).status_code == 404
    assert (
        client.get(
            reverse("instruments:start", args=["nope", "user", cast.peer_supporter.pk])
        ).status_code
        == 404
    )


def test_the_answer_page_logs_the_view_before_showing_it(cast, english, draft):
    page = english(cast.coordinator).get(reverse("instruments:answer", args=[draft.pk]))
    assert page.status_code == 200
    [row] = views_of(draft)
    assert row.person_id == str(cast.peer_supporter.pk)
    assert row.actor == cast.coordinator


def test_the_answer_page_shows_every_question_with_its_label(cast, english, draft):
    body = (
        english(cast.coordinator)
        .get(reverse("instruments:answer", args=[draft.pk]))
        .content.decode()
    )
    assert body.count('type="range"') == 4
    assert body.count('class="vas__number"') == 4
    assert "<legend" in body
    assert 'hx-post="' + reverse("instruments:autosave", args=[draft.pk]) in body


def test_saving_a_draft_without_javascript_keeps_the_answers(cast, english, draft):
    client = english(cast.coordinator)
    page = client.post(
        reverse("instruments:answer", args=[draft.pk]), ors_post({"individually": "4,5"})
    )
    assert page.status_code == 302
    draft.refresh_from_db()
    assert draft.answers == {"individually": 4.5}
    follow = client.get(page["Location"])
    assert "Draft saved at" in follow.content.decode()
    assert 'value="4.5"' in follow.content.decode()


def test_submitting_a_13_on_the_line_shows_the_error_next_to_it_and_saves_nothing(
    cast, english, draft
):
    answers = {**ORS_ANSWERS, "socially": 13}
    page = english(cast.coordinator).post(
        reverse("instruments:answer", args=[draft.pk]), ors_post(answers, action="submit")
    )
    body = page.content.decode()
    assert page.status_code == 400
    assert (
        '<ul class="errors" id="error-socially"><li>13 is outside the line 0–10.</li></ul>' in body
    )
    assert 'href="#item-socially"' in body
    draft.refresh_from_db()
    assert (draft.status, draft.answers, draft.version) == (ResponseStatus.DRAFT, {}, 1)


def test_submitting_without_a_required_answer_saves_nothing(cast, english, draft):
    answers = {k: v for k, v in ORS_ANSWERS.items() if k != "overall"}
    page = english(cast.coordinator).post(
        reverse("instruments:answer", args=[draft.pk]), ors_post(answers, action="submit")
    )
    assert page.status_code == 400
    assert "This question needs an answer." in page.content.decode()
    draft.refresh_from_db()
    assert draft.answers == {}


def test_submitting_stores_scores_and_shows_them_with_their_band(cast, english, draft):
    client = english(cast.coordinator)
    page = client.post(
        reverse("instruments:answer", args=[draft.pk]), ors_post(ORS_ANSWERS, action="submit")
    )
    assert page.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ResponseStatus.SUBMITTED
    assert draft.scores["total"]["value"] == 25.0
    detail = client.get(page["Location"]).content.decode()
    assert "25" in detail
    assert ors_band_label(draft) in detail


def ors_band_label(response) -> str:
    score = response.definition.definition["scoring"]["scores"][0]
    band = next(b for b in score["bands"] if b["key"] == response.scores["total"]["band_key"])
    return band["label"]["en"]


def test_a_stale_form_is_refused_with_a_message_and_the_typed_answers_kept(cast, english, draft):
    services.save_draft(
        user=cast.peer_supporter, response=draft, answers={"individually": 2}, expected_version=1
    )
    page = english(cast.coordinator).post(
        reverse("instruments:answer", args=[draft.pk]), ors_post({"individually": "8.5"}, version=1)
    )
    body = page.content.decode()
    assert page.status_code == 409
    assert "Someone else saved this response after you opened it" in body
    assert 'value="8.5"' in body
    draft.refresh_from_db()
    assert draft.answers == {"individually": 2.0}


def test_htmx_autosave_answers_a_status_line_and_the_new_edit_number(cast, english, draft):
    page = english(cast.coordinator).post(
        reverse("instruments:autosave", args=[draft.pk]),
        ors_post({"individually": "6"}),
        HTTP_HX_REQUEST="true",
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "Draft saved at" in body
    assert 'name="version" value="2" id="response-version" hx-swap-oob="true"' in body
    draft.refresh_from_db()
    assert draft.answers == {"individually": 6.0}


def test_htmx_autosave_with_a_bad_answer_says_so_and_saves_nothing(cast, english, draft):
    page = english(cast.coordinator).post(
        reverse("instruments:autosave", args=[draft.pk]),
        ors_post({"individually": "11"}),
        HTTP_HX_REQUEST="true",
    )
    body = page.content.decode()
    assert "Draft not saved yet" in body
    assert "11 is outside the line 0–10." in body
    assert 'value="1"' in body
    draft.refresh_from_db()
    assert draft.answers == {}


def test_a_future_date_is_refused_on_the_form(cast, english, draft):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    page = english(cast.coordinator).post(
        reverse("instruments:answer", args=[draft.pk]),
        ors_post(ORS_ANSWERS, action="submit", answered_on=tomorrow),
    )
    assert page.status_code == 400
    assert "The date cannot be in the future." in page.content.decode()


def test_the_response_page_logs_the_view(cast, english):
    response = submitted(ors_definition(), cast.peer_supporter, cast.coordinator, ORS_ANSWERS)
    assert (
        english(cast.peer_supporter)
        .get(reverse("instruments:response", args=[response.pk]))
        .status_code
        == 200
    )
    [row] = views_of(response)
    assert row.actor == cast.peer_supporter


def test_response_page_runs_a_bounded_number_of_queries(
    cast, english, django_assert_max_num_queries
):
    response = submitted(ors_definition(), cast.peer_supporter, cast.coordinator, ORS_ANSWERS)
    client = english(cast.coordinator)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("instruments:response", args=[response.pk])).status_code == 200


def test_read_only_access_may_read_but_gets_403_on_the_form(cast, english, monkeypatch):
    from egenmakt.instruments import subjects

    definition = engine_definition()
    response = submitted(
        definition, cast.org("outpatient"), cast.workplace_manager, {"mood": 1, "wellbeing": 2}
    )
    kind = subjects.subject_type_by_slug("organisation")
    read_only = subjects.SubjectType(
        kind.model, kind.slug, lambda u, s, a: a == "view", kind.person
    )
    others = tuple(t for t in subjects.subject_types() if t is not kind)
    monkeypatch.setattr(subjects, "subject_types", lambda: (read_only, *others))
    client = english(cast.workplace_manager)
    assert client.get(reverse("instruments:response", args=[response.pk])).status_code == 200
    assert client.get(reverse("instruments:answer", args=[response.pk])).status_code == 403
    assert client.post(reverse("instruments:autosave", args=[response.pk]), {}).status_code == 403
    start_url = reverse(
        "instruments:start", args=["engine_test", "organisation", cast.org("outpatient").pk]
    )
    assert client.get(start_url).status_code == 403
