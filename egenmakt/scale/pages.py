"""The pages ``make bench`` drives, who drives them, and the bench accounts that do.

``bench_logins`` (a management command, bench mode only) gives region 1 of the scale data
a few accounts per role, each with a password and a confirmed TOTP device like any real
user's, and writes them with the pages' addresses to a JSON file that
``bench/locustfile.py`` reads: the locustfile itself knows no page and no role.

To add a page: append a ``Page`` whose ``url`` finds a typical object of region 1. To add
a role: add it to ``ROLES`` with the number of concurrent users and a ``grant`` that gives
a new account the same reach as the region's own staff in that role.

Three kinds of page: a staff page (the session of a person signed in with password and
TOTP), a page of the client portal (role ``client``: the client signs in by a one-time
link, as from the invitation's e-mail) and an API read (``api=True``: no session, an
``Authorization: Bearer`` header with the account's own personal token, which
``bench_logins`` makes with the role's ``api_scopes``). The **signed-in floor** is the
cheapest page a signed-in person gets (the backup-codes page as it is: session, user,
second-factor device, memberships for the menu, the base layout, no domain query); every
page's p95 is compared with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef
from django.urls import NoReverseMatch, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from egenmakt.accounts.models import Membership, Organisation
from egenmakt.accounts.roles import Role
from egenmakt.api.services import create_personal_token
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
from egenmakt.portal import services as portal_services
from egenmakt.portal.services import PortalError
from egenmakt.scale.accounts import ORGANISATIONS, REGION_NAME
from egenmakt.scale.context import EMAIL_DOMAIN


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


def _signed_in_floor(scope: Scope) -> str:
    return reverse("accounts:two_factor_backup_codes")


def _portal(name: str) -> Callable[[Scope], str]:
    def url(scope: Scope) -> str:
        return reverse(f"portal:{name}")

    return url


def _api(name: str, client: bool = False) -> Callable[[Scope], str]:
    """An operation of ``/api/v1/``, about the bench's client when it takes one."""

    def url(scope: Scope) -> str:
        return reverse(f"api:{name}", kwargs={"client_id": scope.client.pk} if client else {})

    return url


def _api_programme(scope: Scope) -> str:
    return f"{reverse('api:programme_report')}?{urlencode({'network_id': scope.network.pk})}"


@dataclass(frozen=True)
class Page:
    name: str
    role: str
    url: Callable[[Scope], str]
    # A POST (a search whose words must not reach a URL): the form's fields.
    data: Callable[[Scope], dict[str, str]] | None = None
    # May be missing from this build (the URL does not resolve): skipped, not failed.
    optional: bool = False
    # A read of the API: sent with the account's token, without a session.
    api: bool = False

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
        if page.api:
            # Each account's own token goes in: the locustfile and isolated.py fill it.
            entry["headers"] = {"Authorization": "Bearer {api_token}"}
        pages.append(entry)
    return pages, skipped


CLIENT = "client"  # the client portal's role: not a staff role, so not in Role
SIGNED_IN_FLOOR = "signed-in floor"

PAGES: list[Page] = [
    Page(SIGNED_IN_FLOOR, Role.CASE_MANAGER, _signed_in_floor),
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
    Page("portal: start", CLIENT, _portal("start")),
    Page("portal: plan", CLIENT, _portal("plan")),
    Page("portal: worksheets", CLIENT, _portal("worksheets")),
    Page("portal: who has read about me", CLIENT, _portal("access_log")),
    Page("API: clients", Role.CASE_MANAGER, _api("clients"), api=True),
    Page("API: client", Role.CASE_MANAGER, _api("client", True), api=True),
    Page("API: client's meetings", Role.CASE_MANAGER, _api("client_meetings", True), api=True),
    Page("API: client's plan", Role.CASE_MANAGER, _api("client_plan", True), api=True),
    Page("API: indicators", Role.COORDINATOR, _api("indicators"), api=True),
    Page("API: programme report", Role.COORDINATOR, _api_programme, api=True),
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


def _portal_client(scope: Scope, user: Any) -> None:
    """Nothing to grant: the portal account is made by the invitation (``account``)."""


@dataclass(frozen=True)
class BenchRole:
    users: int  # concurrent locust users in this role
    grant: Callable[[Scope, Any], None]
    # Scopes of the personal API token each account gets (none: no token).
    api_scopes: tuple[str, ...] = ()
    # A client of the portal, invited by the case manager, not a staff account.
    portal: bool = False


# 16 concurrent users in all, the floor's anonymous ones included.
FLOOR_USERS = 2
ROLES: dict[str, BenchRole] = {
    Role.COORDINATOR: BenchRole(3, _coordinator, api_scopes=("reports:read",)),
    Role.CASE_MANAGER: BenchRole(4, _case_manager, api_scopes=("coordination:read",)),
    Role.COURSE_LEADER: BenchRole(2, _course_leader),
    Role.AUDITOR: BenchRole(2, _auditor),
    Role.ANALYST: BenchRole(1, _member("network", Role.ANALYST)),
    CLIENT: BenchRole(2, _portal_client, portal=True),
}


def portal_clients(scope: Scope) -> list[Client]:
    """The clients the portal accounts belong to: the bench's client first (the heaviest
    record), then others of the case manager's current caseload."""
    others = (
        Client.objects.filter(pk__in=scope.caseload().values("client_id"))
        .exclude(pk=scope.client.pk)
        .exclude(phase=Phase.CLOSED)
        .order_by("pk")
    )
    return [scope.client, *others[:20]]


def _portal_account(scope: Scope, n: int, email: str) -> tuple[Any, dict[str, str]]:
    """The n-th client's own login, opened as the app opens it (the case manager's
    invitation; an open one is reused), and a fresh one-time sign-in link to it."""
    candidates = portal_clients(scope)
    for client in candidates[n:]:
        account = portal_services.open_account_of(client)
        if account is None:
            try:
                account = portal_services.invite_client(
                    user=scope.case_manager, client=client, email=email
                )
            except (PermissionDenied, PortalError):
                continue  # no valid consent, or the address is taken: the next client
        elif account.user.email != email:
            continue
        token = portal_services.issue_link(account)
        return account.user, {"link": reverse("portal:link", args=[token])}
    raise Client.DoesNotExist("no client of the caseload can be invited to the portal")


def bench_account(scope: Scope, role: str, n: int, hashed: str) -> tuple[Any, dict[str, Any]]:
    """The n-th bench account of a role (made the first time, given its reach), and what
    the bench signs in with: the staff's password (``hashed``, set here) and TOTP device, or a
    client's one-time link; and a fresh API token when the role reads through the API."""
    bench_role = ROLES[role]
    email = f"bench.{role}.{n + 1}@{EMAIL_DOMAIN}"
    if bench_role.portal:
        user, link = _portal_account(scope, n, email)
        return user, {"email": user.email, **link}
    user, created = get_user_model().objects.get_or_create(
        email=email, defaults={"full_name": f"Bench {role} {n + 1}"}
    )
    if created:
        bench_role.grant(scope, user)
    user.password = hashed
    user.save(update_fields=["password"])
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    fields: dict[str, Any] = {"email": user.email, "totp_key": device.key}
    if bench_role.api_scopes:
        _token, secret = create_personal_token(
            user=user, name="bench", scopes=list(bench_role.api_scopes), days=7
        )
        fields["api_token"] = secret
    return user, fields
