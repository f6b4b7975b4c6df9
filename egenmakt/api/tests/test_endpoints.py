"""The endpoints go through the pages' selectors: the same clients, the same 404s, the
same access-log rows; the OpenAPI document and its docs page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from egenmakt.api.models import ApiToken
from egenmakt.audit.models import AccessLog
from egenmakt.coordination.tests.factories import new_client, shared_client

from .factories import bearer, personal_token, service_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()


def _get(path: str, secret: str | None = None) -> Any:
    return Client().get(path, **(bearer(secret) if secret else {}))


def test_the_case_manager_reads_their_client_and_the_read_is_logged(cast: Any) -> None:
    client = shared_client(cast)
    secret = personal_token(cast.case_manager, ["coordination:read"])
    listed = _get("/api/v1/clients", secret)
    assert listed.status_code == 200
    assert client.pk in [row["id"] for row in listed.json()]
    before = AccessLog.objects.filter(person_id=str(client.pk)).count()
    one = _get(f"/api/v1/clients/{client.pk}", secret)
    assert one.status_code == 200
    body = one.json()
    assert body["full_name"] == client.full_name and len(body["consents"]) == 1
    row = AccessLog.objects.filter(person_id=str(client.pk)).latest("pk")
    assert AccessLog.objects.filter(person_id=str(client.pk)).count() == before + 1
    assert row.actor_id == cast.case_manager.pk and row.path == f"/api/v1/clients/{client.pk}"
    assert _get(f"/api/v1/clients/{client.pk}/consents", secret).status_code == 200
    assert _get(f"/api/v1/clients/{client.pk}/meetings", secret).json() == []
    assert _get(f"/api/v1/clients/{client.pk}/worksheets", secret).status_code == 200
    assert _get(f"/api/v1/clients/{client.pk}/plan", secret).json()["exists"] is False


def test_the_plan_shows_the_decided_version_and_its_goals(cast: Any) -> None:
    from egenmakt.coordination.tests.factories import SUB_GOAL, decided_plan

    client = shared_client(cast)
    decided_plan(cast, client)
    secret = personal_token(cast.municipal_case_manager, ["coordination:read"])
    plan = _get(f"/api/v1/clients/{client.pk}/plan", secret).json()
    assert plan["exists"] and plan["current_version"]["number"] == 1
    assert SUB_GOAL in [goal["text"] for goal in plan["goals"]]


def test_a_colleague_outside_the_care_team_gets_404_as_for_a_missing_client(cast: Any) -> None:
    client = new_client(cast)
    secret = personal_token(cast.clinic_colleague, ["coordination:read"])
    assert _get(f"/api/v1/clients/{client.pk}", secret).status_code == 404
    assert _get("/api/v1/clients/999999", secret).status_code == 404
    assert client.pk not in [row["id"] for row in _get("/api/v1/clients", secret).json()]


def test_the_partner_without_consent_gets_404_and_with_it_the_client(cast: Any) -> None:
    from egenmakt.coordination.tests.factories import consent, with_municipal_partner

    client = new_client(cast)
    with_municipal_partner(cast, client)
    secret = personal_token(cast.municipal_case_manager, ["coordination:read"])
    assert _get(f"/api/v1/clients/{client.pk}", secret).status_code == 404
    consent(cast, client)
    assert _get(f"/api/v1/clients/{client.pk}", secret).status_code == 200


@pytest.mark.parametrize("sealed", ["restricted_at", "archived_at"])
def test_a_sealed_record_is_404_on_every_operation_of_the_api(cast: Any, sealed: str) -> None:
    """A restricted or archived record opens on its own pages after a reason, never here:
    every read and write of it is 404, through v1 and FHIR alike."""
    client = shared_client(cast)
    secret = personal_token(cast.case_manager, ["coordination:read", "coordination:write"])
    assert _get(f"/api/v1/clients/{client.pk}", secret).status_code == 200
    type(client).objects.filter(pk=client.pk).update(**{sealed: "2026-01-01T00:00:00Z"})
    for tail in ("", "/consents", "/meetings", "/worksheets", "/plan"):
        assert _get(f"/api/v1/clients/{client.pk}{tail}", secret).status_code == 404, tail
    assert _get(f"/api/fhir/Patient/{client.pk}", secret).status_code == 404
    goal = {"text": "Mål", "measure": "Mått", "target_date": "2027-01-01", "version": 1}
    write = Client().post(
        f"/api/v1/clients/{client.pk}/plan/goals", goal, content_type="application/json",
        **bearer(secret),
    )  # fmt: skip
    assert write.status_code == 404
    listed = {row["id"] for row in _get("/api/v1/clients", secret).json()}
    assert (client.pk in listed) is (sealed == "restricted_at")  # the page's list too


def test_the_administrator_reads_their_tree_and_its_memberships_only(cast: Any) -> None:
    secret = personal_token(cast.admin, ["organisations:read"])
    tree = _get("/api/v1/organisations", secret)
    assert tree.status_code == 200
    ids = {row["id"] for row in tree.json()}
    assert cast.org("network").pk in ids and cast.org("clinic").pk not in ids
    members = _get(f"/api/v1/organisations/{cast.org('network').pk}/memberships", secret)
    assert members.status_code == 200
    assert cast.coordinator.pk in {row["user_id"] for row in members.json()}
    outside = _get(f"/api/v1/organisations/{cast.org('clinic').pk}/memberships", secret)
    assert outside.status_code == 404


def test_someone_who_administers_nothing_gets_403_for_the_tree(cast: Any) -> None:
    secret = personal_token(cast.coordinator, ["organisations:read"])
    assert _get("/api/v1/organisations", secret).status_code == 403


def test_a_service_token_reads_its_organisations_tree(cast: Any) -> None:
    secret = service_token(cast.admin, cast.org("network"))
    tree = _get("/api/v1/organisations", secret)
    assert tree.status_code == 200
    assert cast.org("network").pk in {row["id"] for row in tree.json()}
    assert (
        _get(f"/api/v1/organisations/{cast.org('clinic').pk}/memberships", secret).status_code
        == 404
    )
    members = _get(f"/api/v1/organisations/{cast.org('network').pk}/memberships", secret)
    assert members.status_code == 200
    # Acting as nobody, the token is named in the log rows of what it read.
    token = ApiToken.objects.get(organisation=cast.org("network"))
    rows = AccessLog.objects.filter(reason=f"api: memberships (service token {token.pk})")
    assert rows.filter(person_id=str(cast.coordinator.pk), actor__isnull=True).exists()


def test_the_calendar_is_public(cast: Any) -> None:
    from egenmakt.demo.influence import seed_demo_influence
    from egenmakt.influence.models import CareArea

    seed_demo_influence(cast)
    area = CareArea.objects.get()
    response = _get(f"/api/v1/influence/areas/{area.slug}/calendar")
    assert response.status_code == 200 and isinstance(response.json(), list)
    assert _get("/api/v1/influence/areas/no-such-area/calendar").status_code == 404


def test_the_openapi_document_is_valid_openapi_3(cast: Any) -> None:
    import schemathesis

    document = _get("/api/v1/openapi.json").json()
    # Schemathesis checks the document against the OpenAPI meta-schema of its version.
    schemathesis.openapi.from_dict(document).validate()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/clients/{client_id}" in document["paths"]
    assert document["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


def test_the_docs_load_their_scripts_from_this_site_under_the_csp(cast: Any) -> None:
    response = _get("/api/v1/docs")
    assert response.status_code == 200
    body = response.content.decode()
    assert "cdn" not in body.lower() and "/static/ninja/swagger-ui-bundle.js" in body
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert _get("/static/ninja/swagger-ui-bundle.js").status_code == 200


def test_the_administrator_gives_and_ends_a_role_through_the_service(cast: Any) -> None:
    from egenmakt.accounts.models import Membership
    from egenmakt.audit.events import AuditEvent

    secret = personal_token(cast.admin, ["organisations:write"])
    url = f"/api/v1/organisations/{cast.org('network').pk}/memberships"
    body = {"user_id": cast.coordinator.pk, "role": "lecturer"}
    given = Client().post(url, body, content_type="application/json", **bearer(secret))
    assert given.status_code == 201
    row = Membership.objects.get(pk=given.json()["id"])
    assert AccessLog.objects.filter(
        reason=AuditEvent.ADMIN_ROLE_GIVEN, object_id=str(row.pk)
    ).exists()
    again = Client().post(url, body, content_type="application/json", **bearer(secret))
    assert again.status_code == 400 and again.json()["detail"]
    bad = {"user_id": cast.coordinator.pk, "role": "king"}
    assert (
        Client().post(url, bad, content_type="application/json", **bearer(secret)).status_code
        == 400
    )
    # Someone outside the tree is not there.
    outside = {"user_id": cast.case_manager.pk, "role": "lecturer"}
    assert (
        Client().post(url, outside, content_type="application/json", **bearer(secret)).status_code
        == 404
    )
    ended = Client().delete(f"/api/v1/memberships/{row.pk}", **bearer(secret))
    assert ended.status_code == 204 and not Membership.objects.filter(pk=row.pk).exists()


def test_a_read_scope_or_a_service_token_does_not_change_memberships(cast: Any) -> None:
    url = f"/api/v1/organisations/{cast.org('network').pk}/memberships"
    body = {"user_id": cast.coordinator.pk, "role": "lecturer"}
    for secret in (
        personal_token(cast.admin, ["organisations:read"]),
        service_token(cast.admin, cast.org("network"), ["organisations:write"]),
    ):
        response = Client().post(url, body, content_type="application/json", **bearer(secret))
        assert response.status_code == 403


def test_fhir_reads_the_clients_resources_as_the_download_does(cast: Any) -> None:
    from egenmakt.coordination.tests.factories import SUB_GOAL, decided_plan

    client = shared_client(cast)
    decided_plan(cast, client)
    secret = personal_token(cast.case_manager, ["coordination:read"])
    patient = _get(f"/api/fhir/Patient/{client.pk}", secret).json()
    assert patient["resourceType"] == "Patient"
    assert client.identity_number not in str(patient)
    assert AccessLog.objects.filter(
        person_id=str(client.pk), action="export", reason="data exported (FHIR)"
    ).exists()
    goals = _get(f"/api/fhir/Patient/{client.pk}/Goal", secret).json()
    assert goals["type"] == "searchset" and goals["total"] >= 1
    assert SUB_GOAL in str(goals)
    for kind in ("CarePlan", "CareTeam", "Consent", "QuestionnaireResponse"):
        bundle = _get(f"/api/fhir/Patient/{client.pk}/{kind}", secret).json()
        assert {e["resource"]["resourceType"] for e in bundle["entry"]} <= {kind}
    # Answers are FHIR's own media type; a type this server does not hold is 404, and a
    # refusal is an OperationOutcome.
    answer = _get(f"/api/fhir/Patient/{client.pk}/Goal", secret)
    assert answer["Content-Type"] == "application/fhir+json; charset=utf-8"
    unknown = _get(f"/api/fhir/Patient/{client.pk}/Observation", secret)
    assert unknown.status_code == 404
    assert unknown["Content-Type"].startswith("application/fhir+json")
    assert unknown.json()["resourceType"] == "OperationOutcome"
    assert unknown.json()["issue"][0]["code"] == "not-found"
    bad = _get(f"/api/fhir/Patient/{client.pk}/observation-1", secret)
    assert bad.status_code == 422 and bad.json()["resourceType"] == "OperationOutcome"


def test_fhir_needs_joint_work_as_the_download(cast: Any) -> None:
    from egenmakt.coordination.tests.factories import with_municipal_partner

    client = new_client(cast)
    with_municipal_partner(cast, client)
    # Without a consent the clinic's own case manager sees the record but shares nothing.
    secret = personal_token(cast.case_manager, ["coordination:read"])
    assert _get(f"/api/v1/clients/{client.pk}", secret).status_code == 200
    refused = _get(f"/api/fhir/Patient/{client.pk}", secret)
    assert refused.status_code == 403
    assert refused.json()["issue"][0]["code"] == "forbidden"
    outsider = personal_token(cast.clinic_colleague, ["coordination:read"])
    hidden = _get(f"/api/fhir/Patient/{client.pk}", outsider)
    assert hidden.status_code == 404 and hidden.json()["resourceType"] == "OperationOutcome"
    # The same for a type this server does not hold: nothing says the client exists.
    assert _get(f"/api/fhir/Patient/{client.pk}/Observation", outsider).status_code == 404


def test_errors_outside_the_operations_are_json_too(cast: Any) -> None:
    secret = personal_token(cast.case_manager)
    control = Client().get("/api/v1/rounds/1/applications?status=a%07b", **bearer(secret))
    assert control.status_code == 400 and control.json()["detail"]
    missing = _get("/api/v1/no-such-thing", secret)
    assert missing.status_code == 404 and missing.json() == {"detail": "Not found."}
    bad_id = _get("/api/v1/clients/abc", secret)
    assert bad_id.status_code == 422 and bad_id.json()["errors"]


def test_my_data_links_to_the_token_page(cast: Any) -> None:
    from django.urls import reverse

    from egenmakt.conftest import sign_in

    body = sign_in(Client(), cast.case_manager).get(reverse("accounts:my_data")).content
    assert reverse("api_tokens:tokens").encode() in body
