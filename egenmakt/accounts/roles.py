"""The roles a membership can give, and what each role's start page offers.

Roles are held through a membership in an organisation; one person may hold several.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    TRAINING_LEAD = "training_lead", _("Training lead")
    COURSE_LEADER = "course_leader", _("Course leader")
    LECTURER = "lecturer", _("Lecturer")
    INTERVIEWER = "interviewer", _("Interviewer")
    SUPERVISOR = "supervisor", _("Supervisor")
    PEER_SUPPORTER = "peer_supporter", _("Peer supporter")
    WORKPLACE_MANAGER = "workplace_manager", _("Workplace manager")
    CASE_MANAGER = "case_manager", _("Case manager")
    AUDITOR = "auditor", _("Auditor")
    ANALYST = "analyst", _("Analyst")
    ADMIN = "admin", _("Administrator")


# Roles that never see identifiable personal data (analysts see pseudonymised statistics
# only); every other role must sign in with two factors outside demo mode.
ROLES_WITHOUT_PERSONAL_DATA = frozenset({Role.ANALYST})

# URL slugs of the role start pages, in Swedish as the users read them.
ROLE_SLUGS: dict[str, str] = {
    Role.COORDINATOR: "samordnare",
    Role.TRAINING_LEAD: "utbildningsansvarig",
    Role.COURSE_LEADER: "kursledare",
    Role.LECTURER: "forelasare",
    Role.INTERVIEWER: "intervjuare",
    Role.SUPERVISOR: "handledare",
    Role.PEER_SUPPORTER: "peer-supporter",
    Role.WORKPLACE_MANAGER: "arbetsplatschef",
    Role.CASE_MANAGER: "vardsamordnare",
    Role.AUDITOR: "loggranskare",
    Role.ANALYST: "analytiker",
    Role.ADMIN: "administrator",
}
SLUG_ROLES: dict[str, str] = {slug: role for role, slug in ROLE_SLUGS.items()}


# What each role does in Egenmakt, shown on the role's start page (DESIGN.md, "Who uses it").
ROLE_SUMMARIES: dict[str, StrOrPromise] = {
    Role.COORDINATOR: _(
        "You run the PEER programme: recruitment rounds, cohorts, placements, follow-up "
        "and reports."
    ),
    Role.TRAINING_LEAD: _(
        "You plan the five-week course: content, dates, places, course leaders and lecturers."
    ),
    Role.COURSE_LEADER: _(
        "You lead the course days, take attendance, set homework and give feedback."
    ),
    Role.LECTURER: _("You give lectures on the course and see the sessions you teach."),
    Role.INTERVIEWER: _(
        "You interview applicants in pairs and record structured notes and your assessment."
    ),
    Role.SUPERVISOR: _("You hold supervision meetings with working peer supporters."),
    Role.PEER_SUPPORTER: _(
        "You see your own training, schedule and supervision, and the care teams you are in."
    ),
    Role.WORKPLACE_MANAGER: _(
        "You prepare your workplace for peer supporters and follow how the work goes."
    ),
    Role.CASE_MANAGER: _(
        "You coordinate care and support with your clients in resource groups: mapping, "
        "plan, meetings and follow-up."
    ),
    Role.AUDITOR: _(
        "You review the access log: who has read or changed whose personal data, and why."
    ),
    Role.ANALYST: _("You see pseudonymised statistics only, never identifiable personal data."),
    Role.ADMIN: _(
        "You run your own organisation and the units under it: units, people, roles and "
        "sign-in, and the instruments."
    ),
}

# Roles whose work is another in care than in the user movement: the supervisor held under
# a region or a municipality is the method supervisor of the case managers, not the PEER
# supervisor of peer supporters. Shown instead where the role is held under a care provider.
CARE_ROLE_SUMMARIES: dict[str, StrOrPromise] = {
    Role.SUPERVISOR: _(
        "You are the method supervisor: you support the case managers in resource-group "
        "work, take part in care teams, and follow the outcomes across your units."
    ),
}

ROLE_TASKS: dict[str, list[StrOrPromise]] = {
    Role.COORDINATOR: [
        _("Create recruitment rounds and screen applications"),
        _("Form cohorts and record the third selection step"),
        _("Match peer supporters to ready workplaces"),
        _("Follow up peer supporters and watch model fidelity"),
        _("Report on the programme"),
    ],
    Role.TRAINING_LEAD: [
        _("Create a cohort and its five-week schedule"),
        _("Choose course leaders and lecturers"),
        _("Keep the homework and exercise library"),
    ],
    Role.COURSE_LEADER: [
        _("Take attendance for each course day"),
        _("See the support each participant has asked for"),
        _("Read homework and give feedback"),
    ],
    Role.LECTURER: [_("See the sessions you teach"), _("Link exercises to your sessions")],
    Role.INTERVIEWER: [
        _("See the interviews you are booked for"),
        _("Record notes with the interview template"),
        _("Assess against the selection criteria"),
    ],
    Role.SUPERVISOR: [
        _("Plan supervision meetings"),
        _("Record meeting notes with the supervision template"),
        _("Pass on system-level shortcomings"),
    ],
    Role.PEER_SUPPORTER: [
        _("See your course schedule and homework"),
        _("See your placement and supervision"),
        _("Take part in care teams you are invited to"),
    ],
    Role.WORKPLACE_MANAGER: [
        _("Complete the readiness checklist"),
        _("Agree on the task description"),
        _("Arrange staff training"),
    ],
    Role.CASE_MANAGER: [
        _("Register clients and record consent"),
        _("Go through the mapping worksheets with the client"),
        _("Draw up the plan (SIP) and hold resource-group meetings"),
    ],
    Role.AUDITOR: [
        _("Search the access log by user, person and period"),
        _("Export the log as CSV"),
    ],
    Role.ANALYST: [_("See pseudonymised statistics and indicators")],
    Role.ADMIN: [
        _("Create units under your organisation"),
        _("Invite people by e-mail and give or end their roles"),
        _("Close an account, or reset a colleague's second factor after a lost phone"),
        _("Manage instruments and their versions"),
    ],
}

CARE_ROLE_TASKS: dict[str, list[StrOrPromise]] = {
    Role.SUPERVISOR: [
        _("Support the case managers in the method, in the care teams you are in"),
        _("Open a record in an emergency, with a written reason"),
        _("Follow the outcomes of coordination across your units"),
    ],
}


def role_texts(
    role: str, *, in_care: bool, elsewhere: bool
) -> tuple[list[StrOrPromise], list[StrOrPromise]]:
    """What a role's start page says the person does (summaries) and can do (tasks), by
    where they hold the role (``selectors.where_held``)."""
    summaries: list[StrOrPromise] = []
    tasks: list[StrOrPromise] = []
    if in_care and role in CARE_ROLE_SUMMARIES:
        summaries.append(CARE_ROLE_SUMMARIES[role])
        tasks += CARE_ROLE_TASKS[role]
    if elsewhere or role not in CARE_ROLE_SUMMARIES:
        summaries.append(ROLE_SUMMARIES[role])
        tasks += ROLE_TASKS[role]
    return summaries, tasks
