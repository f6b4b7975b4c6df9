"""Pages of forum work: a forum's meetings and matters as its member organisations and
coordinators follow them, a meeting's agenda, minutes and reports back, a matter's way to
its outcome, and an organisation's reports back from its representatives.

Who: the area's coordinators run it (not its analysts: these are people's own words);
members of the forum's member organisations follow it and add to the agendas; the
representative with an account confirms the minutes and reports back (``rules``). Out of
reach is 404; in reach but not allowed is 403 (``core.http.protected_object``).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from egenmakt.accounts.types import AuthenticatedRequest
from egenmakt.audit.services import log_access
from egenmakt.core.http import page_rule, protected_object

from . import forum_selectors as read
from . import forum_services as write
from .forum_forms import (
    AgendaItemForm,
    ConfirmForm,
    LinkMeetingForm,
    MatterForm,
    MinutesForm,
    OutcomeForm,
    ReportForm,
)
from .models import (
    Capacity,
    Forum,
    ForumMeeting,
    ForumMember,
    InfluenceOrganisation,
    Matter,
    MatterStatus,
)
from .rules import (
    is_area_coordinator,
    may_follow_forum,
    organisations_spoken_for,
    representative_seat,
    speaks_for,
    speaks_in_a_forum,
)
from .services import InfluenceError


class FollowedForum(NamedTuple):
    forum: Forum
    coordinator: bool
    organisations: list[InfluenceOrganisation]  # the member organisations the user speaks for
    seats: list[ForumMember]  # the user's own representative seats now


class OpenedMeeting(NamedTuple):
    meeting: ForumMeeting
    coordinator: bool
    organisations: list[InfluenceOrganisation]
    seat: ForumMember | None


class OpenedMatter(NamedTuple):
    matter: Matter
    coordinator: bool


def _followed(request: HttpRequest, forum: Forum | None) -> FollowedForum:
    if forum is None or not may_follow_forum(request.user, forum):
        raise Http404
    seats = list(
        forum.members.filter(
            user_id=int(request.user.pk or 0),
            capacity=Capacity.REPRESENTATIVE,
            until__isnull=True,
            organisation__isnull=False,
        )
    )
    return FollowedForum(
        forum,
        is_area_coordinator(request.user, forum.area),
        organisations_spoken_for(request.user, forum),
        seats,
    )


def _resolve_forum(request: HttpRequest, forum_id: Any) -> FollowedForum:
    forum = (
        Forum.objects.select_related("area__organisation", "area__co_organisation")
        .filter(pk=forum_id)
        .first()
    )
    return _followed(request, forum)


def _resolve_meeting(request: HttpRequest, meeting_id: Any) -> OpenedMeeting:
    meeting = (
        ForumMeeting.objects.select_related(
            "forum__area__organisation", "forum__area__co_organisation"
        )
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise Http404
    followed = _followed(request, meeting.forum)
    return OpenedMeeting(
        meeting,
        followed.coordinator,
        followed.organisations,
        representative_seat(request.user, meeting),
    )


def _resolve_matter(request: HttpRequest, matter_id: Any) -> OpenedMatter:
    matter = (
        Matter.objects.select_related(
            "forum__area__organisation", "forum__area__co_organisation", "raised_by", "organisation"
        )
        .filter(pk=matter_id)
        .first()
    )
    if matter is None:
        raise Http404
    return OpenedMatter(matter, _followed(request, matter.forum).coordinator)


def _log_read(request: HttpRequest, opened: Any, *, action: str, reason: str) -> None:
    obj = opened[0]
    log_access(request=request, action=action, obj=obj, reason=reason)


followed_forum = protected_object(url_kwarg="forum_id", resolve=_resolve_forum, log_read=_log_read)
meeting_view = protected_object(
    url_kwarg="meeting_id", resolve=_resolve_meeting, log_read=_log_read
)
matter_view = protected_object(url_kwarg="matter_id", resolve=_resolve_matter, log_read=_log_read)


def _coordinates(opened: Any) -> bool:
    return bool(opened.coordinator)


def _may_add_agenda(opened: OpenedMeeting) -> bool:
    return opened.coordinator or bool(opened.organisations)


def _represents(opened: OpenedMeeting) -> bool:
    return opened.seat is not None


def _may_raise(opened: FollowedForum) -> bool:
    return opened.coordinator or bool(opened.seats)


# --- My forums --------------------------------------------------------------------------


@login_required
@require_GET
@page_rule(speaks_in_a_forum, "forum work")
def my_forums(request: AuthenticatedRequest) -> HttpResponse:
    """The forums where an organisation the user speaks for has a representative, and
    those organisations' reports back. An empty page for anyone else."""
    forums = []
    organisations: dict[int, InfluenceOrganisation] = {}
    candidates = Forum.objects.filter(
        members__capacity=Capacity.REPRESENTATIVE,
        members__until__isnull=True,
        members__organisation__account__isnull=False,
    ).distinct()
    for forum in candidates.select_related("area").order_by("name"):
        mine = organisations_spoken_for(request.user, forum)
        if mine:
            forums.append(forum)
            organisations.update({o.pk: o for o in mine})
    return render(
        request,
        "influence/my_forums.html",
        {"forums": forums, "organisations": sorted(organisations.values(), key=lambda o: o.name)},
    )


# --- A forum's work ---------------------------------------------------------------------


def _work_page(
    request: AuthenticatedRequest, opened: FollowedForum, *, form: MatterForm | None = None
) -> HttpResponse:
    forum = opened.forum
    return render(
        request,
        "influence/forum_work.html",
        {
            "forum": forum,
            "meetings": list(forum.meetings.order_by("-day")[:50]),
            "matters": list(read.forum_matters(forum)),
            "matter_form": form or _matter_form(opened),
            "may_raise": _may_raise(opened),
            "is_coordinator": opened.coordinator,
        },
        status=400 if form is not None else 200,
    )


def _matter_form(opened: FollowedForum, data: Any = None) -> MatterForm:
    seats = opened.forum.members.filter(
        capacity=Capacity.REPRESENTATIVE, until__isnull=True, organisation__isnull=False
    )
    if not opened.coordinator:
        seats = seats.filter(pk__in=[s.pk for s in opened.seats])
    return MatterForm(data, seats=seats.order_by("name"))


@login_required
@require_GET
@followed_forum(reason="forum work")
def forum_work(request: AuthenticatedRequest, opened: FollowedForum) -> HttpResponse:
    return _work_page(request, opened)


@login_required
@require_POST
@followed_forum(allow=_may_raise, reason="raise matter")
def matter_new(request: AuthenticatedRequest, opened: FollowedForum) -> HttpResponse:
    form = _matter_form(opened, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            matter = write.raise_matter(
                user=request.user,
                forum=opened.forum,
                raised_by=data["raised_by"],
                title=data["title"],
                description=data["description"],
                raised_on=data["raised_on"],
            )
        except InfluenceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The matter is registered."))
            return redirect("influence:matter", matter.pk)
    return _work_page(request, opened, form=form)


# --- A meeting --------------------------------------------------------------------------


def _meeting_page(
    request: AuthenticatedRequest,
    opened: OpenedMeeting,
    *,
    agenda_form: AgendaItemForm | None = None,
    minutes_form: MinutesForm | None = None,
    confirm_form: ConfirmForm | None = None,
    report_form: ReportForm | None = None,
) -> HttpResponse:
    meeting = opened.meeting
    report = read.report_of(meeting, opened.seat)
    rows = read.confirmation_rows(meeting)
    mine = next((r for r in rows if opened.seat and r["seat"].pk == opened.seat.pk), None)
    invalid = any(f is not None for f in (agenda_form, minutes_form, confirm_form, report_form))
    return render(
        request,
        "influence/forum_meeting.html",
        {
            "meeting": meeting,
            "forum": meeting.forum,
            "agenda": list(read.agenda(meeting)),
            "agenda_open": read.agenda_open(meeting),
            "held": read.is_held(meeting),
            "has_minutes": read.has_minutes(meeting),
            "confirmations": rows,
            "mine": mine,
            "matters": list(read.meeting_matters(meeting)),
            "seat": opened.seat,
            "report": report,
            "is_coordinator": opened.coordinator,
            "may_add_agenda": _may_add_agenda(opened),
            "agenda_form": agenda_form or _agenda_form(opened),
            "minutes_form": minutes_form or MinutesForm(initial={"minutes": meeting.minutes}),
            "confirm_form": confirm_form or ConfirmForm(),
            "report_form": report_form
            or ReportForm(initial={"text": report.text if report else ""}),
        },
        status=400 if invalid else 200,
    )


def _agenda_form(opened: OpenedMeeting, data: Any = None) -> AgendaItemForm:
    return AgendaItemForm(data, organisations=opened.organisations, coordinator=opened.coordinator)


@login_required
@require_GET
@meeting_view(reason="forum meeting")
def meeting(request: AuthenticatedRequest, opened: OpenedMeeting) -> HttpResponse:
    return _meeting_page(request, opened)


@login_required
@require_POST
@meeting_view(allow=_may_add_agenda, reason="forum agenda")
def agenda_add(request: AuthenticatedRequest, opened: OpenedMeeting) -> HttpResponse:
    form = _agenda_form(opened, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            write.add_agenda_item(
                user=request.user,
                meeting=opened.meeting,
                organisation=data["organisation"],
                title=data["title"],
                description=data["description"],
            )
        except PermissionDenied:
            form.add_error("organisation", _("Choose an organisation you speak for."))
        except InfluenceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The item is on the agenda."))
            return redirect("influence:meeting", opened.meeting.pk)
    return _meeting_page(request, opened, agenda_form=form)


@login_required
@require_POST
@meeting_view(allow=_coordinates, reason="forum minutes")
def minutes_save(request: AuthenticatedRequest, opened: OpenedMeeting) -> HttpResponse:
    form = MinutesForm(request.POST)
    if form.is_valid():
        try:
            write.save_minutes(
                user=request.user, meeting=opened.meeting, text=form.cleaned_data["minutes"]
            )
        except InfluenceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The minutes are saved."))
            return redirect("influence:meeting", opened.meeting.pk)
    return _meeting_page(request, opened, minutes_form=form)


@login_required
@require_POST
@meeting_view(allow=_represents, reason="confirm forum minutes")
def minutes_confirm(request: AuthenticatedRequest, opened: OpenedMeeting) -> HttpResponse:
    form = ConfirmForm(request.POST)
    if form.is_valid() and not read.has_minutes(opened.meeting):
        form.add_error(None, _("There are no minutes of this meeting to confirm yet."))
    if form.errors:
        return _meeting_page(request, opened, confirm_form=form)
    row = write.confirm_minutes(
        user=request.user, meeting=opened.meeting, correction=form.cleaned_data["correction"]
    )
    if row.correction:
        messages.success(request, _("Your correction is noted with the minutes."))
    else:
        messages.success(request, _("You have confirmed the minutes."))
    return redirect("influence:meeting", opened.meeting.pk)


@login_required
@require_POST
@meeting_view(allow=_represents, reason="report back")
def report_save(request: AuthenticatedRequest, opened: OpenedMeeting) -> HttpResponse:
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            write.save_report(
                user=request.user, meeting=opened.meeting, text=form.cleaned_data["text"]
            )
        except InfluenceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your report is saved; your organisation can read it."))
            return redirect("influence:meeting", opened.meeting.pk)
    return _meeting_page(request, opened, report_form=form)


# --- A matter ---------------------------------------------------------------------------


def _matter_page(
    request: AuthenticatedRequest,
    opened: OpenedMatter,
    *,
    outcome_form: OutcomeForm | None = None,
    link_form: LinkMeetingForm | None = None,
) -> HttpResponse:
    matter = opened.matter
    linked = list(read.matter_meetings(matter))
    return render(
        request,
        "influence/matter.html",
        {
            "matter": matter,
            "forum": matter.forum,
            "meetings": linked,
            "is_coordinator": opened.coordinator,
            "outcome_form": outcome_form
            or OutcomeForm(
                initial={
                    "status": matter.status,
                    "reason": matter.reason,
                    "decision_reference": matter.decision_reference,
                    "decided_on": matter.decided_on,
                }
            ),
            "link_form": link_form or _link_form(matter),
            "statuses": MatterStatus,
        },
        status=400 if (outcome_form or link_form) else 200,
    )


def _link_form(matter: Matter, data: Any = None) -> LinkMeetingForm:
    meetings = matter.forum.meetings.exclude(pk__in=matter.meetings.values("pk")).order_by("-day")
    return LinkMeetingForm(data, meetings=meetings)


@login_required
@require_GET
@matter_view(reason="matter")
def matter(request: AuthenticatedRequest, opened: OpenedMatter) -> HttpResponse:
    return _matter_page(request, opened)


@login_required
@require_POST
@matter_view(allow=_coordinates, reason="matter discussed")
def matter_link(request: AuthenticatedRequest, opened: OpenedMatter) -> HttpResponse:
    form = _link_form(opened.matter, request.POST)
    if form.is_valid():
        write.link_meeting(
            user=request.user, matter=opened.matter, meeting=form.cleaned_data["meeting"]
        )
        messages.success(request, _("The meeting is linked to the matter."))
        return redirect("influence:matter", opened.matter.pk)
    return _matter_page(request, opened, link_form=form)


@login_required
@require_POST
@matter_view(allow=_coordinates, reason="matter outcome")
def matter_outcome(request: AuthenticatedRequest, opened: OpenedMatter) -> HttpResponse:
    form = OutcomeForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            write.decide_matter(
                user=request.user,
                matter=opened.matter,
                status=data["status"],
                reason=data["reason"],
                decision_reference=data["decision_reference"],
                decided_on=data["decided_on"],
            )
        except InfluenceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The outcome is saved."))
            return redirect("influence:matter", opened.matter.pk)
    return _matter_page(request, opened, outcome_form=form)


# --- An organisation's reports back ------------------------------------------------------


@login_required
@require_GET
def reports(request: AuthenticatedRequest, organisation_id: int) -> HttpResponse:
    """The reports back of the organisation's representatives, for its members only."""
    organisation = (
        InfluenceOrganisation.objects.select_related("account").filter(pk=organisation_id).first()
    )
    if organisation is None or not speaks_for(request.user, organisation):
        raise Http404
    rows = list(read.organisation_reports(organisation))
    log_access(request=request, obj=organisation, reason="reports back")
    return render(
        request,
        "influence/reports.html",
        {"organisation": organisation, "reports": rows},
    )


# --- The representative's start-page panel --------------------------------------------------


def representative_panel(request: HttpRequest) -> dict[str, Any]:
    """Forum meetings to come and minutes to confirm, for someone who represents an
    organisation in a forum; not shown to anyone else (``quiet``)."""
    from django.urls import reverse

    from egenmakt.accounts.start_panels import Waiting, waiting_panel

    coming, to_confirm = read.representative_meetings(request.user)
    items = [
        Waiting(
            _("Minutes to confirm: %(forum)s") % {"forum": meeting.forum.name},
            reverse("influence:meeting", args=[meeting.pk]),
            f"{meeting.day:%Y-%m-%d}",
        )
        for meeting in to_confirm
    ] + [
        Waiting(
            _("Forum meeting: %(forum)s") % {"forum": meeting.forum.name},
            reverse("influence:meeting", args=[meeting.pk]),
            f"{meeting.day:%Y-%m-%d}",
        )
        for meeting in coming
    ]
    return waiting_panel(
        request,
        key="forum",
        heading=_("Your forums"),
        intro=_("Minutes waiting for your confirmation, and the forum meetings to come."),
        items=items,
        empty=_("No forum meeting or minutes wait for you right now."),
        next_actions=[(_("Forum work"), "influence:my_forums")],
        quiet=True,
    )
