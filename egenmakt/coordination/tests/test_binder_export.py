"""The client's binder: the PDF holds the joint work and nothing an organisation keeps to
itself; the JSON and FHIR exports hold the same, FHIR valid; the three downloads follow the
care team's permission rule, are logged, and cost the same queries whatever the amount."""

from __future__ import annotations

import io
import json
from datetime import datetime, time, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError as PydanticValidationError
from pypdf import PdfReader

from egenmakt.audit.models import AccessLog
from egenmakt.audit.registry import export_personal_data
from egenmakt.conftest import sign_in
from egenmakt.coordination.access import forget_client_access
from egenmakt.coordination.export.binder import collect_binder, render_binder_pdf
from egenmakt.coordination.export.fhir import export_fhir_bundle
from egenmakt.coordination.export.json import export_json
from egenmakt.coordination.models import (
    AgendaItem,
    Attainment,
    Attendance,
    Client,
    Consent,
    Decision,
    DecisionKind,
    Goal,
    GoalReview,
    Meeting,
    MeetingStatus,
    Plan,
    ResourceGroupMember,
    StepRecord,
)
from egenmakt.coordination.services import clients as clients_services
from egenmakt.coordination.services import consent as consent_services
from egenmakt.coordination.services import emergency as emergency_services
from egenmakt.coordination.services import mapping as mapping_services
from egenmakt.coordination.services import plan as plans
from egenmakt.coordination.tests.factories import (
    LONG_TERM_GOAL,
    SUB_GOAL,
    decided_plan,
    ensure_instruments,
    new_client,
    shared_client,
    with_municipal_partner,
)
from egenmakt.instruments import services as instrument_services
from egenmakt.instruments.models import InstrumentDefinition

pytestmark = pytest.mark.django_db

DECISION = "Kim börjar i kören i januari"
OWN_NOTE = "Egen anteckning om sömnen"
KEPT_ANSWER = "Det här delar jag bara med kommunen"


def _worksheet(
    user, client: Client, key: str, answers: dict, *, shared: bool = True, comment: str = ""
):
    ensure_instruments()
    definition = InstrumentDefinition.objects.filter(key=key).order_by("-version").first()
    record = mapping_services.start_worksheet(
        user=user,
        client=client,
        definition=definition,
        respondent_kind="client",
        done_on=timezone.localdate(),
        present=[user],
        shared=shared,
        comment=comment,
    )
    response = record.response
    instrument_services.submit_response(
        user=user, response=response, answers=answers, expected_version=response.version
    )
    return record


def _day(text: str) -> dict:
    return {"hours": {"08": text, "12": "Lunch med Sara"}, "good_parts": text}


def _more(cast, client: Client, plan: Plan, n: int, start: int = 0) -> None:
    """n more contacts, sub-goals and worksheets."""
    for index in range(start, start + n):
        mapping_services.save_contact(
            user=cast.case_manager,
            client=client,
            data={
                "name": f"Person {index}",
                "relationship": "vän",
                "sector": "friends",
                "closeness": 2,
            },
        )
        plan.refresh_from_db()
        plans.add_goal(
            user=cast.case_manager, client=client, plan=plan, expected_version=plan.version,
            text=f"Delmål {index}", measure="Följs upp på mötet",
            target_date=timezone.localdate() + timedelta(days=90),
        )  # fmt: skip
        _worksheet(cast.case_manager, client, "normal_day", _day(f"Dag {index}"))


def binder_client(cast, **data) -> Client:
    """A client with every part of the binder filled in, by both organisations."""
    client = shared_client(cast, **data)
    home, partner = cast.case_manager, cast.municipal_case_manager
    mapping_services.save_contact(
        user=home,
        client=client,
        data={"name": "Maria Lind", "relationship": "mamma", "sector": "family", "closeness": 1},
    )
    mapping_services.save_contact(
        user=partner,
        client=client,
        data={
            "name": "Lena Boendestöd",
            "relationship": "boendestödjare",
            "sector": "professionals",
            "closeness": 1,
        },
    )
    shared = _worksheet(home, client, "normal_day", _day("Frukost och promenad"))
    _worksheet(partner, client, "normal_day", _day(KEPT_ANSWER), shared=False)
    _worksheet(
        home,
        client,
        "early_warning_signs",
        {
            "signs": [
                {"sign": "Sover dåligt", "own_action": "Ringer Sara", "others_action": "Fråga"}
            ],
            "contacts": [{"name": "Sara", "role": "vän", "phone": "070-222 22 22"}],
        },
    )
    emergency_services.update_warning_plan(user=home, client=client, copies_held_by="Maria, Lena")
    mapping_services.add_summary_entry(
        user=home, client=client, area="Arbete", wants_to_change="Ett jobb", source=shared
    )
    clients_services.add_case_note(user=partner, client=client, text=OWN_NOTE)
    clients_services.add_case_note(user=home, client=client, text="Klinikens egen anteckning")

    plan = decided_plan(cast, client, user=home, responsible_person=partner)
    goal = plan.goals.get()

    # The meeting pages are another change; the rows are made as they will make them.
    member = ResourceGroupMember.objects.create(
        client=client, name="Maria Lind", kind="relative", role="mamma",
        organisation=cast.org("clinic"), added_by=home, chosen_by_client=True,
    )  # fmt: skip
    meeting = Meeting.objects.create(
        client=client,
        starts_at=timezone.make_aware(
            datetime.combine(timezone.localdate() - timedelta(days=1), time(10))
        ),
        place="Mottagningen",
        chair="Anna",
        status=MeetingStatus.HELD,
        client_present=True,
        organisation=cast.org("clinic"),
        created_by=home,
    )
    AgendaItem.objects.create(meeting=meeting, title="Hur har det gått?", notes="Bra vecka.")
    Attendance.objects.create(meeting=meeting, member=member, present=True)
    GoalReview.objects.create(meeting=meeting, goal=goal, attainment=Attainment.HALF)
    Decision.objects.create(
        meeting=meeting, kind=DecisionKind.OTHER, text=DECISION, goal=goal, recorded_by=home
    )
    for person in (home, partner):
        forget_client_access(person)
    return client


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def flat(text: str) -> str:
    return " ".join(text.split())


# --- The PDF ---------------------------------------------------------------------------


def test_the_binder_holds_the_joint_work_and_not_what_an_organisation_keeps(cast):
    client = binder_client(cast)
    text = flat(pdf_text(render_binder_pdf(client, viewer=cast.case_manager)))
    for expected in (
        client.full_name,
        LONG_TERM_GOAL,
        SUB_GOAL,
        "Maria Lind",  # the network map and the contacts
        "Lena Boendestöd",  # entered by the partner organisation, shared under consent
        DECISION,
        "Frukost och promenad",  # the shared worksheet
        "Sover dåligt",  # the early-warning plan
        "Maria, Lena",  # who holds a copy
        "Hamngatan 4",
    ):
        assert expected in text, expected
    assert OWN_NOTE not in text
    assert "Klinikens egen anteckning" not in text, "not even the viewer's own notes"
    assert KEPT_ANSWER not in text, "the partner's unshared worksheet"
    assert "Nätverkskarta" in text and "Pärm för" in text, "Swedish by default"


def test_the_clients_own_copy_has_the_worksheets_they_keep_within_one_organisation(cast):
    client = binder_client(cast)
    text = flat(pdf_text(render_binder_pdf(client)))
    assert KEPT_ANSWER in text
    assert OWN_NOTE not in text


def test_protected_identity_leaves_the_address_out_of_the_binder(cast):
    client = binder_client(cast, protected_identity=True)
    text = flat(pdf_text(render_binder_pdf(client, viewer=cast.case_manager)))
    assert client.full_name in text
    assert "Hamngatan" not in text
    assert "Hamngatan" not in json.dumps(export_json(client))
    assert "Hamngatan" not in json.dumps(export_fhir_bundle(client))


def test_the_binder_is_in_english_when_the_client_prefers_english(cast):
    client = new_client(cast, preferred_language="English")
    text = flat(pdf_text(render_binder_pdf(client, viewer=cast.case_manager)))
    assert "Network map" in text and "Binder for" in text


# --- Checklist K, the consent and the information sheet --------------------------------------

STEP_NOTE = "Första mötet hemma hos Kim"
KEPT_STEP_NOTE = "Kommunens egen kommentar till bladet"


def checklist_client(cast) -> Client:
    client = binder_client(cast)
    mapping_services.record_step(
        user=cast.case_manager,
        client=client,
        step="first_meeting",
        done_on=timezone.localdate() - timedelta(days=3),
        present=[cast.case_manager, cast.municipal_case_manager],
        comment=STEP_NOTE,
    )
    _worksheet(
        cast.municipal_case_manager,
        client,
        "normal_day",
        _day("Kommunens dag"),
        shared=False,
        comment=KEPT_STEP_NOTE,
    )
    return client


def _checklist_comments(data: dict) -> list[str]:
    return [entry["comment"] for row in data["checklist"] for entry in row["entries"]]


def test_the_clients_binder_holds_checklist_k_and_the_information_sheet(cast):
    client = checklist_client(cast)
    text = flat(pdf_text(render_binder_pdf(client)))
    assert "Checklista K" in text and "Första mötet" in text and STEP_NOTE in text
    assert "Vad är resursgruppsarbete?" in text
    assert "Det första resursgruppsmötet" in text, "the method's steps as a flow"
    # The client's copy has the rows the client's own pages show: not the step of a sheet
    # the municipality keeps (its answers are in the client's copy, as before).
    assert KEPT_STEP_NOTE not in text


def test_a_staff_copy_has_the_checklist_rows_that_viewer_sees(cast):
    client = checklist_client(cast)
    own = export_json(client, viewer=cast.municipal_case_manager)
    assert STEP_NOTE in _checklist_comments(own) and KEPT_STEP_NOTE in _checklist_comments(own)
    forget_client_access(cast.case_manager)
    other = export_json(client, viewer=cast.case_manager)
    assert STEP_NOTE in _checklist_comments(other)
    assert KEPT_STEP_NOTE not in _checklist_comments(other)
    assert KEPT_STEP_NOTE not in _checklist_comments(export_json(client))
    first = next(row for row in own["checklist"] if row["step"] == "first_meeting")
    assert first["done"] and first["phase"] == "mapping"
    assert set(first["entries"][0]["present"]) == {
        cast.case_manager.full_name,
        cast.municipal_case_manager.full_name,
    }
    text = flat(pdf_text(render_binder_pdf(client, viewer=cast.municipal_case_manager)))
    assert KEPT_STEP_NOTE in text and "Checklista K" in text


def test_the_binder_shows_the_consent_and_its_history(cast):
    client = binder_client(cast)
    consent_services.revoke_consent(
        user=cast.case_manager, client=client, consent=Consent.objects.get(client=client),
        note="Ville byta kommun",
    )  # fmt: skip
    text = flat(pdf_text(render_binder_pdf(client)))
    assert "Samtycke" in text and "Återkallat" in text and "Ville byta kommun" in text
    consents = export_json(client)["consents"]
    assert consents[0]["revocation_note"] == "Ville byta kommun" and not consents[0]["valid"]


# --- JSON and FHIR ------------------------------------------------------------------------


def test_the_json_export_round_trips_and_holds_the_plan(cast):
    client = binder_client(cast)
    data = json.loads(json.dumps(export_json(client, viewer=cast.case_manager)))
    assert data["format"] == "egenmakt.binder"
    assert data["plan"]["long_term_goal"] == LONG_TERM_GOAL
    assert [g["text"] for g in data["plan"]["goals"]] == [SUB_GOAL]
    assert data["plan"]["goals"][0]["latest_review"]["attainment"] == Attainment.HALF
    assert data["plan"]["decided_version"]["number"] == 1
    assert data["meetings"][0]["decisions"][0]["text"] == DECISION
    assert {c["name"] for c in data["contacts"]} == {"Maria Lind", "Lena Boendestöd"}
    assert len(data["consents"]) == 1 and data["consents"][0]["valid"]
    assert len(data["care_team"]) == 2
    assert "*" in data["client"]["identity_number"], "masked unless asked for"
    dumped = json.dumps(data, ensure_ascii=False)
    assert KEPT_ANSWER not in dumped and OWN_NOTE not in dumped


def test_the_fhir_bundle_is_valid_r4_with_the_expected_resources(cast):
    client = binder_client(cast)
    data = json.loads(json.dumps(export_fhir_bundle(client, viewer=cast.case_manager)))
    bundle = Bundle.model_validate(data)
    assert bundle.type == "collection"
    kinds = [entry.resource.get_resource_type() for entry in bundle.entry]
    assert set(kinds) == {
        "Patient",
        "CareTeam",
        "CarePlan",
        "Goal",
        "Consent",
        "QuestionnaireResponse",
    }
    assert kinds.count("QuestionnaireResponse") == 2, "the shared worksheets, not the kept one"
    goal = next(e.resource for e in bundle.entry if e.resource.get_resource_type() == "Goal")
    assert goal.description.text == SUB_GOAL
    assert goal.lifecycleStatus == "active"
    assert goal.achievementStatus.coding[0].code == "in-progress"
    plan = next(e.resource for e in bundle.entry if e.resource.get_resource_type() == "CarePlan")
    assert plan.description == LONG_TERM_GOAL
    assert plan.status == "active"
    assert plan.activity[0].detail.description == "Följa med till första övningen"
    team = next(e.resource for e in bundle.entry if e.resource.get_resource_type() == "CareTeam")
    assert "Maria Lind" in {p.member.display for p in team.participant}
    patient = bundle.entry[0].resource
    assert patient.identifier is None, "no identity number unless asked for"
    urls = {entry.fullUrl for entry in bundle.entry}
    assert goal.subject.reference in urls


def test_the_fhir_patient_carries_the_personal_identity_number_only_when_asked(cast):
    client = binder_client(cast)
    data = export_fhir_bundle(client, include_identity_number=True)
    patient = data["entry"][0]["resource"]
    assert patient["identifier"] == [
        {"system": "urn:oid:1.2.752.129.2.1.3.1", "value": client.identity_number}
    ]


def test_a_revoked_consent_is_inactive_in_fhir(cast):
    client = binder_client(cast)
    consent_services.revoke_consent(
        user=cast.case_manager, client=client, consent=Consent.objects.get(client=client),
        note="Vill inte längre",
    )  # fmt: skip
    data = export_fhir_bundle(client)
    consents = [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Consent"]
    assert [c["status"] for c in consents] == ["inactive"]


def test_the_json_export_runs_the_same_queries_with_few_or_many_entries(cast):
    client = shared_client(cast)
    plan = plans.plan_for(client, cast.case_manager)
    _more(cast, client, plan, 2)

    def count() -> int:
        forget_client_access(cast.case_manager)  # as on a new request
        fresh = Client.objects.select_related("organisation").get(pk=client.pk)
        with CaptureQueriesContext(connection) as queries:
            export_json(fresh, viewer=cast.case_manager)
        return len(queries)

    few = count()
    _more(cast, client, plan, 18, start=2)
    assert len(collect_binder(client, viewer=cast.case_manager).goals) == 20
    assert count() == few


# --- The downloads ------------------------------------------------------------------------

DOWNLOADS = ["binder_pdf", "binder_json", "binder_fhir"]


def as_(user) -> Browser:
    return sign_in(Browser(), user)


@pytest.mark.parametrize("name", DOWNLOADS)
def test_the_care_team_downloads_the_binder_and_the_download_is_logged(cast, name):
    client = binder_client(cast)
    for person in (cast.case_manager, cast.municipal_case_manager):
        response = as_(person).get(reverse(f"coordination:{name}", args=[client.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
    rows = AccessLog.objects.filter(person_id=str(client.pk), action="export")
    assert {row.actor_id for row in rows} == {cast.case_manager.pk, cast.municipal_case_manager.pk}
    assert all(row.reason.startswith(("binder printed", "data exported")) for row in rows)


@pytest.mark.parametrize("name", DOWNLOADS)
def test_the_binder_downloads_refuse_everyone_else(cast, name):
    client = new_client(cast)
    with_municipal_partner(cast, client)
    page = reverse(f"coordination:{name}", args=[client.pk])
    # In the team, from the home organisation, but no consent yet: the binder is joint work.
    assert as_(cast.case_manager).get(page).status_code == 403
    # In the team for the other organisation, not covered by a consent: as if not there.
    assert as_(cast.municipal_case_manager).get(page).status_code == 404
    assert as_(cast.outsider_case_manager).get(page).status_code == 404
    assert as_(cast.clinic_colleague).get(page).status_code == 404
    anonymous = Browser().get(page)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_the_overview_links_to_the_binder_under_consent_only(cast):
    client = shared_client(cast)
    page = as_(cast.case_manager).get(reverse("coordination:client", args=[client.pk]))
    assert reverse("coordination:binder_pdf", args=[client.pk]) in page.content.decode()
    lone = new_client(cast)
    page = as_(cast.case_manager).get(reverse("coordination:client", args=[lone.pk]))
    assert reverse("coordination:binder_pdf", args=[lone.pk]) not in page.content.decode()


def test_steps_without_a_response_do_not_break_the_binder(cast):
    client = binder_client(cast)
    mapping_services.record_step(
        user=cast.case_manager,
        client=client,
        step="other",
        title="Möte",
        done_on=timezone.localdate(),
        present=[cast.case_manager],
    )
    assert StepRecord.objects.filter(client=client, response__isnull=True).exists()
    assert len(collect_binder(client).worksheets) == 3


def test_the_audit_registry_exports_a_clients_data_as_the_binder(cast):
    client = binder_client(cast)
    data = export_personal_data(client)
    assert data is not None and data["format"] == "egenmakt.binder"
    assert data["plan"]["long_term_goal"] == LONG_TERM_GOAL
    assert KEPT_ANSWER in json.dumps(data, ensure_ascii=False), "the client's own copy"


def test_invalid_data_fails_loudly_in_the_fhir_export(cast):
    client = binder_client(cast)
    Goal.objects.filter(plan__client=client).update(text="")  # as if a bad row slipped in
    with pytest.raises(PydanticValidationError):
        export_fhir_bundle(client)


def test_emergency_access_does_not_reach_the_binder(cast):
    client = shared_client(cast)
    colleague = as_(cast.clinic_colleague)
    colleague.post(
        reverse("coordination:emergency"),
        {"identity_number": client.identity.display, "reason": "Klienten är här i kris nu"},
    )
    assert colleague.get(reverse("coordination:client", args=[client.pk])).status_code == 200
    for name in DOWNLOADS:
        page = reverse(f"coordination:{name}", args=[client.pk])
        assert colleague.get(page).status_code == 403, name
