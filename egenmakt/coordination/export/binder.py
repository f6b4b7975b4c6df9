"""The client's binder (pärm): everything the joint work holds, as one printable PDF.

RACT gives the client a binder that is theirs: the contact list, the network map, the
worksheets, the mapping summary, the plan, the early-warning plan and the minutes of the
resource-group meetings (DESIGN rule 4: the client owns the worksheets and can print and
export everything about themself). ``collect_binder`` gathers it once, in a fixed number of
queries whatever the amount of data; the PDF here and the JSON and FHIR exports in
``export.py`` are views of that one collection, so they never disagree about what is in it.

What is in it depends on who asks:

* ``viewer=None`` is the client's own copy (the portal): every submitted worksheet about
  them, including those the client keeps within one organisation (marked as such: the
  client decides whom to share them with, not whether to see them), and all of the joint
  work; what relatives said only as agreed with them (``confidence.client_copies``).
* a staff ``viewer`` gets what ``selectors.visible_q`` gives them: under a valid consent the
  shared work plus their own organisation's entries, never another organisation's
  unshared worksheets.

Checklist K is in it as ``selectors.mapping.checklist_for`` builds it for the reader: the
client's copy has the rows the client's own pages show (``registrations.client_steps``: a
step on a sheet the client does not read there is left out, not shown without details), a
staff copy the steps that viewer sees. The PDF also holds the information sheet on what
resource-group work is (general text, the same as the public page).

An organisation's own case notes (``CaseNote``) are never in the binder, for anyone: they
are that organisation's record, not the joint work (security.md, PDL). The client's right
of access to them (GDPR art. 15) is a separate request answered by each organisation, not
a page of the binder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from egenmakt.coordination import access as access_kernel
from egenmakt.coordination import confidence
from egenmakt.coordination.checklist import Checklist
from egenmakt.coordination.models import (
    AgendaItem,
    Attendance,
    CareTeamMember,
    Client,
    Consent,
    Contact,
    Decision,
    EarlyWarningPlan,
    Goal,
    GoalReview,
    Meeting,
    MeetingStatus,
    Plan,
    PlanAction,
    PlanVersion,
    ResourceGroupMember,
    StepRecord,
    SummaryEntry,
    TeamRole,
)
from egenmakt.coordination.network_map import NetworkMap, build_network_map
from egenmakt.coordination.selectors import consent as consent_selectors
from egenmakt.coordination.selectors import mapping as mapping_selectors
from egenmakt.coordination.selectors import team as team_selectors
from egenmakt.instruments.display import AnswerSection, ScoreRow, answer_sections, score_rows
from egenmakt.instruments.models import Response

if TYPE_CHECKING:
    from egenmakt.accounts.types import Viewer

# The worksheet whose latest answer is the early-warning plan's content (see the model).
WARNING_WORKSHEET = "early_warning_signs"
# Free text: people write their language as they say it.
ENGLISH = frozenset({"en", "eng", "english", "engelska"})


def binder_language(client: Client) -> str:
    """Swedish unless the client's preferred language is English."""
    return "en" if client.preferred_language.strip().lower() in ENGLISH else "sv"


@dataclass
class Worksheet:
    record: StepRecord
    response: Response
    title: str
    sections: list[AnswerSection]
    scores: list[ScoreRow]

    @property
    def kept(self) -> bool:
        """Kept within the owning organisation, not shared with the whole team."""
        return not self.record.shared


@dataclass
class GoalEntry:
    goal: Goal
    actions: list[PlanAction]
    review: GoalReview | None  # the latest, at a held meeting


@dataclass
class MeetingEntry:
    meeting: Meeting
    agenda: list[AgendaItem]
    present: list[ResourceGroupMember]
    absent: list[ResourceGroupMember]
    reviews: list[GoalReview]
    decisions: list[Decision]


@dataclass
class Binder:
    client: Client
    language: str
    printed_on: date
    team: list[CareTeamMember]
    contacts: list[Contact]
    network_map: NetworkMap
    worksheets: list[Worksheet]
    summary: list[SummaryEntry]
    plan: Plan | None
    decided: PlanVersion | None
    goals: list[GoalEntry]
    other_actions: list[PlanAction]
    warning_plan: EarlyWarningPlan | None
    warning: Worksheet | None
    group_members: list[ResourceGroupMember]
    meetings: list[MeetingEntry]
    consents: list[Consent] = field(default_factory=list)
    checklist: Checklist | None = None

    @property
    def case_managers(self) -> list[CareTeamMember]:
        return [seat for seat in self.team if seat.role == TeamRole.CASE_MANAGER]

    @property
    def organisations(self) -> list[str]:
        names = [self.client.organisation.name]
        for seat in self.team:
            if seat.organisation.name not in names:
                names.append(seat.organisation.name)
        return names

    @property
    def warning_signs(self) -> list[dict[str, Any]]:
        answers = self.warning.response.answers if self.warning else {}
        return [s for s in answers.get("signs", []) or [] if any(s.values())]

    @property
    def warning_people(self) -> list[dict[str, Any]]:
        answers = self.warning.response.answers if self.warning else {}
        return [p for p in answers.get("contacts", []) or [] if any(p.values())]

    @property
    def warning_other(self) -> str:
        answers = self.warning.response.answers if self.warning else {}
        return str(answers.get("other", "") or "")


def _scope(access: access_kernel.ClientAccess | None) -> tuple[Q, Q, Q]:
    """What the viewer reads of (worksheets, other joint entries, meetings)."""
    if access is None:
        return Q(), Q(), Q()
    meetings = Q()
    if access.seat is not None and not access.consent_valid:
        meetings = Q(organisation_id=access.seat.organisation_id)
    elif not access.can_view:
        meetings = Q(pk__in=[])
    return (
        access_kernel.visible_q(access, has_shared_flag=True),
        access_kernel.visible_q(access, has_shared_flag=False),
        meetings,
    )


def _worksheet(record: StepRecord, language: str) -> Worksheet:
    response = record.response
    assert response is not None  # noqa: S101 - the query asks for a submitted response
    definition = response.definition
    return Worksheet(
        record=record,
        response=response,
        title=definition.title(language),
        sections=answer_sections(definition.definition, response.answers, language),
        scores=score_rows(response, language),
    )


def _plan(client: Client) -> tuple[Plan | None, PlanVersion | None, list[GoalEntry], list[Any]]:
    plan = Plan.objects.filter(client=client).select_related("responsible_person").first()
    if plan is None:
        return None, None, [], []
    held_reviews = GoalReview.objects.filter(meeting__status=MeetingStatus.HELD).select_related(
        "meeting"
    )
    goals = list(
        plan.goals.select_related("organisation").prefetch_related(
            Prefetch("reviews", queryset=held_reviews, to_attr="held_reviews")
        )
    )
    actions = list(plan.actions.all())
    decided = plan.versions.select_related("decided_by").order_by("-number").first()
    entries = []
    for goal in goals:
        reviews = sorted(
            goal.held_reviews,
            key=lambda r: (r.meeting.starts_at, r.meeting_id),
        )
        entries.append(
            GoalEntry(
                goal=goal,
                actions=[a for a in actions if a.goal_id == goal.pk],
                review=reviews[-1] if reviews else None,
            )
        )
    return plan, decided, entries, [a for a in actions if a.goal_id is None]


def _meetings(client: Client, scope: Q) -> list[MeetingEntry]:
    meetings = (
        Meeting.objects.filter(client=client, status=MeetingStatus.HELD)
        .filter(scope)
        .prefetch_related(
            "agenda",
            Prefetch(
                "attendance",
                queryset=Attendance.objects.select_related("member").order_by(
                    "member__kind", "member__name", "id"
                ),
            ),
            Prefetch("goal_reviews", queryset=GoalReview.objects.select_related("goal")),
            "decisions",
        )
        .order_by("starts_at", "id")
    )
    return [
        MeetingEntry(
            meeting=meeting,
            agenda=list(meeting.agenda.all()),
            present=[a.member for a in meeting.attendance.all() if a.present],
            absent=[a.member for a in meeting.attendance.all() if a.present is False],
            reviews=sorted(meeting.goal_reviews.all(), key=lambda r: (r.goal.position, r.goal_id)),
            decisions=list(meeting.decisions.all()),
        )
        for meeting in meetings
    ]


def collect_binder(
    client: Client, *, viewer: Viewer | None = None, language: str | None = None
) -> Binder:
    """Everything in the client's binder that ``viewer`` may read (``None``: the client)."""
    language = language or binder_language(client)
    access = None if viewer is None else access_kernel.client_access(viewer, client)
    worksheets_q, joint_q, meetings_q = _scope(access)
    team = team_selectors.active_team(client)
    contacts = list(
        Contact.objects.filter(client=client).filter(joint_q).select_related("organisation")
    )
    records = list(
        StepRecord.objects.filter(client=client, response__status="submitted")
        .filter(worksheets_q)
        .select_related("response__definition", "response__entered_by", "organisation")
        .defer("response__definition__definition")
        .order_by("done_on", "id")
    )
    if viewer is None:
        # The client's own copy: what relatives said, only as agreed with them.
        records = confidence.client_copies(records)
    summary = list(
        SummaryEntry.objects.filter(client=client)
        .filter(joint_q)
        .select_related("organisation", "written_by", "source")
    )
    plan, decided, goals, other_actions = _plan(client)
    with translation.override(language):
        worksheets = [_worksheet(record, language) for record in records]
        network_map = build_network_map(contacts, client.full_name)
        # The rows derived from the work hold words of their own, in the binder's language.
        checklist = mapping_selectors.checklist_for(access, client)
    warning = next(
        (w for w in reversed(worksheets) if w.response.definition.key == WARNING_WORKSHEET),
        None,
    )
    return Binder(
        client=client,
        language=language,
        printed_on=timezone.localdate(),
        team=team,
        contacts=contacts,
        network_map=network_map,
        worksheets=worksheets,
        summary=summary,
        plan=plan,
        decided=decided,
        goals=goals,
        other_actions=other_actions,
        warning_plan=EarlyWarningPlan.objects.filter(client=client)
        .select_related("reviewed_by")
        .first(),
        warning=warning,
        group_members=list(
            ResourceGroupMember.objects.filter(client=client, ended_on__isnull=True)
            .select_related("user")
            .order_by("kind", "name", "id")
        ),
        meetings=_meetings(client, meetings_q),
        consents=consent_selectors.consents_of(client),
        checklist=checklist,
    )


def render_binder_html(client: Client, *, viewer: Viewer | None = None) -> str:
    binder = collect_binder(client, viewer=viewer)
    with translation.override(binder.language):
        return render_to_string(
            "coordination/binder/binder.html",
            {"binder": binder, "client": client, "map": binder.network_map},
        )


def render_binder_pdf(client: Client, *, viewer: Viewer | None = None) -> bytes:
    """The client's binder as a PDF (WeasyPrint, from ``coordination/binder/binder.html``).

    ``viewer=None`` is the client's own copy; a staff user gets what they may read. The
    caller checks permission and writes the access log.
    """
    import weasyprint  # heavy: loaded only when a binder is printed

    html = render_binder_html(client, viewer=viewer)
    return weasyprint.HTML(string=html).write_pdf() or b""
