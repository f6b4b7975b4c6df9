"""Checklist K and the worksheets, as data; the checklist is derived from the steps done.

Checklist K (Kartläggning och planering inför resursgrupp/SIP, domain.md 2.2) lists the
steps of the mapping and planning phases with columns done / when / present / comment;
a cross marks the steps both case managers attend (interview, network map, summary).
Nothing of it is typed twice: each row is filled from the ``StepRecord`` rows of the
client, worksheet rows from their instrument responses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from egenmakt.core.dates import add_months

from .models import CareTeamMember, Client, Phase, StepRecord, TeamRole


@dataclass(frozen=True)
class StepDef:
    key: str
    label: StrOrPromise
    phase: str  # Phase.MAPPING or Phase.PLANNING
    instrument: str | None = None  # the worksheet that completes the step
    both: bool = False  # both case managers must be present (the cross in checklist K)
    repeatable: bool = False  # "Annat": any number of rows with a title of their own


MAPPING_STEPS: tuple[StepDef, ...] = (
    StepDef("contact_details", _("Contact details"), Phase.MAPPING),
    StepDef("first_meeting", _("First meeting"), Phase.MAPPING),
    StepDef("network_map", _("Network map"), Phase.MAPPING, both=True),
    StepDef("interview", _("Interview"), Phase.MAPPING, "client_interview", both=True),
    StepDef("normal_day", _("A normal day"), Phase.MAPPING, "normal_day"),
    StepDef(
        "everyday_life", _("How does everyday life work?"), Phase.MAPPING, "everyday_life_self"
    ),
    StepDef(
        "relative_interview", _("Interview with a relative"), Phase.MAPPING, "relative_interview"
    ),
    StepDef("lifestyle", _("Lifestyle and health"), Phase.MAPPING, "lifestyle_health"),
    StepDef("qls100", _("QLS-100"), Phase.MAPPING, "qls100"),
    StepDef("early_warning", _("Early warning signs"), Phase.MAPPING, "early_warning_signs"),
    StepDef("other", _("Other"), Phase.MAPPING, repeatable=True),
)

PLANNING_STEPS: tuple[StepDef, ...] = (
    StepDef("summary", _("Compiling the mapping"), Phase.PLANNING, both=True),
    StepDef("analysis", _("Analysis, priorities, talking about goals"), Phase.PLANNING),
    StepDef("problem_solving", _("Teaching problem solving"), Phase.PLANNING),
    StepDef("warning_actions", _("Actions on warning signs"), Phase.PLANNING),
    StepDef("personal_plan", _("Personal plan with sub-goals"), Phase.PLANNING),
    StepDef("invite_group", _("Inviting people to the resource group"), Phase.PLANNING),
    StepDef("agenda", _("Agenda for the resource-group meeting"), Phase.PLANNING),
    StepDef(
        "first_group_meeting",
        _("First resource-group meeting: the plan (SIP) is decided"),
        Phase.PLANNING,
    ),
)

STEPS: dict[str, StepDef] = {s.key: s for s in (*MAPPING_STEPS, *PLANNING_STEPS)}

# A rating done outside the checklist's rows: the ORS (Skattning av förändring).
ORS_STEP = "ors"
MY_PARTICIPATION_STEP = "my_participation"
# The client's rating of the last meeting (the alliance), after each held meeting.
ALLIANCE_STEP = "alliance"


@dataclass(frozen=True)
class Worksheet:
    instrument: str
    step: str  # the checklist row it counts for
    # The phases in which the worksheet is offered; empty: from the start to the follow-up.
    phases: frozenset[str] = frozenset()

    def offered_in(self, phase: str) -> bool:
        if phase == Phase.CLOSED:
            return False
        return not self.phases or phase in self.phases


WORK_PHASES = frozenset({Phase.PLANNING, Phase.WORK, Phase.FOLLOW_UP})


# The worksheets started from the client's page, in the method's suggested order (start
# with a normal day, the ORS, the network map or the interview; domain.md 2.1).
WORKSHEETS: tuple[Worksheet, ...] = (
    Worksheet("normal_day", "normal_day"),
    Worksheet("ors", ORS_STEP),
    Worksheet("client_interview", "interview"),
    Worksheet("everyday_life_self", "everyday_life"),
    Worksheet("everyday_life_relative", "everyday_life"),
    Worksheet("relative_interview", "relative_interview"),
    Worksheet("relative_rating", "relative_interview"),
    Worksheet("qls100", "qls100"),
    Worksheet("lifestyle_health", "lifestyle"),
    Worksheet("audit", "lifestyle"),
    Worksheet("dudit", "lifestyle"),
    Worksheet("early_warning_signs", "early_warning"),
    # Taught in the planning phase, then used for problems and goals throughout the work
    # (domain.md 2.7, 2.8).
    Worksheet("problem_solving", "problem_solving", WORK_PHASES),
    # The follow-up set (domain.md 2.1): "Min delaktighet" with the ORS before meetings.
    Worksheet("my_participation", MY_PARTICIPATION_STEP, frozenset({Phase.WORK, Phase.FOLLOW_UP})),
    # Rated by the client after each resource-group meeting (alliance.yaml), so offered
    # once meetings are held: in the work and follow-up phases.
    Worksheet("alliance", ALLIANCE_STEP, frozenset({Phase.WORK, Phase.FOLLOW_UP})),
)
WORKSHEET_STEP: dict[str, str] = {w.instrument: w.step for w in WORKSHEETS}
WORKSHEET_BY_KEY: dict[str, Worksheet] = {w.instrument: w for w in WORKSHEETS}


def worksheets_offered(phase: str) -> list[Worksheet]:
    return [w for w in WORKSHEETS if w.offered_in(phase)]


# Steps recorded by hand (a meeting, the network map drawn...), not by a worksheet.
MANUAL_STEPS: tuple[StepDef, ...] = tuple(
    s for s in (*MAPPING_STEPS, *PLANNING_STEPS) if s.instrument is None
)


@dataclass(frozen=True)
class DerivedStep:
    """A planning step read from the work itself (the plan, the resource-group meetings)
    rather than recorded by hand: when, who was there, what it was."""

    done_on: date
    present: str = ""
    comment: str = ""


@dataclass
class ChecklistRow:
    definition: StepDef
    records: list[StepRecord] = field(default_factory=list)
    # Records of a "both" step where one of the two case managers was missing.
    missing_partner: list[StepRecord] = field(default_factory=list)
    derived: list[DerivedStep] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return bool(self.derived) or any(_completes(self.definition, r) for r in self.records)

    @property
    def in_progress(self) -> bool:
        return bool(self.records) and not self.done


def _completes(definition: StepDef, record: StepRecord) -> bool:
    """A worksheet step is done by a submitted response of its own worksheet."""
    if definition.instrument is None:
        return True
    response = record.response
    return (
        response is not None
        and response.status == "submitted"
        and response.definition.key == definition.instrument
    )


@dataclass
class Checklist:
    mapping: list[ChecklistRow]
    planning: list[ChecklistRow]
    two_case_managers: bool

    @property
    def rows(self) -> list[ChecklistRow]:
        return [*self.mapping, *self.planning]

    def left(self, rows: Sequence[ChecklistRow]) -> list[ChecklistRow]:
        return [r for r in rows if not r.done and not r.definition.repeatable]

    @property
    def mapping_left(self) -> list[ChecklistRow]:
        return self.left(self.mapping)

    @property
    def planning_left(self) -> list[ChecklistRow]:
        return self.left(self.planning)

    @property
    def mapping_done_count(self) -> int:
        return sum(1 for r in self.mapping if r.done and not r.definition.repeatable)

    @property
    def mapping_total(self) -> int:
        return sum(1 for r in self.mapping if not r.definition.repeatable)

    @property
    def missing_partner_rows(self) -> list[ChecklistRow]:
        return [r for r in self.rows if r.missing_partner]


def build_checklist(
    steps: Iterable[StepRecord],
    team: Iterable[CareTeamMember],
    derived: Mapping[str, list[DerivedStep]] | None = None,
) -> Checklist:
    """Checklist K from the steps the user may see (``present`` must be prefetched) and
    the planning steps derived from the plan and the meetings
    (``selectors.checklist_facts``)."""
    case_managers = {m.user_id for m in team if m.role == TeamRole.CASE_MANAGER and m.active}
    two = len(case_managers) >= 2
    rows = {key: ChecklistRow(definition) for key, definition in STEPS.items()}
    for key, entries in (derived or {}).items():
        if key in rows:
            rows[key].derived = list(entries)
    for record in steps:
        row = rows.get(record.step)
        if row is None:
            continue
        row.records.append(record)
        if row.definition.both and two:
            present = {user.pk for user in record.present.all()}
            if not case_managers <= present:
                row.missing_partner.append(record)
    return Checklist(
        mapping=[rows[s.key] for s in MAPPING_STEPS],
        planning=[rows[s.key] for s in PLANNING_STEPS],
        two_case_managers=two,
    )


# --- The rating of change (ORS) is due within a month of the start ---------------------------


@dataclass(frozen=True)
class OrsStatus:
    due_on: date
    done_on: date | None
    late: bool
    # The next meeting's day while the ORS for it is not filled in (domain.md 2.3: the ORS
    # is filled in before each resource-group meeting).
    before_meeting: date | None = None


def ors_status(
    client: Client,
    steps: Iterable[StepRecord],
    today: date | None = None,
    *,
    next_meeting: date | None = None,
    last_held: date | None = None,
) -> OrsStatus:
    """The first ORS is due a month after the start; then one before each meeting: one
    submitted since the last held meeting (any, before the first) counts for the next."""
    today = today or timezone.localdate()
    due_on = add_months(client.started_on, 1)
    done = [
        r.done_on
        for r in steps
        if r.step == ORS_STEP and r.response is not None and r.response.status == "submitted"
    ]
    first = min(done) if done else None
    before_meeting = None
    if next_meeting is not None and not any(last_held is None or d > last_held for d in done):
        before_meeting = next_meeting
    return OrsStatus(
        due_on=due_on,
        done_on=first,
        late=first is None and today > due_on,
        before_meeting=before_meeting,
    )


# --- What comes next -------------------------------------------------------------------------

# The method's suggested start of the mapping (domain.md 2.1): a normal day, the ORS, the
# network map or the interview; book the relatives' interview right after the network map.
SUGGESTED_MAPPING_ORDER = (
    "first_meeting",
    "contact_details",
    "normal_day",
    "network_map",
    "interview",
    "relative_interview",
    "everyday_life",
    "qls100",
    "lifestyle",
    "early_warning",
)


def next_steps(
    client: Client, checklist: Checklist, ors: OrsStatus, *, consent_valid: bool
) -> list[StrOrPromise]:
    """What the care team should do next, in plain words, most urgent first."""
    todo: list[StrOrPromise] = []
    if client.phase == Phase.CLOSED:
        return [_("The coordination has ended.")]
    if not consent_valid:
        todo.append(_("Record the client's consent: no shared work before it."))
        if client.phase == Phase.START:
            return todo
    if ors.late:
        todo.append(_("The rating of change (ORS) is late: fill it in with the client."))
    elif ors.before_meeting is not None:
        todo.append(
            _("Fill in the rating of change (ORS) with the client before the meeting on %(date)s.")
            % {"date": ors.before_meeting.isoformat()}
        )
    if client.phase in (Phase.START, Phase.MAPPING):
        done = {row.definition.key for row in checklist.mapping if row.done}
        for key in SUGGESTED_MAPPING_ORDER:
            if key not in done:
                todo.append(_("Next in the mapping: %(step)s.") % {"step": STEPS[key].label})
                break
        else:
            todo.append(_("The mapping is done: compile the summary and move on to planning."))
        if ors.done_on is None and not ors.late:
            todo.append(
                _("Fill in the rating of change (ORS) by %(date)s.")
                % {"date": ors.due_on.isoformat()}
            )
    elif client.phase == Phase.PLANNING:
        left = checklist.planning_left
        if left:
            todo.append(_("Next in the planning: %(step)s.") % {"step": left[0].definition.label})
        else:
            todo.append(_("The plan is decided: move on to the work phase."))
    elif client.phase == Phase.WORK:
        todo.append(
            _(
                "Work towards the goals; hold a resource-group meeting about every three "
                "months, with the ORS filled in before each."
            )
        )
    elif client.phase == Phase.FOLLOW_UP:
        todo.append(
            _(
                "Follow up: goal attainment, My participation, the rating of change and "
                "How does everyday life work?"
            )
        )
    return todo
