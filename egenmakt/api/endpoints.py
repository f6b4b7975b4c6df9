"""The operations of ``/api/v1/``, by area. Each calls the selector or service its page
calls; the comments name the page it mirrors."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Router, Status
from ninja.errors import HttpError

from egenmakt.accounts import services as account_services
from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import (
    AdminScope,
    admin_scope,
    held_roles,
    membership_in_scope,
    memberships_in_scope,
    organisation_in_scope,
    organisations_with_role,
    person_in_scope,
)
from egenmakt.audit.services import log_access, log_list_access
from egenmakt.coordination import access as client_kernel
from egenmakt.coordination.access import ClientAccess, client_access
from egenmakt.coordination.forms.clients import RegisterClientForm
from egenmakt.coordination.forms.common import add_service_errors
from egenmakt.coordination.forms.consent import ConsentRecordForm
from egenmakt.coordination.forms.meetings import BookMeetingForm
from egenmakt.coordination.forms.plan import GoalForm, PlanActionForm, PlanStatusForm
from egenmakt.coordination.models import Client, Plan, PlanAction
from egenmakt.coordination.rules import may_register_client, works_jointly
from egenmakt.coordination.selectors.consent import consents_of
from egenmakt.coordination.selectors.mapping import steps_for
from egenmakt.coordination.selectors.meetings import meetings_for
from egenmakt.coordination.selectors.plan import decided_versions
from egenmakt.coordination.selectors.team import active_team
from egenmakt.coordination.services import clients as clients_services
from egenmakt.coordination.services import consent as consent_services
from egenmakt.coordination.services import meetings as meeting_services
from egenmakt.coordination.services import plan as plan_services
from egenmakt.coordination.services.common import CoordinationError
from egenmakt.coordination.views.common import log_read
from egenmakt.influence.indicators import dashboard, quarters
from egenmakt.influence.public_views import approved_activities, area_by_slug
from egenmakt.influence.rules import areas_for
from egenmakt.peer.models import ApplicationStatus
from egenmakt.peer.rules import may_decide, may_take_attendance
from egenmakt.peer.selectors import course, recruitment
from egenmakt.peer.services import course as course_services
from egenmakt.peer.services import recruitment as recruitment_services
from egenmakt.peer.services.recruitment import RecruitmentError
from egenmakt.reports.programme import programme_report, rounds_in
from egenmakt.reports.rules import report_networks

from .auth import Caller, caller_for, person_for
from .models import Area
from .schemas import (
    ActivityOut,
    ApplicationOut,
    AttendanceIn,
    AttendanceRowOut,
    AttendanceSaved,
    ClientIn,
    ClientOut,
    ClientSummaryOut,
    CohortOut,
    ConsentIn,
    ConsentOut,
    DecisionIn,
    DecisionOut,
    ErrorOut,
    FormErrorOut,
    GoalIn,
    GoalSaved,
    IndicatorsOut,
    InvalidOut,
    MeetingIn,
    MeetingOut,
    MembershipIn,
    MembershipOut,
    OrganisationOut,
    PlanActionIn,
    PlanActionSaved,
    PlanActionStatusIn,
    PlanOut,
    ProgrammeReportOut,
    RoundOut,
    SessionOut,
    StaleOut,
    TokenOut,
    WorksheetOut,
)

router = Router()
# Every operation may meet these: 400 from the project's guard against control characters
# in any request (egenmakt/core/input.py), 401 without a usable token, 403 without the
# scope or the right, 422 for parameters that do not fit, 429 over the rate limit.
DENIED = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: InvalidOut, 429: ErrorOut}
HIDDEN = {**DENIED, 404: ErrorOut}
LIST_LIMIT = 500


@router.get("/me", response={200: TokenOut, **DENIED}, url_name="me", tags=["token"])
def me(request: HttpRequest) -> Any:
    """The token this request came with: whose, which scopes, until when."""
    caller: Caller = request.auth  # type: ignore[attr-defined]
    token = caller.token
    return {
        "name": token.name,
        "kind": "service" if token.is_service else "personal",
        "scopes": token.scopes,
        "expires_at": token.expires_at,
        "user_id": token.user_id,
        "organisation_id": token.organisation_id,
    }


# --- Organisations and memberships (administration, /administration/) ---------------------


def _scope(request: HttpRequest) -> AdminScope:
    """Where the caller administers: a person's own admin scope (as on the administration
    pages), or a service token's organisation and the units below it."""
    caller = caller_for(request, Area.ORGANISATIONS)
    token = caller.token
    if token.organisation is not None:
        return AdminScope(actor=token.created_by, paths=(token.organisation.path,))
    scope = admin_scope(caller.user)
    if scope is None:
        raise HttpError(403, "Only an organisation's administrator reads its tree.")
    return scope


def _reason(request: HttpRequest, text: str) -> str:
    """The log row's reason; a service token acts as nobody, so its row names the token
    (the auditor finds it, and who made it, among the organisation's tokens)."""
    caller = getattr(request, "auth", None)
    if isinstance(caller, Caller) and caller.token.is_service:
        return f"{text} (service token {caller.token.pk})"
    return text


@router.get(
    "/organisations",
    response={200: list[OrganisationOut], **DENIED},
    url_name="organisations",
    tags=["organisations"],
)
def organisations(request: HttpRequest) -> Any:
    scope = _scope(request)
    log_access(request=request, reason=_reason(request, "api: organisation tree"))
    return list(scope.organisations().order_by("path")[:LIST_LIMIT])


@router.get(
    "/organisations/{organisation_id}/memberships",
    response={200: list[MembershipOut], **HIDDEN},
    url_name="memberships",
    tags=["organisations"],
)
def memberships(request: HttpRequest, organisation_id: int) -> Any:
    scope = _scope(request)
    organisation = organisation_in_scope(scope, organisation_id)
    rows = list(
        memberships_in_scope(scope)
        .filter(organisation=organisation, user__is_superuser=False)
        .select_related("user")
        .order_by("user__full_name", "role", "id")[:LIST_LIMIT]
    )
    log_list_access(
        request=request,
        people=[row.user for row in rows],
        organisation=organisation,
        reason=_reason(request, "api: memberships"),
    )
    return [_membership(row) for row in rows]


def _membership(row: Any) -> dict[str, Any]:
    return {
        "id": row.pk,
        "user_id": row.user_id,
        "full_name": row.user.full_name,
        "organisation_id": row.organisation_id,
        "role": row.role,
        "created_at": row.created_at,
    }


def _admin_for_change(request: HttpRequest) -> tuple[Any, AdminScope]:
    """A change of memberships is a person's act (the change trail names them): a personal
    token of an administrator, with the write scope."""
    user = person_for(request, Area.ORGANISATIONS, write=True)
    scope = admin_scope(user)
    if scope is None:
        raise HttpError(403, "Only an organisation's administrator changes its memberships.")
    return user, scope


@router.post(
    "/organisations/{organisation_id}/memberships",
    response={201: MembershipOut, **HIDDEN},
    url_name="membership_give",
    tags=["organisations"],
)
def membership_give(request: HttpRequest, organisation_id: int, payload: MembershipIn) -> Any:
    """Give a person already in the administrator's tree a role in one of its
    organisations (``administration:grant_role``, its service ``grant_role``)."""
    user, scope = _admin_for_change(request)
    organisation = organisation_in_scope(scope, organisation_id)
    person = person_in_scope(scope, payload.user_id)
    try:
        row = account_services.grant_role(
            actor=user, scope=scope, user=person, organisation=organisation, role=payload.role
        )
    except account_services.OutsideTree:
        raise HttpError(404, "Not found.") from None
    except account_services.AdministrationError as exc:
        raise HttpError(400, str(exc)) from None
    return Status(201, _membership(row))


@router.delete(
    "/memberships/{membership_id}",
    response={204: None, **HIDDEN},
    url_name="membership_end",
    tags=["organisations"],
)
def membership_end(request: HttpRequest, membership_id: int) -> Any:
    """End a role in the administrator's tree (``administration:end_membership``)."""
    user, scope = _admin_for_change(request)
    membership = membership_in_scope(scope, membership_id)
    try:
        account_services.end_membership(actor=user, scope=scope, membership=membership)
    except account_services.OutsideTree:
        raise HttpError(404, "Not found.") from None
    except account_services.AdministrationError as exc:
        raise HttpError(400, str(exc)) from None
    return Status(204, None)


# --- Clients (coordination: the client list and a client's pages) -------------------------


def _summary(client: Client) -> dict[str, Any]:
    return {
        "id": client.pk,
        "full_name": client.full_name,
        "organisation_id": client.organisation_id,
        "phase": client.phase,
        "started_on": client.started_on,
        "restricted": client.restricted_at is not None,
    }


def open_client(request: HttpRequest, client_id: int) -> tuple[Client, ClientAccess]:
    """As ``coordination.views.common.client_view``: the client or 404; a sealed record
    (archived or restricted) is opened on its own pages after a reason, never here."""
    user = person_for(request, Area.COORDINATION)
    try:
        client = client_kernel.get_client_for(user, client_id)
    except client_kernel.ReasonRequired:
        raise HttpError(404, "Not found.") from None
    return client, client_access(user, client)


@router.get(
    "/clients",
    response={200: list[ClientSummaryOut], **DENIED},
    url_name="clients",
    tags=["coordination"],
)
def clients(request: HttpRequest) -> Any:
    """The caller's clients (``coordination:client_list``), each read logged."""
    user = person_for(request, Area.COORDINATION)
    rows = list(client_kernel.clients_for(user)[:LIST_LIMIT])
    log_list_access(request=request, people=rows, reason="client list")
    return [_summary(client) for client in rows]


@router.post(
    "/clients",
    response={201: ClientSummaryOut, **DENIED, 400: FormErrorOut},
    url_name="client_register",
    tags=["coordination"],
)
def client_register(request: HttpRequest, payload: ClientIn) -> Any:
    """Register a client as the new-client page does (``coordination:register``, its form
    and the service ``register_client``): case managers only (else 403)."""
    user = person_for(request, Area.COORDINATION, write=True)
    if not may_register_client(user):
        raise PermissionDenied("register client")
    organisations = organisations_with_role(user, Role.CASE_MANAGER)
    organisation_id = payload.organisation_id
    if organisation_id is None and organisations.count() == 1:
        organisation_id = organisations.values_list("pk", flat=True).first()
    data: dict[str, Any] = {
        **payload.dict(
            exclude={"organisation_id", "protected_identity", "interpreter_needed", "started_on"}
        ),
        "meeting_place": payload.meeting_place.value,
        "organisation": "" if organisation_id is None else str(organisation_id),
        "started_on": (payload.started_on or timezone.localdate()).isoformat(),
    }
    for flag in ("protected_identity", "interpreter_needed"):
        if getattr(payload, flag):
            data[flag] = "on"
    form = RegisterClientForm(data, organisations=organisations)
    if form.is_valid():
        cleaned = form.cleaned_data
        try:
            registered = clients_services.register_client(
                user=user,
                organisation=cleaned["organisation"],
                identity_number=cleaned["identity_number"],
                data=cleaned,
            )
        except CoordinationError as exc:
            form.add_error("identity_number", str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # The page goes on to the consent page, whose read is logged; here the answer is.
            log_read(request, registered, client_access(user, registered), reason="client")
            return Status(201, _summary(registered))
    return form_refusal(form)


@router.get(
    "/clients/{client_id}",
    response={200: ClientOut, **HIDDEN},
    url_name="client",
    tags=["coordination"],
)
def client(request: HttpRequest, client_id: int) -> Any:
    """One client and their consents (``coordination:client_detail`` and the consent tab)."""
    found, access = open_client(request, client_id)
    log_read(request, found, access, reason="consent")
    return {**_summary(found), "consents": [_consent(c) for c in consents_of(found)]}


def _consent(consent: Any) -> dict[str, Any]:
    return {
        "id": consent.pk,
        "given_on": consent.given_on,
        "form": consent.form,
        "scope": list(consent.scope),
        "valid_until": consent.valid_until,
        "revoked_at": consent.revoked_at,
        "organisation_ids": sorted(o.pk for o in consent.organisations.all()),
    }


@router.get(
    "/clients/{client_id}/consents",
    response={200: list[ConsentOut], **HIDDEN},
    url_name="client_consents",
    tags=["coordination"],
)
def client_consents(request: HttpRequest, client_id: int) -> Any:
    found, access = open_client(request, client_id)
    log_read(request, found, access, reason="consent")
    return [_consent(c) for c in consents_of(found)]


def form_refusal(form: Any) -> Any:
    """The page's 400 (its bound form with the errors) as JSON."""
    errors = {field: [str(m) for m in messages] for field, messages in form.errors.items()}
    return Status(400, {"detail": "Invalid input.", "errors": errors})


def open_client_for_change(
    request: HttpRequest, client_id: int, allow: Any = None
) -> tuple[Client, ClientAccess]:
    """A change on a client's pages: the write scope, the client or 404 (as ``open_client``),
    then the page's rule (the care team, ``in_team``, unless another is given): one who
    sees the client but may not change it gets 403, logged, as on the page."""
    person_for(request, Area.COORDINATION, write=True)
    found, access = open_client(request, client_id)
    allowed = access.in_team if allow is None else allow(access, found)
    if not allowed:
        raise PermissionDenied("coordination change")
    return found, access


@router.post(
    "/clients/{client_id}/consents",
    response={201: ConsentOut, **HIDDEN, 400: FormErrorOut},
    url_name="client_consent_record",
    tags=["coordination"],
)
def client_consent_record(request: HttpRequest, client_id: int, payload: ConsentIn) -> Any:
    """Record a consent as the consent page does (``coordination:consent``, its form and
    the service ``record_consent``; the first valid one starts the mapping)."""
    found, access = open_client_for_change(request, client_id)
    form = ConsentRecordForm(
        {
            "given_on": payload.given_on.isoformat(),
            "form": payload.form.value,
            "scope": [key.value for key in payload.scope],
            "organisations": [str(pk) for pk in payload.organisation_ids],
            "case_managers": [str(pk) for pk in payload.case_manager_ids],
            "details": payload.details,
            "valid_until": payload.valid_until.isoformat() if payload.valid_until else "",
        },
        team=active_team(found),
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            row = consent_services.record_consent(
                user=request.user,  # type: ignore[arg-type]
                client=found,
                given_on=data["given_on"],
                form=data["form"],
                scope=data["scope"],
                details=data["details"],
                valid_until=data["valid_until"],
                organisations=data["organisations"],
                case_managers=data["case_managers"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            # The page goes on to the client, whose read is logged; here the answer is.
            log_read(request, found, access, obj=row, reason="consent")
            return Status(201, _consent(row))
    return form_refusal(form)


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
        "place": m.place,
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


@router.get(
    "/clients/{client_id}/plan",
    response={200: PlanOut, **HIDDEN},
    url_name="client_plan",
    tags=["coordination"],
)
def client_plan(request: HttpRequest, client_id: int) -> Any:
    """The plan as its page shows it (``coordination:plan``): the long-term goal, the
    sub-goals and measures, and the number of the version last decided. Reading never
    makes a plan (the page's ``plan_for`` does, for its forms)."""
    found, access = open_client(request, client_id)
    plan = Plan.objects.filter(client=found).first()
    log_read(request, found, access, obj=plan, reason="plan")
    if plan is None:
        return {
            # The edit number the plan starts at when the first change makes it.
            "exists": False, "version": Plan._meta.get_field("version").get_default(),
            "long_term_goal": "", "current_version": None,
            "goals": [], "actions": [],
        }  # fmt: skip
    versions = decided_versions(found, plan)
    return {
        "exists": True,
        "version": plan.version,
        "long_term_goal": plan.long_term_goal,
        "current_version": versions[0] if versions else None,
        "goals": list(plan.goals.all()),
        "actions": list(plan.actions.all()),
    }


PLAN_WRITE = {**HIDDEN, 400: FormErrorOut, 409: StaleOut}


def _plan_change(
    request: HttpRequest, client_id: int, make_form: Any, save: Any, answer: Any, ok: int = 201
) -> Any:
    """One change to the plan as the plan page's ``_post`` makes it: joint work only (403),
    the page's form (400), the edit number (409 when stale, nothing saved), the service's
    refusals (400, or 403 for what it does not allow)."""
    found, access = open_client_for_change(request, client_id, allow=works_jointly)
    user: Any = request.user
    plan = plan_services.plan_for(found, user)
    form = make_form(plan)
    if not form.is_valid():
        return form_refusal(form)
    try:
        saved = save(user, found, plan, form.cleaned_data)
    except plan_services.StalePlanError as exc:
        plan.refresh_from_db()
        log_read(request, found, access, obj=plan, reason="plan: refused stale save")
        return Status(409, {"detail": str(exc), "version": plan.version})
    except ValidationError as exc:
        add_service_errors(form, exc)
        return form_refusal(form)
    except PermissionDenied as exc:
        raise PermissionDenied("plan") from exc
    log_read(request, found, access, obj=plan, reason="plan")
    return Status(ok, {**answer(saved), "version": plan.version})


def _goal(goal: Any) -> dict[str, Any]:
    return {
        "id": goal.pk, "text": goal.text, "measure": goal.measure,
        "target_date": goal.target_date, "status": goal.status,
    }  # fmt: skip


def _action(action: Any) -> dict[str, Any]:
    return {
        "id": action.pk, "goal_id": action.goal_id, "what": action.what, "who": action.who,
        "when": action.when, "due_on": action.due_on, "status": action.status,
        "urgent": action.urgent,
    }  # fmt: skip


@router.post(
    "/clients/{client_id}/plan/goals",
    response={201: GoalSaved, **PLAN_WRITE},
    url_name="client_plan_goal",
    tags=["coordination"],
)
def client_plan_goal(request: HttpRequest, client_id: int, payload: GoalIn) -> Any:
    """Add a sub-goal (``coordination:plan_goal``, the service ``add_goal``)."""
    data = payload.dict(exclude={"version"})
    data["target_date"] = payload.target_date.isoformat()
    return _plan_change(
        request,
        client_id,
        lambda _plan: GoalForm(data),
        lambda user, client, plan, cleaned: plan_services.add_goal(
            user=user, client=client, plan=plan, expected_version=payload.version, **cleaned
        ),
        _goal,
    )


@router.post(
    "/clients/{client_id}/plan/actions",
    response={201: PlanActionSaved, **PLAN_WRITE},
    url_name="client_plan_action",
    tags=["coordination"],
)
def client_plan_action(request: HttpRequest, client_id: int, payload: PlanActionIn) -> Any:
    """Add a measure (``coordination:plan_action``, the service ``add_action``); a
    ``goal_id`` that is not one of this plan's sub-goals is a form error, as on the page."""
    data: dict[str, Any] = {
        "goal": "" if payload.goal_id is None else str(payload.goal_id),
        "what": payload.what,
        "who": payload.who,
        "principal": payload.principal.value,
        "organisation_name": payload.organisation_name,
        "when": payload.when,
        "due_on": payload.due_on.isoformat() if payload.due_on else "",
    }
    if payload.urgent:
        data["urgent"] = "on"
    return _plan_change(
        request,
        client_id,
        lambda plan: PlanActionForm(data, goals=plan.goals.all()),
        lambda user, client, plan, cleaned: plan_services.add_action(
            user=user, client=client, plan=plan, expected_version=payload.version, data=cleaned
        ),
        _action,
    )


@router.put(
    "/clients/{client_id}/plan/actions/{action_id}/status",
    response={200: PlanActionSaved, **PLAN_WRITE},
    url_name="client_plan_action_status",
    tags=["coordination"],
)
def client_plan_action_status(
    request: HttpRequest, client_id: int, action_id: int, payload: PlanActionStatusIn
) -> Any:
    """Change a measure's status (``coordination:plan_action_status``, the service
    ``set_action_status``); a measure of another client's plan is 404."""

    def save(user: Any, client: Client, plan: Plan, cleaned: dict[str, Any]) -> Any:
        action = PlanAction.objects.filter(plan__client=client, pk=action_id).first()
        if action is None:
            raise HttpError(404, "Not found.")
        return plan_services.set_action_status(
            user=user, client=client, plan=plan, expected_version=payload.version,
            action=action, status=cleaned["status"],
        )  # fmt: skip

    return _plan_change(
        request,
        client_id,
        lambda _plan: PlanStatusForm({"status": payload.status.value}),
        save,
        _action,
        ok=200,
    )


# --- Recruitment (``peer:rounds``, the application list) -----------------------------------


@router.get(
    "/rounds", response={200: list[RoundOut], **DENIED}, url_name="rounds", tags=["recruitment"]
)
def rounds(request: HttpRequest) -> Any:
    user = person_for(request, Area.RECRUITMENT)
    rows = list(recruitment.rounds_for(user)[:LIST_LIMIT])
    # As ``peer:round_list``: coordinators and interviewers, and anyone in a round.
    roles = {held.role for held in held_roles(user)}
    if not rows and not roles & {Role.COORDINATOR, Role.INTERVIEWER}:
        raise PermissionDenied("recruitment rounds")
    return rows


@router.get(
    "/rounds/{round_id}/applications",
    response={200: list[ApplicationOut], **HIDDEN},
    url_name="round_applications",
    tags=["recruitment"],
)
def round_applications(
    request: HttpRequest, round_id: int, status: ApplicationStatus | None = None
) -> Any:
    """The applications the caller's part in the round shows (a coordinator all, an
    interviewer those at the interview step), each read logged."""
    user = person_for(request, Area.RECRUITMENT)
    round_ = recruitment.get_round_for(user, round_id)
    chosen = status.value if status is not None else ""
    rows = list(recruitment.applications_in(user, round_, status=chosen)[:LIST_LIMIT])
    log_list_access(request=request, people=rows, obj=round_, reason="application list")
    return rows


@router.get(
    "/applications/{application_id}",
    response={200: ApplicationOut, **HIDDEN},
    url_name="application",
    tags=["recruitment"],
)
def application(request: HttpRequest, application_id: int) -> Any:
    """One application's status (``peer:application``)."""
    user = person_for(request, Area.RECRUITMENT)
    found = recruitment.get_application_for(user, application_id)
    log_access(request=request, person=found, obj=found, reason="application")
    return found


@router.post(
    "/applications/{application_id}/decisions",
    response={201: DecisionOut, **HIDDEN},
    url_name="application_decide",
    tags=["recruitment"],
)
def application_decide(request: HttpRequest, application_id: int, payload: DecisionIn) -> Any:
    """Take a step's decision, which moves the application's status (``peer:decide``, its
    service ``decide``): the round's coordinators only (else 403), the page's refusals as
    400 (an outcome of another step, a status the step cannot be taken from)."""
    user = person_for(request, Area.RECRUITMENT, write=True)
    found = recruitment.get_application_for(user, application_id)
    if not may_decide(user, found):
        raise PermissionDenied("application decision")
    # As the page's decorator: the opening is logged, then the service logs the change.
    log_access(request=request, person=found, obj=found, reason="application decision")
    try:
        decision = recruitment_services.decide(
            user=user,
            application=found,
            step=payload.step.value,
            outcome=payload.outcome.value,
            reason=payload.reason.value,
            comment=payload.comment,
        )
    except RecruitmentError as exc:
        raise HttpError(400, str(exc)) from None
    return Status(
        201,
        {
            "id": decision.pk,
            "application_id": found.pk,
            "step": decision.step,
            "outcome": decision.outcome,
            "reason": decision.reason,
            "decided_at": decision.decided_at,
            "application_status": decision.application.status,
        },
    )


# --- Courses (``peer:cohorts``, attendance) -------------------------------------------------


@router.get(
    "/cohorts", response={200: list[CohortOut], **DENIED}, url_name="cohorts", tags=["courses"]
)
def cohorts(request: HttpRequest) -> Any:
    user = person_for(request, Area.COURSES)
    return list(course.cohorts_for(user).order_by("-id")[:LIST_LIMIT])


@router.get(
    "/cohorts/{cohort_id}/sessions",
    response={200: list[SessionOut], **HIDDEN},
    url_name="cohort_sessions",
    tags=["courses"],
)
def cohort_sessions(request: HttpRequest, cohort_id: int) -> Any:
    user = person_for(request, Area.COURSES)
    cohort = course.get_cohort_for(user, cohort_id)
    log_access(request=request, obj=cohort, reason="cohort")
    return course.sessions_of(cohort)


def _session_for_attendance(request: HttpRequest, session_id: int, *, write: bool) -> Any:
    """As ``peer:attendance``: the session's staff reach it (else 404), and only those who
    take attendance may read or change the sheet (else 403, logged)."""
    user = person_for(request, Area.COURSES, write=write)
    session = course.get_session_for(user, session_id)
    if not may_take_attendance(user, session.cohort):
        raise PermissionDenied("attendance")
    return user, session


def _sheet(request: HttpRequest, session: Any) -> list[dict[str, Any]]:
    sheet = course.attendance_sheet(session)
    log_list_access(
        request=request, people=[p.application for p, _m in sheet], obj=session, reason="attendance"
    )
    return [
        {
            "participant_id": participant.pk,
            "full_name": participant.application.full_name,
            "status": mark.status if mark is not None else None,
        }
        for participant, mark in sheet
    ]


@router.get(
    "/sessions/{session_id}/attendance",
    response={200: list[AttendanceRowOut], **HIDDEN},
    url_name="attendance",
    tags=["courses"],
)
def attendance(request: HttpRequest, session_id: int) -> Any:
    _user, session = _session_for_attendance(request, session_id, write=False)
    return _sheet(request, session)


@router.put(
    "/sessions/{session_id}/attendance",
    response={200: AttendanceSaved, **HIDDEN},
    url_name="attendance_save",
    tags=["courses"],
)
def attendance_save(request: HttpRequest, session_id: int, payload: AttendanceIn) -> Any:
    """Record attendance through the page's service (``take_attendance``): the marks given
    change, the others stay."""
    user, session = _session_for_attendance(request, session_id, write=True)
    marks = {mark.participant_id: mark.status for mark in payload.marks}
    try:
        changed = course_services.take_attendance(user=user, session=session, marks=marks)
    except RecruitmentError as exc:
        return Status(400, {"detail": str(exc)})
    return {"changed": changed}


# --- Reports: indicators (``influence:indicators``) and the programme report ------------------


@router.get(
    "/indicators",
    response={200: IndicatorsOut, **HIDDEN},
    url_name="indicators",
    tags=["reports"],
)
def indicators(request: HttpRequest, area_id: int | None = None) -> Any:
    """The influence indicators of the areas the caller reads, or of one of them; counts
    and shares only, as on the page."""
    user = person_for(request, Area.REPORTS)
    readable = list(areas_for(user))
    if not readable:
        raise PermissionDenied("indicators")
    scope = readable
    if area_id is not None:
        scope = [a for a in readable if a.pk == area_id]
        if not scope:
            raise HttpError(404, "Not found.")
    periods = quarters(timezone.localdate())
    return {
        "periods": [p.label for p in periods],
        "indicators": [
            {
                "key": row.indicator.key,
                "level": row.indicator.level,
                "label": str(row.indicator.label),
                "unit": row.indicator.unit,
                "values": row.values,
            }
            for row in dashboard(scope, periods)
        ],
    }


def _funnel(row: Any) -> dict[str, Any]:
    return {
        "label": str(row.label),
        "round_id": row.round.pk if row.round is not None else None,
        **{key: getattr(row, key) for key in ("applied", "interviewed", "admitted")},
        **{key: getattr(row, key) for key in ("completed", "employed")},
        "after_6": row.after_6,
        "after_12": row.after_12,
    }


@router.get(
    "/reports/programme",
    response={200: ProgrammeReportOut, **HIDDEN},
    url_name="programme_report",
    tags=["reports"],
)
def programme(
    request: HttpRequest, network_id: int | None = None, round_id: int | None = None
) -> Any:
    """The programme report's figures (``reports:programme``) for a network the caller
    reports on (its coordinators and analysts): 403 for nobody's, 404 outside."""
    user = person_for(request, Area.REPORTS)
    networks = list(report_networks(user))
    if not networks:
        raise PermissionDenied("programme report")
    network = next((n for n in networks if n.pk == network_id), None) if network_id else networks[0]
    if network is None:
        raise HttpError(404, "Not found.")
    round_ = None
    if round_id is not None:
        round_ = rounds_in(network).filter(pk=round_id).first()
        if round_ is None:
            raise HttpError(404, "Not found.")
    log_access(request=request, organisation=network, reason="programme report")
    report = programme_report(network, round_)
    return {
        "network_id": network.pk,
        "round_id": round_.pk if round_ is not None else None,
        "rounds": [_funnel(row) for row in report.rounds],
        "total": _funnel(report.total),
        "months": report.months,
    }


# --- Influence: the public calendar (``influence_public:calendar``), no token needed ------


@router.get(
    "/influence/areas/{slug}/calendar",
    response={200: list[ActivityOut], 400: ErrorOut, 404: ErrorOut, 422: InvalidOut},
    auth=None,
    url_name="calendar",
    tags=["influence"],
)
def calendar(
    request: HttpRequest,
    slug: str = Path(..., pattern=r"^[-a-zA-Z0-9_]+$"),
    past: bool = False,
) -> Any:
    """The area's approved activities, coming (or, with ``past``, the earlier ones)."""
    area = area_by_slug(slug)
    now = timezone.now()
    rows = approved_activities(area)
    rows = (
        rows.filter(ends_at__lt=now).order_by("-starts_at")
        if past
        else rows.filter(ends_at__gte=now).order_by("starts_at")
    )
    return [
        {
            "uid": str(a.uid),
            "kind": a.kind,
            "title": a.title,
            "description": a.description,
            "starts_at": a.starts_at,
            "ends_at": a.ends_at,
            "place": a.place,
            "organisation": a.organisation.name,
        }
        for a in rows[:LIST_LIMIT]
    ]
