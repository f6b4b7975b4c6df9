"""The client's binder as data: plain JSON and a FHIR R4 collection Bundle.

Both read the one collection ``binder.collect_binder`` makes, so they hold what the PDF
binder holds (never an organisation's own case notes), plus the consents and the care
team. ``viewer=None`` is the client's own export (GDPR art. 15 and 20; DESIGN rule 4); a
staff viewer gets only what they may read. The caller checks permission and writes the
access log.

JSON format ``egenmakt.binder`` version 1 (keys are stable; dates ``YYYY-MM-DD``, times ISO
8601 with offset; absent values are ``null``, absent lists ``[]``; codes are the stored
values, each with a readable ``*_label`` in the binder's language where one exists)::

    format, format_version, exported_at, language
    client        name, identity_number (masked unless asked for), co-ordination number,
                  protected_identity, address/postcode/town/phone/e-mail (empty when the
                  identity is protected), preferred_language, interpreter_needed,
                  home_organisation, phase, started_on
    care_team     [name, role, organisation, from]
    consents      [given_on, form, scope, valid_until, organisations, case_managers,
                   revoked_at, revocation_note, valid]
    checklist     checklist K, one row per step: [step, label, phase, both, done,
                   in_progress, entries [done_on, title, present, client_present,
                   others_present, comment], derived [done_on, present, comment]]
    contacts      [name, relationship, sector, closeness, workplace, phone, email, note,
                   on_map]
    worksheets    [id, instrument, instrument_version, title, answered_on, submitted_at,
                   answered_by, entered_by, organisation, shared, answers, scores]
    summary       [area, wants_to_change, obstacles, resources, source_worksheet]
    plan          null or {long_term_goal, responsible_principal, responsible_person,
                   urgent_measures, edit_number, decided_version {number, decided_on,
                   content}, goals [text, measure, target_date, status, latest_review,
                   actions], other_actions}
    early_warning_plan  {worksheet, copies_held_by, reviewed_on, reviewed_by}
    resource_group      [name, kind, role, organisation, chosen_by_client, from]
    meetings      [starts_at, place, chair, client_present, present, absent, agenda
                   [title, notes], minutes, goal_reviews [goal, attainment, comment],
                   decisions [kind, text]]

The FHIR export is built with ``fhir.resources.R4B``: fhir.resources 8 models R5 at its
top level, and R4B (4.3.0) is the release whose Patient, CarePlan, Goal, CareTeam, Consent
and QuestionnaireResponse are the R4 (4.0.1) structures, so the bundle reads as R4. Every
resource goes through its model, so data that would make invalid FHIR raises
``pydantic.ValidationError`` here rather than leaving the building.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone, translation

from egenmakt.coordination.checklist import ChecklistRow
from egenmakt.coordination.export.binder import Binder, GoalEntry, Worksheet, collect_binder
from egenmakt.coordination.models import (
    Client,
    Consent,
    PlanAction,
)

if TYPE_CHECKING:
    from egenmakt.accounts.types import Viewer

FORMAT = "egenmakt.binder"


FORMAT_VERSION = 1


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _time(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value is not None else None


def _action_json(action: PlanAction) -> dict[str, Any]:
    return {
        "what": action.what,
        "who": action.who,
        "principal": action.principal,
        "principal_label": str(action.get_principal_display()),
        "organisation": action.organisation_name,
        "when": action.when,
        "due_on": _day(action.due_on),
        "status": action.status,
        "status_label": str(action.get_status_display()),
        "urgent": action.urgent,
    }


def _goal_json(entry: GoalEntry) -> dict[str, Any]:
    goal, review = entry.goal, entry.review
    return {
        "text": goal.text,
        "measure": goal.measure,
        "target_date": _day(goal.target_date),
        "status": goal.status,
        "status_label": str(goal.get_status_display()),
        "organisation": goal.organisation.name,
        "latest_review": None
        if review is None
        else {
            "meeting_on": _day(timezone.localtime(review.meeting.starts_at).date()),
            "attainment": review.attainment,
            "attainment_label": str(review.get_attainment_display()),
            "comment": review.comment,
        },
        "actions": [_action_json(a) for a in entry.actions],
    }


def _worksheet_json(sheet: Worksheet) -> dict[str, Any]:
    response = sheet.response
    return {
        "id": response.pk,
        "instrument": response.definition.key,
        "instrument_version": response.definition.version,
        "title": sheet.title,
        "answered_on": _day(response.answered_on),
        "submitted_at": _time(response.submitted_at),
        "answered_by": response.respondent_kind,
        "answered_by_label": str(response.get_respondent_kind_display()),
        "entered_by": response.entered_by.full_name,
        "organisation": sheet.record.organisation.name,
        "shared": sheet.record.shared,
        "answers": response.answers,
        "scores": response.scores,
    }


def _consent_json(consent: Consent) -> dict[str, Any]:
    return {
        "given_on": _day(consent.given_on),
        "form": consent.form,
        "scope": list(consent.scope),
        "scope_labels": consent.scope_labels,
        "details": consent.details,
        "valid_until": _day(consent.valid_until),
        "organisations": sorted(o.name for o in consent.organisations.all()),
        "case_managers": sorted(u.full_name for u in consent.case_managers.all()),
        "revoked_at": _time(consent.revoked_at),
        "revocation_note": consent.revocation_note,
        "valid": consent.is_valid(),
    }


def _checklist_row_json(row: ChecklistRow) -> dict[str, Any]:
    definition = row.definition
    return {
        "step": definition.key,
        "label": str(definition.label),
        "phase": definition.phase,
        "both": definition.both,
        "done": row.done,
        "in_progress": row.in_progress,
        "entries": [
            {
                "done_on": _day(record.done_on),
                "title": record.title,
                "present": [person.full_name for person in record.present.all()],
                "client_present": record.client_present,
                "others_present": record.others_present,
                "comment": record.comment,
            }
            for record in row.records
        ],
        "derived": [
            {"done_on": _day(fact.done_on), "present": str(fact.present), "comment": fact.comment}
            for fact in row.derived
        ],
    }


def _client_json(client: Client, *, include_identity_number: bool) -> dict[str, Any]:
    hidden = client.protected_identity
    return {
        "name": client.full_name,
        "identity_number": client.identity_number
        if include_identity_number
        else client.masked_identity_number,
        "coordination_number": client.coordination_number,
        "protected_identity": hidden,
        "address": "" if hidden else client.address,
        "postcode": "" if hidden else client.postcode,
        "town": "" if hidden else client.city,
        "phone": "" if hidden else client.phone,
        "email": "" if hidden else client.email,
        "preferred_language": client.preferred_language,
        "interpreter_needed": client.interpreter_needed,
        "home_organisation": client.organisation.name,
        "phase": client.phase,
        "phase_label": str(client.get_phase_display()),
        "started_on": _day(client.started_on),
    }


def binder_json(binder: Binder, *, include_identity_number: bool = False) -> dict[str, Any]:
    client, plan = binder.client, binder.plan
    warning_plan = binder.warning_plan
    with translation.override(binder.language):
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "exported_at": _time(timezone.now()),
            "language": binder.language,
            "client": _client_json(client, include_identity_number=include_identity_number),
            "care_team": [
                {
                    "name": seat.user.full_name,
                    "role": seat.role,
                    "role_label": str(seat.get_role_display()),
                    "organisation": seat.organisation.name,
                    "from": _day(seat.started_on),
                }
                for seat in binder.team
            ],
            "consents": [_consent_json(c) for c in binder.consents],
            "checklist": [_checklist_row_json(row) for row in binder.checklist.rows]
            if binder.checklist is not None
            else [],
            "contacts": [
                {
                    "name": c.name,
                    "relationship": c.relationship,
                    "sector": c.sector,
                    "sector_label": str(c.get_sector_display()),
                    "closeness": c.closeness,
                    "closeness_label": str(c.get_closeness_display()),
                    "workplace": c.workplace,
                    "phone": c.phone,
                    "email": c.email,
                    "note": c.note,
                    "on_map": c.on_map,
                }
                for c in binder.contacts
            ],
            "worksheets": [_worksheet_json(w) for w in binder.worksheets],
            "summary": [
                {
                    "area": e.area,
                    "wants_to_change": e.wants_to_change,
                    "obstacles": e.obstacles,
                    "resources": e.resources,
                    "source_worksheet": e.source.response_id if e.source else None,
                }
                for e in binder.summary
            ],
            "plan": None
            if plan is None
            else {
                "long_term_goal": plan.long_term_goal,
                "responsible_principal": plan.responsible_principal,
                "responsible_person": plan.responsible_person.full_name
                if plan.responsible_person
                else "",
                "urgent_measures": plan.urgent_measures,
                "edit_number": plan.version,
                "decided_version": None
                if binder.decided is None
                else {
                    "number": binder.decided.number,
                    "decided_on": _day(binder.decided.decided_on),
                    "content": binder.decided.content,
                },
                "goals": [_goal_json(g) for g in binder.goals],
                "other_actions": [_action_json(a) for a in binder.other_actions],
            },
            "early_warning_plan": {
                "worksheet": binder.warning.response.pk if binder.warning else None,
                "copies_held_by": warning_plan.copies_held_by if warning_plan else "",
                "reviewed_on": _day(warning_plan.reviewed_on) if warning_plan else None,
                "reviewed_by": warning_plan.reviewed_by.full_name
                if warning_plan and warning_plan.reviewed_by
                else "",
            },
            "resource_group": [
                {
                    "name": m.name,
                    "kind": m.kind,
                    "role": m.role_label,
                    "team_role": m.team_role,
                    "organisation": m.organisation_name,
                    "chosen_by_client": m.chosen_by_client,
                    "from": _day(m.added_on),
                }
                for m in binder.group_members
            ],
            "meetings": [
                {
                    "starts_at": _time(e.meeting.starts_at),
                    "place": e.meeting.shown_place,
                    "place_kind": e.meeting.place_kind,
                    "chair": e.meeting.chair,
                    "client_present": e.meeting.client_present,
                    "present": [m.name for m in e.present],
                    "absent": [m.name for m in e.absent],
                    "agenda": [{"title": i.title, "notes": i.notes} for i in e.agenda],
                    "minutes": e.meeting.minutes,
                    "goal_reviews": [
                        {
                            "goal": r.goal.text,
                            "attainment": r.attainment,
                            "attainment_label": str(r.get_attainment_display()),
                            "comment": r.comment,
                        }
                        for r in e.reviews
                    ],
                    "decisions": [
                        {"kind": d.kind, "kind_label": str(d.get_kind_display()), "text": d.text}
                        for d in e.decisions
                    ],
                }
                for e in binder.meetings
            ],
        }


def export_json(
    client: Client, *, viewer: Viewer | None = None, include_identity_number: bool = False
) -> dict[str, Any]:
    """Everything the binder holds, plus consents and the care team, as plain JSON."""
    binder = collect_binder(client, viewer=viewer)
    return binder_json(binder, include_identity_number=include_identity_number)
