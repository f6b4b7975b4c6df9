"""What a reason stored in the access log reads as, in the reader's language.

``AccessLog.reason`` keeps a stable code (an ``AuditEvent`` value, a page's name such as
"client list", or "portal: <page>" for a client reading their own pages), often with a
detail after it ("plan: sub-goal done", "archive: opened with a reason: <typed>"). The code
stays as stored, since the auditor searches by it; this module only says how it is shown.
A reason nobody coded (what a person typed for an emergency access) is shown as typed, and
a detail after a known code is kept as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import pgettext_lazy

from egenmakt.core.registry import contributions

from .events import AuditEvent

# Each label written out in full, so that makemessages finds it.
EVENT_LABELS: dict[str, Any] = {
    AuditEvent.ADMIN_UNIT_CREATED: pgettext_lazy(
        "access-log reason", "administration: unit created"
    ),
    AuditEvent.ADMIN_PERSON_INVITED: pgettext_lazy(
        "access-log reason", "administration: person invited"
    ),
    AuditEvent.ADMIN_ROLE_GIVEN: pgettext_lazy("access-log reason", "administration: role given"),
    AuditEvent.ADMIN_MEMBERSHIP_ENDED: pgettext_lazy(
        "access-log reason", "administration: membership ended"
    ),
    AuditEvent.ADMIN_ACCOUNT_DEACTIVATED: pgettext_lazy(
        "access-log reason", "administration: account deactivated"
    ),
    AuditEvent.ADMIN_ACCOUNT_REACTIVATED: pgettext_lazy(
        "access-log reason", "administration: account reactivated"
    ),
    AuditEvent.ADMIN_SECOND_FACTOR_RESET: pgettext_lazy(
        "access-log reason", "administration: second factor reset"
    ),
    AuditEvent.INVITATION_USED: pgettext_lazy("access-log reason", "invitation used"),
    AuditEvent.ACCOUNT_ANONYMISED: pgettext_lazy("access-log reason", "account anonymised"),
    AuditEvent.PERSONAL_DATA_EXPORTED: pgettext_lazy("access-log reason", "personal data exported"),
    AuditEvent.PERSONAL_DATA_DOWNLOADED: pgettext_lazy(
        "access-log reason", "personal data downloaded"
    ),
    AuditEvent.OPERATOR_INVITED: pgettext_lazy("access-log reason", "operator invited"),
    AuditEvent.OIDC_SIGN_IN_REFUSED: pgettext_lazy(
        "access-log reason", "single sign-on: sign-in refused"
    ),
    AuditEvent.OIDC_PROVIDER_SAVED: pgettext_lazy(
        "access-log reason", "single sign-on: identity provider saved"
    ),
    AuditEvent.CLIENT_PHASE: pgettext_lazy("access-log reason", "phase"),
    AuditEvent.CASE_NOTE: pgettext_lazy("access-log reason", "case note"),
    AuditEvent.CONSENT_RECORDED: pgettext_lazy("access-log reason", "consent recorded"),
    AuditEvent.CONSENT_REVOKED: pgettext_lazy("access-log reason", "consent revoked"),
    AuditEvent.CARE_TEAM_ADDED: pgettext_lazy("access-log reason", "care team: added"),
    AuditEvent.CARE_TEAM_ENDED: pgettext_lazy("access-log reason", "care team: ended"),
    AuditEvent.MAPPING_STEP: pgettext_lazy("access-log reason", "step"),
    AuditEvent.MAPPING_SUMMARY: pgettext_lazy("access-log reason", "mapping summary"),
    AuditEvent.WARNING_PLAN: pgettext_lazy("access-log reason", "early-warning plan"),
    AuditEvent.PLAN_HEADER_SAVED: pgettext_lazy(
        "access-log reason", "plan: goal and responsibility"
    ),
    AuditEvent.PLAN_GOAL_ADDED: pgettext_lazy("access-log reason", "plan: sub-goal added"),
    AuditEvent.PLAN_GOAL_STATUS: pgettext_lazy("access-log reason", "plan: sub-goal"),
    AuditEvent.PLAN_ACTION_ADDED: pgettext_lazy("access-log reason", "plan: measure added"),
    AuditEvent.PLAN_ACTION_STATUS: pgettext_lazy("access-log reason", "plan: measure"),
    AuditEvent.PLAN_VERSION: pgettext_lazy("access-log reason", "plan: version"),
    AuditEvent.RESOURCE_GROUP: pgettext_lazy("access-log reason", "resource group"),
    AuditEvent.GROUP_MEMBER_ADDED: pgettext_lazy("access-log reason", "resource group: added"),
    AuditEvent.GROUP_MEMBER_ENDED: pgettext_lazy("access-log reason", "resource group: ended"),
    AuditEvent.MEETING_BOOKED: pgettext_lazy("access-log reason", "resource group: booked"),
    AuditEvent.MEETING_CANCELLED: pgettext_lazy("access-log reason", "resource group: cancelled"),
    AuditEvent.MINUTES_CONFIRMED: pgettext_lazy(
        "access-log reason", "resource group: minutes confirmed"
    ),
    AuditEvent.MINUTES_CORRECTION: pgettext_lazy(
        "access-log reason", "resource group: correction of minutes asked"
    ),
    AuditEvent.PORTAL_INVITATION: pgettext_lazy("access-log reason", "portal: invitation"),
    AuditEvent.MESSAGE_THREAD_STARTED: pgettext_lazy(
        "access-log reason", "messages: thread started"
    ),
    AuditEvent.MESSAGE_SENT: pgettext_lazy("access-log reason", "messages: message sent"),
    AuditEvent.PORTAL_ACCESS_ENDED: pgettext_lazy("access-log reason", "portal: access ended"),
    AuditEvent.RELATIVE_LINK_SENT: pgettext_lazy("access-log reason", "relative link: sent"),
    AuditEvent.RELATIVE_LINK_REVOKED: pgettext_lazy("access-log reason", "relative link: revoked"),
    AuditEvent.RELATIVE_LINK_OPENED: pgettext_lazy(
        "access-log reason", "relative link: opened by the relative"
    ),
    AuditEvent.RELATIVE_DRAFT_SAVED: pgettext_lazy(
        "access-log reason", "relative link: draft saved by the relative"
    ),
    AuditEvent.RELATIVE_SHEET_ANSWERED: pgettext_lazy(
        "access-log reason", "relative link: answered by the relative"
    ),
    AuditEvent.CLIENT_ARCHIVED: pgettext_lazy("access-log reason", "archive: closed and archived"),
    AuditEvent.ARCHIVE_OPENED: pgettext_lazy("access-log reason", "archive: opened with a reason"),
    AuditEvent.ARCHIVE_READ: pgettext_lazy("access-log reason", "archive: read"),
    AuditEvent.RESTRICTION_REQUESTED: pgettext_lazy("access-log reason", "restriction: requested"),
    AuditEvent.RESTRICTION_LIFTED: pgettext_lazy("access-log reason", "restriction: lifted"),
    AuditEvent.RETENTION_CHANGED: pgettext_lazy("access-log reason", "retention: period changed"),
    AuditEvent.CLIENT_ERASED: pgettext_lazy(
        "access-log reason", "retention: client erased, period passed"
    ),
    AuditEvent.CLIENT_ERASURE_INCOMPLETE: pgettext_lazy(
        "access-log reason", "retention: identifiers left after erasure"
    ),
    AuditEvent.ROUND_OPENED: pgettext_lazy("access-log reason", "round opened"),
    AuditEvent.ROUND_CLOSED: pgettext_lazy("access-log reason", "round closed"),
    AuditEvent.DRAFT: pgettext_lazy("access-log reason", "draft"),
    AuditEvent.APPLICATION_SUBMITTED: pgettext_lazy("access-log reason", "application form"),
    AuditEvent.APPLICATION_WITHDRAWN_BY_APPLICANT: pgettext_lazy(
        "access-log reason", "withdrawn by applicant"
    ),
    AuditEvent.APPLICATION_WITHDRAWN_BY_COORDINATOR: pgettext_lazy(
        "access-log reason", "withdrawn by coordinator"
    ),
    AuditEvent.APPLICATION_ERASED_NOT_ADMITTED: pgettext_lazy(
        "access-log reason", "retention: not admitted, round closed"
    ),
    AuditEvent.APPLICATION_ERASED_BY_APPLICANT: pgettext_lazy(
        "access-log reason", "erased by applicant"
    ),
    AuditEvent.INTERVIEW_CANCELLED: pgettext_lazy("access-log reason", "interview cancelled"),
    AuditEvent.DECISION_LETTER_SENT: pgettext_lazy("access-log reason", "decision letter"),
    AuditEvent.ATTENDANCE_TAKEN: pgettext_lazy("access-log reason", "attendance"),
    AuditEvent.COURSE_ABSENCE_REPORTED: pgettext_lazy("access-log reason", "absence reported"),
    AuditEvent.COURSE_COMPLETED: pgettext_lazy("access-log reason", "course completed"),
    AuditEvent.COURSE_NOT_COMPLETED: pgettext_lazy("access-log reason", "course not completed"),
    AuditEvent.COURSE_OBSERVATION_WRITTEN: pgettext_lazy(
        "access-log reason", "course observation written"
    ),
    AuditEvent.COURSE_BUILT_FROM_PLAN: pgettext_lazy("access-log reason", "course built from plan"),
    AuditEvent.ETHICS_GUIDELINES_SAVED: pgettext_lazy(
        "access-log reason", "ethics guidelines saved"
    ),
    AuditEvent.ETHICS_GUIDELINES_INHERITED: pgettext_lazy(
        "access-log reason", "ethics guidelines: inherited followed again"
    ),
    AuditEvent.ETHICS_GUIDELINES_ACKNOWLEDGED: pgettext_lazy(
        "access-log reason", "ethics guidelines acknowledged"
    ),
    AuditEvent.USER_ORGANISATION_TRAINING: pgettext_lazy(
        "access-log reason", "user organisation training"
    ),
    AuditEvent.HOMEWORK_HANDED_IN: pgettext_lazy("access-log reason", "homework handed in"),
    AuditEvent.HOMEWORK_FEEDBACK_GIVEN: pgettext_lazy("access-log reason", "homework feedback"),
    AuditEvent.EXERCISE_LINKED: pgettext_lazy("access-log reason", "exercise linked"),
    AuditEvent.INSTRUMENT_IMPORTED: pgettext_lazy("access-log reason", "instrument imported"),
    AuditEvent.RESPONSE_SUBMITTED: pgettext_lazy("access-log reason", "answer submitted"),
    AuditEvent.LOG_REVIEW_STARTED: pgettext_lazy("access-log reason", "log review: started"),
    AuditEvent.LOG_REVIEW_ITEM: pgettext_lazy("access-log reason", "log review: item"),
    AuditEvent.LOG_REVIEW_FINISHED: pgettext_lazy("access-log reason", "log review: finished"),
    AuditEvent.API_TOKEN_CREATED: pgettext_lazy("access-log reason", "api: token created"),
    AuditEvent.API_TOKEN_REVOKED: pgettext_lazy("access-log reason", "api: token revoked"),
    AuditEvent.WORK_LOGGED: pgettext_lazy("access-log reason", "work logged"),
    AuditEvent.WORK_LOG_CHANGED: pgettext_lazy("access-log reason", "work log changed"),
    AuditEvent.WORK_LOG_REMOVED: pgettext_lazy("access-log reason", "work log removed"),
}

# The names of pages whose reads are logged (``log_read``, ``log_list_access``,
# ``log_own_read``); a client's own read stores "portal: <page>".
PAGE_LABELS: dict[str, Any] = {
    "client list": pgettext_lazy("access-log reason", "client list"),
    "plan": pgettext_lazy("access-log reason", "plan"),
    "consent": pgettext_lazy("access-log reason", "consent"),
    "contact": pgettext_lazy("access-log reason", "contact details"),
    "care team": pgettext_lazy("access-log reason", "care team"),
    "case notes": pgettext_lazy("access-log reason", "case notes"),
    "checklist K": pgettext_lazy("access-log reason", "checklist K"),
    "mapping sessions": pgettext_lazy("access-log reason", "mapping sessions"),
    "network map": pgettext_lazy("access-log reason", "network map"),
    "meeting": pgettext_lazy("access-log reason", "meeting"),
    "meetings": pgettext_lazy("access-log reason", "meetings"),
    "resource-group meeting": pgettext_lazy("access-log reason", "resource-group meeting"),
    "restriction": pgettext_lazy("access-log reason", "restriction"),
    "worksheet": pgettext_lazy("access-log reason", "worksheet"),
    "worksheets": pgettext_lazy("access-log reason", "worksheets"),
    "scanned worksheet": pgettext_lazy("access-log reason", "scanned worksheet"),
    "identity number shown": pgettext_lazy("access-log reason", "identity number shown"),
    "archive list": pgettext_lazy("access-log reason", "archive list"),
    "portal invitation": pgettext_lazy("access-log reason", "portal invitation"),
    "relative link": pgettext_lazy("access-log reason", "relative link"),
    "follow-up": pgettext_lazy("access-log reason", "follow-up"),
    "export": pgettext_lazy("access-log reason", "export"),
    "data exported (FHIR)": pgettext_lazy("access-log reason", "data exported (FHIR)"),
    "application list": pgettext_lazy("access-log reason", "application list"),
    "application board": pgettext_lazy("access-log reason", "application board"),
    "application decision": pgettext_lazy("access-log reason", "application decision"),
    "applicant's own page": pgettext_lazy("access-log reason", "applicant's own page"),
    "book interview": pgettext_lazy("access-log reason", "book interview"),
    "round status": pgettext_lazy("access-log reason", "round status"),
    "course completion": pgettext_lazy("access-log reason", "course completion"),
    "funnel CSV": pgettext_lazy("access-log reason", "recruitment funnel (CSV)"),
    "programme report": pgettext_lazy("access-log reason", "programme report"),
    "research key": pgettext_lazy("access-log reason", "research key"),
    "log review": pgettext_lazy("access-log reason", "log review"),
    "emergency accesses to review": pgettext_lazy(
        "access-log reason", "emergency accesses to review"
    ),
    "access log extract": pgettext_lazy("access-log reason", "access-log extract"),
    "download binder pdf": pgettext_lazy("access-log reason", "binder downloaded as PDF"),
    "download fhir": pgettext_lazy("access-log reason", "data downloaded as FHIR"),
    "download json": pgettext_lazy("access-log reason", "data downloaded as JSON"),
    "message attachment": pgettext_lazy("access-log reason", "message attachment"),
    "messages": pgettext_lazy("access-log reason", "messages"),
    "my data": pgettext_lazy("access-log reason", "my data"),
    "notifications": pgettext_lazy("access-log reason", "notifications"),
    "ors chart": pgettext_lazy("access-log reason", "ORS chart"),
    "ors chart image": pgettext_lazy("access-log reason", "ORS chart image"),
    "sign-in settings": pgettext_lazy("access-log reason", "sign-in settings"),
    "start": pgettext_lazy("access-log reason", "start page"),
    # The other pages and acts whose reads and changes are logged.
    "access log search": pgettext_lazy("access-log reason", "access log search"),
    "access log CSV export": pgettext_lazy("access-log reason", "access log CSV export"),
    "instrument": pgettext_lazy("access-log reason", "instrument"),
    "instrument chart": pgettext_lazy("access-log reason", "instrument chart"),
    "instrument chart image": pgettext_lazy("access-log reason", "instrument chart image"),
    "instrument response: read-only": pgettext_lazy(
        "access-log reason", "instrument response: read-only"
    ),
    "add course day": pgettext_lazy("access-log reason", "add course day"),
    "administration: identity provider": pgettext_lazy(
        "access-log reason", "administration: identity provider"
    ),
    "administration: organisation tree": pgettext_lazy(
        "access-log reason", "administration: organisation tree"
    ),
    "administration: people list": pgettext_lazy(
        "access-log reason", "administration: people list"
    ),
    "administration: person": pgettext_lazy("access-log reason", "administration: person"),
    "application": pgettext_lazy("access-log reason", "application"),
    "archive: reason form": pgettext_lazy("access-log reason", "archive: reason form"),
    "area units": pgettext_lazy("access-log reason", "area units"),
    "binder printed": pgettext_lazy("access-log reason", "binder printed"),
    "build course from plan": pgettext_lazy("access-log reason", "build course from plan"),
    "calendar file": pgettext_lazy("access-log reason", "calendar file"),
    "caseload report": pgettext_lazy("access-log reason", "caseload report"),
    "change forum": pgettext_lazy("access-log reason", "change forum"),
    "client": pgettext_lazy("access-log reason", "client"),
    "client details": pgettext_lazy("access-log reason", "client details"),
    "client phase": pgettext_lazy("access-log reason", "client phase"),
    "cohort": pgettext_lazy("access-log reason", "cohort"),
    "cohort page": pgettext_lazy("access-log reason", "cohort page"),
    "confirm forum minutes": pgettext_lazy("access-log reason", "confirm forum minutes"),
    "course certificate": pgettext_lazy("access-log reason", "course certificate"),
    "certificate: ethics guidelines not acknowledged": pgettext_lazy(
        "access-log reason", "certificate: ethics guidelines not acknowledged"
    ),
    "ethics guidelines": pgettext_lazy("access-log reason", "ethics guidelines"),
    "my ethics guidelines": pgettext_lazy("access-log reason", "my ethics guidelines"),
    "user organisation trainings": pgettext_lazy(
        "access-log reason", "user organisation trainings"
    ),
    "data exported (JSON)": pgettext_lazy("access-log reason", "data exported (JSON)"),
    "decide activity": pgettext_lazy("access-log reason", "decide activity"),
    "decision letters": pgettext_lazy("access-log reason", "decision letters"),
    "download": pgettext_lazy("access-log reason", "download"),
    "edit influence organisation": pgettext_lazy(
        "access-log reason", "edit influence organisation"
    ),
    "edit recruitment round": pgettext_lazy("access-log reason", "edit recruitment round"),
    "emergency search: choose": pgettext_lazy("access-log reason", "emergency search: choose"),
    "emergency search: no match": pgettext_lazy("access-log reason", "emergency search: no match"),
    "follow-up event": pgettext_lazy("access-log reason", "follow-up event"),
    "form a cohort": pgettext_lazy("access-log reason", "form a cohort"),
    "forum agenda": pgettext_lazy("access-log reason", "forum agenda"),
    "forum meeting": pgettext_lazy("access-log reason", "forum meeting"),
    "forum members": pgettext_lazy("access-log reason", "forum members"),
    "forum minutes": pgettext_lazy("access-log reason", "forum minutes"),
    "forum work": pgettext_lazy("access-log reason", "forum work"),
    "funnel": pgettext_lazy("access-log reason", "funnel"),
    "homework": pgettext_lazy("access-log reason", "homework"),
    "homework file": pgettext_lazy("access-log reason", "homework file"),
    "homework hand-ins": pgettext_lazy("access-log reason", "homework hand-ins"),
    "identity number": pgettext_lazy("access-log reason", "identity number"),
    "indicators CSV": pgettext_lazy("access-log reason", "indicators CSV"),
    "joint coordination": pgettext_lazy("access-log reason", "joint coordination"),
    "mapping session cancelled": pgettext_lazy("access-log reason", "mapping session cancelled"),
    "mapping session held": pgettext_lazy("access-log reason", "mapping session held"),
    "matter": pgettext_lazy("access-log reason", "matter"),
    "matter discussed": pgettext_lazy("access-log reason", "matter discussed"),
    "matter outcome": pgettext_lazy("access-log reason", "matter outcome"),
    "my interviews": pgettext_lazy("access-log reason", "my interviews"),
    "new forum": pgettext_lazy("access-log reason", "new forum"),
    "observation notes": pgettext_lazy("access-log reason", "observation notes"),
    "outreach": pgettext_lazy("access-log reason", "outreach"),
    "participation ladder": pgettext_lazy("access-log reason", "participation ladder"),
    "peer supporters waiting for a job": pgettext_lazy(
        "access-log reason", "peer supporters waiting for a job"
    ),
    "pending letters": pgettext_lazy("access-log reason", "pending letters"),
    "placement": pgettext_lazy("access-log reason", "placement"),
    "portal invitation page": pgettext_lazy("access-log reason", "portal invitation page"),
    "raise matter": pgettext_lazy("access-log reason", "raise matter"),
    "report back": pgettext_lazy("access-log reason", "report back"),
    "reports back": pgettext_lazy("access-log reason", "reports back"),
    "round page": pgettext_lazy("access-log reason", "round page"),
    "round people": pgettext_lazy("access-log reason", "round people"),
    "signed consent form": pgettext_lazy("access-log reason", "signed consent form"),
    "start page: meetings to book": pgettext_lazy(
        "access-log reason", "start page: meetings to book"
    ),
    "start page: outcomes off track": pgettext_lazy(
        "access-log reason", "start page: outcomes off track"
    ),
    "supervision meeting": pgettext_lazy("access-log reason", "supervision meeting"),
    "supervision meetings": pgettext_lazy("access-log reason", "supervision meetings"),
    "workplace page": pgettext_lazy("access-log reason", "workplace page"),
    "consultations": pgettext_lazy("access-log reason", "consultations"),
    "new consultation": pgettext_lazy("access-log reason", "new consultation"),
    "consultation": pgettext_lazy("access-log reason", "consultation"),
    "send consultation": pgettext_lazy("access-log reason", "send consultation"),
    "answer consultation": pgettext_lazy("access-log reason", "answer consultation"),
    "consultation summary": pgettext_lazy("access-log reason", "consultation summary"),
    "publish consultation": pgettext_lazy("access-log reason", "publish consultation"),
    "start page: placements ending": pgettext_lazy(
        "access-log reason", "start page: placements ending"
    ),
    "start page: sign-in to set up": pgettext_lazy(
        "access-log reason", "start page: sign-in to set up"
    ),
    "work log entry too old": pgettext_lazy("access-log reason", "work log entry too old"),
    "work log summary": pgettext_lazy("access-log reason", "work log summary"),
    "national programme summary": pgettext_lazy("access-log reason", "national programme summary"),
    # An admission decision (peer's DecisionStep) + ": <outcome>".
    "screening": pgettext_lazy("access-log reason", "admission: screening"),
    "interview": pgettext_lazy("access-log reason", "admission: after the interview"),
}

PORTAL_PREFIX = "portal: "
PORTAL = pgettext_lazy("access-log reason", "own pages")

# Codes that take a detail after a space instead of a colon ("phase 2", "step network").
_SPACE_DETAIL = frozenset(
    {
        AuditEvent.CLIENT_PHASE,
        AuditEvent.MAPPING_STEP,
        AuditEvent.PLAN_GOAL_STATUS,
        AuditEvent.PLAN_ACTION_STATUS,
        AuditEvent.PLAN_VERSION,
        AuditEvent.RELATIVE_LINK_SENT,
        AuditEvent.RESTRICTION_REQUESTED,
        AuditEvent.RESTRICTION_LIFTED,
        AuditEvent.RETENTION_CHANGED,
        AuditEvent.LOG_REVIEW_ITEM,
        "worksheet",
        "instrument",
        "instrument chart",
        "instrument chart image",
    }
)


def _labels() -> dict[str, Any]:
    return {**PAGE_LABELS, **EVENT_LABELS}


def _known(reason: str) -> tuple[Any, str, str] | None:
    """(the label of the known code ``reason`` starts with, the detail after it, the code),
    or None."""
    labels = _labels()
    if reason in labels:
        return labels[reason], "", reason
    # The longest known code that the reason starts with, followed by its detail.
    for code in sorted(labels, key=len, reverse=True):
        rest = reason[len(code) :]
        if reason.startswith(code) and (
            rest.startswith(":") or (rest.startswith(" ") and code in _SPACE_DETAIL)
        ):
            return labels[code], rest, code
    return None


def is_labelled(reason: str) -> bool:
    """Whether ``reason`` is shown in the reader's language (not as typed)."""
    if reason.startswith(PORTAL_PREFIX):
        reason = reason[len(PORTAL_PREFIX) :]
    return _known(reason) is not None


# A detail written after one of these codes is a key another app names (the
# ``reason_details`` contribution): "instrument ors" (instruments: the questionnaire's
# title), "resource group: decide_plan" (coordination: the kind of decision), "phase
# planning", "screening: go_on" (peer: the decision's outcome), "log review: item
# justified" (audit). Each is a code, so the reader reads it in their own language.
_KEYED_DETAIL = frozenset(
    {
        "instrument",
        "instrument chart",
        "instrument chart image",
        "worksheet",
        "plan",
        "screening",
        "interview",
        "access log search",
        "access log CSV export",
        AuditEvent.RELATIVE_LINK_SENT,
        AuditEvent.RESOURCE_GROUP,
        AuditEvent.CLIENT_PHASE,
        AuditEvent.MAPPING_STEP,
        AuditEvent.PLAN_GOAL_STATUS,
        AuditEvent.PLAN_ACTION_STATUS,
        AuditEvent.PLAN_VERSION,
        AuditEvent.LOG_REVIEW_ITEM,
    }
)


def _keyed(reason: str | None) -> tuple[Any, str, str] | None:
    """(label, code, detail key) when ``reason`` is a keyed code with its detail."""
    known = _known(reason or "")
    if known is None or known[2] not in _KEYED_DETAIL:
        return None
    label, rest, code = known
    key = rest.removeprefix(":").strip()
    return (label, code, key) if key else None


def detail_names(reasons: Iterable[str | None]) -> dict[tuple[str, str], str]:
    """The readable name of each keyed detail in ``reasons``, by (code, key), in the active
    language, from every app's ``reason_details`` contribution (one query each at most,
    for a whole page)."""
    pairs = set()
    for reason in reasons:
        keyed = _keyed(reason)
        if keyed is not None:
            pairs.add(keyed[1:])
    names: dict[tuple[str, str], str] = {}
    if pairs:
        for name_details in contributions("reason_details"):
            names.update(name_details(pairs))
    return names


def reason_label(reason: str | None, details: Mapping[tuple[str, str], str] | None = None) -> str:
    """``reason`` as the reader reads it: a known code translated, its detail kept (a
    questionnaire's key named, given the ``details`` of ``detail_names``), and anything
    else (a typed reason) as typed."""
    if not reason:
        return ""
    labels = _labels()
    if reason in labels:
        return str(labels[reason])
    if reason.startswith(PORTAL_PREFIX) and reason[len(PORTAL_PREFIX) :] in labels:
        return f"{PORTAL}: {labels[reason[len(PORTAL_PREFIX) :]]}"
    known = _known(reason)
    if known is None:
        return reason
    label, rest, _code = known
    keyed = _keyed(reason) if details else None
    if details and keyed is not None and keyed[1:] in details:
        separator = ": " if rest.startswith(":") else " "
        return f"{label}{separator}{details[keyed[1:]]}"
    return f"{label}{rest}"
