"""The access log's reasons read in the reader's language; the stored code stays."""

from __future__ import annotations

import pytest
from django.utils import translation

from egenmakt.audit.events import AuditEvent
from egenmakt.audit.reasons import EVENT_LABELS, reason_label


@pytest.mark.parametrize(
    ("reason", "swedish", "english"),
    [
        ("portal: plan", "egna sidor: plan", "own pages: plan"),
        ("client list", "klientlistan", "client list"),
        ("consent", "samtycke", "consent"),
        ("resource-group meeting", "resursgruppsmöte", "resource-group meeting"),
        (AuditEvent.CONSENT_RECORDED, "samtycke registrerat", "consent recorded"),
        # A detail after the code is kept as stored.
        (
            f"{AuditEvent.ARCHIVE_OPENED}: Begäran från IVO",
            "arkiv: öppnat med skäl: Begäran från IVO",
            "archive: opened with a reason: Begäran från IVO",
        ),
        (f"{AuditEvent.PLAN_GOAL_STATUS} done", "plan: delmål done", "plan: sub-goal done"),
        # What a person typed for an emergency access is shown as typed.
        ("Klienten är här i kris nu", "Klienten är här i kris nu", "Klienten är här i kris nu"),
        ("open the record now", "open the record now", "open the record now"),
        ("", "", ""),
    ],
)
def test_reason_labels_in_swedish_and_english(reason, swedish, english):
    with translation.override("sv"):
        assert reason_label(reason) == swedish
    with translation.override("en"):
        assert reason_label(reason) == english


def test_every_audit_event_has_a_label():
    assert set(EVENT_LABELS) == set(AuditEvent)
