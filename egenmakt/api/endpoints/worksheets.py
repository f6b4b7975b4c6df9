"""Worksheets of the mapping: the list a seat reads, starting one with the client as the
mapping page does (``coordination:worksheet_start``), and one response read and answered
as its answer page does (``instruments:response``, ``instruments:answer``)."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status
from ninja.errors import HttpError

from egenmakt.api.auth import person_for
from egenmakt.api.models import Area
from egenmakt.api.schemas import (
    AnswersIn,
    FormErrorOut,
    ResponseOut,
    StaleOut,
    WorksheetOut,
    WorksheetStartIn,
)
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.coordination.checklist import worksheets_offered
from egenmakt.coordination.forms.common import add_service_errors
from egenmakt.coordination.forms.mapping import WorksheetForm
from egenmakt.coordination.models import Client
from egenmakt.coordination.rules import works_jointly
from egenmakt.coordination.selectors.mapping import steps_for
from egenmakt.coordination.selectors.team import active_team
from egenmakt.coordination.services import mapping as mapping_services
from egenmakt.coordination.services.common import CoordinationError
from egenmakt.coordination.views.common import log_read
from egenmakt.instruments import services as instrument_services
from egenmakt.instruments.answers import InvalidAnswersError
from egenmakt.instruments.models import Response
from egenmakt.instruments.schema import iter_items
from egenmakt.instruments.selectors import find_current_definition, get_response_for_user
from egenmakt.instruments.subjects import can_access_subject, person_of, read_reason_of

from .clients import open_client, open_client_for_change
from .common import HIDDEN, form_refusal

router = Router()


@router.get(
    "/clients/{client_id}/worksheets",
    response={200: list[WorksheetOut], **HIDDEN},
    url_name="client_worksheets",
    tags=["coordination"],
)
def client_worksheets(request: HttpRequest, client_id: int) -> Any:
    """The worksheet responses of the mapping the caller's seat reads (``steps_for``, as
    the client's overview and the mapping pages): the own organisation's, and under a valid
    consent the shared ones."""
    found, access = open_client(request, client_id)
    log_read(request, found, access, reason="worksheets")
    return [
        {
            "step": record.step,
            "done_on": record.done_on,
            "response_id": record.response.pk,
            "instrument": record.response.definition.key,
            "instrument_version": record.response.definition.version,
            "status": record.response.status,
            "submitted_at": record.response.submitted_at,
            "answers": record.response.answers,
            "scores": record.response.scores,
        }
        for record in steps_for(access, found)
        if record.response is not None
    ]


def _response(response: Response) -> dict[str, Any]:
    return {
        "id": response.pk,
        "instrument": response.definition.key,
        "instrument_version": response.definition.version,
        "respondent_kind": response.respondent_kind,
        "answered_on": response.answered_on,
        "status": response.status,
        "version": response.version,
        "submitted_at": response.submitted_at,
        "answers": response.answers,
        "scores": response.scores,
    }


@router.post(
    "/clients/{client_id}/worksheets",
    response={201: ResponseOut, **HIDDEN, 400: FormErrorOut},
    url_name="client_worksheet_start",
    tags=["coordination"],
)
def client_worksheet_start(request: HttpRequest, client_id: int, payload: WorksheetStartIn) -> Any:
    """Open a worksheet of the client's present phase as a draft (the mapping page's form
    and the service ``start_worksheet``): joint work only (403). A sheet of a relative or
    one entered from paper is started on the page, which names the relative or the scan."""
    found, access = open_client_for_change(request, client_id, allow=works_jointly)
    offered = {w.instrument for w in worksheets_offered(found.phase)}
    definition = (
        find_current_definition(payload.instrument, found.organisation)
        if payload.instrument in offered
        else None
    )
    if definition is None:
        raise HttpError(400, "Not a worksheet of the client's present phase.")
    form = WorksheetForm(
        {
            "respondent_kind": payload.respondent_kind,
            "done_on": (payload.done_on or timezone.localdate()).isoformat(),
            "others_present": payload.others_present,
            "comment": payload.comment,
            **({"client_present": "on"} if payload.client_present else {}),
            **({"shared": "on"} if payload.shared else {}),
        },
        definition=definition,
        team=active_team(found),
        user=request.user,
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            record = mapping_services.start_worksheet(
                user=request.user,  # type: ignore[arg-type]
                client=found, definition=definition, respondent_kind=data["respondent_kind"],
                done_on=data["done_on"], present=data["present"],
                client_present=data["client_present"], others_present=data["others_present"],
                shared=data["shared"], comment=data["comment"],
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        except CoordinationError as exc:
            form.add_error(None, str(exc))
        else:
            started = cast(Response, record.response)  # a worksheet's step always has one
            log_read(request, found, access, obj=started, reason=f"worksheet {definition.key}")
            return Status(201, _response(started))
    return form_refusal(form)


def _open_response(request: HttpRequest, response_id: int, *, write: bool) -> Response:
    """As the response pages: 404 out of reach; here only a response about a client (a
    coordination token), other subjects have their own areas and pages."""
    user = person_for(request, Area.COORDINATION, write=write)
    response = get_response_for_user(user, response_id, "view")
    if not isinstance(response.subject, Client):
        raise HttpError(404, "Not found.")
    return response


def _log_response(request: HttpRequest, response: Response, reason: str = "") -> None:
    subject: Any = response.subject
    log_access(
        request=request, action=Action.VIEW, person=person_of(subject), obj=response,
        reason=read_reason_of(request.user, subject, reason),
    )  # fmt: skip


@router.get(
    "/responses/{response_id}",
    response={200: ResponseOut, **HIDDEN},
    url_name="response",
    tags=["coordination"],
)
def response(request: HttpRequest, response_id: int) -> Any:
    """One worksheet response with its answers, scores and edit number."""
    found = _open_response(request, response_id, write=False)
    _log_response(request, found)
    return _response(found)


@router.put(
    "/responses/{response_id}/answers",
    response={200: ResponseOut, **HIDDEN, 400: FormErrorOut, 409: StaleOut},
    url_name="response_answers",
    tags=["coordination"],
)
def response_answers(request: HttpRequest, response_id: int, payload: AnswersIn) -> Any:
    """Save the answers as a draft, or submit them (``submit``: every required item then),
    through the answer page's services: 403 for one who reads but may not change, 400 for
    answers the instrument refuses (by item), 409 when the edit number is stale."""
    found = _open_response(request, response_id, write=True)
    subject: Any = found.subject
    if not can_access_subject(request.user, subject, "change"):
        raise PermissionDenied("instrument response: read-only")
    _log_response(request, found)
    # The page's form sends only the instrument's items; a key that is none of them is a
    # mistake of the caller, said rather than dropped.
    items = {item["key"] for item in iter_items(found.definition.definition)}
    unknown = sorted(set(payload.answers) - items)
    if unknown:
        errors = {key: ["Not an item of this instrument."] for key in unknown}
        return Status(400, {"detail": "Invalid input.", "errors": errors})
    save = instrument_services.submit_response if payload.submit else instrument_services.save_draft
    try:
        saved = save(
            user=request.user,  # type: ignore[arg-type]
            response=found, answers=payload.answers, expected_version=payload.version,
            answered_on=payload.answered_on,
        )  # fmt: skip
    except InvalidAnswersError as exc:
        errors = {key: [str(m) for m in messages] for key, messages in exc.errors.items()}
        return Status(400, {"detail": "Invalid input.", "errors": errors})
    except instrument_services.StaleResponseError as exc:
        found.refresh_from_db()
        return Status(409, {"detail": str(exc), "version": found.version})
    except instrument_services.InstrumentError as exc:
        return Status(400, {"detail": str(exc), "errors": {}})
    return _response(saved)
