"""What the access log's reason says for each change a service makes (conventions 25).

One enumeration for the whole product, so the auditor's filter, the tests and the services
name an event the same way. A value is the reason stored in ``AccessLog.reason``; a
service may append a detail after a colon (``f"{AuditEvent.GOAL_STATUS}: {status}"``).
Reads keep their page names; emergency access keeps the reason the user typed.
Each app has its own section; keep the values stable, the auditor searches by them.
"""

from __future__ import annotations

from enum import StrEnum


class AuditEvent(StrEnum):
    # --- accounts: administration of the organisation tree --------------------------------
    ADMIN_UNIT_CREATED = "administration: unit created"
    ADMIN_PERSON_INVITED = "administration: person invited"
    ADMIN_ROLE_GIVEN = "administration: role given"
    ADMIN_MEMBERSHIP_ENDED = "administration: membership ended"
    ADMIN_ACCOUNT_DEACTIVATED = "administration: account deactivated"
    ADMIN_ACCOUNT_REACTIVATED = "administration: account reactivated"
    ADMIN_SECOND_FACTOR_RESET = "administration: second factor reset"
    INVITATION_USED = "invitation used"
    OPERATOR_INVITED = "operator invited"

    # --- coordination and the client portal ------------------------------------------------

    # --- peer: recruitment, course, placement, supervision, follow-up ----------------------

    # --- influence --------------------------------------------------------------------------

    # --- instruments, reports, audit, outbox ------------------------------------------------
    INSTRUMENT_IMPORTED = "import"
    RESPONSE_DRAFT_SAVED = "draft"
    RESPONSE_SUBMITTED = "submit"

    pass
