"""The client's binder as a FHIR R4 collection Bundle (the JSON format is in ``json.py``).

The FHIR export is built with ``fhir.resources.R4B``: fhir.resources 8 models R5 at its
top level, and R4B (4.3.0) is the release whose Patient, CarePlan, Goal, CareTeam, Consent
and QuestionnaireResponse are the R4 (4.0.1) structures, so the bundle reads as R4. Every
resource goes through its model, so data that would make invalid FHIR raises
``pydantic.ValidationError`` here rather than leaving the building.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.utils import timezone, translation
from fhir.resources.R4B.bundle import Bundle, BundleEntry
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.careteam import CareTeam
from fhir.resources.R4B.consent import Consent as FhirConsent
from fhir.resources.R4B.goal import Goal as FhirGoal
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhir.resources.R4B.resource import Resource

from egenmakt.coordination.export.binder import Binder, GoalEntry, Worksheet, collect_binder
from egenmakt.coordination.models import (
    ActionStatus,
    Attainment,
    Client,
    Consent,
    GoalStatus,
    Phase,
    PlanAction,
)

if TYPE_CHECKING:
    from egenmakt.accounts.types import Viewer

# Swedish personal identity number and co-ordination number (Skatteverket, via Inera).
PERSONNUMMER_OID = "urn:oid:1.2.752.129.2.1.3.1"


SAMORDNINGSNUMMER_OID = "urn:oid:1.2.752.129.2.1.3.3"


# Our own code systems and questionnaire identifiers, namespaced so they never pose as
# someone else's.
LOCAL = "urn:egenmakt"


UUID_NAMESPACE = uuid.UUID("6f1c4c8e-2b7a-4f57-9d0e-0c3f2d9a51b7")


def _urn(kind: str, pk: Any) -> str:
    """A stable ``urn:uuid`` per object, so a second export names the same resources."""
    return f"urn:uuid:{uuid.uuid5(UUID_NAMESPACE, f'{kind}/{pk}')}"


def _text(value: str) -> dict[str, Any]:
    return {"text": value}


def _coding(system: str, code: str, display: str = "") -> dict[str, Any]:
    coding = {"system": system, "code": code}
    if display:
        coding["display"] = display
    return {"coding": [coding], **({"text": display} if display else {})}


def _patient(binder: Binder, *, include_identity_number: bool) -> Patient:
    client = binder.client
    names = client.full_name.split()
    data: dict[str, Any] = {
        "id": f"client-{client.pk}",
        "name": [
            {
                "use": "official",
                "text": client.full_name,
                **({"family": names[-1], "given": names[:-1]} if len(names) > 1 else {}),
            }
        ],
        "communication": [
            {
                "language": _coding("urn:ietf:bcp:47", binder.language),
                "preferred": True,
            }
        ],
        "managingOrganization": {"display": client.organisation.name},
    }
    if include_identity_number:
        system = SAMORDNINGSNUMMER_OID if client.coordination_number else PERSONNUMMER_OID
        data["identifier"] = [{"system": system, "value": client.identity_number}]
    if not client.protected_identity:
        address = {
            k: v
            for k, v in (
                ("line", [client.address] if client.address else None),
                ("postalCode", client.postcode),
                ("city", client.city),
            )
            if v
        }
        if address:
            data["address"] = [{"use": "home", **address}]
        telecom = [{"system": "phone", "value": client.phone}] if client.phone else []
        if client.email:
            telecom.append({"system": "email", "value": client.email})
        if telecom:
            data["telecom"] = telecom
    return Patient.model_validate(data)


GOAL_LIFECYCLE = {
    GoalStatus.ACTIVE: "active",
    GoalStatus.ACHIEVED: "completed",
    GoalStatus.DROPPED: "cancelled",
}


GOAL_ACHIEVEMENT = "http://terminology.hl7.org/CodeSystem/goal-achievement"


ATTAINMENT_ACHIEVEMENT = {
    Attainment.NOT_STARTED: "no-progress",
    Attainment.SOME: "in-progress",
    Attainment.HALF: "in-progress",
    Attainment.MOST: "in-progress",
    Attainment.REACHED: "achieved",
}


ACTIVITY_STATUS = {
    ActionStatus.PLANNED: "not-started",
    ActionStatus.ONGOING: "in-progress",
    ActionStatus.DONE: "completed",
    ActionStatus.CANCELLED: "cancelled",
}


def _goal(entry: GoalEntry, patient: str) -> FhirGoal:
    goal, review = entry.goal, entry.review
    if goal.status == GoalStatus.ACHIEVED:
        achievement = _coding(GOAL_ACHIEVEMENT, "achieved")
    elif goal.status == GoalStatus.DROPPED:
        achievement = _coding(GOAL_ACHIEVEMENT, "not-achieved")
    elif review is not None:
        achievement = _coding(
            GOAL_ACHIEVEMENT,
            ATTAINMENT_ACHIEVEMENT[Attainment(review.attainment)],
            str(review.get_attainment_display()),
        )
    else:
        achievement = _coding(GOAL_ACHIEVEMENT, "in-progress")
    data: dict[str, Any] = {
        "id": f"goal-{goal.pk}",
        "lifecycleStatus": GOAL_LIFECYCLE[GoalStatus(goal.status)],
        "achievementStatus": achievement,
        "description": _text(goal.text),
        "subject": {"reference": patient},
        "startDate": timezone.localtime(goal.created_at).date(),
        "target": [{"measure": _text(goal.measure), "dueDate": goal.target_date}],
        "expressedBy": {"display": goal.organisation.name},
    }
    if review is not None and review.comment:
        data["note"] = [{"text": review.comment}]
    return FhirGoal.model_validate(data)


def _activity(action: PlanAction, goals: dict[int, str]) -> dict[str, Any]:
    detail: dict[str, Any] = {
        "status": ACTIVITY_STATUS[ActionStatus(action.status)],
        "description": action.what,
        "performer": [
            {"display": ", ".join(p for p in (action.who, action.organisation_name) if p)}
        ],
        "scheduledString": action.when,
    }
    if action.goal_id is not None and action.goal_id in goals:
        detail["goal"] = [{"reference": goals[action.goal_id]}]
    return {"detail": detail}


def _care_plan(binder: Binder, patient: str, goals: dict[int, str], team: str) -> CarePlan:
    plan = binder.plan
    assert plan is not None  # noqa: S101 - called only when there is a plan
    if binder.client.phase == Phase.CLOSED:
        status = "completed"
    else:
        status = "active" if binder.decided is not None else "draft"
    actions = [a for g in binder.goals for a in g.actions] + binder.other_actions
    data: dict[str, Any] = {
        "id": f"plan-{plan.pk}",
        "status": status,
        "intent": "plan",
        "title": "SIP",
        "subject": {"reference": patient},
        "period": {"start": binder.client.started_on},
        "careTeam": [{"reference": team}],
        "goal": [{"reference": ref} for ref in goals.values()],
        "activity": [_activity(a, goals) for a in actions],
    }
    if plan.long_term_goal:
        data["description"] = plan.long_term_goal
    if binder.decided is not None:
        data["created"] = binder.decided.decided_on
    if plan.responsible_person is not None:
        data["author"] = {"display": plan.responsible_person.full_name}
    return CarePlan.model_validate(data)


def _care_team(binder: Binder, patient: str) -> CareTeam:
    participants: list[dict[str, Any]] = [
        {
            "role": [_text(str(seat.get_role_display()))],
            "member": {"display": seat.user.full_name},
            "onBehalfOf": {"display": seat.organisation.name},
            "period": {"start": seat.started_on},
        }
        for seat in binder.team
    ]
    team_users = {seat.user_id for seat in binder.team}
    for member in binder.group_members:
        if member.user_id is not None and member.user_id in team_users:
            continue  # already in as a care-team member
        participant: dict[str, Any] = {
            "role": [_text(member.role_label or str(member.get_kind_display()))],
            "member": {"display": member.name},
            "period": {"start": member.added_on},
        }
        if member.organisation_name:
            participant["onBehalfOf"] = {"display": member.organisation_name}
        participants.append(participant)
    return CareTeam.model_validate(
        {
            "id": f"careteam-{binder.client.pk}",
            "status": "inactive" if binder.client.phase == Phase.CLOSED else "active",
            "subject": {"reference": patient},
            "managingOrganization": [{"display": binder.client.organisation.name}],
            "participant": participants or None,
        }
    )


def _consent(consent: Consent, patient: str) -> FhirConsent:
    today = timezone.localdate()
    if consent.revoked_at is not None or (consent.valid_until and consent.valid_until < today):
        status = "inactive"
    elif consent.given_on > today:
        status = "proposed"
    else:
        status = "active"
    period: dict[str, Any] = {"start": consent.given_on}
    end = consent.valid_until
    if consent.revoked_at is not None:
        revoked = timezone.localtime(consent.revoked_at).date()
        end = min(end, revoked) if end else revoked
    if end:
        period["end"] = end
    return FhirConsent.model_validate(
        {
            "id": f"consent-{consent.pk}",
            "status": status,
            "scope": _coding(
                "http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy", "Privacy"
            ),
            "category": [
                _coding("http://loinc.org", "59284-0", "Patient Consent"),
                *[
                    _coding(f"{LOCAL}:consent-scope", key, label)
                    for key, label in zip(consent.scope, consent.scope_labels, strict=True)
                ],
            ],
            "patient": {"reference": patient},
            "dateTime": timezone.localtime(consent.recorded_at),
            "organization": [{"display": o.name} for o in consent.organisations.all()] or None,
            # SIP consent: the client opts in to sharing between the named organisations.
            "policyRule": _coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTIN"),
            "provision": {
                "type": "permit",
                "period": period,
                "actor": [
                    {
                        "role": _coding(
                            "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP"
                        ),
                        "reference": {"display": person.full_name},
                    }
                    for person in consent.case_managers.all()
                ]
                or None,
            },
        }
    )


def _answers(item: dict[str, Any], value: Any, language: str) -> list[dict[str, Any]]:
    from egenmakt.instruments.schema import text

    kind = item["type"]
    if kind in ("single_choice", "multiple_choice"):
        labels = {o["value"]: text(o["label"], language) for o in item["options"]}
        chosen = value if isinstance(value, list) else [value]
        return [
            {"valueCoding": {"code": str(v), "display": labels.get(str(v), str(v))}} for v in chosen
        ]
    if kind == "yes_partly_no":
        return [{"valueCoding": {"code": str(value)}}]
    if kind == "scale":
        return [{"valueInteger": int(value)}]
    if kind in ("vas", "number"):
        number = float(value)
        return [{"valueInteger": int(number)} if number.is_integer() else {"valueDecimal": value}]
    if kind == "date":
        return [{"valueDate": value}]
    return [{"valueString": str(value)}]


def _qr_items(sheet: Worksheet, language: str) -> list[dict[str, Any]]:
    from egenmakt.instruments.schema import text

    answers = sheet.response.answers
    groups = []
    for section in sheet.response.definition.definition["sections"]:
        items: list[dict[str, Any]] = []
        for item in section["items"]:
            value = answers.get(item["key"])
            if value in (None, "", [], {}):
                continue
            label = text(item["label"], language)
            if item["type"] == "day_grid":
                hours = [
                    {
                        "linkId": f"{item['key']}.{hour}",
                        "text": f"{hour}:00",
                        "answer": [{"valueString": str(what)}],
                    }
                    for hour, what in sorted(value.items())
                    if what
                ]
                if hours:
                    items.append({"linkId": item["key"], "text": label, "item": hours})
            elif item["type"] == "repeating_rows":
                for row in value:
                    cells = [
                        {
                            "linkId": f"{item['key']}.{column['key']}",
                            "text": text(column["label"], language),
                            "answer": [{"valueString": str(row[column["key"]])}],
                        }
                        for column in item["columns"]
                        if row.get(column["key"]) not in (None, "")
                    ]
                    if cells:
                        items.append({"linkId": item["key"], "text": label, "item": cells})
            else:
                items.append(
                    {
                        "linkId": item["key"],
                        "text": label,
                        "answer": _answers(item, value, language),
                    }
                )
        if items:
            groups.append(
                {"linkId": section["key"], "text": text(section["title"], language), "item": items}
            )
    return groups


def _questionnaire_response(sheet: Worksheet, patient: str, language: str) -> QuestionnaireResponse:
    response = sheet.response
    definition = response.definition
    data: dict[str, Any] = {
        "id": f"response-{response.pk}",
        "questionnaire": f"{LOCAL}:instrument:{definition.key}|{definition.version}",
        "status": "completed",
        "subject": {"reference": patient},
        "authored": timezone.localtime(response.submitted_at)
        if response.submitted_at
        else response.answered_on,
        "author": {"display": response.entered_by.full_name},
        "item": _qr_items(sheet, language) or None,
    }
    if response.respondent_kind == "client":
        data["source"] = {"reference": patient}
    else:
        data["source"] = {"display": str(response.get_respondent_kind_display())}
    return QuestionnaireResponse.model_validate(data)


def binder_fhir_bundle(binder: Binder, *, include_identity_number: bool = False) -> Bundle:
    client = binder.client
    patient_urn = _urn("client", client.pk)
    team_urn = _urn("careteam", client.pk)
    entries: list[tuple[str, Resource]] = []
    with translation.override(binder.language):
        entries.append(
            (patient_urn, _patient(binder, include_identity_number=include_identity_number))
        )
        entries.append((team_urn, _care_team(binder, patient_urn)))
        goal_urns = {entry.goal.pk: _urn("goal", entry.goal.pk) for entry in binder.goals}
        if binder.plan is not None:
            entries.append(
                (
                    _urn("plan", binder.plan.pk),
                    _care_plan(binder, patient_urn, goal_urns, team_urn),
                )
            )
        for entry in binder.goals:
            entries.append((goal_urns[entry.goal.pk], _goal(entry, patient_urn)))
        for consent in binder.consents:
            entries.append((_urn("consent", consent.pk), _consent(consent, patient_urn)))
        for sheet in binder.worksheets:
            entries.append(
                (
                    _urn("response", sheet.response.pk),
                    _questionnaire_response(sheet, patient_urn, binder.language),
                )
            )
    return Bundle(
        type="collection",
        timestamp=timezone.now(),
        entry=[BundleEntry(fullUrl=url, resource=resource) for url, resource in entries],
    )


def export_fhir_bundle(
    client: Client, *, viewer: Viewer | None = None, include_identity_number: bool = False
) -> dict[str, Any]:
    """The binder as a FHIR R4 collection Bundle (built and validated with
    ``fhir.resources.R4B``), as JSON-ready data.

    Patient (no identity number unless ``include_identity_number``, then under the OID of
    the Swedish personal identity number, or of the co-ordination number), CareTeam (the
    care team and the resource group), CarePlan (the plan, its measures as activities),
    Goal (each sub-goal), Consent (each consent), QuestionnaireResponse (each worksheet).
    """
    binder = collect_binder(client, viewer=viewer)
    bundle = binder_fhir_bundle(binder, include_identity_number=include_identity_number)
    result: dict[str, Any] = bundle.model_dump(mode="json", by_alias=True, exclude_none=True)
    return result
