"""Relatives answer themselves: the case manager e-mails a relative a one-time link to a
sheet about the client; the relative answers with no account; the follow-up page sets the
client's own rating of everyday life beside each relative's."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import AccessLog
from egenmakt.conftest import sign_in
from egenmakt.coordination.access import client_access, forget_client_access
from egenmakt.coordination.checklist import WORKSHEET_STEP
from egenmakt.coordination.models import Client, Contact, RelativeLink, StepRecord, TeamRole
from egenmakt.coordination.selectors.relatives import everyday_life
from egenmakt.coordination.services import mapping as mapping_services
from egenmakt.coordination.services import relatives as services
from egenmakt.coordination.services import team as team_services
from egenmakt.coordination.tests.factories import ensure_instruments, new_client, shared_client
from egenmakt.instruments import services as instrument_services
from egenmakt.instruments.models import InstrumentDefinition, Response
from egenmakt.instruments.renderer import field_name
from egenmakt.instruments.schema.definition import iter_items
from egenmakt.outbox.models import OutgoingEmail

pytestmark = pytest.mark.django_db

SHEET_URL = re.compile(r"/narstaende/([A-Za-z0-9_-]+)/")


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Any:
    cache.clear()
    yield
    cache.clear()


def url(name: str, *args: object) -> str:
    return reverse(f"coordination:{name}", args=args)


def sheet_of(key: str) -> InstrumentDefinition:
    ensure_instruments()
    return InstrumentDefinition.objects.filter(key=key).order_by("-version").first()


def relative_of(
    cast: Any, client: Client, *, name: str = "Maja Berg", email: str = "maja@example.org"
) -> Contact:
    return mapping_services.save_contact(
        user=cast.case_manager,
        client=client,
        data={
            "name": name,
            "relationship": "Mamma",
            "sector": "family",
            "closeness": 1,
            "email": email,
            "on_map": True,
        },
    )


def complete_answers(key: str, value: int = 3) -> dict[str, str]:
    """The relative's form as posted: every scale item at ``value``, texts filled in."""
    data = {}
    for item in iter_items(sheet_of(key).definition):
        if item["type"] == "scale":
            data[field_name(item["key"])] = str(value)
        else:
            data[field_name(item["key"])] = "Lite stöd vore bra."
    return data


def sent_email(to: str) -> Any:
    """The e-mail as delivered (the outbox sends it at once in the tests)."""
    return next(message for message in reversed(mail.outbox) if message.to == [to])


def token_from(email: Any) -> str:
    found = SHEET_URL.search(email.body)
    assert found is not None, email.body
    return found.group(1)


def send(cast: Any, client: Client, contact: Contact, key: str = "everyday_life_relative") -> str:
    browser = sign_in(Browser(), cast.case_manager)
    response = browser.post(
        url("relative_link_send", client.pk),
        {"relative-contact": contact.pk, "relative-sheet": key},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return token_from(sent_email(contact.email))


def sheet_url(token: str) -> str:
    return reverse("relatives:sheet", args=[token])


# --- Sending -------------------------------------------------------------------------------


def test_the_case_manager_sends_a_link_that_names_no_client(cast, signed_in):
    client = shared_client(cast, name="Kim Hemligsson")
    contact = relative_of(cast, client)
    browser = signed_in(cast.case_manager)
    page = browser.get(url("network", client.pk)).content.decode()
    assert "Närstående svarar själva" in page and "Maja Berg (Mamma)" in page
    response = browser.post(
        url("relative_link_send", client.pk),
        {"relative-contact": contact.pk, "relative-sheet": "everyday_life_relative"},
    )
    assert response.status_code == 302
    assert OutgoingEmail.objects.filter(to="maja@example.org", purpose="relative link").count() == 1
    email = sent_email("maja@example.org")
    token = token_from(email)
    assert "Hemligsson" not in email.body + email.subject
    assert "Kim" not in email.body + email.subject
    assert cast.org("clinic").name in email.subject
    link = RelativeLink.objects.get(contact=contact)
    assert link.token_hash == services.hash_token(token) and token not in link.token_hash
    assert link.organisation == cast.org("clinic") and link.sent_by == cast.case_manager
    days = (link.expires_at - link.created_at).days
    assert days == services.RELATIVE_LINK_DAYS == 14
    assert AccessLog.objects.filter(
        person_id=str(client.pk), reason=f"{AuditEvent.RELATIVE_LINK_SENT} everyday_life_relative"
    ).exists()
    listed = browser.get(url("network", client.pk)).content.decode()
    assert "Väntar, giltig till" in listed


def test_a_contact_without_email_cannot_be_chosen(cast, signed_in):
    client = shared_client(cast)
    contact = relative_of(cast, client, name="Ove Utan", email="")
    response = signed_in(cast.case_manager).post(
        url("relative_link_send", client.pk),
        {"relative-contact": contact.pk, "relative-sheet": "everyday_life_relative"},
    )
    assert response.status_code == 400
    assert (
        not RelativeLink.objects.exists()
        and not OutgoingEmail.objects.filter(purpose="relative link").exists()
    )


def test_only_a_case_manager_working_jointly_may_send(cast, signed_in):
    ensure_instruments()
    client = shared_client(cast)
    contact = relative_of(cast, client)
    team_services.add_team_member(
        user=cast.case_manager,
        client=client,
        member=cast.method_supervisor,
        organisation=cast.org("clinic"),
        role=TeamRole.METHOD_SUPERVISOR,
    )
    post = {"relative-contact": contact.pk, "relative-sheet": "relative_rating"}
    # In the team but not a case manager: knows the client, may not send.
    assert (
        signed_in(cast.method_supervisor)
        .post(url("relative_link_send", client.pk), post)
        .status_code
        == 403
    )
    # Outside the care team: the client does not exist for them.
    for outsider in (cast.clinic_colleague, cast.coordinator):
        assert (
            signed_in(outsider).post(url("relative_link_send", client.pk), post).status_code == 404
        )
    # The home case manager with no consent does not work jointly yet.
    alone = new_client(cast, name="Alva Ek")
    response = signed_in(cast.case_manager).post(
        url("relative_link_send", alone.pk),
        {"relative-contact": contact.pk, "relative-sheet": "relative_rating"},
    )
    assert response.status_code == 403
    assert not RelativeLink.objects.exists()
    # Both case managers of the shared client may.
    assert (
        signed_in(cast.municipal_case_manager)
        .post(url("relative_link_send", client.pk), post)
        .status_code
        == 302
    )


def test_a_sheet_not_for_relatives_is_refused(cast, signed_in):
    ensure_instruments()
    client = shared_client(cast)
    contact = relative_of(cast, client)
    response = signed_in(cast.case_manager).post(
        url("relative_link_send", client.pk),
        {"relative-contact": contact.pk, "relative-sheet": "ors"},
    )
    assert response.status_code == 400
    assert not RelativeLink.objects.exists()


# --- The relative's page ------------------------------------------------------------------


def test_the_relative_answers_once_and_the_step_names_them(cast):
    client = shared_client(cast, name="Kim Hemligsson")
    contact = relative_of(cast, client)
    relative_of(cast, client, name="Bror Annansson", email="bror@example.org")
    token = send(cast, client, contact)
    relative = Browser()
    page = relative.get(sheet_url(token))
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    text = page.content.decode()
    assert "Hur fungerar vardagen?" in text
    assert cast.org("clinic").name in text
    # Nothing of the client's record: no name, no other people, no other sheets or menu.
    for secret in ("Hemligsson", "Kim", "Bror Annansson", "Hamngatan", "070-000", "Mamma"):
        assert secret not in text, secret
    assert "samordning" not in text and "Närståendeskattning" not in text

    # Save to go on later; the draft comes back.
    draft = {field_name("hygiene"): "2"}
    saved = relative.post(sheet_url(token), {**draft, "_action": "draft"})
    assert saved.status_code == 302
    again_page = relative.get(sheet_url(token)).content.decode()
    assert re.search(f'name="{field_name("hygiene")}" value="2"[^>]*checked', again_page)
    assert not Response.objects.filter(respondent_kind="relative").exists()

    sent = relative.post(
        sheet_url(token), {**complete_answers("everyday_life_relative", 4), "_action": "submit"}
    )
    assert sent.status_code == 302 and sent["Location"] == reverse("relatives:thanks")
    assert relative.get(sent["Location"]).status_code == 200

    response = Response.objects.get(respondent_kind="relative")
    assert response.subject == client and response.status == "submitted"
    assert response.answers["hygiene"] == 4 and response.entered_by == cast.case_manager
    step = StepRecord.objects.get(response=response)
    assert step.relative == contact and step.shared
    assert step.step == WORKSHEET_STEP["everyday_life_relative"]
    assert step.organisation == cast.org("clinic") and not step.client_present
    link = RelativeLink.objects.get(contact=contact)
    assert link.used_at is not None and link.step == step and link.draft_answers == {}

    # Once sent, the link is dead, for reading and for sending again.
    assert relative.get(sheet_url(token)).status_code == 404
    again = relative.post(
        sheet_url(token), {**complete_answers("everyday_life_relative"), "_action": "submit"}
    )
    assert again.status_code == 404
    assert Response.objects.filter(respondent_kind="relative").count() == 1

    # The relative's acts are in the access log, with no actor and never the token.
    rows = AccessLog.objects.filter(person_id=str(client.pk), actor__isnull=True)
    reasons = set(rows.values_list("reason", flat=True))
    assert {
        AuditEvent.RELATIVE_LINK_OPENED,
        AuditEvent.RELATIVE_DRAFT_SAVED,
        AuditEvent.RELATIVE_SHEET_ANSWERED,
    } <= reasons
    assert not AccessLog.objects.filter(path__contains=token).exists()


def test_the_relatives_strain_sheet_is_answered_too(cast):
    client = shared_client(cast)
    contact = relative_of(cast, client)
    token = send(cast, client, contact, "relative_rating")
    sent = Browser().post(
        sheet_url(token), {**complete_answers("relative_rating", 2), "_action": "submit"}
    )
    assert sent.status_code == 302
    step = StepRecord.objects.get(relative=contact)
    assert step.response.definition.key == "relative_rating"
    assert step.step == WORKSHEET_STEP["relative_rating"]


def test_an_incomplete_answer_is_shown_again_and_nothing_is_saved(cast):
    client = shared_client(cast)
    contact = relative_of(cast, client)
    token = send(cast, client, contact)
    relative = Browser()
    response = relative.post(sheet_url(token), {field_name("hygiene"): "3", "_action": "submit"})
    assert response.status_code == 400
    assert "Inget sparades" in response.content.decode()
    assert not StepRecord.objects.filter(relative=contact).exists()
    assert RelativeLink.objects.get(contact=contact).used_at is None
    assert relative.get(sheet_url(token)).status_code == 200


def test_an_expired_link_is_refused(cast):
    client = shared_client(cast)
    contact = relative_of(cast, client)
    token = send(cast, client, contact)
    RelativeLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    page = Browser().get(sheet_url(token))
    assert page.status_code == 404
    assert "Länken fungerar inte" in page.content.decode()
    sent = Browser().post(
        sheet_url(token), {**complete_answers("everyday_life_relative"), "_action": "submit"}
    )
    assert sent.status_code == 404 and not StepRecord.objects.filter(relative=contact).exists()


def test_a_revoked_link_is_refused(cast, signed_in):
    client = shared_client(cast)
    contact = relative_of(cast, client)
    token = send(cast, client, contact)
    link = RelativeLink.objects.get()
    revoke = url("relative_link_revoke", client.pk, link.pk)
    assert signed_in(cast.clinic_colleague).post(revoke).status_code == 404
    assert RelativeLink.objects.get().revoked_at is None
    assert signed_in(cast.municipal_case_manager).post(revoke).status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None and link.revoked_by == cast.municipal_case_manager
    assert Browser().get(sheet_url(token)).status_code == 404
    assert AccessLog.objects.filter(reason=AuditEvent.RELATIVE_LINK_REVOKED).exists()


def test_a_wrong_token_reveals_nothing(cast):
    client = shared_client(cast, name="Kim Hemligsson")
    send(cast, client, relative_of(cast, client))
    for token in ("fel", "x" * 43, "x" * 300):
        page = Browser().get(sheet_url(token))
        assert page.status_code == 404
        text = page.content.decode()
        assert "Länken fungerar inte" in text and "Hemligsson" not in text
        assert cast.org("clinic").name not in text


def test_the_link_dies_when_the_record_is_closed(cast):
    client = shared_client(cast)
    contact = relative_of(cast, client)
    token = send(cast, client, contact)
    Client.objects.filter(pk=client.pk).update(restricted_at=timezone.now())
    assert Browser().get(sheet_url(token)).status_code == 404


def test_too_many_requests_from_one_address_are_slowed(cast):
    browser = Browser()
    statuses = {browser.get(sheet_url(f"gissning-{n}")).status_code for n in range(61)}
    assert statuses == {404, 429}


# --- The comparison on the follow-up page -------------------------------------------------


def _self_rating(cast: Any, client: Client, values: dict[str, int], days_ago: int) -> None:
    definition = sheet_of("everyday_life_self")
    answers = {
        item["key"]: 3 for item in iter_items(definition.definition) if item["type"] == "scale"
    }
    answers.update(values)
    record = mapping_services.start_worksheet(
        user=cast.case_manager,
        client=client,
        definition=definition,
        respondent_kind="client",
        done_on=timezone.localdate() - timedelta(days=days_ago),
        present=[cast.case_manager],
    )
    response = record.response
    instrument_services.submit_response(
        user=cast.case_manager,
        response=response,
        answers=answers,
        expected_version=response.version,
    )


def _relative_rating(cast: Any, client: Client, contact: Contact, values: dict[str, int]) -> None:
    definition = sheet_of("everyday_life_relative")
    link = services.send_relative_link(
        user=cast.case_manager, client=client, contact=contact, definition=definition
    )
    answers = {
        item["key"]: 3 for item in iter_items(definition.definition) if item["type"] == "scale"
    }
    answers.update(values)
    services.submit_relative_sheet(link=link, answers=answers)


def test_the_comparison_item_by_item_on_a_worked_example(cast):
    client = shared_client(cast)
    mother = relative_of(cast, client)
    _self_rating(cast, client, {"hygiene": 2, "food": 5}, days_ago=60)
    _self_rating(cast, client, {"hygiene": 4, "food": 5}, days_ago=5)  # the newest
    _relative_rating(cast, client, mother, {"hygiene": 2, "food": 3})
    forget_client_access(cast.case_manager)
    data = everyday_life(client_access(cast.case_manager, client), client)
    (comparison,) = data.comparisons
    assert comparison.other.who == "Maja Berg (Mamma)"
    rows = {row.key: row for row in comparison.rows}
    assert rows["hygiene"].label == "Personlig hygien och klädsel"
    assert (
        rows["hygiene"].client_value,
        rows["hygiene"].other_value,
        rows["hygiene"].difference,
    ) == (4, 2, -2)
    assert (rows["food"].client_value, rows["food"].other_value, rows["food"].difference) == (
        5,
        3,
        -2,
    )
    assert (rows["home"].client_value, rows["home"].other_value, rows["home"].difference) == (
        3,
        3,
        0,
    )
    assert len(comparison.rows) == len(data.items) == 12
    # Over time: the client's two ratings, then the mother's.
    assert [c.who for c in data.columns] == ["Klienten", "Klienten", "Maja Berg (Mamma)"]
    hygiene = dict(data.over_time)["Personlig hygien och klädsel"]
    assert hygiene == [2, 4, 2]


def test_the_followup_page_shows_the_comparison_with_a_flat_query_count(cast, signed_in):
    counts = {}
    for repeats in (1, 5):
        client = shared_client(cast, name=f"Klient {repeats}")
        mother = relative_of(cast, client)
        for number in range(repeats):
            _self_rating(cast, client, {"hygiene": 1 + number % 5}, days_ago=10 + number * 30)
            _relative_rating(cast, client, mother, {"hygiene": 5})
        browser = signed_in(cast.case_manager)
        page = browser.get(url("followup", client.pk)).content.decode()
        assert "Klienten och närstående" in page or "närstående" in page
        assert "Maja Berg (Mamma)" in page and "Skillnad" in page
        with CaptureQueriesContext(connection) as queries:
            assert browser.get(url("followup", client.pk)).status_code == 200
        counts[repeats] = len(queries)
    assert counts[1] == counts[5], counts
    # Staff only: outside the care team the follow-up does not exist.
    assert signed_in(cast.clinic_colleague).get(url("followup", client.pk)).status_code == 404


def test_the_relatives_answers_and_links_go_with_the_erased_record(cast):
    from egenmakt.coordination.services import retention

    client = shared_client(cast, name="Kim Hemligsson")
    mother = relative_of(cast, client)
    _relative_rating(cast, client, mother, {"hygiene": 2})
    send(cast, client, relative_of(cast, client, name="Bror Berg", email="bror@example.org"))
    retention.erase_client(client)
    assert not RelativeLink.objects.exists()
    assert not Response.objects.filter(respondent_kind="relative").exists()


def test_the_worksheet_start_points_to_the_relatives_link(cast, signed_in):
    ensure_instruments()
    client = shared_client(cast)
    start = url("worksheet_start", client.pk)
    browser = signed_in(cast.case_manager)
    page = browser.get(start + "?arbetsblad=relative_rating").content.decode()
    assert "skicka en länk till den närstående" in page
    ors = browser.get(start + "?arbetsblad=ors").content.decode()
    assert "skicka en länk till den närstående" not in ors
