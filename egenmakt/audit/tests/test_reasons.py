"""The access log's reasons read in the reader's language; the stored code stays."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from egenmakt.audit.events import AuditEvent
from egenmakt.audit.reasons import EVENT_LABELS, is_labelled, reason_label


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


@pytest.mark.parametrize(
    ("reason", "swedish"),
    [
        ("access log search", "sökning i loggen"),
        ("access log search: person_type, date_from", "sökning i loggen: person_type, date_from"),
        ("instrument supervision_meeting", "instrument supervision_meeting"),
        ("instrument chart ors", "instrumentdiagram ors"),
        ("joint coordination", "gemensam samordning"),
    ],
)
def test_the_reasons_pages_write_at_run_time_read_in_swedish(reason, swedish):
    """They showed as stored, in English, in the auditor's Swedish log (issue 26's sweep)."""
    with translation.override("sv"):
        assert reason_label(reason) == swedish


def _reasons_in_the_code() -> dict[str, str]:
    """Every reason written as a literal ``reason="..."`` in a call in the app's code (the
    views' decorators, log_access, log_read...), with where it is."""
    root = Path(settings.BASE_DIR) / "egenmakt"
    found: dict[str, str] = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).parts
        if {"tests", "migrations", "demo", "scale"} & set(parts) or path.name == "conftest.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                value = keyword.value
                if (
                    keyword.arg == "reason"
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                    and value.value
                ):
                    found.setdefault(value.value, f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_every_reason_the_code_writes_has_a_label():
    reasons = _reasons_in_the_code()
    assert "client list" in reasons and "joint coordination" in reasons
    missing = [
        f"{reason!r} ({where})" for reason, where in reasons.items() if not is_labelled(reason)
    ]
    assert not missing, "Label these in egenmakt/audit/reasons.py:\n" + "\n".join(missing)


@pytest.mark.django_db
def test_a_questionnaire_in_a_reason_is_named_by_its_title():
    """The log showed "instrument supervision_meeting": the key, a code, in any language."""
    from egenmakt.audit.reasons import detail_names
    from egenmakt.coordination.tests.factories import ensure_instruments
    from egenmakt.instruments.models import InstrumentDefinition

    ensure_instruments()
    title = InstrumentDefinition.objects.filter(key="ors").latest("version").title("sv")
    reasons = ["instrument ors", "instrument chart ors", "client list", "instrument nonesuch"]
    with translation.override("sv"):
        names = detail_names(reasons)
        assert set(names) == {("instrument", "ors"), ("instrument chart", "ors")}
        assert reason_label("instrument ors", names) == f"instrument {title}"
        assert reason_label("instrument chart ors", names) == f"instrumentdiagram {title}"
        assert reason_label("instrument nonesuch", names) == "instrument nonesuch"


def test_a_decision_in_a_reason_is_named_by_its_kind():
    from egenmakt.audit.reasons import detail_names

    reasons = ["resource group: decide_plan", "resource group: meeting held"]
    with translation.override("sv"):
        names = detail_names(reasons)
        assert reason_label(reasons[0], names) == "resursgrupp: Planen beslutas"
        assert reason_label(reasons[1], names) == "resursgrupp: Möte: Hållet"
        # Without the names (the CSV export) the stored detail stays.
        assert reason_label(reasons[0]) == "resursgrupp: decide_plan"


# The details the services compose after a code (issue 26: "resource group: 2 invited" in
# the Swedish log), each as stored and as read in Swedish and English.
COMPOSED = [
    ("resource group: 4 invited", "resursgrupp: 4 inbjudna", "resource group: 4 invited"),
    ("resource group: 1 invited", "resursgrupp: 1 inbjuden", "resource group: 1 invited"),
    ("plan: version 2 decided", "plan: version 2 beslutad", "plan: version 2 decided"),
    ("plan: compare 1-2", "plan: version 1 och 2 jämförda", "plan: versions 1 and 2 compared"),
    ("phase planning", "fas Planering", "phase Planning"),
    ("step network_map", "steg Nätverkskarta", "step Network map"),
    ("plan: sub-goal achieved", "plan: delmål Uppnått", "plan: sub-goal Achieved"),
    ("plan: measure done", "plan: insats Klart", "plan: measure Done"),
    (
        "screening: go_on",
        "antagning: grovgallring: Gå vidare till intervju",
        "admission: screening: Go on to interview",
    ),
    (
        "interview: admit",
        "antagning: efter intervjun: Anta till utbildningen",
        "admission: after the interview: Admit to the course",
    ),
    ("log review: item justified", "loggkontroll: post Befogad", "log review: item Justified"),
    (
        "access log search: person_type, since",
        "sökning i loggen: Typ av person, Från",
        "access log search: Kind of person, From",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("reason", "swedish", "english"), COMPOSED)
def test_a_detail_the_code_composes_is_read_in_the_readers_language(reason, swedish, english):
    from egenmakt.audit.reasons import detail_names

    for language, expected in (("sv", swedish), ("en", english)):
        with translation.override(language):
            assert reason_label(reason, detail_names([reason])) == expected
    # The stored code stays what the search and the CSV export use.
    with translation.override("sv"):
        assert reason_label(reason) != swedish
