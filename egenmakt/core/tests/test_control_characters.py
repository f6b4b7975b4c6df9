"""Issue 17, finding 4: a control character in any field is refused, never a 500.

A NUL byte in a worksheet answer gave a 500 on PostgreSQL (text and JSONB refuse it), and
other control characters (a bell, \\x07) were stored as typed. Each story posts both, on a
public form, the client's worksheet and its autosave, and staff forms, and checks that the
user sees the field's message with their text kept (or the 400 page) and nothing is written.
Run these on PostgreSQL too: that is where NUL used to crash.
"""

from __future__ import annotations

import pytest
from django import forms
from django.test import Client as Browser
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from egenmakt.audit.models import AccessLog, EmergencyAccess
from egenmakt.conftest import sign_in
from egenmakt.coordination.tests.factories import ensure_instruments, shared_client
from egenmakt.core.input import CONTROL_CHARACTERS, has_control_characters
from egenmakt.instruments.models import Response
from egenmakt.instruments.renderer import field_name
from egenmakt.instruments.tests.factories import engine_definition, start
from egenmakt.peer.models import Application
from egenmakt.peer.tests.factories import make_round
from egenmakt.peer.tests.test_public_views import FORM
from egenmakt.portal.tests.factories import as_client, invited_client

pytestmark = pytest.mark.django_db

HOSTILE = ["Jag vill\x00 hjälpa", "Jag vill\x07 hjälpa"]
MESSAGE_SV = "osynliga styrtecken"


@pytest.mark.parametrize("typed", HOSTILE, ids=["nul", "bell"])
def test_the_public_application_form_refuses_it_at_the_field_and_keeps_the_text(cast, typed):
    round_ = make_round(cast)
    page = Browser().post(
        reverse("peer_public:apply", args=[round_.public_key]), {**FORM, "motivation": typed}
    )
    body = page.content.decode()
    assert page.status_code == 400
    assert MESSAGE_SV in body
    # Everything else the applicant typed is still in the form.
    assert "Ångest sedan tonåren." in body
    assert not Application.objects.filter(round=round_).exists()


def normal_day_draft(cast):
    ensure_instruments()
    _client, account = invited_client(cast)
    browser = as_client(account)
    started = browser.post(reverse("portal:worksheet_start", args=["normal_day"]))
    assert started.status_code == 302
    return browser, started.url, Response.objects.get(entered_by=account.user)


@pytest.mark.parametrize("typed", HOSTILE, ids=["nul", "bell"])
def test_the_clients_worksheet_answer_is_refused_with_the_items_message(cast, typed):
    browser, url, response = normal_day_draft(cast)
    page = browser.post(
        url,
        {
            field_name("good_parts"): typed,
            field_name("hard_parts"): "Morgnarna är tunga.",
            "version": response.version,
        },
    )
    body = page.content.decode()
    assert page.status_code == 400
    assert MESSAGE_SV in body
    assert "Morgnarna är tunga." in body
    response.refresh_from_db()
    assert response.answers == {} and response.version == 1


@pytest.mark.parametrize("typed", HOSTILE, ids=["nul", "bell"])
def test_autosave_says_not_saved_and_saves_nothing(cast, typed):
    # The staff answer page autosaves through the same answers code as the client's form.
    draft = start(engine_definition(), cast.peer_supporter, cast.coordinator)
    browser = sign_in(Browser(), cast.coordinator)
    page = browser.post(
        reverse("instruments:autosave", args=[draft.pk]),
        {
            field_name("story"): typed,
            field_name("summary"): "Bra vecka",
            "version": "1",
            "edit_token": "tab-1",
        },
        HTTP_HX_REQUEST="true",
    )
    assert page.status_code == 200
    assert MESSAGE_SV in page.content.decode()
    draft.refresh_from_db()
    assert draft.answers == {} and draft.version == 1


@pytest.mark.parametrize("typed", HOSTILE, ids=["nul", "bell"])
def test_a_staff_form_refuses_it_at_the_field(cast, typed):
    client = shared_client(cast)
    page = sign_in(Browser(), cast.clinic_colleague).post(
        reverse("coordination:emergency"),
        {"identity_number": client.identity.display, "reason": f"Klienten är här i kris{typed}"},
    )
    assert page.status_code == 400
    assert MESSAGE_SV in page.content.decode()
    assert not EmergencyAccess.objects.exists()


@pytest.mark.parametrize("typed", HOSTILE, ids=["nul", "bell"])
def test_the_auditors_review_note_is_refused_by_its_form_and_nothing_is_written(cast, typed):
    client = shared_client(cast)
    sign_in(Browser(), cast.clinic_colleague).post(
        reverse("coordination:emergency"),
        {"identity_number": client.identity.display, "reason": "Klienten är här i kris nu"},
    )
    grant = EmergencyAccess.objects.get()
    page = sign_in(Browser(), cast.auditor).post(
        reverse("audit:emergency_review", args=[grant.pk]),
        {"verdict": "justified", "note": typed},
    )
    assert page.status_code == 302
    grant.refresh_from_db()
    assert grant.verdict == "" and grant.reviewed_by is None


@pytest.mark.urls("egenmakt.core.tests.urls_with_a_raw_view")
@pytest.mark.parametrize("typed", HOSTILE, ids=["nul", "bell"])
def test_a_value_read_without_a_form_gets_the_400_page_and_nothing_is_written(typed):
    before = AccessLog.objects.count()
    page = Browser().post("/utan-formular/", {"note": typed})
    assert page.status_code == 400
    assert "Något var fel med förfrågan" in page.content.decode()
    assert AccessLog.objects.count() == before


def test_a_control_character_in_a_key_or_the_query_string_is_refused(cast):
    browser = sign_in(Browser(), cast.case_manager)
    assert browser.get(reverse("coordination:clients"), {"sida": "1\x00"}).status_code == 400
    assert browser.get(reverse("coordination:clients"), {"a\x01": "1"}).status_code == 400


def test_tab_newline_and_carriage_return_are_text():
    field = forms.CharField()
    assert field.clean("första raden\r\n\tandra raden") == "första raden\r\n\tandra raden"


@pytest.mark.parametrize(
    "field",
    [
        forms.CharField(),
        forms.EmailField(),
        forms.URLField(assume_scheme="https"),
        forms.SlugField(),
        forms.RegexField(regex=r".*"),
    ],
    ids=["char", "email", "url", "slug", "regex"],
)
def test_every_text_field_has_the_one_rule(field):
    with pytest.raises(forms.ValidationError) as caught:
        field.clean("a\x1bb")
    assert "control_characters" in [e.code for e in caught.value.error_list]


@given(st.text())
def test_the_rule_refuses_exactly_the_control_characters(text):
    bad = {c for c in text if ord(c) < 32 and c not in "\t\n\r"} | {
        c for c in text if ord(c) == 127 or 0xD800 <= ord(c) <= 0xDFFF
    }
    assert has_control_characters(text) == bool(bad)
    assert bool(CONTROL_CHARACTERS.search(text)) == bool(bad)


@pytest.mark.parametrize("hostile", ["abc", "1 OR 1=1", "١٢", "9" * 30])
def test_a_row_id_read_without_a_form_that_is_not_a_number_is_not_found(cast, hostile):
    from egenmakt.peer.tests.test_course import cohort_with

    cohort = cohort_with(cast, n=1)
    page = sign_in(Browser(), cast.coordinator).post(
        reverse("peer:cohort_completion", args=[cohort.pk]),
        {"participant": hostile, "completed": "yes", "recommended": "yes", "reason": "x"},
    )
    assert page.status_code == 404
