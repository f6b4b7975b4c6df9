"""Issue 17, finding 9: dates have a plausible range, and the domain's own where it gives one.

A coordination that started on 0001-01-01 used to pass. Every date field now refuses years
before 1900 and after 2100; the forms below narrow that where the method (or, marked
INFERRED in the forms, our reading of it) gives a range. The clock is fixed at
15 March 2026 so the boundaries are exact.
"""

from __future__ import annotations

from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.test import Client as Browser
from django.urls import reverse
from django.utils import translation

from egenmakt.accounts.models import User
from egenmakt.conftest import sign_in
from egenmakt.coordination.forms.clients import ClientForm
from egenmakt.coordination.forms.consent import ConsentRecordForm
from egenmakt.coordination.forms.meetings import BookMeetingForm, MeetingForm
from egenmakt.coordination.models import Client
from egenmakt.demo.coordination import synthetic_identity_number
from egenmakt.peer.forms import RoundForm, SessionForm

NOW = datetime(2026, 3, 15, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm"))


@pytest.fixture(autouse=True)
def fixed_clock():
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield


def accepts(field: forms.Field, value: str) -> bool:
    try:
        field.clean(value)
    except forms.ValidationError:
        return False
    return True


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("0001-01-01", False),
        ("1899-12-31", False),
        ("1900-01-01", True),
        ("2100-12-31", True),
        ("2101-01-01", False),
    ],
)
def test_every_date_field_has_a_plausible_range(value, ok):
    assert accepts(forms.DateField(), value) is ok
    assert accepts(forms.DateTimeField(), f"{value}T12:00") is ok


def test_the_refusal_names_the_bound_in_the_users_language():
    with translation.override("sv"):
        with pytest.raises(forms.ValidationError) as caught:
            forms.DateField().clean("0001-01-01")
        # The message is lazy: read it while the user's language is active, as a page does
        # (outside, it follows whichever language the process last fell back to).
        assert caught.value.messages == ["Ange ett datum som är 1 januari 1900 eller senare."]


@pytest.mark.django_db
def test_a_coordination_that_started_on_0001_01_01_is_refused_and_not_saved(cast):
    browser = sign_in(Browser(), cast.case_manager)
    page = browser.post(
        reverse("coordination:register"),
        {
            "full_name": "Robin Ek",
            "identity_number": synthetic_identity_number(NOW.date().replace(year=1990), 3),
            "organisation": cast.org("clinic").pk,
            "address": "Storgatan 1",
            "meeting_place": "home",
            "preferred_language": "svenska",
            "started_on": "0001-01-01",
        },
    )
    assert page.status_code in (200, 400)
    assert "eller senare" in page.content.decode()
    assert not Client.objects.filter(full_name="Robin Ek").exists()


def field(form_class: type[forms.BaseForm], name: str, **kwargs) -> forms.Field:
    return form_class(**kwargs).fields[name]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("form_class", "name", "kwargs", "cases"),
    [
        # Started: not after today; INFERRED ten years back.
        (
            ClientForm,
            "started_on",
            {},
            {"2016-03-14": False, "2016-03-15": True, "2026-03-15": True, "2026-03-16": False},
        ),
        # INFERRED: given at most ten years before it is entered (future: the service says).
        (ConsentRecordForm, "given_on", {"team": []}, {"2016-03-14": False, "2016-03-15": True}),
        (ConsentRecordForm, "valid_until", {"team": []}, {"2036-03-15": True, "2036-03-16": False}),
        # INFERRED: meetings booked at most two years ahead, entered within a year.
        (
            BookMeetingForm,
            "starts_at",
            {},
            {
                "2025-03-14T12:00": False,
                "2025-03-15T12:00": True,
                "2028-03-15T12:00": True,
                "2028-03-16T09:00": False,
            },
        ),
        (
            MeetingForm,
            "next_starts_at",
            {"agenda": [], "attendance": [], "goals": []},
            {"2026-03-14T12:00": False, "2026-03-15T18:00": True, "2028-03-16T09:00": False},
        ),
        # INFERRED: recruitment and course dates a year back to three years ahead.
        (
            RoundForm,
            "course_start",
            {},
            {"2025-03-14": False, "2025-03-15": True, "2029-03-15": True, "2029-03-16": False},
        ),
        (
            SessionForm,
            "day",
            {"staff": User.objects.none()},
            {"2025-03-14": False, "2025-03-15": True, "2029-03-15": True, "2029-03-16": False},
        ),
    ],
    ids=[
        "coordination",
        "consent_given",
        "consent_valid",
        "meeting",
        "next_meeting",
        "round",
        "course_day",
    ],
)
def test_domain_ranges(form_class, name, kwargs, cases):
    date_field = field(form_class, name, **kwargs)
    assert {value: accepts(date_field, value) for value in cases} == cases


def test_a_date_answer_in_a_worksheet_has_the_same_plausible_range():
    from egenmakt.instruments.answers import InvalidAnswersError, clean_answers
    from egenmakt.instruments.schema import parse_definition
    from egenmakt.instruments.tests.examples import ALL_TYPES_YAML

    definition = parse_definition(ALL_TYPES_YAML)
    assert clean_answers(definition, {"met_on": "1900-01-01"}, complete=False) == {
        "met_on": "1900-01-01"
    }
    with translation.override("sv"), pytest.raises(InvalidAnswersError) as caught:
        clean_answers(definition, {"met_on": "0001-01-01"}, complete=False)
    assert caught.value.errors == {"met_on": ["Ange ett datum som är 1 januari 1900 eller senare."]}


@pytest.mark.django_db
def test_the_date_a_response_was_answered_on_has_the_plausible_range(cast):
    from egenmakt.instruments.renderer import field_name
    from egenmakt.instruments.tests.factories import ORS_ANSWERS, ors_definition, start

    draft = start(ors_definition(), cast.peer_supporter, cast.coordinator)
    data = {field_name(k): str(v) for k, v in ORS_ANSWERS.items()}
    page = sign_in(Browser(), cast.coordinator).post(
        reverse("instruments:answer", args=[draft.pk]),
        {
            **data,
            "version": "1",
            "edit_token": "t",
            "_action": "submit",
            "answered_on": "0001-01-01",
        },
    )
    assert page.status_code == 400
    assert "1 januari 1900" in page.content.decode()
    draft.refresh_from_db()
    assert draft.is_draft
