"""What a relative said reaches the client only as agreed in the interview with them.

One rule (``coordination.confidence``), checked here in every output the client reads: the
portal's pages, the binder PDF, its JSON, the FHIR bundle and the client's copy of their
personal data. The staff copy keeps everything."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from egenmakt.audit.registry import export_personal_data
from egenmakt.coordination import confidence
from egenmakt.coordination.export.binder import collect_binder, render_binder_pdf
from egenmakt.coordination.export.fhir import export_fhir_bundle
from egenmakt.coordination.export.json import export_json
from egenmakt.coordination.models import Client, Contact, StepRecord
from egenmakt.coordination.services import mapping as mapping_services
from egenmakt.coordination.tests.test_binder_export import flat, pdf_text
from egenmakt.instruments import services as instrument_services
from egenmakt.instruments.models import InstrumentDefinition, Response
from egenmakt.portal.selectors import checklist_steps

from .factories import as_client, ensure_instruments, invited_client

pytestmark = pytest.mark.django_db

KNOWLEDGE = "Hon drar sig undan när hon mår sämre"
STRAIN = "Jag sover inte på nätterna av oro"
CLIMATE = "Mycket kritik i familjen vid middagarna"
SUMMARY = "Mamma ser dina styrkor och vill stötta dig"
SUPPORT_WANTED = "Jag vill gå i en anhöriggrupp"
EVERYDAY_COMMENT = "Maten fungerar bättre sedan i somras"
SECRETS = (KNOWLEDGE, STRAIN, CLIMATE)


def _contact(cast: Any, client: Client, name: str = "Eva Berg") -> Contact:
    return mapping_services.save_contact(
        user=cast.case_manager,
        client=client,
        data={"name": name, "relationship": "mamma", "sector": "family", "closeness": 1},
    )


def _sheet(
    cast: Any, client: Client, key: str, answers: dict, *, relative: Contact | None, kind: str
) -> StepRecord:
    definition = InstrumentDefinition.objects.filter(key=key).latest("version")
    record = mapping_services.start_worksheet(
        user=cast.case_manager,
        client=client,
        definition=definition,
        respondent_kind=kind,
        done_on=timezone.localdate(),
        present=[cast.case_manager],
        client_present=False,
        relative=relative,
    )
    response = record.response
    instrument_services.submit_response(
        user=cast.case_manager, response=response, answers=answers, expected_version=1
    )
    return record


def _interview(cast, client, relative, sees: str, **agreement: Any) -> StepRecord:
    answers = {
        "relation": "mamma",
        "client_sees": sees,
        "how_it_shows": KNOWLEDGE,
        "strain": STRAIN,
        "climate_burden": CLIMATE,
        "rating_shared": "no",
        **agreement,
    }
    return _sheet(cast, client, "relative_interview", answers, relative=relative, kind="staff")


def _rating(cast, client, relative) -> StepRecord:
    items = ("worry", "conflicts", "criticism", "tired", "own_life", "alone", "information")
    answers: dict[str, Any] = dict.fromkeys(items, 4)
    answers["support_wanted"] = SUPPORT_WANTED
    return _sheet(cast, client, "relative_rating", answers, relative=relative, kind="relative")


def _everyday(cast, client, relative) -> StepRecord:
    definition = InstrumentDefinition.objects.filter(key="everyday_life_relative").latest("version")
    answers: dict[str, Any] = {
        item["key"]: 3
        for section in definition.definition["sections"]
        for item in section["items"]
        if item["type"] == "scale"
    }
    answers["comment"] = EVERYDAY_COMMENT
    return _sheet(
        cast, client, "everyday_life_relative", answers, relative=relative, kind="relative"
    )


@pytest.fixture
def family(cast):
    ensure_instruments()
    client, account = invited_client(cast)
    mother = _contact(cast, client)
    return client, account, mother


def _client_outputs(client: Client, account) -> dict[str, str]:
    """Everything the client can read about themself, as text, output by output."""
    browser = as_client(account)
    listing = browser.get(reverse("portal:worksheets"))
    pages = [listing.content.decode()]
    for response in listing.context["responses"]:
        page = browser.get(reverse("portal:worksheet", args=[response.pk]))
        assert page.status_code == 200
        pages.append(page.content.decode())
    return {
        "portal": "\n".join(pages),
        "pdf": flat(pdf_text(render_binder_pdf(client))),
        "json": json.dumps(export_json(client), ensure_ascii=False),
        "fhir": json.dumps(export_fhir_bundle(client), ensure_ascii=False),
        "my data": json.dumps(export_personal_data(client), ensure_ascii=False, default=str),
    }


def test_a_summary_agreement_shows_the_summary_and_nothing_said(cast, family):
    client, account, mother = family
    _interview(cast, client, mother, "summary", client_summary=SUMMARY)
    _rating(cast, client, mother)
    _everyday(cast, client, mother)
    for output, text in _client_outputs(client, account).items():
        assert SUMMARY in text, output
        for secret in (*SECRETS, SUPPORT_WANTED, EVERYDAY_COMMENT):
            assert secret not in text, (output, secret)
    staff = flat(pdf_text(render_binder_pdf(client, viewer=cast.case_manager)))
    for said in (*SECRETS, SUMMARY, SUPPORT_WANTED, EVERYDAY_COMMENT):
        assert said in staff, said


def test_agreed_parts_show_those_parts_only(cast, family):
    client, account, mother = family
    _interview(cast, client, mother, "agreed_parts", agreed_parts=["knowledge", "ratings"])
    _rating(cast, client, mother)
    _everyday(cast, client, mother)
    for output, text in _client_outputs(client, account).items():
        assert KNOWLEDGE in text, output
        assert EVERYDAY_COMMENT in text, (output, "the agreed 'ratings' part")
        for secret in (STRAIN, CLIMATE, SUPPORT_WANTED):
            assert secret not in text, (output, secret)


def test_everything_agreed_still_keeps_the_strain_rating_unless_agreed(cast, family):
    client, account, mother = family
    _interview(cast, client, mother, "all")
    _rating(cast, client, mother)
    text = _client_outputs(client, account)
    for output in text:
        assert all(s in text[output] for s in SECRETS), output
        assert SUPPORT_WANTED not in text[output], output

    _interview(cast, client, mother, "all", rating_shared="yes")  # the newest agreement
    for output, shown in _client_outputs(client, account).items():
        assert SUPPORT_WANTED in shown, output


def test_without_an_agreement_a_relatives_sheets_are_not_shown(cast, family):
    client, account, mother = family
    rating, everyday = _rating(cast, client, mother), _everyday(cast, client, mother)
    browser = as_client(account)
    for record in (rating, everyday):
        page = browser.get(reverse("portal:worksheet", args=[record.response_id]))
        assert page.status_code == 404
    assert collect_binder(client).worksheets == []
    # Nor do their steps reach the client's Checklist K, with a login or printed without.
    for login in (account.user, None):
        steps = set(checklist_steps(client, login))
        assert rating not in steps and everyday not in steps
    # Another relative's agreement does not open them.
    father = _contact(cast, client, "Olle Berg")
    _interview(cast, client, father, "all", rating_shared="yes")
    shown = {w.response.definition.key for w in collect_binder(client).worksheets}
    assert shown == {"relative_interview"}


def test_an_old_interview_agreeing_on_a_summary_shows_nothing_said(cast, family):
    """Version 1 asked what the client sees but had no summary: nothing is shown."""
    client, _account, mother = family
    record = _interview(cast, client, mother, "summary")
    Response.objects.filter(pk=record.response_id).update(
        answers={"relation": "mamma", "client_sees": "summary", "strain": STRAIN}
    )
    (sheet,) = collect_binder(client).worksheets
    assert sheet.response.answers == {"relation": "mamma", "client_sees": "summary"}
    assert STRAIN not in json.dumps(export_fhir_bundle(client), ensure_ascii=False)


def test_the_narrowed_copy_cannot_be_saved_and_the_record_is_untouched(cast, family):
    client, _account, mother = family
    record = _interview(cast, client, mother, "summary", client_summary=SUMMARY)
    (copy,) = confidence.client_responses([StepRecord.objects.get(pk=record.pk)])
    with pytest.raises(RuntimeError):
        copy.save()
    stored = Response.objects.get(pk=record.response_id)
    assert stored.answers["strain"] == STRAIN
    assert "situation" in {s["key"] for s in stored.definition.definition["sections"]}


def test_a_relatives_sheet_names_the_relative(cast, family):
    client, _account, _mother = family
    definition = InstrumentDefinition.objects.filter(key="relative_rating").latest("version")
    with pytest.raises(Exception) as error:
        mapping_services.start_worksheet(
            user=cast.case_manager,
            client=client,
            definition=definition,
            respondent_kind="relative",
            done_on=timezone.localdate(),
        )
    assert "relative" in getattr(error.value, "message_dict", {})
    assert not StepRecord.objects.filter(client=client).exists()


def test_the_client_list_costs_the_same_queries_with_more_relatives(
    cast, family, django_assert_max_num_queries
):
    client, account, mother = family
    _interview(cast, client, mother, "all", rating_shared="yes")
    _rating(cast, client, mother)
    browser = as_client(account)
    browser.get(reverse("portal:worksheets"))
    with django_assert_max_num_queries(30) as few:
        browser.get(reverse("portal:worksheets"))
    for index in range(4):
        other = _contact(cast, client, f"Syster {index}")
        _interview(cast, client, other, "all", rating_shared="yes")
        _rating(cast, client, other)
    with django_assert_max_num_queries(len(few.captured_queries)):
        browser.get(reverse("portal:worksheets"))
