"""Who reaches which client, and the read queries of the coordination pages.

One rule decides access, and it lives in SQL (``covered_seats``) so the client list and
the object check can never disagree:

* a person reaches a client through an active seat in the client's care team;
* a seat acting for the client's home organisation needs nothing more;
* a seat acting for another organisation needs a valid consent (given, not revoked, not
  expired) that names that organisation, and a case manager's seat needs the consent to
  name them too.

Revoking a consent takes effect on the next query: nothing is cached beyond one request.
Emergency access (``audit.EmergencyAccess``) gives a limited-time, read-only view of the
shared work to someone outside the team.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from egenmakt.audit.models import EmergencyAccess
from egenmakt.audit.services import active_emergency_access
from egenmakt.core.dates import add_months
from egenmakt.instruments.models import Response

from .checklist import DerivedStep, OrsStatus, ors_status
from .identity import parse_identity_number
from .models import (
    Attendance,
    CareTeamMember,
    CaseNote,
    Client,
    Consent,
    Contact,
    Decision,
    DecisionKind,
    Goal,
    GoalStatus,
    Meeting,
    MeetingStatus,
    Phase,
    Plan,
    PlanVersion,
    ResourceGroupMember,
    StepRecord,
    SummaryEntry,
    TeamRole,
)


def valid_consents(today: date | None = None) -> QuerySet[Consent]:
    today = today or timezone.localdate()
    return Consent.objects.filter(revoked_at__isnull=True, given_on__lte=today).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )


def covered_seats(user: Any) -> QuerySet[CareTeamMember]:
    """The user's active care-team seats that give access now."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return CareTeamMember.objects.none()
    consents = valid_consents()
    covers_organisation = Exists(
        consents.filter(client=OuterRef("client_id"), organisations=OuterRef("organisation_id"))
    )
    names_the_person = Exists(
        consents.filter(
            client=OuterRef("client_id"),
            organisations=OuterRef("organisation_id"),
            case_managers=OuterRef("user_id"),
        )
    )
    return CareTeamMember.objects.filter(user=user, ended_on__isnull=True).filter(
        Q(organisation_id=F("client__organisation_id"))
        | names_the_person
        | (~Q(role=TeamRole.CASE_MANAGER) & covers_organisation)
    )


@dataclass(frozen=True)
class ClientAccess:
    """What one user may do with one client, decided once per request."""

    client_id: int
    seat: CareTeamMember | None
    emergency: EmergencyAccess | None
    consent_valid: bool

    @property
    def can_view(self) -> bool:
        return self.seat is not None or self.emergency is not None

    @property
    def in_team(self) -> bool:
        return self.seat is not None

    @property
    def joint_work(self) -> bool:
        """May add to the joint work: a covered seat, under a valid consent."""
        return self.seat is not None and self.consent_valid


def _cache(user: Any) -> dict[int, ClientAccess]:
    cache: dict[int, ClientAccess] | None = getattr(user, "_egenmakt_client_access", None)
    if cache is None:
        cache = {}
        user._egenmakt_client_access = cache
    return cache


def client_access(user: Any, client: Client) -> ClientAccess:
    """The user's access to the client; cached on the request's user object only."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ClientAccess(client.pk, None, None, False)
    cache = _cache(user)
    if client.pk not in cache:
        seat = (
            covered_seats(user)
            .filter(client_id=client.pk)
            .select_related("organisation")
            .order_by("id")
            .first()
        )
        emergency = None if seat is not None else active_emergency_access(user, client)
        consent_valid = valid_consents().filter(client_id=client.pk).exists()
        cache[client.pk] = ClientAccess(client.pk, seat, emergency, consent_valid)
    return cache[client.pk]


def forget_client_access(user: Any) -> None:
    if hasattr(user, "_egenmakt_client_access"):
        del user._egenmakt_client_access


def visible_q(access: ClientAccess, *, has_shared_flag: bool) -> Q:
    """Which entries of a kind this access reads (see ``ClientAccess``)."""
    if access.seat is not None:
        own = Q(organisation_id=access.seat.organisation_id)
        if not access.consent_valid:
            return own
        # Under a valid consent the joint work is everyone's in the team.
        return (own | Q(shared=True)) if has_shared_flag else Q()
    if access.emergency is not None:
        return Q(shared=True) if has_shared_flag else Q()
    return Q(pk__in=[])


def search_clients(rows: QuerySet[Client], text: str) -> QuerySet[Client]:
    """By name, or by the number as written (whole, or the birth-date part)."""
    text = text.strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) >= 6 and len(digits) == len(text.replace("-", "").replace(" ", "")):
        try:
            return rows.filter(identity_number=parse_identity_number(text).digits)
        except ValidationError:
            return rows.filter(identity_number__contains=digits)
    return rows.filter(full_name__icontains=text)


def get_client_for(user: Any, client_id: Any) -> Client:
    """The client, or 404 when missing or out of the user's reach."""
    try:
        client = Client.objects.select_related("organisation").filter(pk=int(client_id)).first()
    except (TypeError, ValueError):
        client = None
    if client is None or not client_access(user, client).can_view:
        raise Http404
    return client


# --- Lists and pages ------------------------------------------------------------------------


def clients_for(user: Any) -> QuerySet[Client]:
    """The clients the user works with now, with what the list shows, in constant queries."""
    ors_submitted = StepRecord.objects.filter(
        client=OuterRef("pk"), step="ors", response__status="submitted"
    )
    return (
        Client.objects.filter(pk__in=covered_seats(user).values("client_id"))
        .select_related("organisation")
        .annotate(
            has_consent=Exists(valid_consents().filter(client=OuterRef("pk"))),
            has_ors=Exists(ors_submitted),
        )
        .prefetch_related(
            Prefetch(
                "team",
                queryset=CareTeamMember.objects.filter(ended_on__isnull=True)
                .select_related("user", "organisation")
                .order_by("role", "id"),
                to_attr="active_team",
            )
        )
        .order_by("full_name", "id")
    )


def active_team(client: Client) -> list[CareTeamMember]:
    return list(
        client.team.filter(ended_on__isnull=True)
        .select_related("user", "organisation")
        .order_by("role", "started_on", "id")
    )


def consents_of(client: Client) -> list[Consent]:
    return list(
        client.consents.select_related("recorded_by", "revoked_by").prefetch_related(
            "organisations", "case_managers"
        )
    )


def steps_for(access: ClientAccess, client: Client) -> list[StepRecord]:
    return list(
        StepRecord.objects.filter(client=client)
        .filter(visible_q(access, has_shared_flag=True))
        .select_related("response__definition", "organisation", "entered_by")
        .prefetch_related("present")
        .order_by("done_on", "id")
    )


def summary_for(access: ClientAccess, client: Client) -> list[SummaryEntry]:
    return list(
        SummaryEntry.objects.filter(client=client)
        .filter(visible_q(access, has_shared_flag=False))
        .select_related("organisation", "written_by", "source")
    )


def contacts_for(access: ClientAccess, client: Client) -> list[Contact]:
    return list(
        Contact.objects.filter(client=client)
        .filter(visible_q(access, has_shared_flag=False))
        .select_related("organisation")
    )


def notes_for(access: ClientAccess, client: Client) -> list[CaseNote]:
    """Only the user's own organisation's notes; never by consent, never in an emergency."""
    if access.seat is None:
        return []
    return list(
        CaseNote.objects.filter(client=client, organisation_id=access.seat.organisation_id)
        .select_related("written_by", "organisation")
        .order_by("-written_at", "-id")[:50]
    )


def _submitted_records(access: ClientAccess, client: Client, key: str) -> QuerySet[StepRecord]:
    """Steps holding a submitted answer to worksheet ``key`` that this access reads."""
    return (
        StepRecord.objects.filter(
            client=client, response__definition__key=key, response__status="submitted"
        )
        .filter(visible_q(access, has_shared_flag=True))
        .select_related("response__definition")
    )


def latest_worksheet(access: ClientAccess, client: Client, key: str) -> Response | None:
    """The newest submitted answer to worksheet ``key`` that this user may read."""
    record = _submitted_records(access, client, key).order_by("-done_on", "-id").first()
    return record.response if record is not None else None


def visible_submitted(access: ClientAccess, client: Client, key: str) -> list[Response]:
    """Every submitted answer to worksheet ``key`` this user may read, oldest first."""
    records = _submitted_records(access, client, key).order_by("response__answered_on", "id")
    return [record.response for record in records if record.response is not None]


# --- The resource group and its meetings ----------------------------------------------------


def group_members_for(access: ClientAccess, client: Client) -> list[ResourceGroupMember]:
    """Everyone who is or was in the group: the present members first, the case
    managers first among them."""
    return list(
        ResourceGroupMember.objects.filter(client=client)
        .filter(visible_q(access, has_shared_flag=False))
        .select_related("user", "contact")
        .order_by(
            F("ended_on").desc(nulls_first=True),
            F("user_id").asc(nulls_last=True),
            "kind",
            "name",
            "id",
        )
    )


def meetings_for(access: ClientAccess, client: Client) -> list[Meeting]:
    """The client's meetings, newest first, with how many came."""
    return list(
        Meeting.objects.filter(client=client)
        .filter(visible_q(access, has_shared_flag=False))
        .annotate(
            invited=Count("attendance", filter=Q(attendance__invited_at__isnull=False)),
            came=Count("attendance", filter=Q(attendance__present=True)),
        )
        .order_by("-starts_at", "-id")
    )


def get_meeting_for(access: ClientAccess, client: Client, meeting_id: Any) -> Meeting:
    """One meeting of the client that this access reads, or 404."""
    meeting = (
        Meeting.objects.filter(client=client, pk=meeting_id)
        .filter(visible_q(access, has_shared_flag=False))
        .select_related("created_by")
        .prefetch_related(
            "agenda",
            Prefetch(
                "attendance",
                queryset=Attendance.objects.select_related("member").order_by(
                    "member__kind", "member__name", "member_id"
                ),
            ),
            "goal_reviews",
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related(
                    "goal", "action", "plan_version", "recorded_by"
                ),
            ),
        )
        .first()
    )
    if meeting is None:
        raise Http404
    return meeting


def _meetings_read_by(access: ClientAccess | None, client: Client) -> QuerySet[Meeting]:
    """The client's meetings this access reads; ``None`` is the client's own view (all)."""
    rows = Meeting.objects.filter(client=client)
    return rows if access is None else rows.filter(visible_q(access, has_shared_flag=False))


def next_meeting_for(access: ClientAccess | None, client: Client) -> Meeting | None:
    """The next booked meeting from now on that this access reads."""
    return (
        _meetings_read_by(access, client)
        .filter(status=MeetingStatus.PLANNED, starts_at__gte=timezone.now())
        .order_by("starts_at", "id")
        .first()
    )


def last_held_meeting_day(access: ClientAccess | None, client: Client) -> date | None:
    starts_at = (
        _meetings_read_by(access, client)
        .filter(status=MeetingStatus.HELD)
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return timezone.localtime(starts_at).date() if starts_at is not None else None


def ors_for(
    access: ClientAccess | None,
    client: Client,
    steps: Iterable[StepRecord],
    upcoming: Meeting | None,
    today: date | None = None,
) -> OrsStatus:
    """The ORS due dates: a month after the start, then before ``upcoming`` (the next
    booked meeting) unless one is in since the last held meeting."""
    return ors_status(
        client,
        steps,
        today,
        next_meeting=timezone.localtime(upcoming.starts_at).date() if upcoming else None,
        last_held=last_held_meeting_day(access, client),
    )


def decided_versions(client: Client, plan: Plan) -> list[PlanVersion]:
    """The plan's decided versions, newest first, each with ``meeting``: the meeting where it
    was decided, or None."""
    versions = list(plan.versions.select_related("decided_by", "consent"))
    decided_at = {
        d.plan_version_id: d.meeting
        for d in Decision.objects.filter(
            plan_version__in=[v.pk for v in versions], meeting__client=client
        ).select_related("meeting")
    }
    for version in versions:
        version.meeting = decided_at.get(version.pk)  # type: ignore[attr-defined]
    return versions


def next_booked_after(client: Client, meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(
            client=client, status=MeetingStatus.PLANNED, starts_at__gt=meeting.starts_at
        )
        .order_by("starts_at", "id")
        .first()
    )


# Phases in which the group meets (domain.md 2.1: the first meeting ends the planning,
# then every three months through the work phase and the follow-up).
MEETING_PHASES = (Phase.PLANNING, Phase.WORK, Phase.FOLLOW_UP)
# RACT: resource-group meetings every three months (domain.md 2.1).
MEETING_INTERVAL_MONTHS = 3


def clients_due_a_meeting(user: Any) -> QuerySet[Client]:
    """The user's clients whose next booked meeting is missing or more than three months
    away, with the last held meeting's time; one query whatever the caseload."""
    now = timezone.now()
    limit = add_months(timezone.localtime(now), MEETING_INTERVAL_MONTHS)
    booked = Meeting.objects.filter(
        client=OuterRef("pk"), status=MeetingStatus.PLANNED, starts_at__gte=now
    ).order_by("starts_at")
    held = Meeting.objects.filter(client=OuterRef("pk"), status=MeetingStatus.HELD).order_by(
        "-starts_at"
    )
    return (
        Client.objects.filter(
            pk__in=covered_seats(user).values("client_id"), phase__in=MEETING_PHASES
        )
        .annotate(
            next_meeting=Subquery(booked.values("starts_at")[:1]),
            last_held=Subquery(held.values("starts_at")[:1]),
        )
        .filter(Q(next_meeting__isnull=True) | Q(next_meeting__gt=limit))
        .order_by(F("last_held").asc(nulls_first=True), "full_name", "id")
    )


def _names(meeting: Meeting) -> str:
    people = [row.member.name for row in meeting.attendance.all() if row.present]
    if meeting.client_present:
        people.append(_("the client"))
    return ", ".join(people)


def checklist_facts(access: ClientAccess, client: Client) -> dict[str, list[DerivedStep]]:
    """The planning rows of checklist K that the work itself shows: the plan has
    sub-goals, the group was invited, the agenda made, the first meeting decided the plan.
    Three queries, whatever the number of meetings."""
    facts: dict[str, list[DerivedStep]] = {}
    goals = Goal.objects.filter(plan__client=client).aggregate(
        first=Min("created_at"), count=Count("id", filter=~Q(status=GoalStatus.DROPPED))
    )
    if goals["first"] is not None and goals["count"]:
        facts["personal_plan"] = [
            DerivedStep(
                timezone.localtime(goals["first"]).date(),
                comment=_("%(count)s sub-goals in the plan") % {"count": goals["count"]},
            )
        ]
    meetings = list(
        Meeting.objects.filter(client=client)
        .exclude(status=MeetingStatus.CANCELLED)
        .filter(visible_q(access, has_shared_flag=False))
        .prefetch_related(
            Prefetch(
                "attendance",
                queryset=Attendance.objects.filter(present=True).select_related("member"),
            ),
            Prefetch(
                "decisions",
                queryset=Decision.objects.filter(
                    kind=DecisionKind.DECIDE_PLAN, plan_version__isnull=False
                ).select_related("plan_version"),
                to_attr="plan_decisions",
            ),
        )
        .order_by("starts_at", "id")
    )
    if meetings:
        first = meetings[0]
        facts["agenda"] = [
            DerivedStep(
                timezone.localtime(first.created_at).date(),
                comment=_("Meeting booked for %(day)s")
                % {"day": timezone.localtime(first.starts_at).date().isoformat()},
            )
        ]
    invited = [m for m in meetings if m.invitations_sent_at is not None]
    if invited:
        facts["invite_group"] = [
            DerivedStep(
                timezone.localtime(invited[0].invitations_sent_at).date(),
                comment=_("Invitations sent by e-mail"),
            )
        ]
    deciding = [m for m in meetings if m.status == MeetingStatus.HELD and m.plan_decisions]
    if deciding:
        meeting = deciding[0]
        version = meeting.plan_decisions[0].plan_version
        facts["first_group_meeting"] = [
            DerivedStep(
                timezone.localtime(meeting.starts_at).date(),
                present=_names(meeting),
                comment=_("Plan version %(number)s decided")
                % {"number": version.number if version is not None else "?"},
            )
        ]
    return facts
