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

    # --- coordination and the client portal ------------------------------------------------

    # --- peer: recruitment, course, placement, supervision, follow-up ----------------------

    # --- influence --------------------------------------------------------------------------

    # --- instruments, reports, audit, outbox ------------------------------------------------

    pass
