"""The client sees the method: Checklist K read-only, the consent in force and its history,
and the information sheets on what resource-group work is (public, Swedish and English)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from egenmakt.audit.models import AccessLog
from egenmakt.coordination.models import Client, Consent
from egenmakt.coordination.services import consent as consent_services
from egenmakt.coordination.services import mapping as mapping_services
from egenmakt.coordination.tests.factories import consent as give_consent
from egenmakt.instruments import services as instrument_services
from egenmakt.instruments.models import InstrumentDefinition

from .factories import as_client, as_staff, ensure_instruments, invited_client

pytestmark = pytest.mark.django_db

MET = "Samtycke och datum bokade"
SHARED_NOTE = "Ifylld hemma hos Kim"
KEPT_NOTE = "Kommunens egen notering om varningstecknen"


ANSWERS = {
    "normal_day": {"hours": {"08": "Frukost", "12": "Lunch med Sara"}, "good_parts": "Promenad"},
    "early_warning_signs": {
        "signs": [{"sign": "Sover dåligt", "own_action": "Ringer Sara", "others_action": "Fråga"}]
    },
}


def _sheet(user, client: Client, key: str, *, shared: bool = True, comment: str = ""):
    ensure_instruments()
    definition = InstrumentDefinition.objects.filter(key=key).latest("version")
    record = mapping_services.start_worksheet(
        user=user,
        client=client,
        definition=definition,
        respondent_kind="staff",
        done_on=timezone.localdate() - timedelta(days=2),
        present=[user],
        shared=shared,
        comment=comment,
    )
    response = record.response
    instrument_services.submit_response(
        user=user, response=response, answers=ANSWERS[key], expected_version=response.version
    )
    return record


def worked_client(cast):
    """Kim, invited, with a meeting step, a shared sheet, and a sheet the municipality keeps."""
    client, account = invited_client(cast)
    mapping_services.record_step(
        user=cast.case_manager,
        client=client,
        step="first_meeting",
        title="",
        done_on=timezone.localdate() - timedelta(days=5),
        present=[cast.case_manager, cast.municipal_case_manager],
        comment=MET,
    )
    _sheet(cast.case_manager, client, "normal_day", comment=SHARED_NOTE)
    _sheet(
        cast.municipal_case_manager, client, "early_warning_signs", shared=False, comment=KEPT_NOTE
    )
    return client, account


def _row(checklist, key: str):
    return next(row for row in checklist.rows if row.definition.key == key)


def test_the_client_reads_checklist_k_done_when_who_and_comment(cast):
    _client, account = worked_client(cast)
    page = as_client(account).get(reverse("portal:checklist"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Checklista K" in html
    assert MET in html and SHARED_NOTE in html
    assert cast.municipal_case_manager.full_name in html
    checklist = page.context["checklist"]
    assert _row(checklist, "first_meeting").done
    assert _row(checklist, "normal_day").done
    # The same builder as the care team's page: a step left is shown as left.
    assert not _row(checklist, "interview").done


def test_a_sheet_one_organisation_keeps_does_not_reach_the_clients_checklist(cast):
    """Privacy first: the step is left out altogether, not shown as done without details."""
    client, account = worked_client(cast)
    page = as_client(account).get(reverse("portal:checklist"))
    assert KEPT_NOTE not in page.content.decode()
    row = _row(page.context["checklist"], "early_warning")
    assert row.records == [] and not row.done
    # The municipality's own case manager still sees it on the care team's checklist.
    staff = as_staff(cast.municipal_case_manager).get(
        reverse("coordination:checklist", args=[client.pk])
    )
    assert KEPT_NOTE in staff.content.decode()


def test_reading_the_checklist_and_the_consent_writes_the_access_log(cast):
    client, account = worked_client(cast)
    browser = as_client(account)
    for name, reason in (
        ("portal:checklist", "portal: checklist K"),
        ("portal:consent", "portal: consent"),
    ):
        browser.get(reverse(name))
        row = AccessLog.objects.filter(person_id=str(client.pk)).order_by("-id").first()
        assert row is not None and row.actor_id == account.user.pk and row.reason == reason


def test_the_checklist_page_runs_the_same_queries_however_many_steps(cast):
    client, account = worked_client(cast)
    browser = as_client(account)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert browser.get(reverse("portal:checklist")).status_code == 200
        return len(queries)

    few = count()
    for index in range(6):
        mapping_services.record_step(
            user=cast.case_manager, client=client, step="other", title=f"Möte {index}",
            done_on=timezone.localdate(), present=[cast.case_manager],
        )  # fmt: skip
        _sheet(cast.case_manager, client, "normal_day")
    assert count() == few


def test_the_client_reads_the_consent_in_force_and_its_history(cast):
    client, account = invited_client(cast)
    first = Consent.objects.get(client=client)
    consent_services.revoke_consent(
        user=cast.case_manager, client=client, consent=first, note="Ville byta kommun"
    )
    give_consent(cast, client, given_on=timezone.localdate() - timedelta(days=1))
    page = as_client(account).get(reverse("portal:consent"))
    assert page.status_code == 200
    html = page.content.decode()
    assert [c.pk for c in page.context["in_force"]] != [first.pk]
    assert len(page.context["in_force"]) == 1 and len(page.context["consents"]) == 2
    assert "Återkallat" in html and "Ville byta kommun" in html
    assert "Socialpsykiatrin" in html and "Gäller nu" in html


def test_the_checklist_and_the_consent_are_no_one_elses(cast):
    worked_client(cast)
    _other, other_account = invited_client(cast, name="Alex Lund", email="alex@example.org")
    other = as_client(other_account)
    for name in ("portal:checklist", "portal:consent"):
        page = other.get(reverse(name))
        assert page.status_code == 200 and MET not in page.content.decode()
        for user in (cast.case_manager, cast.outsider_case_manager, cast.auditor):
            assert as_staff(user).get(reverse(name)).status_code == 404, (name, user)
        anonymous = Browser().get(reverse(name))
        assert anonymous.status_code == 302 and "/mina-sidor/logga-in/" in anonymous["Location"]


# --- The information sheets ---------------------------------------------------------------

SHEETS = {
    "method:about": ("Vad är resursgruppsarbete?", "What is resource-group work?"),
    "method:relatives": ("Resursgruppsarbete: för anhöriga", "Resource-group work: for relatives"),
}


@pytest.mark.parametrize("name", SHEETS)
def test_the_information_sheets_are_public_in_swedish_and_english(name):
    swedish, english = SHEETS[name]
    browser = Browser()
    page = browser.get(reverse(name))
    assert page.status_code == 200 and swedish in page.content.decode()
    assert '<ol class="method-flow">' in page.content.decode()
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = browser.get(reverse(name))
    assert page.status_code == 200 and english in page.content.decode()
    assert "The first resource-group meeting" in page.content.decode()


def test_the_relatives_sheet_says_they_may_be_interviewed_alone():
    html = Browser().get(reverse("method:relatives")).content.decode()
    assert "Du kan intervjuas ensam, utan klienten." in html
    assert "Klienten får bara se det ni har kommit överens om." in html


def test_a_signed_in_client_reaches_the_sheets_from_the_portal(cast):
    _client, account = invited_client(cast)
    browser = as_client(account)
    start = browser.get(reverse("portal:start")).content.decode()
    assert reverse("method:about") in start and reverse("portal:checklist") in start
    for name in SHEETS:
        page = browser.get(reverse(name))
        assert page.status_code == 200
        assert reverse("portal:start") in page.content.decode()
    # Staff read them too.
    assert as_staff(cast.case_manager).get(reverse("method:about")).status_code == 200
