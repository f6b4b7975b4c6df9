"""FHIR R4 read of one client (``/api/fhir/``), for integrations.

Made from the binder's FHIR export (``coordination.export.fhir.export_fhir_bundle``, the
same one the care team downloads as ``coordination:binder_fhir``), for the same people:
those who work jointly with the client (a covered seat under a valid consent), logged as
the download is. Read in the patient compartment: ``Patient/{id}`` and
``Patient/{id}/{type}`` for CarePlan, Goal, CareTeam, Consent and QuestionnaireResponse.
Answers are ``application/fhir+json``; a refusal is an ``OperationOutcome`` (FHIR's error
resource) with the HTTP status, and a type this server does not hold is 404, as FHIR's
RESTful API has it for an unknown resource type.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from ninja import Path, Router, Schema
from ninja.errors import HttpError
from ninja.renderers import JSONRenderer

from egenmakt.audit.models import Action
from egenmakt.coordination.export.fhir import export_fhir_bundle
from egenmakt.coordination.views.common import log_read

from .endpoints import open_client

router = Router()
MEDIA_TYPE = "application/fhir+json"
COMPARTMENT_TYPES = ("CarePlan", "Goal", "CareTeam", "Consent", "QuestionnaireResponse")
# FHIR's issue type for each refusal (https://hl7.org/fhir/R4/valueset-issue-type.html).
ISSUE_CODES = {400: "invalid", 401: "login", 403: "forbidden", 404: "not-found", 422: "invalid"}


class FhirRenderer(JSONRenderer):
    """Every answer of the FHIR API, and its document, as ``application/fhir+json``."""

    media_type = MEDIA_TYPE


class OutcomeIssue(Schema):
    severity: str
    code: str
    diagnostics: str


class OperationOutcome(Schema):
    """A refusal, as FHIR states errors."""

    resourceType: str  # noqa: N815 (FHIR's own name)
    issue: list[OutcomeIssue]


def outcome(status: int, detail: str, errors: Any = None) -> dict[str, Any]:
    """The ``OperationOutcome`` of a refusal (the API's error handlers call it)."""
    issues = [
        {"severity": "error", "code": ISSUE_CODES.get(status, "processing"), "diagnostics": detail}
    ]
    for error in errors or ():
        where = ".".join(str(part) for part in error.get("loc", ()))
        issues.append(
            {
                "severity": "error",
                "code": "invalid",
                "diagnostics": f"{where}: {error.get('msg', '')}",
            }
        )
    return {"resourceType": "OperationOutcome", "issue": issues}


REFUSED = dict.fromkeys((400, 401, 403, 404, 422, 429), OperationOutcome)


class FhirResource(Schema):
    """A FHIR R4 resource (validated by ``fhir.resources`` when it is made)."""

    resourceType: str  # noqa: N815 (FHIR's own name)
    id: str | None = None

    model_config = {"extra": "allow"}


class FhirBundleEntry(Schema):
    fullUrl: str  # noqa: N815
    resource: FhirResource


class FhirBundle(Schema):
    resourceType: str  # noqa: N815
    type: str
    total: int
    timestamp: str
    entry: list[FhirBundleEntry]


def _bundle(request: HttpRequest, client_id: int) -> list[dict[str, Any]]:
    found, access = open_client(request, client_id)
    if not access.joint_work:  # as the download: only the joint work exports
        raise PermissionDenied("data exported (FHIR)")
    log_read(request, found, access, action=Action.EXPORT, reason="data exported (FHIR)")
    entries: list[dict[str, Any]] = export_fhir_bundle(found, viewer=request.user)["entry"]
    return entries


@router.get(
    "/Patient/{client_id}",
    response={200: FhirResource, **REFUSED},
    url_name="patient",
    tags=["fhir"],
)
def patient(request: HttpRequest, client_id: int) -> Any:
    entries = _bundle(request, client_id)
    return _fhir(next(e["resource"] for e in entries if e["resource"]["resourceType"] == "Patient"))


@router.get(
    "/Patient/{client_id}/{resource_type}",
    response={200: FhirBundle, **REFUSED},
    url_name="compartment",
    tags=["fhir"],
)
def compartment(
    request: HttpRequest,
    client_id: int,
    resource_type: str = Path(..., pattern=r"^[A-Z][A-Za-z]{1,63}$"),
) -> Any:
    """A searchset of one resource type about the client: CarePlan, Goal, CareTeam,
    Consent or QuestionnaireResponse (another type is 404)."""
    if resource_type not in COMPARTMENT_TYPES:
        raise HttpError(404, "Unknown resource type.")
    entries = [
        e for e in _bundle(request, client_id) if e["resource"]["resourceType"] == resource_type
    ]
    return _fhir(
        {
            "resourceType": "Bundle",
            "type": "searchset",
            "total": len(entries),
            "timestamp": timezone.now().isoformat(),
            "entry": entries,
        }
    )


def _fhir(data: dict[str, Any]) -> JsonResponse:
    """The resource as the export made it: the documented schema names only its frame, and
    a schema would drop FHIR's own fields, so the answer bypasses it (not cached)."""
    response = JsonResponse(
        data, content_type=f"{MEDIA_TYPE}; charset=utf-8", json_dumps_params={"ensure_ascii": False}
    )
    response["Cache-Control"] = "no-store"
    return response
