"""FHIR R4 read of one client (``/api/fhir/``), for integrations.

Made from the binder's FHIR export (``coordination.export.fhir.export_fhir_bundle``, the
same one the care team downloads as ``coordination:binder_fhir``), for the same people:
those who work jointly with the client (a covered seat under a valid consent), logged as
the download is. Read in the patient compartment: ``Patient/{id}`` and
``Patient/{id}/{type}`` for CarePlan, Goal, CareTeam, Consent and QuestionnaireResponse.
"""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from ninja import Router, Schema

from egenmakt.audit.models import Action
from egenmakt.coordination.export.fhir import export_fhir_bundle
from egenmakt.coordination.views.common import log_read

from .endpoints import HIDDEN, open_client

router = Router()
CompartmentType = Literal["CarePlan", "Goal", "CareTeam", "Consent", "QuestionnaireResponse"]


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
    response={200: FhirResource, **HIDDEN},
    url_name="patient",
    tags=["fhir"],
)
def patient(request: HttpRequest, client_id: int) -> Any:
    entries = _bundle(request, client_id)
    return _fhir(next(e["resource"] for e in entries if e["resource"]["resourceType"] == "Patient"))


@router.get(
    "/Patient/{client_id}/{resource_type}",
    response={200: FhirBundle, **HIDDEN},
    url_name="compartment",
    tags=["fhir"],
)
def compartment(request: HttpRequest, client_id: int, resource_type: CompartmentType) -> Any:
    """A searchset of one resource type about the client."""
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
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response
