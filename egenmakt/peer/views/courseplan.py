"""The course plan of a network (its coordinators and administrators edit it) and the
action that builds a course's days and homework from it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from egenmakt.accounts.models import Organisation
from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.peer.forms.courseplan import BuildFromPlanForm, PlanItemForm, RemovePlanItemForm
from egenmakt.peer.rules import may_edit_plan
from egenmakt.peer.selectors.courseplan import plan_for
from egenmakt.peer.services import courseplan as services
from egenmakt.peer.services.recruitment import RecruitmentError
from egenmakt.peer.views.common import OpenedCohort, cohort_view


def organisation_to_edit(request: AuthenticatedRequest, organisation_id: int) -> Organisation:
    """The organisation whose course plan and libraries the user edits, else 404."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None or not may_edit_plan(request.user, organisation):
        raise Http404
    return organisation


def _page(
    request: AuthenticatedRequest, organisation: Organisation, form: PlanItemForm, status: int
) -> HttpResponse:
    plan = plan_for(organisation)
    return render(
        request,
        "peer/course_plan.html",
        {"organisation": organisation, "plan": plan, "form": form},
        status=status,
    )


@login_required
@require_safe
def course_plan(request: AuthenticatedRequest, organisation_id: int) -> HttpResponse:
    organisation = organisation_to_edit(request, organisation_id)
    return _page(request, organisation, PlanItemForm(), 200)


@login_required
@require_POST
def course_plan_add(request: AuthenticatedRequest, organisation_id: int) -> HttpResponse:
    organisation = organisation_to_edit(request, organisation_id)
    form = PlanItemForm(request.POST)
    if form.is_valid():
        try:
            services.add_plan_item(
                user=request.user, organisation=organisation, **form.cleaned_data
            )
        except RecruitmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The plan is saved."))
            return redirect("peer:course_plan", organisation.pk)
    return _page(request, organisation, form, 400)


@login_required
@require_POST
def course_plan_remove(request: AuthenticatedRequest, organisation_id: int) -> HttpResponse:
    organisation = organisation_to_edit(request, organisation_id)
    form = RemovePlanItemForm(request.POST)
    if not form.is_valid():
        return _page(request, organisation, PlanItemForm(), 400)
    try:
        services.remove_plan_item(
            user=request.user, organisation=organisation, position=form.cleaned_data["position"]
        )
    except RecruitmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The entry is removed from the plan."))
    return redirect("peer:course_plan", organisation.pk)


@login_required
@require_POST
@cohort_view(allow=lambda o: o.may_plan, reason="build course from plan")
def cohort_from_plan(request: AuthenticatedRequest, opened: OpenedCohort) -> HttpResponse:
    cohort = opened.cohort
    form = BuildFromPlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the place of the course days."))
        return redirect("peer:cohort", cohort.pk)
    try:
        days, homework = services.build_from_plan(
            user=request.user, cohort=cohort, place=form.cleaned_data["place"]
        )
    except RecruitmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("From the course plan: %(days)s new course days and %(homework)s new homework.")
            % {"days": days, "homework": homework},
        )
    return redirect("peer:cohort", cohort.pk)
