"""Pages for workplaces, their readiness, trainings and placements."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from egenmakt.accounts.models import Organisation, User
from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import held_roles, organisations_where
from egenmakt.accounts.types import AuthenticatedRequest, Viewer
from egenmakt.audit.services import log_access, log_list_access
from egenmakt.core.http import page_rule
from egenmakt.peer.forms.placement import (
    AgreementForm,
    PlacementEndForm,
    PlacementForm,
    RegisterWorkplaceForm,
    TaskDescriptionForm,
    TrainingForm,
    UserOrganisationTrainingForm,
)
from egenmakt.peer.models import Employer, RecordKeeping
from egenmakt.peer.rules import may_place, may_train_user_organisation, placement_access
from egenmakt.peer.selectors import placement as selectors
from egenmakt.peer.selectors.supervision import fidelity_trends
from egenmakt.peer.services import placement as services
from egenmakt.peer.services.recruitment import RecruitmentError
from egenmakt.peer.views.common import (
    OpenedPlacement,
    OpenedWorkplace,
    workplace_placement_view,
    workplace_view,
)


def _networks(user: User) -> QuerySet[Organisation]:
    return organisations_where(user, Role.COORDINATOR).filter(
        kind__in=["user_network", "user_organisation"]
    )


def may_open_workplaces(user: Viewer) -> bool:
    return bool({h.role for h in held_roles(user)} & {Role.COORDINATOR, Role.WORKPLACE_MANAGER})


@login_required
@require_http_methods(["GET", "POST"])
@page_rule(may_open_workplaces, "workplaces")
def workplace_list(request: AuthenticatedRequest) -> HttpResponse:
    networks = _networks(request.user)
    form = RegisterWorkplaceForm(
        request.POST or None, workplaces=selectors.unregistered_workplaces(), networks=networks
    )
    if request.method == "POST" and form.is_valid():
        try:
            row = services.register_workplace(
                user=request.user,
                workplace=form.cleaned_data["workplace"],
                network=form.cleaned_data["network"],
            )
        except RecruitmentError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("peer:workplace", row.pk)
    language = get_language()
    rows = [(w, selectors.readiness(w, language)) for w in selectors.workplaces_for(request.user)]
    return render(
        request,
        "peer/workplace_list.html",
        {
            "rows": rows,
            "form": form,
            "can_register": networks.exists(),
            "user_organisations": selectors.user_organisation_readiness(
                selectors.user_organisations_for(request.user)
            ),
        },
        status=400 if form.errors else 200,
    )


def _placement_form(request: AuthenticatedRequest, workplace: Any) -> PlacementForm:
    return PlacementForm(
        request.POST or None,
        peer_supporters=selectors.waiting_for_a_job(request.user),
        supervisors=User.objects.filter(memberships__role=Role.SUPERVISOR)
        .distinct()
        .order_by("full_name"),
    )


@login_required
@workplace_view()
def workplace_detail(request: AuthenticatedRequest, opened: OpenedWorkplace) -> HttpResponse:
    return _render_workplace(request, opened.workplace)


def _render_workplace(
    request: AuthenticatedRequest, workplace: Any, *, status: int = 200, **extra: Any
) -> HttpResponse:
    from egenmakt.peer.models import TaskDescription

    description = TaskDescription.objects.filter(workplace=workplace).first()
    placements = list(
        workplace.placements.select_related("peer_supporter", "supervisor").prefetch_related(
            "events"
        )
    )
    state = selectors.readiness(workplace, get_language())
    today = timezone.localdate()
    current = [p for p in placements if p.ends_on is None or p.ends_on >= today]
    can_place = may_place(request.user, workplace)
    context = {
        "workplace": workplace,
        "state": state,
        # The summary first (issue 26: the page stacked every form, 3,000-5,000 px): who
        # is placed, what readiness lacks and what to do next; each form opens on demand.
        "current": current,
        "places": selectors.PLACES_PER_WORKPLACE,
        "next_steps": _next_steps(workplace, state, can_place=can_place, placed=len(current)),
        "description": description,
        "task_points": [(key, kind, _label(key)) for key, kind in services.TASK_POINTS],
        "record_keeping": RecordKeeping.choices,
        "agreements": list(workplace.agreements.all()),
        "trainings": list(workplace.trainings.all()),
        "placements": placements,
        "trends": fidelity_trends(placements),
        # A new fidelity review is linked only where the review's own rule lets it be
        # answered (the workplace's managers read the reviews, they do not answer them).
        "reviewable": {p.pk for p in placements if placement_access(request.user, p, "change")},
        "can_place": can_place,
        "may_train_user_organisation": may_train_user_organisation(request.user, workplace.network),
        "user_run": any(
            p.employer == Employer.USER_ORGANISATION and p.is_active for p in placements
        ),
        "agreement_form": extra.pop("agreement_form", None) or AgreementForm(),
        "training_form": extra.pop("training_form", None) or TrainingForm(),
        "placement_form": extra.pop("placement_form", None) or _placement_form(request, workplace),
        **extra,
    }
    # Every render names the placed peer supporters and, to whoever may place, those waiting
    # for a job in the placement form's list; a form sent back with errors too.
    choosable = context["placement_form"].fields["peer_supporter"].queryset
    log_list_access(
        request=request,
        people=[
            *(placement.peer_supporter for placement in placements),
            *(choosable if context["can_place"] else ()),
        ],
        obj=workplace,
        organisation=workplace.workplace,
        reason="workplace page",
    )
    return render(request, "peer/workplace_detail.html", context, status=status)


NEXT_STEPS = {
    "checklist": gettext_lazy("Fill in or update the readiness checklist"),
    "task_description": gettext_lazy("Agree the task description"),
    "agreement": gettext_lazy("Record the signed collaboration agreement"),
    "training": gettext_lazy("Record a staff training session"),
}


def _next_steps(
    workplace: Any, state: selectors.Readiness, *, can_place: bool, placed: int
) -> list[tuple[str, str]]:
    """(what to do, where on the page or which page) for what readiness lacks; then, at a
    ready workplace with a place open, placing a peer supporter for whoever may."""
    where = {
        "checklist": reverse(
            "instruments:start", args=["workplace_readiness", "arbetsplats", workplace.pk]
        ),
        "task_description": "#task-description",
        "agreement": "#agreement",
        "training": "#training",
    }
    steps = [(str(NEXT_STEPS[code]), where[code]) for code in state.to_do]
    if state.ready and can_place and placed < selectors.PLACES_PER_WORKPLACE:
        steps.append((_("Place a peer supporter"), "#place-form"))
    return steps


TASK_LABELS = {
    "everyday_focus": gettext_lazy(
        "Focus on the user's everyday life, here and now and the near future"
    ),
    "complements_staff": gettext_lazy("Complement the other staff; be staff, not a go-between"),
    "recovery_focus": gettext_lazy("Work for recovery: hope, control and opportunity"),
    "relatives_if_wished": gettext_lazy("Work with relatives only if the user wishes"),
    "points_onwards": gettext_lazy("Point to other support and help with the first contact"),
    "user_movement": gettext_lazy(
        "Work closely with the local user organisations; attend supervision"
    ),
    "part_of_team": gettext_lazy("Be part of the staff group"),
    "no_treatment_views": gettext_lazy("Give no views on medication or treatment"),
    "no_other_tasks": gettext_lazy(
        "Do not do other staff's tasks (medicine, restraint, meals, cleaning)"
    ),
    "no_digging": gettext_lazy("Do not dig into the user's history"),
    "not_messenger": gettext_lazy("Do not be mainly a messenger between relatives and staff"),
    "not_long_term_escort": gettext_lazy(
        "Do not become a long-term escort or solve things for the user"
    ),
    "not_isolated": gettext_lazy("Do not work in isolation from the user movement or the staff"),
}


def _label(key: str) -> str:
    return str(TASK_LABELS[key])


@login_required
@require_POST
@workplace_view()
def workplace_task_description(
    request: AuthenticatedRequest, opened: OpenedWorkplace
) -> HttpResponse:
    workplace = opened.workplace
    form = TaskDescriptionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date it was agreed."))
        return redirect("peer:workplace", workplace.pk)
    data = form.cleaned_data
    try:
        services.save_task_description(
            user=request.user,
            workplace=workplace,
            agreed_items=data["points"],
            record_keeping=data["record_keeping"],
            notes=data["notes"],
            agreed_by_peers=data["agreed_by_peers"],
            agreed_on=data["agreed_on"],
        )
    except RecruitmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The task description is saved."))
    return redirect("peer:workplace", workplace.pk)


@login_required
@require_POST
@workplace_view()
def workplace_agreement(request: AuthenticatedRequest, opened: OpenedWorkplace) -> HttpResponse:
    workplace = opened.workplace
    form = AgreementForm(request.POST, request.FILES)
    if form.is_valid():
        data = dict(form.cleaned_data)
        document = data.pop("document")
        try:
            services.record_agreement(
                user=request.user, workplace=workplace, document=document, **data
            )
        except RecruitmentError as exc:
            form.add_error("document" if document else None, str(exc))
        else:
            messages.success(request, _("The agreement is recorded."))
            return redirect("peer:workplace", workplace.pk)
    return _render_workplace(request, workplace, status=400, agreement_form=form)


@login_required
@require_POST
@workplace_view()
def workplace_training(request: AuthenticatedRequest, opened: OpenedWorkplace) -> HttpResponse:
    workplace = opened.workplace
    form = TrainingForm(request.POST)
    if form.is_valid():
        services.add_training(user=request.user, workplace=workplace, **form.cleaned_data)
        messages.success(request, _("The training session is recorded."))
        return redirect("peer:workplace", workplace.pk)
    return _render_workplace(request, workplace, status=400, training_form=form)


@login_required
@require_POST
@workplace_view(allow=lambda o: o.may_place, reason="placement")
def workplace_place(request: AuthenticatedRequest, opened: OpenedWorkplace) -> HttpResponse:
    workplace = opened.workplace
    form = _placement_form(request, workplace)
    warnings: list[str] = []
    if form.is_valid():
        try:
            services.place(user=request.user, workplace=workplace, **form.cleaned_data)
        except services.PlacementWarningsError as exc:
            warnings = exc.warnings
        except RecruitmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The peer supporter is placed."))
            return redirect("peer:workplace", workplace.pk)
    return _render_workplace(
        request, workplace, status=400, placement_form=form, placement_warnings=warnings
    )


@login_required
@require_POST
@workplace_placement_view()
def placement_end(request: AuthenticatedRequest, opened: OpenedPlacement) -> HttpResponse:
    placement = opened.placement
    form = PlacementEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date it ends."))
        return redirect("peer:workplace", placement.workplace_id)
    try:
        services.end_placement(
            user=request.user,
            placement=placement,
            ends_on=form.cleaned_data["ends_on"],
            reason=form.cleaned_data["reason"],
        )
    except RecruitmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The placement is ended."))
    return redirect("peer:workplace", placement.workplace_id)


def may_match(user: Viewer) -> bool:
    return any(h.role == Role.COORDINATOR for h in held_roles(user))


@login_required
@page_rule(may_match, "matching")
def waiting_list(request: AuthenticatedRequest) -> HttpResponse:
    waiting, open_places = selectors.matching(request.user, get_language())
    log_list_access(
        request=request,
        people=[row.person for row in waiting],
        reason="peer supporters waiting for a job",
    )
    return render(
        request,
        "peer/waiting_list.html",
        {
            "waiting": waiting,
            "open_places": open_places,
            "places_per_workplace": selectors.PLACES_PER_WORKPLACE,
        },
    )


# --- The user organisation's own training (handbook p. 20) ----------------------------------


def _user_organisation_page(
    request: AuthenticatedRequest,
    organisation: Organisation,
    form: UserOrganisationTrainingForm,
    status: int = 200,
) -> HttpResponse:
    trainings = selectors.user_organisation_trainings(organisation)
    # The list may name who took part (as the recorder wrote them): its read is logged.
    log_access(
        request=request,
        obj=organisation,
        organisation=organisation,
        reason="user organisation trainings",
    )
    return render(
        request,
        "peer/user_organisation_training.html",
        {
            "organisation": organisation,
            "state": selectors.user_organisation_readiness([organisation])[0],
            "trainings": trainings,
            "form": form,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def user_organisation_training(request: AuthenticatedRequest, organisation_id: int) -> HttpResponse:
    organisation = selectors.get_user_organisation_for(request.user, organisation_id)
    return _user_organisation_page(request, organisation, UserOrganisationTrainingForm())


@login_required
@require_POST
def user_organisation_training_add(
    request: AuthenticatedRequest, organisation_id: int
) -> HttpResponse:
    organisation = selectors.get_user_organisation_for(request.user, organisation_id)
    form = UserOrganisationTrainingForm(request.POST)
    if form.is_valid():
        try:
            services.add_user_organisation_training(
                user=request.user, organisation=organisation, **form.cleaned_data
            )
        except RecruitmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The training session is recorded."))
            return redirect("peer:user_organisation_training", organisation.pk)
    return _user_organisation_page(request, organisation, form, 400)
