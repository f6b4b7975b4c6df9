"""Booked mapping sessions: book several at once, cancel one, mark one as held."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.coordination.checklist import STEPS
from egenmakt.coordination.forms.common import add_service_errors
from egenmakt.coordination.forms.sessions import BookSessionsForm, HoldSessionForm
from egenmakt.coordination.models import MappingSession, SessionStatus
from egenmakt.coordination.selectors import sessions as session_selectors
from egenmakt.coordination.selectors import team as team_selectors
from egenmakt.coordination.services import common as common_services
from egenmakt.coordination.services import sessions as session_services

from .common import OpenedClient, client_page, client_view, joint_work, log_read


def _page(
    request: AuthenticatedRequest,
    opened: OpenedClient,
    *,
    form: BookSessionsForm | None = None,
    hold: tuple[int, HoldSessionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    client, access = opened
    log_read(request, client, access, reason="mapping sessions")
    team = team_selectors.active_team(client)
    managers = session_services.case_manager_ids(client)
    rows: list[dict[str, Any]] = []
    for session in session_selectors.sessions_for(access, client):
        hold_form = (
            hold[1]
            if hold is not None and hold[0] == session.pk
            else HoldSessionForm(
                team=team,
                session=session,
                prefix=f"s{session.pk}",
                initial={
                    "attended": [str(p.pk) for p in session.booked.all()],
                    "done_steps": session.planned_steps,
                },
            )
        )
        rows.append(
            {
                "session": session,
                "steps": [STEPS[key].label for key in session.planned_steps if key in STEPS],
                "one_booked": session.status == SessionStatus.BOOKED
                and session_services.only_one_booked(session, managers),
                "one_attended": session_services.only_one_attended(session, managers),
                "hold_form": hold_form,
            }
        )
    if form is None:
        form = BookSessionsForm(team=team, user=request.user)
    return client_page(
        request,
        "coordination/sessions.html",
        client,
        access,
        "checklist",
        {"rows": rows, "form": form, "max_sessions": session_services.MAX_SESSIONS},
        status=status,
    )


@login_required
@require_GET
@client_view(reason="mapping sessions", log=False)
def mapping_sessions(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    """The booked mapping sessions and the form to book more."""
    return _page(request, opened)


@login_required
@require_POST
@client_view(allow=joint_work, reason="mapping sessions")
def mapping_sessions_book(request: AuthenticatedRequest, opened: OpenedClient) -> HttpResponse:
    client = opened.client
    form = BookSessionsForm(
        request.POST, team=team_selectors.active_team(client), user=request.user
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            sessions = session_services.book_sessions(
                user=request.user,
                client=client,
                starts=data["starts"],
                duration_minutes=data["duration_minutes"],
                place=data["place"],
                planned_steps=data["planned_steps"],
                booked=list(data["booked"]),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except common_services.CoordinationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Sessions booked and invitations sent: %(count)s.") % {"count": len(sessions)},
            )
            return redirect("coordination:mapping_sessions", client.pk)
    return _page(request, opened, form=form, status=400)


def _session(opened: OpenedClient, session_id: int) -> MappingSession:
    return session_selectors.get_session_for(opened.access, opened.client, session_id)


@login_required
@require_POST
@client_view(allow=joint_work, reason="mapping sessions")
def mapping_session_cancel(
    request: AuthenticatedRequest, opened: OpenedClient, session_id: int
) -> HttpResponse:
    session = _session(opened, session_id)
    try:
        session_services.cancel_session(user=request.user, client=opened.client, session=session)
    except common_services.CoordinationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The session is cancelled."))
    return redirect("coordination:mapping_sessions", opened.client.pk)


@login_required
@require_POST
@client_view(allow=joint_work, reason="mapping sessions")
def mapping_session_held(
    request: AuthenticatedRequest, opened: OpenedClient, session_id: int
) -> HttpResponse:
    """Who came and which planned steps were done: the steps go into checklist K."""
    client = opened.client
    session = _session(opened, session_id)
    form = HoldSessionForm(
        request.POST,
        team=team_selectors.active_team(client),
        session=session,
        prefix=f"s{session.pk}",
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            session_services.hold_session(
                user=request.user,
                client=client,
                session=session,
                attended=list(data["attended"]),
                done_steps=data["done_steps"],
                client_present=data["client_present"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except common_services.CoordinationError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The session is held; its steps are in checklist K."))
            session.refresh_from_db()
            if session_services.only_one_attended(
                session, session_services.case_manager_ids(client)
            ):
                messages.warning(
                    request,
                    _(
                        "Only one case manager was there for a step both case managers "
                        "should take part in."
                    ),
                )
            return redirect("coordination:mapping_sessions", client.pk)
    return _page(request, opened, hold=(session.pk, form), status=400)
