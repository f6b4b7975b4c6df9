"""The pages ``make bench`` drives, who drives them, and the bench accounts that do.

``bench_logins`` (a management command, bench mode only) gives region 1 of the scale data
a few accounts per role, each with a password and a confirmed TOTP device like any real
user's, and writes them with the pages' addresses to a JSON file that
``bench/locustfile.py`` reads: the locustfile itself knows no page and no role.

To add a page: append a ``Page`` whose ``url`` finds a typical object of region 1. To add
a role: add it to ``ROLES`` with the number of concurrent users and a ``grant`` that gives
a new account the same reach as the region's own staff in that role.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef
from django.urls import NoReverseMatch, reverse

from egenmakt.accounts.models import Membership, Organisation
from egenmakt.accounts.roles import Role
from egenmakt.audit.models import AccessLog
from egenmakt.coordination.models import (
    CareTeamMember,
    Client,
    Meeting,
    MeetingStatus,
    Phase,
    StepRecord,
)
from egenmakt.instruments.models import Response
from egenmakt.peer.models import (
    Application,
    Cohort,
    CohortRole,
    CohortStaff,
    CourseSession,
    Placement,
    RecruitmentRound,
    RoundMember,
    RoundRole,
    RoundStatus,
)
from egenmakt.scale.accounts import ORGANISATIONS, REGION_NAME


class Scope:
    """Region 1 of the scale data, looked up once."""

    def __init__(self) -> None:
        self.region = Organisation.objects.get(name=REGION_NAME.format(n=1), parent=None)
        network_name = ORGANISATIONS["network"][0].format(n=1)
        self.network = Organisation.objects.get(name=network_name, parent=None)
        self.open_round = RecruitmentRound.objects.get(
            organisation=self.network, status=RoundStatus.OPEN
        )
        # The course under way: its round's course started most recently.
        cohort = (
            Cohort.objects.filter(round__organisation=self.network, round__status="closed")
            .order_by("-round__course_start")
            .first()
        )
        if cohort is None:
            raise Cohort.DoesNotExist("the scale data has no course")
        self.cohort = cohort
        clinic_name = ORGANISATIONS["clinic"][0].format(n=1)
        self.clinic = Organisation.objects.get(name=clinic_name, parent=self.region)
        self._client: Client | None = None

    @property
    def case_manager(self) -> Any:
        """The clinic's first case manager of the scale data, whose caseload the bench's
        case managers share."""
        membership = (
            Membership.objects.filter(organisation=self.clinic, role=Role.CASE_MANAGER)
            .exclude(user__email__startswith="bench.")
            .select_related("user")
            .order_by("user_id")
            .first()
        )
        if membership is None:
            raise Client.DoesNotExist("the scale data has no case managers")
        return membership.user

    def caseload(self) -> Any:
        """The case manager's current seats for the clinic in the clinic's own clients: what
        the bench's case managers are given (another organisation's client would need the
        consent to name them)."""
        return CareTeamMember.objects.filter(
            user=self.case_manager,
            ended_on__isnull=True,
            organisation=self.clinic,
            client__organisation=self.clinic,
        )

    @property
    def client(self) -> Client:
        """Of the case manager's current clients with a plan and a held meeting, the one
        with the most worksheets: the client page at its heaviest, as with a long-standing
        client (a plan decided only lately has no meeting to bench yet)."""
        if self._client is None:
            held = Meeting.objects.filter(client=OuterRef("client_id"), status=MeetingStatus.HELD)
            top = (
                StepRecord.objects.filter(
                    client__in=self.caseload().values("client_id"), client__plan__isnull=False
                )
                .filter(Exists(held))
                .exclude(client__phase=Phase.CLOSED)
                .values("client_id")
                .annotate(n=Count("id"))
                .order_by("-n", "client_id")
                .first()
            )
            if top is None:
                raise Client.DoesNotExist("the case manager has no client with a plan")
            self._client = Client.objects.get(pk=top["client_id"])
        return self._client


def _board(scope: Scope) -> str:
    return reverse("peer:board", args=[scope.open_round.pk])


def _board_search(scope: Scope) -> str:
    # A common first name: the search has many hits, as real searches do.
    first = (
        Application.objects.filter(round=scope.open_round)
        .values_list("full_name", flat=True)
        .first()
        or "a"
    )
    return f"{_board(scope)}?{urlencode({'q': first.split()[0]})}"


def _attendance(scope: Scope) -> str:
    session = (
        CourseSession.objects.filter(cohort=scope.cohort, attendance__isnull=False)
        .order_by("-day")
        .first()
    )
    if session is None:
        session = CourseSession.objects.filter(cohort=scope.cohort).order_by("day").first()
    assert session is not None, "the scale data has a course under way"  # noqa: S101
    return reverse("peer:attendance", args=[session.pk])


def _programme(scope: Scope) -> str:
    return f"{reverse('reports:programme')}?{urlencode({'network': scope.network.pk})}"


def _indicators(scope: Scope) -> str:
    return reverse("influence:indicators")


def _chart(scope: Scope) -> str:
    """The fidelity chart of the region's placement with the longest history."""
    placement_type = ContentType.objects.get_for_model(Placement)
    ids = [
        str(pk)
        for pk in Placement.objects.filter(workplace__network=scope.network).values_list(
            "pk", flat=True
        )
    ]
    top = (
        Response.objects.filter(
            subject_type=placement_type, subject_id__in=ids, definition__key="fidelity"
        )
        .values("subject_id")
        .annotate(n=Count("id"))
        .order_by("-n", "subject_id")
        .first()
    )
    assert top is not None, "the scale data has fidelity reviews"  # noqa: S101
    return reverse("instruments:chart", args=["fidelity", "placering", top["subject_id"]])


def _access_log_person(scope: Scope) -> str:
    """Who read this applicant's data: the auditor's everyday search."""
    row = (
        AccessLog.objects.filter(person_type=ContentType.objects.get_for_model(Application))
        .order_by("-occurred_at")
        .values("person_type_id", "person_id")
        .first()
    )
    assert row is not None, "the scale data has an access log"  # noqa: S101
    query = {"person_type": row["person_type_id"], "person_id": row["person_id"]}
    return f"{reverse('audit:access_log')}?{urlencode(query)}"


def _access_log_newest(scope: Scope) -> str:
    return reverse("audit:access_log")


def _clients(scope: Scope) -> str:
    return reverse("coordination:clients")


def _client_search(scope: Scope) -> dict[str, str]:
    """A common first name: many hits, as real searches have (a POST: names never reach
    a URL)."""
    return {"q": scope.client.full_name.split()[0]}


def _client(scope: Scope) -> str:
    return reverse("coordination:client", args=[scope.client.pk])


def _plan(scope: Scope) -> str:
    return reverse("coordination:plan", args=[scope.client.pk])


def _meeting(scope: Scope) -> str:
    """The client's latest held meeting (the generator holds some for every client it
    benches; a data set without one skips the page rather than failing)."""
    meeting = (
        Meeting.objects.filter(client=scope.client, status=MeetingStatus.HELD)
        .order_by("-starts_at", "-id")
        .first()
    )
    if meeting is None:
        raise NoReverseMatch("the client has no held meeting")
    return reverse("coordination:meeting", args=[scope.client.pk, meeting.pk])


@dataclass(frozen=True)
class Page:
    name: str
    role: str
    url: Callable[[Scope], str]
    # A POST (a search whose words must not reach a URL): the form's fields.
    data: Callable[[Scope], dict[str, str]] | None = None
    # May be missing from this build (the URL does not resolve): skipped, not failed.
    optional: bool = False

    @property
    def method(self) -> str:
        return "GET" if self.data is None else "POST"


def bench_pages(scope: Scope) -> tuple[list[dict[str, Any]], list[str]]:
    """The pages as ``bench_logins`` writes them, and the names of optional pages skipped
    because their address does not resolve in this build."""
    pages, skipped = [], []
    for page in PAGES:
        try:
            path = page.url(scope)
        except NoReverseMatch:
            if not page.optional:
                raise
            skipped.append(page.name)
            continue
        entry: dict[str, Any] = {"name": page.name, "role": page.role, "path": path}
        if page.data is not None:
            entry["method"] = page.method
            entry["data"] = page.data(scope)
        pages.append(entry)
    return pages, skipped


PAGES: list[Page] = [
    Page("recruitment board", Role.COORDINATOR, _board),
    Page("recruitment board, search", Role.COORDINATOR, _board_search),
    Page("instrument chart", Role.COORDINATOR, _chart),
    Page("programme report", Role.COORDINATOR, _programme),
    Page("indicators", Role.COORDINATOR, _indicators),
    Page("cohort attendance", Role.COURSE_LEADER, _attendance),
    Page("client list", Role.CASE_MANAGER, _clients),
    Page("client list, search", Role.CASE_MANAGER, _clients, data=_client_search),
    Page("client page", Role.CASE_MANAGER, _client),
    Page("plan", Role.CASE_MANAGER, _plan),
    Page("meeting", Role.CASE_MANAGER, _meeting, optional=True),
    Page("access-log search", Role.AUDITOR, _access_log_person),
    Page("access log, newest", Role.AUDITOR, _access_log_newest),
    Page("programme report (analyst)", Role.ANALYST, _programme),
    Page("indicators (analyst)", Role.ANALYST, _indicators),
]


def _member(organisation_key: str, role: str) -> Callable[[Scope, Any], None]:
    def grant(scope: Scope, user: Any) -> None:
        organisation = scope.region if organisation_key == "region" else scope.network
        Membership.objects.create(user=user, organisation=organisation, role=role)

    return grant


def _coordinator(scope: Scope, user: Any) -> None:
    _member("network", Role.COORDINATOR)(scope, user)
    RoundMember.objects.create(
        round=scope.open_round,
        user=user,
        role=RoundRole.COORDINATOR,
        represents_user_movement=True,
    )


def _course_leader(scope: Scope, user: Any) -> None:
    _member("network", Role.COURSE_LEADER)(scope, user)
    CohortStaff.objects.create(cohort=scope.cohort, user=user, role=CohortRole.COURSE_LEADER)


def _case_manager(scope: Scope, user: Any) -> None:
    """A clinic case manager with the caseload of the scale data's first one: a seat for
    the clinic in each of their current clients' teams (the clinic's own clients need no
    consent; those of the municipality would need the consent to name the person)."""
    Membership.objects.create(user=user, organisation=scope.clinic, role=Role.CASE_MANAGER)
    seats = scope.caseload()
    CareTeamMember.objects.bulk_create(
        CareTeamMember(
            client_id=seat.client_id,
            user=user,
            organisation=scope.clinic,
            role=seat.role,
            started_on=seat.started_on,
            added_by_id=seat.user_id,
        )
        for seat in seats
    )


def _auditor(scope: Scope, user: Any) -> None:
    _member("region", Role.AUDITOR)(scope, user)
    _member("network", Role.AUDITOR)(scope, user)


@dataclass(frozen=True)
class BenchRole:
    users: int  # concurrent locust users in this role
    grant: Callable[[Scope, Any], None]


# 16 concurrent users in all, the floor's anonymous ones included.
FLOOR_USERS = 2
ROLES: dict[str, BenchRole] = {
    Role.COORDINATOR: BenchRole(4, _coordinator),
    Role.CASE_MANAGER: BenchRole(4, _case_manager),
    Role.COURSE_LEADER: BenchRole(2, _course_leader),
    Role.AUDITOR: BenchRole(2, _auditor),
    Role.ANALYST: BenchRole(2, _member("network", Role.ANALYST)),
}
