"""Registering clients, consent, the care team, contacts, worksheets, checklist K and the
summary, through the pages as a case manager uses them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from stdnum import luhn

from egenmakt.audit.models import AccessLog, Action
from egenmakt.coordination.models import (
    CareTeamMember,
    Client,
    Consent,
    Contact,
    Phase,
    StepRecord,
    SummaryEntry,
)
from egenmakt.coordination.services import clients as clients_services
from egenmakt.coordination.services import common as common_services
from egenmakt.coordination.services import mapping as mapping_services
from egenmakt.coordination.services import team as team_services
from egenmakt.coordination.tests.factories import (
    consent,
    ensure_instruments,
    new_client,
    shared_client,
    with_municipal_partner,
)
from egenmakt.core.dates import add_months
from egenmakt.demo.coordination import synthetic_identity_number
from egenmakt.instruments.models import InstrumentDefinition, Response

pytestmark = pytest.mark.django_db


def url(name: str, *args: object) -> str:
    return reverse(f"coordination:{name}", args=args)


def test_case_manager_registers_a_client_and_is_sent_to_the_consent(cast, signed_in):
    client = signed_in(cast.case_manager)
    number = synthetic_identity_number(timezone.localdate().replace(year=1990), 3)
    page = client.post(
        url("register"),
        {
            "full_name": "Robin Ek",
            "identity_number": number,
            "organisation": cast.org("clinic").pk,
            "address": "Storgatan 1",
            "meeting_place": "home",
            "preferred_language": "svenska",
            "started_on": timezone.localdate().isoformat(),
        },
    )
    registered = Client.objects.get(full_name="Robin Ek")
    assert page.status_code == 302
    assert page["Location"] == url("consent", registered.pk)
    assert registered.identity_number == number.replace("-", "")
    assert registered.phase == Phase.START
    seat = CareTeamMember.objects.get(client=registered)
    assert (seat.user, seat.organisation, seat.role) == (
        cast.case_manager,
        cast.org("clinic"),
        "case_manager",
    )
    assert AccessLog.objects.filter(
        action=Action.CREATE, person_id=str(registered.pk), actor=cast.case_manager
    ).exists()


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("19840312-1235", "Sista siffran stämmer inte"),
        ("1984031", "Skriv numret som ÅÅÅÅMMDD-NNNN"),
        (
            "19841332-133" + luhn.calc_check_digit("841332133"),
            "Det här är inte ett giltigt personnummer eller samordningsnummer",
        ),
    ],
)
def test_an_invalid_identity_number_is_a_clear_error_and_nothing_is_saved(
    cast, signed_in, written, message
):
    client = signed_in(cast.case_manager)
    page = client.post(
        url("register"),
        {
            "full_name": "Robin Ek",
            "identity_number": written,
            "organisation": cast.org("clinic").pk,
            "meeting_place": "home",
            "started_on": timezone.localdate().isoformat(),
        },
    )
    assert page.status_code == 400
    assert message in page.content.decode()
    assert not Client.objects.filter(full_name="Robin Ek").exists()


def test_a_coordination_number_is_accepted_and_keeps_its_plus_sixty(cast, signed_in):
    client = signed_in(cast.case_manager)
    number = synthetic_identity_number(timezone.localdate().replace(year=1979, day=5), 4,
                                       coordination=True)  # fmt: skip
    assert int(number[6:8]) > 60
    page = client.post(
        url("register"),
        {
            "full_name": "Sam Nordin",
            "identity_number": number,
            "organisation": cast.org("clinic").pk,
            "meeting_place": "home",
            "started_on": timezone.localdate().isoformat(),
        },
    )
    assert page.status_code == 302
    registered = Client.objects.get(full_name="Sam Nordin")
    assert registered.coordination_number
    assert registered.identity_number[6:8] == number[6:8]


def test_the_same_organisation_cannot_register_a_number_twice(cast, signed_in):
    first = new_client(cast)
    client = signed_in(cast.case_manager)
    page = client.post(
        url("register"),
        {
            "full_name": "Someone Else",
            "identity_number": first.identity.display,
            "organisation": cast.org("clinic").pk,
            "meeting_place": "home",
            "started_on": timezone.localdate().isoformat(),
        },
    )
    assert page.status_code == 400
    assert "redan registrerat" in page.content.decode()


def test_consent_starts_the_mapping_and_names_organisations_and_people(cast, signed_in):
    registered = new_client(cast)
    with_municipal_partner(cast, registered)
    client = signed_in(cast.case_manager)
    pdf = SimpleUploadedFile("samtycke.pdf", b"%PDF-1.4\n% demo\n", "application/pdf")
    page = client.post(
        url("consent", registered.pk),
        {
            "given_on": timezone.localdate().isoformat(),
            "form": "written",
            "scope": ["share_information", "worksheets", "plan"],
            "organisations": [cast.org("clinic").pk, cast.org("social_psychiatry").pk],
            "case_managers": [cast.case_manager.pk, cast.municipal_case_manager.pk],
            "document": pdf,
        },
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    row = Consent.objects.get(client=registered)
    assert set(row.organisations.all()) == {cast.org("clinic"), cast.org("social_psychiatry")}
    assert row.recorded_by == cast.case_manager
    assert row.document.name.endswith(".pdf")
    registered.refresh_from_db()
    assert registered.phase == Phase.MAPPING
    document = client.get(url("consent_document", registered.pk, row.pk))
    assert document.status_code == 200
    assert b"".join(document.streaming_content).startswith(b"%PDF")


def test_consent_refuses_a_future_date_a_missing_scope_and_a_fake_pdf(cast, signed_in):
    registered = new_client(cast)
    client = signed_in(cast.case_manager)
    page = client.post(
        url("consent", registered.pk),
        {
            "given_on": (timezone.localdate() + timedelta(days=2)).isoformat(),
            "form": "written",
            "organisations": [cast.org("clinic").pk],
            "document": SimpleUploadedFile("x.pdf", b"MZ not a pdf", "application/pdf"),
        },
    )
    assert page.status_code == 400
    text = page.content.decode()
    assert "Filens innehåll är inte en PDF-fil, fast namnet säger det." in text
    assert not Consent.objects.filter(client=registered).exists()
    page = client.post(
        url("consent", registered.pk),
        {
            "given_on": (timezone.localdate() + timedelta(days=2)).isoformat(),
            "form": "written",
            "scope": ["plan"],
            "organisations": [cast.org("clinic").pk],
        },
    )
    assert page.status_code == 400
    assert "Datumet kan inte ligga i framtiden" in page.content.decode()
    assert not Consent.objects.filter(client=registered).exists()


def test_consent_must_name_the_organisation_of_each_named_case_manager(cast):
    registered = new_client(cast)
    with_municipal_partner(cast, registered)
    with pytest.raises(ValidationError) as error:
        consent(cast, registered, organisations=[cast.org("clinic")])
    assert "organisations" in error.value.message_dict
    assert not Consent.objects.filter(client=registered).exists()


def test_two_case_managers_from_one_organisation_need_a_reason(cast, signed_in):
    registered = new_client(cast)
    client = signed_in(cast.case_manager)
    data = {
        "member": cast.clinic_colleague.pk,
        "organisation": cast.org("clinic").pk,
        "role": "case_manager",
    }
    page = client.post(url("team", registered.pk), data)
    assert page.status_code == 400
    assert "Båda vårdsamordnarna skulle vara från" in page.content.decode()
    assert registered.team.count() == 1
    page = client.post(url("team", registered.pk), {**data, "reason": "Kommunen saknar VSS."})
    assert page.status_code == 302
    seat = registered.team.get(user=cast.clinic_colleague)
    assert seat.warning_reason == "Kommunen saknar VSS."
    assert "Båda vårdsamordnarna är från" in client.get(url("team", registered.pk)).content.decode()


def test_at_most_two_case_managers_and_only_people_holding_the_role(cast):
    registered = new_client(cast)
    with_municipal_partner(cast, registered)
    with pytest.raises(common_services.CoordinationError, match="högst två"):
        team_services.add_team_member(
            user=cast.case_manager,
            client=registered,
            member=cast.clinic_colleague,
            organisation=cast.org("clinic"),
            role="case_manager",
            reason="x",
        )
    with pytest.raises(common_services.CoordinationError):
        team_services.add_team_member(
            user=cast.case_manager,
            client=registered,
            member=cast.coordinator,
            organisation=cast.org("clinic"),
            role="method_supervisor",
        )


def test_contacts_build_the_network_map(cast, signed_in):
    registered = shared_client(cast)
    client = signed_in(cast.municipal_case_manager)
    page = client.post(
        url("network", registered.pk),
        {
            "name": "Maria Berg",
            "relationship": "mamma",
            "sector": "family",
            "closeness": "1",
            "phone": "070-111 11 11",
            "on_map": "on",
        },
    )
    assert page.status_code == 302
    contact = Contact.objects.get(client=registered)
    assert contact.organisation == cast.org("social_psychiatry")
    page = client.get(url("network", registered.pk))
    text = page.content.decode()
    assert "<svg" in text and "Maria Berg" in text and "Familj och släkt" in text
    # Checklist K counts the network map and the contact details as done: no second record.
    checklist = client.get(url("checklist", registered.pk)).content.decode()
    assert "1 personer på nätverkskartan" in checklist
    assert "Kontaktuppgifter till 1 personer" in checklist
    # Moving the person further out is an edit of the same contact.
    page = client.post(
        url("contact", registered.pk, contact.pk),
        {"name": "Maria Berg", "relationship": "mamma", "sector": "family", "closeness": "3"},
    )
    assert page.status_code == 302
    contact.refresh_from_db()
    assert contact.closeness == 3
    assert not contact.on_map


def test_a_worksheet_records_who_was_present_and_owns_the_response(cast, signed_in):
    ensure_instruments()
    registered = shared_client(cast)
    client = signed_in(cast.case_manager)
    page = client.post(
        url("worksheet_start", registered.pk),
        {
            "arbetsblad": "normal_day",
            "respondent_kind": "client",
            "done_on": timezone.localdate().isoformat(),
            "present": [cast.case_manager.pk, cast.municipal_case_manager.pk],
            "client_present": "on",
            "shared": "on",
        },
    )
    assert page.status_code == 302
    record = StepRecord.objects.get(client=registered)
    assert page["Location"] == reverse("instruments:answer", args=[record.response_id])
    assert record.step == "normal_day"
    assert set(record.present.all()) == {cast.case_manager, cast.municipal_case_manager}
    assert record.organisation == cast.org("clinic")
    # Starting the same worksheet again opens the draft begun, not a second one.
    again = client.get(url("worksheet_start", registered.pk) + "?arbetsblad=normal_day")
    assert again.status_code == 302 and again["Location"] == page["Location"]
    assert StepRecord.objects.filter(client=registered).count() == 1
    # A colleague's draft is theirs: the colleague starts their own.
    colleague = signed_in(cast.municipal_case_manager)
    own = colleague.get(url("worksheet_start", registered.pk) + "?arbetsblad=normal_day")
    assert own.status_code == 200
    # Starting from the instrument pages goes through the same form.
    start = client.get(reverse("instruments:start", args=["ors", "klient", registered.pk]))
    assert start.status_code == 302
    assert start["Location"] == url("worksheet_start", registered.pk) + "?arbetsblad=ors"


def test_no_worksheet_before_consent(cast, signed_in):
    ensure_instruments()
    registered = new_client(cast)
    client = signed_in(cast.case_manager)
    page = client.post(
        url("worksheet_start", registered.pk),
        {"arbetsblad": "normal_day", "respondent_kind": "client",
         "done_on": timezone.localdate().isoformat()},
    )  # fmt: skip
    assert page.status_code == 302
    assert not Response.objects.exists()
    assert (
        "Registrera klientens samtycke först"
        in client.get(url("client", registered.pk)).content.decode()
    )


def _submit(user, record, answers):
    from egenmakt.instruments import services as instrument_services

    response = record.response
    instrument_services.submit_response(
        user=user, response=response, answers=answers, expected_version=response.version
    )


def test_checklist_k_is_derived_and_flags_a_both_step_with_one_case_manager(cast, signed_in):
    ensure_instruments()
    registered = shared_client(cast)
    mapping_services.record_step(
        user=cast.case_manager,
        client=registered,
        step="network_map",
        done_on=timezone.localdate(),
        present=[cast.case_manager],
        comment="Ritad tillsammans",
    )
    definition = InstrumentDefinition.objects.filter(key="normal_day").first()
    record = mapping_services.start_worksheet(
        user=cast.case_manager,
        client=registered,
        definition=definition,
        respondent_kind="client",
        done_on=timezone.localdate(),
        present=[cast.case_manager, cast.municipal_case_manager],
    )
    client = signed_in(cast.case_manager)
    text = client.get(url("checklist", registered.pk)).content.decode()
    assert "bara en vårdsamordnare" in text
    assert "Ritad tillsammans" in text
    # The normal day is started, not done, until it is submitted.
    assert "Påbörjad" in text
    _submit(cast.case_manager, record, {"hours": {"08": "Frukost"}})
    text = client.get(url("checklist", registered.pk)).content.decode()
    assert "Påbörjad" not in text
    detail = client.get(url("client", registered.pk)).content.decode()
    assert "Skriv in det viktigaste i sammanfattningen" in detail


def test_summary_entry_after_a_worksheet(cast, signed_in):
    ensure_instruments()
    registered = shared_client(cast)
    definition = InstrumentDefinition.objects.filter(key="normal_day").first()
    record = mapping_services.start_worksheet(
        user=cast.case_manager, client=registered, definition=definition,
        respondent_kind="client", done_on=timezone.localdate(), present=[cast.case_manager],
    )  # fmt: skip
    _submit(cast.case_manager, record, {"hours": {"08": "Frukost"}})
    client = signed_in(cast.municipal_case_manager)
    page = client.post(
        url("summary", registered.pk),
        {
            "steg": record.pk,
            "area": "Fritid",
            "wants_to_change": "Göra något på kvällarna",
            "obstacles": "Orkar inte",
        },
    )
    assert page.status_code == 302
    entry = SummaryEntry.objects.get(client=registered)
    assert (entry.source, entry.organisation) == (record, cast.org("social_psychiatry"))
    text = client.get(url("summary", registered.pk)).content.decode()
    assert "Göra något på kvällarna" in text and "Socialpsykiatrin Västerhav" in text
    page = client.post(url("summary", registered.pk), {"area": "", "wants_to_change": ""})
    assert page.status_code == 400
    assert SummaryEntry.objects.count() == 1


def test_ors_is_due_a_month_after_the_start_and_the_page_says_when_late(cast, signed_in):
    late = new_client(cast, started_on=timezone.localdate() - timedelta(days=40))
    consent(cast, late, given_on=timezone.localdate() - timedelta(days=39))
    client = signed_in(cast.case_manager)
    text = client.get(url("client", late.pk)).content.decode()
    assert "Skattningen av förändring är sen" in text
    fresh = new_client(cast, started_on=timezone.localdate())
    text = client.get(url("client", fresh.pk)).content.decode()
    assert "Skattningen av förändring är sen" not in text
    assert add_months(timezone.localdate().replace(month=1, day=31), 1).day in (28, 29)


def test_phase_moves_and_closing_needs_a_reason(cast, signed_in):
    registered = shared_client(cast)
    client = signed_in(cast.case_manager)
    page = client.post(url("phase", registered.pk), {"phase": "planning"})
    assert page.status_code == 400
    assert "De här stegen i kartläggningen är inte klara" in page.content.decode()
    registered.refresh_from_db()
    assert registered.phase == Phase.MAPPING
    page = client.post(
        url("phase", registered.pk), {"phase": "planning", "reason": "Brådskande bostadsfråga"}
    )
    assert page.status_code == 302
    registered.refresh_from_db()
    assert registered.phase == Phase.PLANNING
    page = client.post(url("phase", registered.pk), {"phase": "closed"})
    assert page.status_code == 400
    page = client.post(url("phase", registered.pk), {"phase": "closed", "reason": "Flyttat"})
    registered.refresh_from_db()
    assert (registered.phase, registered.closed_reason) == (Phase.CLOSED, "Flyttat")
    page = client.post(url("phase", registered.pk), {"phase": "work"})
    registered.refresh_from_db()
    assert registered.phase == Phase.CLOSED


def test_the_service_itself_asks_why_the_planning_starts_with_mapping_left(cast):
    """The rule lives in the service: no caller can skip it by not naming the open steps."""
    registered = shared_client(cast)
    with pytest.raises(common_services.NeedsConfirmationError) as caught:
        clients_services.change_phase(
            user=cast.case_manager, client=registered, phase=Phase.PLANNING
        )
    assert any(
        "kartläggningen" in str(text) or "mapping" in str(text) for text in caught.value.warnings
    )
    registered.refresh_from_db()
    assert registered.phase == Phase.MAPPING
    clients_services.change_phase(
        user=cast.case_manager, client=registered, phase=Phase.PLANNING, reason="Brådskande"
    )
    registered.refresh_from_db()
    assert registered.phase == Phase.PLANNING


def test_showing_the_whole_number_is_a_logged_post(cast, signed_in):
    registered = new_client(cast)
    client = signed_in(cast.case_manager)
    text = client.get(url("client", registered.pk)).content.decode()
    assert registered.identity.display not in text
    assert registered.masked_identity_number in text
    assert client.get(url("identity", registered.pk)).status_code == 405
    text = client.post(url("identity", registered.pk)).content.decode()
    assert registered.identity.display in text
    assert AccessLog.objects.filter(
        person_id=str(registered.pk), reason="identity number shown"
    ).exists()


def test_search_is_a_post_and_finds_by_name_and_number(cast, signed_in):
    first = new_client(cast, name="Alva Lind")
    new_client(cast, name="Bo Ek")
    client = signed_in(cast.case_manager)
    text = client.post(url("clients"), {"q": "alva"}).content.decode()
    assert "Alva Lind" in text and "Bo Ek" not in text
    text = client.post(url("clients"), {"q": first.identity.display}).content.decode()
    assert "Alva Lind" in text and "Bo Ek" not in text
    listing = client.get(url("clients")).content.decode()
    assert "Alva Lind" in listing and "Bo Ek" in listing


def test_own_notes_stay_with_the_organisation(cast, signed_in):
    registered = shared_client(cast)
    clients_services.add_case_note(
        user=cast.case_manager, client=registered, text="Mottagningens egen"
    )
    mine = signed_in(cast.case_manager).get(url("notes", registered.pk)).content.decode()
    assert "Mottagningens egen" in mine
    from django.test import Client as Browser

    from egenmakt.conftest import sign_in

    theirs = sign_in(Browser(), cast.municipal_case_manager).get(url("notes", registered.pk))
    assert theirs.status_code == 200
    assert "Mottagningens egen" not in theirs.content.decode()
