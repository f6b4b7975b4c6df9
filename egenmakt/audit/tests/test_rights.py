"""A person's rights over their own data (issue 19): a copy of everything held about them
(made by the task queue, logged, fetched only by whoever asked), a staff member who leaves
anonymised under a stable pseudonym with no identifier left, and the record of processing
generated from the registry in Swedish and English."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from egenmakt.accounts.models import Membership, User
from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import admin_scope
from egenmakt.accounts.services import (
    AdministrationError,
    OutsideTree,
    anonymise_user,
    pseudonym_for,
)
from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import AccessLog, Action, ExportStatus, PersonalExport
from egenmakt.audit.registry import export_person, leftover_identifiers, registrations
from egenmakt.audit.rights import erase_old_personal_exports, request_personal_export
from egenmakt.conftest import sign_in
from egenmakt.coordination.models import CareTeamMember
from egenmakt.coordination.tests.factories import decided_plan, shared_client
from egenmakt.portal.tests.factories import as_client, invited_client

pytestmark = pytest.mark.django_db


def _tables_holding(*values: str) -> list[str]:
    """Every row of every table as text (what a dump of the database holds), searched for
    each value as a whole word: the tables where one is found."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [f.attname for f in model._meta.concrete_fields]
        for row in model._base_manager.values_list(*fields):
            text = " | ".join(str(value) for value in row)
            for value in values:
                if re.search(rf"(?<![\w.+-]){re.escape(value)}(?![\w-])", text, re.I):
                    found.append(f"{model._meta.db_table}: {text[:200]}")
    return found


def _download(browser: Browser, url: str) -> dict:
    response = browser.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Cache-Control"] == "no-store"
    return json.loads(
        b"".join(response.streaming_content) if response.streaming else response.content
    )


# --- A copy of one's own data -------------------------------------------------------------------


def test_a_staff_member_gets_their_own_data_and_nobody_elses(cast):
    client = shared_client(cast, name="Vera Klientsson")
    decided_plan(cast, client)
    browser = sign_in(Browser(), cast.case_manager)
    page = browser.get(reverse("accounts:my_data"))
    assert page.status_code == 200 and "Mina uppgifter" in page.content.decode()

    assert browser.post(reverse("accounts:my_data_request")).status_code == 302
    export = PersonalExport.objects.get(requested_by=cast.case_manager)
    assert export.status == ExportStatus.READY  # the task ran (immediate backend in tests)
    data = _download(browser, reverse("accounts:my_data_download", args=[export.key]))

    kinds = {section["kind"] for section in data["data"]}
    assert {"accounts.user", "accounts.membership", "coordination.careteammember"} <= kinds
    assert data["data"][0]["rows"][0]["email"] == cast.case_manager.email
    text = json.dumps(data, ensure_ascii=False)
    assert "Vera Klientsson" not in text  # the client's name is the client's
    assert cast.coordinator.full_name not in text
    assert "record" not in data  # a user has no fuller record
    logged = AccessLog.objects.filter(actor=cast.case_manager, action=Action.EXPORT)
    assert set(logged.values_list("reason", flat=True)) == {
        AuditEvent.PERSONAL_DATA_EXPORTED,
        AuditEvent.PERSONAL_DATA_DOWNLOADED,
    }


def test_a_copy_opens_only_for_whoever_asked(cast):
    export = request_personal_export(user=cast.case_manager, person=cast.case_manager)
    url = reverse("accounts:my_data_download", args=[export.key])
    assert sign_in(Browser(), cast.coordinator).get(url).status_code == 404
    assert Browser().get(url).status_code == 302  # to sign in
    assert sign_in(Browser(), cast.case_manager).get(url).status_code == 200


def test_asking_twice_while_one_is_prepared_makes_one(cast, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    first = request_personal_export(user=cast.case_manager, person=cast.case_manager)
    second = request_personal_export(user=cast.case_manager, person=cast.case_manager)
    assert first.pk == second.pk and first.status == ExportStatus.QUEUED
    page = sign_in(Browser(), cast.case_manager).get(reverse("accounts:my_data"))
    assert "förbereds" in page.content.decode()


def test_the_export_holds_what_the_registry_lists_for_the_person(cast):
    data = export_person(cast.case_manager)
    listed = {
        entry.label
        for entry in registrations()
        for part in entry.of
        if issubclass(User, part.person) and part.rows(cast.case_manager).exists()
    }
    assert {section["kind"] for section in data["data"]} == listed


def test_the_client_gets_everything_on_their_own_pages(cast):
    client, account = invited_client(cast, name="Kim Berg")
    other = shared_client(cast, name="Olle Annanklient")
    browser = as_client(account)
    assert browser.post(reverse("portal:my_data_request")).status_code == 302
    export = PersonalExport.objects.get(requested_by=account.user)
    assert export.person_id == str(client.pk)
    page = browser.get(reverse("portal:my_data")).content.decode()
    assert reverse("portal:my_data_download", args=[export.key]) in page
    data = _download(browser, reverse("portal:my_data_download", args=[export.key]))
    text = json.dumps(data, ensure_ascii=False)
    assert "Kim Berg" in text and "record" in data  # the binder as JSON comes along
    assert other.full_name not in text
    kinds = {section["kind"] for section in data["data"]}
    assert {"coordination.client", "coordination.consent", "audit.accesslog"} <= kinds
    # The care team's own notes are each organisation's journal, not in the client's copy.
    assert "coordination.casenote" not in kinds
    # Staff cannot fetch the client's copy, and the client cannot fetch another's.
    staff_copy = request_personal_export(user=cast.case_manager, person=cast.case_manager)
    assert browser.get(reverse("portal:my_data_download", args=[staff_copy.key])).status_code == 404
    assert (
        sign_in(Browser(), cast.case_manager)
        .get(reverse("portal:my_data_download", args=[export.key]))
        .status_code
        == 404
    )


def test_copies_are_erased_after_a_week_and_the_row_stays(cast):
    export = request_personal_export(user=cast.case_manager, person=cast.case_manager)
    assert export.file
    PersonalExport.objects.filter(pk=export.pk).update(
        requested_at=timezone.now() - timedelta(days=8)
    )
    assert erase_old_personal_exports() == 1
    export.refresh_from_db()
    assert not export.file and not export.is_ready
    page = sign_in(Browser(), cast.case_manager).get(reverse("accounts:my_data"))
    assert "raderas efter en vecka" in page.content.decode()


# --- Anonymising a staff member who leaves ------------------------------------------------------


def _region_admin(cast):
    admin = User.objects.create_user("regionadmin@example.org", full_name="Rea Admin")
    Membership.objects.create(user=admin, organisation=cast.org("region"), role=Role.ADMIN)
    return admin


def test_a_case_manager_who_sat_on_a_care_team_is_anonymised_without_a_trace(cast):
    leaving = cast.case_manager
    client = shared_client(cast, name="Vera Klientsson")
    decided_plan(cast, client, responsible_person=leaving)
    assert CareTeamMember.objects.filter(user=leaving).exists()
    old_name, old_email = leaving.full_name, leaving.email
    admin = _region_admin(cast)
    scope = admin_scope(admin)
    assert scope is not None
    left = anonymise_user(user=leaving, actor=admin, scope=scope)

    assert left == []
    leaving.refresh_from_db()
    pseudonym = pseudonym_for(leaving)
    assert leaving.full_name == pseudonym and pseudonym.startswith("Person ")
    assert not leaving.is_active and not leaving.has_usable_password()
    assert not Membership.objects.filter(user=leaving).exists()
    assert CareTeamMember.objects.filter(user=leaving).exists()  # the record keeps its history
    assert _tables_holding(old_name, old_email) == []
    assert leftover_identifiers([old_name, old_email]) == []
    assert AccessLog.objects.filter(
        actor=admin, reason=AuditEvent.ACCOUNT_ANONYMISED, person_id=str(leaving.pk)
    ).exists()
    # The pseudonym is stable: the same on every call, and shown where the name was.
    assert pseudonym_for(leaving) == pseudonym
    page = sign_in(Browser(), cast.municipal_case_manager).get(
        reverse("coordination:client", args=[client.pk])
    )
    assert page.status_code == 200 and pseudonym in page.content.decode()


def test_anonymising_needs_the_whole_account_in_scope_and_not_oneself(cast):
    admin = cast.admin  # the user network's administrator
    scope = admin_scope(admin)
    with pytest.raises(AdministrationError):
        anonymise_user(user=admin, actor=admin, scope=scope)
    with pytest.raises(OutsideTree):  # the region's case manager is not theirs
        anonymise_user(user=cast.case_manager, actor=admin, scope=scope)
    anonymise_user(user=cast.coordinator, actor=admin, scope=scope)
    with pytest.raises(OutsideTree):  # no longer anyone's: no role is left
        anonymise_user(user=cast.coordinator, actor=admin, scope=scope)


# --- The record of processing (GDPR art. 30) ------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "heading", "basis"),
    [
        ("sv", "Registerförteckning", "Rättslig förpliktelse"),
        ("en", "Record of processing", "A duty in law"),
    ],
)
def test_the_record_of_processing_is_a_page_and_a_workbook_in_both_languages(
    cast, language, heading, basis
):
    browser = sign_in(Browser(), cast.auditor)
    browser.post(reverse("set_language"), {"language": language})
    page = browser.get(reverse("audit:processing_record"))
    assert page.status_code == 200
    html = page.content.decode()
    assert heading in html
    assert html.count('class="panel processing-entry"') == len(registrations())
    document = browser.get(reverse("audit:processing_record_document", args=[language]))
    assert document.status_code == 200
    sheet = load_workbook(io.BytesIO(document.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len([r for r in rows if r[0]]) == len(registrations()) + 1  # and the headers
    assert any(basis in (cell or "") for row in rows for cell in row)


def test_the_record_is_not_for_everyone(cast):
    assert (
        sign_in(Browser(), cast.case_manager).get(reverse("audit:processing_record")).status_code
        == 403
    )
    assert sign_in(Browser(), cast.admin).get(reverse("audit:processing_record")).status_code == 200
    assert (
        sign_in(Browser(), cast.auditor)
        .get(reverse("audit:processing_record_document", args=["de"]))
        .status_code
        == 404
    )


def test_the_administrator_anonymises_someone_who_left_from_their_page(cast):
    leaving = cast.coordinator
    browser = sign_in(Browser(), cast.admin)
    url = reverse("administration:anonymise", args=[leaving.pk])
    assert url in browser.get(reverse("administration:person", args=[leaving.pk])).content.decode()
    confirm = browser.get(url)
    assert confirm.status_code == 200 and "Avidentifiera kontot?" in confirm.content.decode()
    assert User.objects.get(pk=leaving.pk).full_name == leaving.full_name  # nothing yet
    done = browser.post(url, follow=True)
    leaving.refresh_from_db()
    assert leaving.full_name == pseudonym_for(leaving)
    assert leaving.full_name in done.content.decode()
    # Gone from the administrator's tree: the person page is no longer theirs.
    assert browser.get(reverse("administration:person", args=[leaving.pk])).status_code == 404
