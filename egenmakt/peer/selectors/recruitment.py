"""Read queries for recruitment: every query of personal data is scoped to the user.

``get_*_for(user, id)`` return the object or raise 404 for missing and out of reach
alike; list queries take the round the caller has already reached.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from egenmakt.accounts.models import Membership, OrganisationKind, User
from egenmakt.accounts.roles import Role
from egenmakt.accounts.types import Viewer
from egenmakt.peer.models import (
    INTERVIEW_STEP_STATUSES,
    Application,
    ApplicationStatus,
    Decision,
    ErasedApplications,
    Interview,
    InterviewRecord,
    RecruitmentRound,
    RoundMember,
    RoundRole,
    RoundStatus,
)
from egenmakt.peer.rules import (
    is_round_member,
    may_see_application,
    may_see_interview,
    may_see_record,
    round_roles,
)


def _int(value: Any) -> int:
    """An id from a URL; anything else matches nothing (0 is never a key)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# --- Rounds ----------------------------------------------------------------------------


def rounds_for(user: User) -> QuerySet[RecruitmentRound]:
    """The rounds the user works on, with their number of applications."""
    return (
        RecruitmentRound.objects.filter(members__user=user)
        .distinct()
        .select_related("organisation")
        .annotate(
            application_count=Count("applications", distinct=True),
        )
        .order_by("-course_start", "-id")
    )


def get_round_for(user: Viewer, round_id: Any) -> RecruitmentRound:
    round_ = (
        RecruitmentRound.objects.select_related("organisation").filter(pk=_int(round_id)).first()
    )
    if round_ is None or not is_round_member(user, round_):
        raise Http404
    return round_


def closed_to_applicants(round_: RecruitmentRound, today: date | None = None) -> str:
    """Why the round's public form takes no application now, or "" when it does.

    The same rule the application service enforces (``accepts_applications`` and
    ``is_full``), told to the applicant before they write anything.
    """
    from django.utils.translation import gettext

    today = today or timezone.localdate()
    if not round_.accepts_applications(today):
        if round_.status == RoundStatus.OPEN and today < round_.advertising_from:
            return gettext("Applications open on %(date)s.") % {"date": round_.advertising_from}
        return gettext("This round is closed and takes no more applications.")
    if round_.is_full():
        return gettext("This round is full and takes no more applications.")
    return ""


def round_people(round_: RecruitmentRound) -> list[RoundMember]:
    return list(round_.members.select_related("user").order_by("role", "user__full_name"))


def people_who_can_join(round_: RecruitmentRound) -> QuerySet[User]:
    """Coordinators and interviewers in the round's organisation and the units under it."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__role__in=[Role.COORDINATOR, Role.INTERVIEWER],
            memberships__organisation__path__startswith=round_.organisation.path,
        )
        .exclude(round_memberships__round=round_)
        .distinct()
        .order_by("full_name")
    )


def may_join(round_: RecruitmentRound, person: User) -> bool:
    """Anyone holding a coordinator or interviewer role (in any organisation: a region's
    interviewer often pairs with the user movement's) who is not in the round yet."""
    return (
        person.is_active
        and Membership.objects.filter(
            user=person, role__in=[Role.COORDINATOR, Role.INTERVIEWER]
        ).exists()
        and not round_.members.filter(user=person).exists()
    )


def person_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip(), is_active=True).first()


def from_user_movement(user: User) -> bool:
    """Whether the person's memberships are in the user movement: the default for the
    round's 'represents the user movement' flag, which the coordinator can change."""
    return Membership.objects.filter(
        user=user,
        organisation__kind__in=[OrganisationKind.USER_NETWORK, OrganisationKind.USER_ORGANISATION],
    ).exists()


@dataclass(frozen=True)
class TimelineStep:
    label: Any
    starts: date
    ends: date
    state: str  # "done", "now", "coming"


def timeline(round_: RecruitmentRound, today: date | None = None) -> list[TimelineStep]:
    """Advertising, interviews, decisions, notice, against today (handbook: ~3 months)."""
    today = today or timezone.localdate()
    steps = [
        (_("Advertising and applications"), round_.advertising_from, round_.applications_until),
        (_("Interviews and selection"), round_.interviews_from, round_.interviews_until),
        (_("Decisions"), round_.interviews_until, round_.decision_by),
        (_("Notice before the course"), round_.decision_by, round_.course_start),
    ]
    result = []
    for label, starts, ends in steps:
        state = "done" if today > ends else ("now" if today >= starts else "coming")
        result.append(TimelineStep(label, starts, ends, state))
    return result


# --- Applications ----------------------------------------------------------------------

SORTS = {
    "nyast": ("-submitted_at", "-id"),
    "aldst": ("submitted_at", "id"),
    "namn": ("full_name", "id"),
    "status": ("status", "-submitted_at", "id"),
}


def _scope(user: Viewer, round_: RecruitmentRound) -> Q:
    roles = round_roles(user, round_)
    if RoundRole.COORDINATOR in roles:
        return Q(round=round_)
    if RoundRole.INTERVIEWER in roles:
        return Q(round=round_, status__in=INTERVIEW_STEP_STATUSES)
    raise Http404


def applications_in(
    user: Viewer,
    round_: RecruitmentRound,
    *,
    status: str = "",
    search: str = "",
    heard_from: str = "",
    work_capacity: str = "",
    sort: str = "nyast",
) -> QuerySet[Application]:
    """The round's applications the user may see, filtered and sorted.

    The scope is required: a user who is not in the round gets 404, never all rows.
    """
    rows = Application.objects.filter(_scope(user, round_))
    if status:
        rows = rows.filter(status=status)
    if search:
        rows = rows.filter(Q(full_name__icontains=search) | Q(email__icontains=search))
    if heard_from:
        rows = rows.filter(heard_from=heard_from)
    if work_capacity:
        rows = rows.filter(work_capacity=work_capacity)
    upcoming = Interview.objects.filter(
        application=OuterRef("pk"), cancelled_at__isnull=True, starts_at__gte=timezone.now()
    )
    return rows.annotate(has_upcoming_interview=Exists(upcoming)).order_by(
        *SORTS.get(sort, SORTS["nyast"])
    )


@dataclass
class BoardColumn:
    key: str
    label: Any
    statuses: list[str]
    cards: list[Application] = field(default_factory=list)
    total: int = 0


BOARD_COLUMNS: list[tuple[str, Any, list[str]]] = [
    ("screen", _("Step 1: to screen"), [ApplicationStatus.APPLIED]),
    ("interview", _("Step 2: to interview"), [ApplicationStatus.GO_ON]),
    ("booked", _("Interview booked"), [ApplicationStatus.INTERVIEW_BOOKED]),
    ("interviewed", _("Interviewed: to decide"), [ApplicationStatus.INTERVIEWED]),
    ("admitted", _("Admitted"), [ApplicationStatus.ADMITTED]),
    ("reserve", _("Reserve list"), [ApplicationStatus.RESERVE]),
    (
        "out",
        _("Not going on"),
        [ApplicationStatus.NOT_NOW, ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN],
    ),
]
BOARD_CARDS_PER_COLUMN = 50


def board(user: Viewer, round_: RecruitmentRound, *, search: str = "") -> list[BoardColumn]:
    """Applications by step in two queries whatever their number: the counts, and the
    first cards of every column."""
    rows = Application.objects.filter(_scope(user, round_))
    if search:
        rows = rows.filter(full_name__icontains=search)
    counts = dict(rows.values_list("status").annotate(n=Count("id")).order_by())
    columns = [BoardColumn(key, label, statuses) for key, label, statuses in BOARD_COLUMNS]
    by_status = {status: column for column in columns for status in column.statuses}
    for column in columns:
        column.total = sum(counts.get(status, 0) for status in column.statuses)
    # One query for the cards: the newest per column is enough to act on; the list page
    # pages through the rest.
    cards = rows.only("id", "full_name", "status", "submitted_at", "work_capacity").order_by(
        "status", "-submitted_at", "-id"
    )
    per_status: dict[str, int] = {}
    for application in cards[: BOARD_CARDS_PER_COLUMN * len(ApplicationStatus.values)]:
        seen = per_status.get(application.status, 0)
        if seen < BOARD_CARDS_PER_COLUMN:
            by_status[application.status].cards.append(application)
            per_status[application.status] = seen + 1
    return columns


def get_application_for(user: Viewer, application_id: Any) -> Application:
    application = (
        Application.objects.select_related("round", "round__organisation")
        .filter(pk=_int(application_id))
        .first()
    )
    if application is None or not may_see_application(user, application):
        raise Http404
    return application


def decisions_of(application: Application) -> list[Decision]:
    return list(application.decisions.select_related("decided_by").order_by("decided_at", "id"))


def interviews_of(application: Application) -> list[Interview]:
    return list(
        application.interviews.select_related("interviewer_1", "interviewer_2").order_by(
            "starts_at"
        )
    )


# --- Interviews ------------------------------------------------------------------------


def get_interview_for(user: Viewer, interview_id: Any) -> Interview:
    interview = (
        Interview.objects.select_related(
            "application",
            "application__round",
            "application__round__organisation",
            "interviewer_1",
            "interviewer_2",
        )
        .filter(pk=_int(interview_id))
        .first()
    )
    if interview is None or not may_see_interview(user, interview):
        raise Http404
    return interview


def interviewers_from_user_movement(interview: Interview) -> bool:
    return RoundMember.objects.filter(
        round_id=interview.application.round_id,
        user_id__in=interview.interviewer_ids(),
        represents_user_movement=True,
    ).exists()


def upcoming_interviews_for(user: User) -> QuerySet[Interview]:
    """The interviews a person is booked for, in rounds they still work on."""
    return (
        Interview.objects.filter(
            Q(interviewer_1=user) | Q(interviewer_2=user),
            cancelled_at__isnull=True,
            application__round__members__user=user,
            starts_at__gte=timezone.now() - timedelta(days=14),
        )
        .distinct()
        .select_related("application", "application__round", "interviewer_1", "interviewer_2")
        .order_by("starts_at")
    )


@dataclass
class RecordView:
    record: InterviewRecord
    response: Any  # the newest instrument response about it, or None
    visible: bool


def records_of(user: Viewer, interview: Interview) -> list[RecordView]:
    """The interview's records with their latest response, in one query each."""
    from django.contrib.contenttypes.models import ContentType

    from egenmakt.instruments.models import Response

    records = list(interview.records.select_related("author").order_by("kind", "author_id"))
    content_type = ContentType.objects.get_for_model(InterviewRecord)
    responses: dict[str, Response] = {}
    for response in Response.objects.filter(
        subject_type=content_type, subject_id__in=[str(r.pk) for r in records]
    ).order_by("created_at", "id"):
        responses[response.subject_id] = response
    views = []
    for record in records:
        found = responses.get(str(record.pk))
        record.__dict__["_submitted"] = bool(found and found.status == "submitted")
        record.interview = interview
        views.append(RecordView(record, found, may_see_record(user, record)))
    return views


# --- Funnel ----------------------------------------------------------------------------

FUNNEL_STAGES: list[tuple[str, Any]] = [
    ("applied", _("Applied")),
    ("screened", _("Screened")),
    ("interviewed", _("Interviewed")),
    ("admitted", _("Admitted")),
    ("reserve", _("Reserve list")),
    ("withdrawn", _("Withdrawn")),
    ("declined", _("Declined")),
    ("not_now", _("Not now")),
]


@dataclass(frozen=True)
class FunnelRow:
    key: str
    label: Any
    count: int


def funnel(round_: RecruitmentRound) -> list[FunnelRow]:
    """Counts per stage, the erased applications' anonymous counts included."""
    s = ApplicationStatus
    counts = Application.objects.filter(round=round_).aggregate(
        applied=Count("id"),
        screened=Count("id", filter=Q(screened_at__isnull=False)),
        interviewed=Count("id", filter=Q(interviewed_at__isnull=False)),
        admitted=Count("id", filter=Q(status=s.ADMITTED)),
        reserve=Count("id", filter=Q(status=s.RESERVE)),
        withdrawn=Count("id", filter=Q(status=s.WITHDRAWN)),
        declined=Count("id", filter=Q(status=s.DECLINED)),
        not_now=Count("id", filter=Q(status=s.NOT_NOW)),
    )
    erased = ErasedApplications.objects.filter(round=round_).first()
    rows = []
    for key, label in FUNNEL_STAGES:
        count = counts[key] + (getattr(erased, key) if erased is not None else 0)
        rows.append(FunnelRow(key, label, count))
    return rows


@dataclass(frozen=True)
class FunnelBar:
    label: Any
    count: int
    y: int
    width: int


FUNNEL_BAR_MAX = 420


def funnel_bars(rows: list[FunnelRow]) -> list[FunnelBar]:
    """Geometry of the funnel chart (an SVG drawn by the template, no script)."""
    top = max((row.count for row in rows), default=0) or 1
    return [
        FunnelBar(row.label, row.count, 10 + i * 34, round(FUNNEL_BAR_MAX * row.count / top))
        for i, row in enumerate(rows)
    ]
