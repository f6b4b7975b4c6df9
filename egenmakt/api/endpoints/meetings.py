"""Resource-group meetings: the list, booking, and one meeting's minutes read and saved
as the meeting page saves them (``coordination:meeting``, ``meeting_save``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Status

from egenmakt.api.schemas import (
    FormErrorOut,
    MeetingIn,
    MeetingOut,
    MeetingRecordOut,
    MinutesIn,
    StaleOut,
)
from egenmakt.coordination.forms.common import add_service_errors
from egenmakt.coordination.forms.meetings import BookMeetingForm, MeetingForm, meeting_as_saved
from egenmakt.coordination.models import Client, Meeting
from egenmakt.coordination.rules import works_jointly
from egenmakt.coordination.selectors import meetings as meetings_selectors
from egenmakt.coordination.selectors.meetings import meetings_for
from egenmakt.coordination.services import meetings as meeting_services
from egenmakt.coordination.services.common import CoordinationError
from egenmakt.coordination.views.common import log_read

from .clients import open_client, open_client_for_change
from .common import HIDDEN, form_refusal

router = Router()


@router.get(
    "/clients/{client_id}/meetings",
    response={200: list[MeetingOut], **HIDDEN},
    url_name="client_meetings",
    tags=["coordination"],
)
def client_meetings(request: HttpRequest, client_id: int) -> Any:
    """The meetings the caller's seat reads (``coordination:meetings``)."""
    found, access = open_client(request, client_id)
    log_read(request, found, access, reason="meetings")
    return [_meeting(m) for m in meetings_for(access, found)]


def _meeting(m: Any) -> dict[str, Any]:
    return {
        "id": m.pk,
        "starts_at": m.starts_at,
        "duration_minutes": m.duration_minutes,
        "place": m.shown_place,
        "status": m.status,
        # Counted by ``meetings_for``'s annotation.
        "invited": getattr(m, "invited", 0),
        "came": getattr(m, "came", 0),
    }


@router.post(
    "/clients/{client_id}/meetings",
    response={201: MeetingOut, **HIDDEN, 400: FormErrorOut},
    url_name="client_meeting_book",
    tags=["coordination"],
)
def client_meeting_book(request: HttpRequest, client_id: int, payload: MeetingIn) -> Any:
    """Book a resource-group meeting as the group page does (``coordination:meeting_book``,
    its form and the service ``book_meeting``): joint work only, under the group's consent."""
    found, access = open_client_for_change(request, client_id, allow=works_jointly)
    form = BookMeetingForm(
        {
            "starts_at": payload.starts_at.isoformat(),
            "duration_minutes": str(payload.duration_minutes),
            "place": payload.place,
            "chair": payload.chair,
            "extra_items": "\n".join(payload.extra_items),
            **({"invite": "on"} if payload.invite else {}),
        }
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            meeting = meeting_services.book_meeting(
                user=request.user,  # type: ignore[arg-type]
                client=found, starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"], place=data["place"],
                chair=data["chair"], extra_items=data["extra_items"].splitlines(),
                invite=data["invite"],
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        except CoordinationError as exc:
            form.add_error(None, str(exc))
        else:
            log_read(request, found, access, obj=meeting, reason="meetings")
            booked = next(m for m in meetings_for(access, found) if m.pk == meeting.pk)
            return Status(201, _meeting(booked))
    return form_refusal(form)


def _record(meeting: Meeting) -> dict[str, Any]:
    return {
        **_meeting(meeting),
        "invited": sum(1 for row in meeting.attendance.all() if row.invited_at is not None),
        "came": sum(1 for row in meeting.attendance.all() if row.present),
        "version": meeting.version,
        "chair": meeting.chair,
        "minutes": meeting.minutes,
        "client_present": meeting.client_present,
        "warning_plan_reviewed": meeting.warning_plan_reviewed,
        "agenda": [
            {"id": i.pk, "key": i.key, "title": i.title, "notes": i.notes}
            for i in meeting.agenda.all()
        ],
        "attendance": [
            {"member_id": row.member_id, "name": row.member.name, "present": row.present}
            for row in meeting.attendance.all()
        ],
    }


@router.get(
    "/clients/{client_id}/meetings/{meeting_id}",
    response={200: MeetingRecordOut, **HIDDEN},
    url_name="client_meeting",
    tags=["coordination"],
)
def client_meeting(request: HttpRequest, client_id: int, meeting_id: int) -> Any:
    """One meeting with its agenda, attendance and minutes (``coordination:meeting``)."""
    found, access = open_client(request, client_id)
    meeting = meetings_selectors.get_meeting_for(access, found, meeting_id)
    log_read(request, found, access, obj=meeting, reason="resource-group meeting")
    return _record(meeting)


def _minutes_form(client: Client, meeting: Meeting, payload: MinutesIn) -> MeetingForm:
    """The meeting page's form, bound to the meeting as it stands with the payload's
    changes laid over it: an id that is not this meeting's item, member or sub-goal is a
    form error, as a field the page does not have."""
    attendance = meetings_selectors.attendance_to_fill(client, meeting)
    goals = meetings_selectors.goals_assessed(client)
    data: dict[str, Any] = meeting_as_saved(meeting, attendance, goals)
    code = {True: "yes", False: "no", None: ""}
    for field in ("minutes", "held", "warning_plan_reviewed"):
        if getattr(payload, field) is not None:
            data[field] = getattr(payload, field)
    if payload.client_present is not None:
        data["client_present"] = code[payload.client_present]
    unknown: dict[str, list[str]] = {}
    for note in payload.agenda_notes:
        data[f"notes_{note.item_id}"] = note.notes
    for row in payload.present:
        data[f"present_{row.member_id}"] = code[row.present]
    for review in payload.goal_reviews:
        data[f"attainment_{review.goal_id}"] = (
            "" if review.attainment is None else review.attainment
        )
        data[f"comment_{review.goal_id}"] = review.comment
    # A checkbox is sent only when ticked, as a browser does.
    bound = {
        key: ("on" if value is True else value)
        for key, value in data.items()
        if value is not False and value is not None
    }
    form = MeetingForm(bound, agenda=list(meeting.agenda.all()), attendance=attendance, goals=goals)
    known = set(form.fields)
    for key in bound:
        if key not in known:
            unknown.setdefault(key, []).append("Not an item, member or sub-goal of this meeting.")
    form.is_valid()
    for key, messages in unknown.items():
        for message in messages:
            form.add_error(None, f"{key}: {message}")
    return form


@router.put(
    "/clients/{client_id}/meetings/{meeting_id}/minutes",
    response={200: MeetingRecordOut, **HIDDEN, 400: FormErrorOut, 409: StaleOut},
    url_name="client_meeting_minutes",
    tags=["coordination"],
)
def client_meeting_minutes(
    request: HttpRequest, client_id: int, meeting_id: int, payload: MinutesIn
) -> Any:
    """Record the meeting as held (``coordination:meeting_save``, the service
    ``save_meeting``): joint work only (403), the page's form (400), the meeting's edit
    number (409 when stale, nothing saved)."""
    found, access = open_client_for_change(request, client_id, allow=works_jointly)
    meeting = meetings_selectors.get_meeting_for(access, found, meeting_id)
    form = _minutes_form(found, meeting, payload)
    if not form.is_valid():
        return form_refusal(form)
    try:
        meeting_services.save_meeting(
            user=request.user,  # type: ignore[arg-type]
            client=found, meeting=meeting, expected_version=payload.version,
            record=meeting_services.MeetingRecord(**form.record()),
        )  # fmt: skip
    except meeting_services.StaleMeetingError as exc:
        fresh = meetings_selectors.get_meeting_for(access, found, meeting.pk)
        log_read(request, found, access, obj=fresh, reason="meeting: refused stale save")
        return Status(409, {"detail": str(exc), "version": fresh.version})
    except ValidationError as exc:
        add_service_errors(form, exc)
        return form_refusal(form)
    except CoordinationError as exc:
        form.add_error(None, str(exc))
        return form_refusal(form)
    saved = meetings_selectors.get_meeting_for(access, found, meeting.pk)
    log_read(request, found, access, obj=saved, reason="resource-group meeting")
    return _record(saved)
