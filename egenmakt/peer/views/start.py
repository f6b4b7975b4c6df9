"""The peer programme's panels on the role start pages: what is waiting for the person,
each item a link to the page where it is done (``peer/selectors/waiting.py`` scopes each
by that page's rule). Contributed as "start_panels" in ``peer/registrations.py``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from egenmakt.accounts.start_panels import Waiting, waiting_panel
from egenmakt.audit.services import log_list_access
from egenmakt.peer.selectors import waiting as selectors


def _day(value: date) -> str:
    return f"{value:%Y-%m-%d}"


def _time(value: datetime) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"


def coordinator_panel(request: HttpRequest) -> dict[str, Any]:
    user: Any = request.user
    items: list[Waiting] = []
    for round_ in selectors.rounds_waiting(user):
        applications = reverse("peer:applications", args=[round_.pk])
        if round_.to_screen:  # type: ignore[attr-defined]
            items.append(
                Waiting(
                    ngettext(
                        "%(count)s application to screen",
                        "%(count)s applications to screen",
                        round_.to_screen,  # type: ignore[attr-defined]
                    )
                    % {"count": round_.to_screen},  # type: ignore[attr-defined]
                    f"{applications}?status=applied",
                    round_.title,
                )
            )
        if round_.to_decide:  # type: ignore[attr-defined]
            items.append(
                Waiting(
                    ngettext(
                        "%(count)s interviewed applicant to decide on",
                        "%(count)s interviewed applicants to decide on",
                        round_.to_decide,  # type: ignore[attr-defined]
                    )
                    % {"count": round_.to_decide},  # type: ignore[attr-defined]
                    f"{applications}?status=interviewed",
                    round_.title,
                )
            )
        if round_.letters:  # type: ignore[attr-defined]
            items.append(
                Waiting(
                    ngettext(
                        "%(count)s decision letter not sent",
                        "%(count)s decision letters not sent",
                        round_.letters,  # type: ignore[attr-defined]
                    )
                    % {"count": round_.letters},  # type: ignore[attr-defined]
                    reverse("peer:round_letters", args=[round_.pk]),
                    round_.title,
                )
            )
    ending = selectors.placements_ending(user)
    # The panel names the peer supporters whose placements end: one log row each.
    log_list_access(
        request=request,
        people=[p.peer_supporter for p in ending[: selectors.LIMIT]],
        reason="start page: placements ending",
    )
    for placement in ending:
        items.append(
            Waiting(
                _("%(name)s's placement at %(workplace)s ends")
                % {
                    "name": placement.peer_supporter.full_name,
                    "workplace": placement.workplace.workplace.name,
                },
                reverse("peer:placement", args=[placement.pk]),
                _day(placement.ends_on),  # type: ignore[arg-type]
            )
        )
    return waiting_panel(
        request,
        key="coordinator",
        heading=_("Waiting for you"),
        intro=_(
            "Applications to screen or decide in your open rounds, letters not sent, and "
            "placements that end within a month."
        ),
        items=items,
        empty=_("Nothing in your rounds or placements waits for you right now."),
        next_actions=[
            (_("Recruitment"), "peer:rounds"),
            (_("Courses"), "peer:cohorts"),
            (_("Workplaces"), "peer:workplaces"),
        ],
        limit=selectors.LIMIT * 2,
        more_url_name="peer:rounds",
    )


def interviewer_panel(request: HttpRequest) -> dict[str, Any]:
    now = timezone.now()
    items = [
        Waiting(
            _("Interview %(time)s") % {"time": _time(interview.starts_at)},
            reverse("peer:interview", args=[interview.pk]),
            (_("%(round)s: coming") if interview.starts_at >= now else _("%(round)s: to assess"))
            % {"round": interview.application.round.title},
        )
        for interview in selectors.interviews_to_assess(request.user)  # type: ignore[arg-type]
    ]
    return waiting_panel(
        request,
        key="interviewer",
        heading=_("Your interviews"),
        intro=_(
            "Interviews you are booked for whose applicant waits for a decision and that you "
            "have not yet assessed against the selection criteria."
        ),
        items=items,
        empty=_("You have no interview to hold or assess right now."),
        next_actions=[(_("My interviews"), "peer:my_interviews")],
        limit=selectors.LIMIT,
        more_url_name="peer:my_interviews",
    )


def course_panel(request: HttpRequest) -> dict[str, Any]:
    work = selectors.course_work(request.user)  # type: ignore[arg-type]
    items: list[Waiting] = []
    for session in work.attendance_missing:
        items.append(
            Waiting(
                _("Take attendance: %(theme)s") % {"theme": session.theme},
                reverse("peer:attendance", args=[session.pk]),
                f"{_day(session.day)}, {session.cohort.title}",
            )
        )
    for assignment in work.feedback_due:
        items.append(
            Waiting(
                _("Give feedback: %(title)s (handed in: %(count)s)")
                % {"title": assignment.title, "count": assignment.unread},  # type: ignore[attr-defined]
                reverse("peer:assignment", args=[assignment.pk]),
                assignment.cohort.title,
            )
        )
    if work.next_session is not None:
        session = work.next_session
        items.append(
            Waiting(
                _("Next course day: %(theme)s") % {"theme": session.theme},
                reverse("peer:attendance", args=[session.pk]),
                f"{_day(session.day)} {session.starts:%H:%M}, {session.place}",
            )
        )
    return waiting_panel(
        request,
        key="course",
        heading=_("Your course days"),
        intro=_(
            "Course days held in the last month without attendance, homework handed in "
            "without feedback, and your next course day."
        ),
        items=items,
        empty=_("No course day or homework waits for you right now."),
        next_actions=[(_("Courses"), "peer:cohorts")],
        limit=selectors.LIMIT * 2,
        more_url_name="peer:cohorts",
    )


def supervisor_panel(request: HttpRequest) -> dict[str, Any]:
    items = [
        Waiting(
            _("Supervision %(time)s") % {"time": _time(meeting.starts_at)},
            reverse("peer:supervision_meeting", args=[meeting.pk]),
            _("record who took part")
            if meeting.unrecorded and meeting.starts_at < timezone.now()  # type: ignore[attr-defined]
            else ngettext(
                "%(count)s peer supporter, %(place)s",
                "%(count)s peer supporters, %(place)s",
                meeting.people,  # type: ignore[attr-defined]
            )
            % {"count": meeting.people, "place": meeting.place},  # type: ignore[attr-defined]
        )
        for meeting in selectors.supervision_waiting(request.user)  # type: ignore[arg-type]
    ]
    # By workplace and start, not by name: the supervisor knows whom they supervise.
    for placement in selectors.fidelity_reviews_due(request.user):  # type: ignore[arg-type]
        last = placement.last_review  # type: ignore[attr-defined]
        items.append(
            Waiting(
                _("Fidelity review due: the placement at %(workplace)s")
                % {"workplace": placement.workplace.workplace.name},
                reverse("peer:placement", args=[placement.pk]),
                _("last review %(day)s") % {"day": _day(last)}
                if last
                else _("no review since it started %(day)s") % {"day": _day(placement.starts_on)},
            )
        )
    return waiting_panel(
        request,
        key="supervision",
        heading=_("Your supervision"),
        intro=_(
            "Meetings to come, held meetings where who took part is not recorded, and the "
            "placements you supervise that are due a fidelity review."
        ),
        items=items,
        empty=_("No supervision meeting or fidelity review waits for you right now."),
        next_actions=[(_("Supervision"), "peer:supervision")],
        limit=selectors.LIMIT,
        more_url_name="peer:supervision",
    )


def peer_supporter_panel(request: HttpRequest) -> dict[str, Any]:
    work = selectors.own_work(request.user)  # type: ignore[arg-type]
    items: list[Waiting] = []
    if work.guidelines_unread:
        items.append(
            Waiting(
                _("Read and acknowledge the ethics guidelines"),
                reverse("peer:my_ethics_guidelines"),
                _("before the course certificate"),
            )
        )
    if work.next_session is not None:
        session = work.next_session
        items.append(
            Waiting(
                _("Next course day: %(theme)s") % {"theme": session.theme},
                reverse("peer:my_course"),
                f"{_day(session.day)} {session.starts:%H:%M}, {session.place}",
            )
        )
    for assignment in work.homework:
        items.append(
            Waiting(
                _("Homework: %(title)s") % {"title": assignment.title},
                reverse("peer:my_assignment", args=[assignment.pk]),
                _("hand in by %(day)s") % {"day": _day(assignment.due)},
            )
        )
    if work.next_supervision is not None:
        meeting = work.next_supervision
        items.append(
            Waiting(
                _("Next supervision: %(time)s") % {"time": _time(meeting.starts_at)},
                reverse("peer:supervision_meeting", args=[meeting.pk]),
                meeting.place,
            )
        )
    return waiting_panel(
        request,
        key="own",
        heading=_("Coming up for you"),
        items=items,
        empty=_("Nothing is waiting for you right now."),
        next_actions=[
            (_("My course"), "peer:my_course"),
            (_("Supervision"), "peer:supervision"),
        ],
    )


def workplace_manager_panel(request: HttpRequest) -> dict[str, Any]:
    items = []
    for workplace in selectors.managed_workplaces(request.user)[: selectors.LIMIT + 1]:  # type: ignore[arg-type]
        detail = ngettext(
            "%(count)s peer supporter working",
            "%(count)s peer supporters working",
            workplace.working,  # type: ignore[attr-defined]
        ) % {"count": workplace.working}  # type: ignore[attr-defined]
        if not workplace.agreed:  # type: ignore[attr-defined]
            detail += "; " + _("the task description is not agreed yet")
        items.append(
            Waiting(
                workplace.workplace.name, reverse("peer:workplace", args=[workplace.pk]), detail
            )
        )
    return waiting_panel(
        request,
        key="workplace",
        heading=_("Your workplaces"),
        intro=_("The workplaces you manage in the peer programme, and what is left to agree."),
        items=items,
        empty=_("None of your workplaces is registered in the peer programme yet."),
        next_actions=[(_("Workplaces"), "peer:workplaces")],
        limit=selectors.LIMIT,
        more_url_name="peer:workplaces",
    )
