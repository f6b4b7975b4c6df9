"""Reads for mapping: steps, summary, network, worksheets and the checklist's facts."""

from __future__ import annotations

from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from egenmakt.coordination.access import ClientAccess, visible_q
from egenmakt.coordination.checklist import Checklist, DerivedStep, build_checklist
from egenmakt.coordination.models import (
    Attendance,
    Client,
    Contact,
    Decision,
    DecisionKind,
    Goal,
    GoalStatus,
    Meeting,
    MeetingStatus,
    StepRecord,
    SummaryEntry,
)
from egenmakt.coordination.selectors.team import active_team
from egenmakt.instruments.models import Response


def _loaded(steps: QuerySet[StepRecord]) -> list[StepRecord]:
    return list(
        steps.select_related("response__definition", "organisation", "entered_by")
        .defer("response__definition__definition")
        .prefetch_related("present")
        .order_by("done_on", "id")
    )


def steps_for(access: ClientAccess, client: Client) -> list[StepRecord]:
    return _loaded(
        StepRecord.objects.filter(client=client).filter(visible_q(access, has_shared_flag=True))
    )


def checklist_for(
    access: ClientAccess | None, client: Client, steps: QuerySet[StepRecord] | None = None
) -> Checklist:
    """Checklist K as one reader reads it, read-only: a staff ``access`` reads the steps it
    sees; ``None`` is the client, who reads ``steps`` (the rows their own pages show, which
    the app owning those pages decides: ``registrations.client_steps`` when not given)."""
    from egenmakt.coordination.registrations import client_steps

    if steps is None:
        steps = (
            client_steps(client)
            if access is None
            else StepRecord.objects.filter(client=client).filter(
                visible_q(access, has_shared_flag=True)
            )
        )
    return build_checklist(_loaded(steps), active_team(client), checklist_facts(access, client))


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


def _submitted_records(
    access: ClientAccess, client: Client, key: str | list[str]
) -> QuerySet[StepRecord]:
    """Steps holding a submitted answer to worksheet ``key`` (or one of several) that this
    access reads."""
    keys = [key] if isinstance(key, str) else key
    return (
        StepRecord.objects.filter(
            client=client, response__definition__key__in=keys, response__status="submitted"
        )
        .filter(visible_q(access, has_shared_flag=True))
        .select_related("response__definition")
        .defer("response__definition__definition")
    )


def latest_worksheet(access: ClientAccess, client: Client, key: str) -> Response | None:
    """The newest submitted answer to worksheet ``key`` that this user may read."""
    record = _submitted_records(access, client, key).order_by("-done_on", "-id").first()
    return record.response if record is not None else None


def visible_submitted(access: ClientAccess, client: Client, key: str) -> list[Response]:
    """Every submitted answer to worksheet ``key`` this user may read, oldest first."""
    records = _submitted_records(access, client, key).order_by("response__answered_on", "id")
    return [record.response for record in records if record.response is not None]


def visible_submitted_by_key(
    access: ClientAccess, client: Client, keys: list[str]
) -> dict[str, list[Response]]:
    """``visible_submitted`` for several worksheets in one query, by key."""
    found: dict[str, list[Response]] = {key: [] for key in keys}
    records = _submitted_records(access, client, keys).order_by("response__answered_on", "id")
    for record in records:
        if record.response is not None:
            found[record.response.definition.key].append(record.response)
    return found


def _names(meeting: Meeting) -> str:
    people = [row.member.name for row in meeting.attendance.all() if row.present]
    if meeting.client_present:
        people.append(_("the client"))
    return ", ".join(people)


def checklist_meetings(access: ClientAccess | None, client: Client) -> list[Meeting]:
    """The client's meetings but the cancelled ones that ``access`` reads (``None``: the
    client, all), oldest first, with who was present and the plan decisions: three queries."""
    return list(
        Meeting.objects.filter(client=client)
        .exclude(status=MeetingStatus.CANCELLED)
        .filter(Q() if access is None else visible_q(access, has_shared_flag=False))
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


def checklist_facts(
    access: ClientAccess | None, client: Client, meetings: list[Meeting] | None = None
) -> dict[str, list[DerivedStep]]:
    """The planning rows of checklist K that the work itself shows: the plan has
    sub-goals, the group was invited, the agenda made, the first meeting decided the plan;
    and the mapping's network map and contact details from the contacts entered. Four
    queries, whatever the number of meetings and contacts (two when ``meetings`` are
    given, as ``checklist_meetings`` reads them). ``access`` ``None`` is the client, who
    reads all their meetings (as on their own pages)."""
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
    if meetings is None:
        meetings = checklist_meetings(access, client)
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
    # ``plan_decisions``: the prefetch's to_attr (``checklist_meetings``).
    deciding = [
        m
        for m in meetings
        if m.status == MeetingStatus.HELD and m.plan_decisions  # type: ignore[attr-defined]
    ]
    if deciding:
        meeting = deciding[0]
        version = meeting.plan_decisions[0].plan_version  # type: ignore[attr-defined]
        facts["first_group_meeting"] = [
            DerivedStep(
                timezone.localtime(meeting.starts_at).date(),
                present=_names(meeting),
                comment=_("Plan version %(number)s decided")
                % {"number": version.number if version is not None else "?"},
            )
        ]
    # The mapping's network map and contact details are the contacts entered on the network
    # page: the steps are done once the people are there, without a second record by hand.
    contacts = Contact.objects.filter(client=client)
    if access is not None:
        contacts = contacts.filter(visible_q(access, has_shared_flag=False))
    found = contacts.aggregate(
        mapped=Count("id", filter=Q(on_map=True)),
        mapped_day=Max("updated_at", filter=Q(on_map=True)),
        reachable=Count("id", filter=~Q(phone="") | ~Q(email="")),
        reach_day=Max("updated_at", filter=~Q(phone="") | ~Q(email="")),
    )
    if found["mapped"]:
        facts["network_map"] = [
            DerivedStep(
                timezone.localtime(found["mapped_day"]).date(),
                comment=_("%(count)s people on the network map") % {"count": found["mapped"]},
            )
        ]
    if found["reachable"]:
        facts["contact_details"] = [
            DerivedStep(
                timezone.localtime(found["reach_day"]).date(),
                comment=_("Contact details of %(count)s people") % {"count": found["reachable"]},
            )
        ]
    return facts
