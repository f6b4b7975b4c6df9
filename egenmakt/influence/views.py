"""Pages for the coordinators of user influence, and for organisations submitting activities."""

from __future__ import annotations

from typing import Any, NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from egenmakt.accounts.models import Organisation, User
from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import organisations_where
from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access, log_list_access
from egenmakt.core.http import page_rule, protected_object
from egenmakt.core.input import posted_id
from egenmakt.core.tabular import Table, csv_response
from egenmakt.instruments.subjects import can_access_subject

from . import services
from .forms import (
    ActivityForm,
    AreaForm,
    CoOrganisationForm,
    DecisionForm,
    ForumForm,
    MeetingForm,
    MemberForm,
    OrganisationForm,
    UnitsForm,
    co_organisation_choices,
)
from .indicators import dashboard, quarters
from .ladder import COLUMNS, LADDER_KEY, STEP_LABELS, STEPS, area_comparison, results_by_subject
from .models import (
    Activity,
    ActivityStatus,
    CareArea,
    Forum,
    Level,
)
from .rules import (
    areas_for,
    is_area_coordinator,
    may_open_areas,
    may_read_area,
    may_submit_activities,
    organisations_user_may_submit_for,
)


class OpenedArea(NamedTuple):
    """An area named in the URL and whether this user coordinates it, decided once."""

    area: CareArea
    coordinator: bool


class OpenedForum(NamedTuple):
    forum: Forum
    coordinator: bool


class OpenedActivity(NamedTuple):
    activity: Activity
    coordinator: bool


def _resolve_area(request: HttpRequest, area_id: Any) -> OpenedArea:
    area = (
        CareArea.objects.select_related("organisation", "co_organisation")
        .filter(pk=area_id)
        .first()
    )
    if area is None or not may_read_area(request.user, area):
        raise Http404
    return OpenedArea(area, is_area_coordinator(request.user, area))


def _resolve_forum(request: HttpRequest, forum_id: Any) -> OpenedForum:
    forum = (
        Forum.objects.select_related("area__organisation", "area__co_organisation", "unit")
        .filter(pk=forum_id)
        .first()
    )
    if forum is None or not may_read_area(request.user, forum.area):
        raise Http404
    return OpenedForum(forum, is_area_coordinator(request.user, forum.area))


def _resolve_activity(request: HttpRequest, activity_id: Any) -> OpenedActivity:
    activity = (
        Activity.objects.select_related("area__organisation", "area__co_organisation")
        .filter(pk=activity_id)
        .first()
    )
    if activity is None or not may_read_area(request.user, activity.area):
        raise Http404
    return OpenedActivity(activity, is_area_coordinator(request.user, activity.area))


def _log_area_read(request: HttpRequest, opened: OpenedArea, *, action: str, reason: str) -> None:
    log_access(request=request, action=action, obj=opened.area, reason=reason)


def _coordinates(opened: OpenedArea | OpenedForum | OpenedActivity) -> bool:
    return opened.coordinator


# One decorator per protected object (egenmakt/core/http.py): 404 out of reach, 403 with the
# reason when ``allow`` says no (logged by handler403), the read logged on GET.
area_view = protected_object(url_kwarg="area_id", resolve=_resolve_area, log_read=_log_area_read)
# The forum page logs its members itself, one row each.
forum_view = protected_object(url_kwarg="forum_id", resolve=_resolve_forum)
activity_view = protected_object(url_kwarg="activity_id", resolve=_resolve_activity)


@login_required
@require_http_methods(["GET", "POST"])
@page_rule(may_open_areas, "influence areas")
def areas(request: AuthenticatedRequest) -> HttpResponse:
    mine = list(areas_for(request.user))
    coordinating = organisations_where(request.user, Role.COORDINATOR).order_by("name")
    form = AreaForm(request.POST or None, organisations=coordinating)
    if request.method == "POST" and form.is_valid():
        area = form.save()
        log_access(request=request, action=Action.CREATE, obj=area)
        messages.success(request, _("The area is created."))
        return redirect("influence:area", area.pk)
    return render(
        request,
        "influence/areas.html",
        {"areas": mine, "form": form, "can_create": coordinating.exists()},
        status=400 if form.errors else 200,
    )


@login_required
@area_view()
def area_detail(request: AuthenticatedRequest, opened: OpenedArea) -> HttpResponse:
    area = opened.area
    query = request.GET.get("q", "").strip()[:100]
    organisations = area.organisations.order_by("name")
    if query:
        organisations = organisations.filter(
            Q(name__icontains=query) | Q(focus__icontains=query) | Q(activities__icontains=query)
        )
    page = Paginator(organisations, 25).get_page(request.GET.get("sida"))
    forums = list(
        area.forums.select_related("unit")
        .annotate(seats=Count("members", filter=Q(members__until__isnull=True), distinct=True))
        .order_by("level", "name")
    )
    by_level = [
        (value, label, [f for f in forums if f.level == value]) for value, label in Level.choices
    ]
    pending = list(
        area.activities.filter(status=ActivityStatus.SUBMITTED)
        .select_related("organisation", "submitted_by")
        .order_by("starts_at")
    )
    units_form = UnitsForm(initial={"units": list(area.units.all())}, choices=_unit_choices(area))
    co_form = CoOrganisationForm(
        initial={"organisation": area.co_organisation_id}, choices=co_organisation_choices(area)
    )
    return render(
        request,
        "influence/area.html",
        {
            "area": area,
            "page": page,
            "query": query,
            "querystring": urlencode({"q": query}) if query else "",
            "by_level": by_level,
            "pending": pending,
            "is_coordinator": opened.coordinator,
            "units_form": units_form,
            "co_form": co_form,
            "units": list(area.units.order_by("name")),
        },
    )


def _unit_choices(area: CareArea) -> Any:
    return Organisation.objects.filter(kind__in=["region", "municipality", "workplace"]).order_by(
        "path"
    )


@login_required
@require_POST
@area_view(allow=_coordinates, reason="area units")
def area_units(request: AuthenticatedRequest, opened: OpenedArea) -> HttpResponse:
    area = opened.area
    form = UnitsForm(request.POST, choices=_unit_choices(area))
    if form.is_valid():
        services.set_units(
            user=request.user,
            area=area,
            units=list(form.cleaned_data["units"]),
        )
        messages.success(request, _("The area's units are saved."))
    return redirect("influence:area", area.pk)


@login_required
@require_http_methods(["GET", "POST"])
@area_view(allow=_coordinates, reason="edit influence organisation", log=False)
def organisation_edit(
    request: AuthenticatedRequest, opened: OpenedArea, organisation_id: int = 0
) -> HttpResponse:
    area = opened.area
    organisation = None
    if organisation_id:
        organisation = area.organisations.filter(pk=organisation_id).first()
        if organisation is None:
            raise Http404
    coordinated = CareArea.objects.filter(
        pk__in=[a.pk for a in areas_for(request.user) if is_area_coordinator(request.user, a)]
    )
    form = OrganisationForm(
        request.POST or None,
        instance=organisation,
        areas=coordinated,
        initial=None if organisation else {"areas": [area]},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data.items())
        try:
            saved = services.save_organisation(
                user=request.user,
                area=area,
                organisation=organisation,
                data=data,
            )
        except PermissionDenied:
            raise PermissionDenied("edit influence organisation") from None
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("%(name)s is saved.") % {"name": saved.name})
            return redirect("influence:area", area.pk)
    return render(
        request,
        "influence/organisation_form.html",
        {"area": area, "form": form, "organisation": organisation},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@area_view(allow=_coordinates, reason="new forum", log=False)
def forum_new(request: AuthenticatedRequest, opened: OpenedArea) -> HttpResponse:
    area = opened.area
    form = ForumForm(request.POST or None, units=area.units.order_by("name"))
    if request.method == "POST" and form.is_valid():
        try:
            forum = services.save_forum(
                user=request.user, area=area, forum=None, data=form.cleaned_data
            )
        except services.InfluenceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The forum is saved."))
            return redirect("influence:forum", forum.pk)
    return render(
        request,
        "influence/forum_form.html",
        {"area": area, "form": form},
        status=400 if form.errors else 200,
    )


def _forum_page(
    request: AuthenticatedRequest,
    opened: OpenedForum,
    *,
    member_form: MemberForm | None = None,
    meeting_form: MeetingForm | None = None,
) -> HttpResponse:
    """The forum with its members and meetings; a form posted with errors is shown again."""
    forum = opened.forum
    members = list(forum.members.select_related("organisation"))
    # Members are named, with the capacity they take part in (lived experience, relative).
    log_list_access(request=request, people=members, obj=forum, reason="forum members")
    invalid = member_form is not None or meeting_form is not None
    return render(
        request,
        "influence/forum.html",
        {
            "forum": forum,
            "members": members,
            "meetings": list(forum.meetings.all()[:50]),
            "member_form": member_form or _member_form(forum),
            "meeting_form": meeting_form or MeetingForm(),
            "is_coordinator": opened.coordinator,
        },
        status=400 if invalid else 200,
    )


def _member_form(forum: Forum, data: Any = None) -> MemberForm:
    organisations = forum.area.organisations.select_related("account").order_by("name")
    return MemberForm(data, organisations=organisations)


@login_required
@require_GET
@forum_view()
def forum_detail(request: AuthenticatedRequest, opened: OpenedForum) -> HttpResponse:
    return _forum_page(request, opened)


@login_required
@require_POST
@forum_view(allow=_coordinates, reason="change forum")
def forum_member_add(request: AuthenticatedRequest, opened: OpenedForum) -> HttpResponse:
    forum = opened.forum
    form = _member_form(forum, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_member(
                user=request.user,
                forum=forum,
                name=data["name"],
                capacity=data["capacity"],
                organisation=data["organisation"],
                since=data["since"],
                account=data["user"],
            )
        except (services.InfluenceError, ValidationError) as exc:
            form.add_error(None, exc if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("The member is added."))
            return redirect("influence:forum", forum.pk)
    return _forum_page(request, opened, member_form=form)


@login_required
@require_POST
@forum_view(allow=_coordinates, reason="change forum")
def forum_meeting_add(request: AuthenticatedRequest, opened: OpenedForum) -> HttpResponse:
    forum = opened.forum
    form = MeetingForm(request.POST)
    if form.is_valid():
        services.add_meeting(
            user=request.user,
            forum=forum,
            day=form.cleaned_data["day"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("The meeting is added."))
        return redirect("influence:forum", forum.pk)
    return _forum_page(request, opened, meeting_form=form)


@login_required
@require_POST
@forum_view(allow=_coordinates, reason="change forum")
def forum_member_end(
    request: AuthenticatedRequest, opened: OpenedForum, member_id: int
) -> HttpResponse:
    forum = opened.forum
    member = forum.members.filter(pk=member_id).first()
    if member is None:
        raise Http404
    try:
        services.end_membership(user=request.user, member=member, until=timezone.localdate())
    except services.InfluenceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The membership is ended."))
    return redirect("influence:forum", forum.pk)


@login_required
@require_POST
@activity_view(allow=_coordinates, reason="decide activity")
def activity_decide(request: AuthenticatedRequest, opened: OpenedActivity) -> HttpResponse:
    activity = opened.activity
    form = DecisionForm(request.POST)
    form.is_valid()  # two optional text fields: always valid
    approve = form.cleaned_data.get("decision") == "approve"
    try:
        services.decide_activity(
            user=request.user,
            activity=activity,
            approve=approve,
            reason=form.cleaned_data.get("reason", ""),
        )
    except services.InfluenceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Approved: it shows in the public calendar.") if approve else _("Not approved."),
        )
    return redirect("influence:area", activity.area_id)


@login_required
@require_http_methods(["GET", "POST"])
@page_rule(may_submit_activities, "submit activity")
def submit(request: AuthenticatedRequest) -> HttpResponse:
    organisations = organisations_user_may_submit_for(request.user)
    areas = CareArea.objects.filter(organisations__in=organisations).distinct().order_by("name")
    form = ActivityForm(request.POST or None, organisations=organisations, areas=areas)
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.times()
        data = form.cleaned_data
        try:
            services.submit_activity(
                user=request.user,
                area=data["area"],
                organisation=data["organisation"],
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                starts_at=starts_at,
                ends_at=ends_at,
                place=data["place"],
            )
        except PermissionDenied:
            form.add_error("area", _("The organisation is not part of that area."))
        except services.InfluenceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("Thank you! The activity shows in the calendar once it is approved.")
            )
            return redirect("influence:submit")
    mine = list(
        Activity.objects.filter(submitted_by=request.user.pk)
        .select_related("organisation", "area")
        .order_by("-submitted_at")[:25]
    )
    return render(
        request,
        "influence/submit.html",
        {"form": form, "mine": mine},
        status=400 if form.errors else 200,
    )


@login_required
@area_view(reason="participation ladder")
def ladder(request: AuthenticatedRequest, opened: OpenedArea) -> HttpResponse:
    area = opened.area
    rows = [
        (row, can_access_subject(request.user, row.unit, "change")) for row in area_comparison(area)
    ]
    me = int(request.user.pk or 0)
    mine = results_by_subject(User, [me]).get(me, [])
    return render(
        request,
        "influence/ladder.html",
        {
            "area": area,
            "rows": rows,
            "columns": COLUMNS,
            "steps": [(n, STEP_LABELS[n]) for n in range(STEPS, 0, -1)],
            "ladder_key": LADDER_KEY,
            "mine": mine,
        },
    )


def _dashboard_scope(
    request: HttpRequest,
) -> tuple[list[CareArea], CareArea | None, list[CareArea]]:
    readable = list(areas_for(request.user))
    if not readable:
        raise PermissionDenied("indicators")
    chosen = None
    if request.GET.get("area"):
        chosen = next((a for a in readable if a.pk == posted_id(request.GET.get("area"))), None)
        if chosen is None:
            raise Http404
    return ([chosen] if chosen else readable), chosen, readable


@login_required
@require_GET
def indicators(request: AuthenticatedRequest) -> HttpResponse:
    scope, chosen, readable = _dashboard_scope(request)
    periods = quarters(timezone.localdate())
    rows = dashboard(scope, periods)
    return render(
        request,
        "influence/indicators.html",
        {
            "rows": rows,
            "periods": periods,
            "areas": readable,
            "chosen": chosen,
            "levels": Level.choices,
        },
    )


@login_required
@require_GET
def indicators_csv(request: AuthenticatedRequest) -> HttpResponse:
    scope, chosen, _readable = _dashboard_scope(request)
    periods = quarters(timezone.localdate())
    # Counts only, no person; the copy leaving the system is still logged as an export.
    log_access(request=request, action=Action.EXPORT, obj=chosen, reason="indicators CSV")
    levels = dict(Level.choices)
    table = Table(
        title=_("Indicators"),
        headers=[_("Level"), _("Indicator"), *[p.label for p in periods], _("Definition")],
        rows=[
            [
                str(levels[row.indicator.level]),
                str(row.indicator.label),
                *["" if v is None else v for v in row.values],
                str(row.indicator.definition),
            ]
            for row in dashboard(scope, periods)
        ],
    )
    name = chosen.slug if chosen else "alla"
    return csv_response(table, filename=f"indikatorer-{name}.csv")
