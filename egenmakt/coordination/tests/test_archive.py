"""The archive and the restriction of a client's record: closing archives it, an archived
or restricted record refuses every change, is read only with a reason that goes into the
log row of every read, and is reached by the care team and the auditor only."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import AccessLog, Action, Outcome
from egenmakt.conftest import sign_in
from egenmakt.coordination.access import archived_clients_for, clients_for
from egenmakt.coordination.models import (
    ArchiveAccess,
    CareTeamMember,
    Client,
    Consent,
    Contact,
    Goal,
    MappingSession,
    Meeting,
    Phase,
    PlanAction,
    RelativeLink,
    ResourceGroupMember,
    StepRecord,
)
from egenmakt.coordination.services import archive as archive_services
from egenmakt.coordination.services import clients as clients_services
from egenmakt.coordination.services import emergency as emergency_services
from egenmakt.coordination.services import mapping as mapping_services
from egenmakt.coordination.tests.factories import new_client, shared_client
from egenmakt.demo.coordination import seed_demo_coordination
from egenmakt.demo.portal import seed_demo_portal
from egenmakt.instruments.models import InstrumentDefinition, Response
from egenmakt.outbox.models import OutgoingEmail
from egenmakt.tests.permission_matrix import ROWS
from egenmakt.tests.test_permission_matrix import TARGETS

pytestmark = pytest.mark.django_db

REASON = "Klienten har begärt ut sin journal."
# Posts a sealed record takes: a read asked for by POST, and the restriction itself.
SEALED_POSTS = {
    "coordination:identity",
    "coordination:restrict",
    "coordination:restriction_lift",
    "coordination:archive_open",
}


def as_(user) -> Browser:
    return sign_in(Browser(), user)


def close(cast, client: Client) -> Client:
    clients_services.change_phase(
        user=cast.case_manager, client=client, phase=Phase.CLOSED, reason="Målen är nådda."
    )
    client.refresh_from_db()
    return client


def open_with_reason(browser: Browser, client: Client, reason: str = REASON):
    return browser.post(reverse("coordination:archive_open", args=[client.pk]), {"reason": reason})


def page(name: str, client: Client) -> str:
    return reverse(f"coordination:{name}", args=[client.pk])


# --- Closing archives ------------------------------------------------------------------------


def test_closing_archives_the_record_and_takes_it_out_of_the_client_list(cast):
    client = shared_client(cast, name="Signe Arkivsson")
    assert client.archived_at is None
    close(cast, client)
    assert client.archived_at is not None and client.is_frozen
    assert AccessLog.objects.filter(
        person_id=str(client.pk), reason=AuditEvent.CLIENT_ARCHIVED
    ).exists()
    assert client not in clients_for(cast.case_manager)
    listing = as_(cast.case_manager).get(reverse("coordination:clients")).content.decode()
    assert "Signe Arkivsson" not in listing
    archive = as_(cast.case_manager).get(reverse("coordination:archive"))
    assert "Signe Arkivsson" in archive.content.decode()
    assert AccessLog.objects.filter(
        actor=cast.case_manager, person_id=str(client.pk), reason="archive list"
    ).exists()


@pytest.mark.parametrize(
    ("person", "sees"),
    [
        ("case_manager", True),
        ("municipal_case_manager", True),  # in the team under the consent
        ("auditor", True),  # the region's auditor
        ("clinic_colleague", False),  # same clinic, not in the team
        ("supervisor", False),
        ("outsider_auditor", False),  # the other region's auditor
        ("outsider_case_manager", False),
        ("admin", False),
    ],
)
def test_the_archive_shows_the_care_team_and_the_auditor_only(cast, person, sees):
    client = close(cast, shared_client(cast, name="Signe Arkivsson"))
    user = getattr(cast, person)
    assert (client in archived_clients_for(user)) is sees
    browser = as_(user)
    assert (
        "Signe Arkivsson" in browser.get(reverse("coordination:archive")).content.decode()
    ) is sees
    reason_form = browser.get(reverse("coordination:archive_open", args=[client.pk]))
    assert reason_form.status_code == (200 if sees else 404)
    assert open_with_reason(browser, client).status_code == (302 if sees else 404)
    assert browser.get(page("client", client)).status_code == (200 if sees else 404)
    assert ArchiveAccess.objects.filter(user=user).exists() is sees


def test_the_archive_list_costs_the_same_with_2_and_20_records(cast, django_assert_max_num_queries):
    for index in range(2):
        close(cast, new_client(cast, name=f"Arkiv {index}"))
    browser = as_(cast.case_manager)
    browser.get(reverse("coordination:archive"))
    # 14: the list logs the people it shows, and sealing that log row into its hash chain
    # costs two (audit/chain.py).
    with django_assert_max_num_queries(14) as few:
        browser.get(reverse("coordination:archive"))
    for index in range(2, 20):
        close(cast, new_client(cast, name=f"Arkiv {index}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = browser.get(reverse("coordination:archive"))
    assert response.content.decode().count("Arkiv 1") >= 10


# --- Reads need a reason ---------------------------------------------------------------------


def test_every_read_of_an_archived_record_needs_a_reason_and_logs_it(cast):
    client = close(cast, shared_client(cast))
    browser = as_(cast.case_manager)
    first = browser.get(page("plan", client))
    assert first.status_code == 302
    assert first["Location"].startswith(reverse("coordination:archive_open", args=[client.pk]))
    # Too short: the form again, nothing granted.
    assert open_with_reason(browser, client, "för kort").status_code == 400
    assert not ArchiveAccess.objects.exists()
    opened = browser.post(
        reverse("coordination:archive_open", args=[client.pk]),
        {"reason": REASON, "next": page("plan", client)},
    )
    assert opened.status_code == 302 and opened["Location"] == page("plan", client)
    grant = ArchiveAccess.objects.get(user=cast.case_manager, client=client)
    assert AccessLog.objects.filter(
        obj_matches(grant), reason=f"{AuditEvent.ARCHIVE_OPENED}: {REASON}"
    ).exists()
    before = AccessLog.objects.count()
    names = ["client", "network", "checklist", "summary", "plan", "consent", "team", "notes"]
    for name in names:
        assert browser.get(page(name, client)).status_code == 200, name
    rows = AccessLog.objects.order_by("id")[before:]
    assert len(rows) >= len(names)
    assert {row.reason for row in rows} == {f"{AuditEvent.ARCHIVE_READ}: {REASON}"}
    # A next that is not one of this client's pages is not followed.
    elsewhere = browser.post(
        reverse("coordination:archive_open", args=[client.pk]),
        {"reason": REASON, "next": "https://example.org/"},
    )
    assert elsewhere["Location"] == page("client", client)


def obj_matches(grant: ArchiveAccess):
    from django.db.models import Q

    return Q(object_id=str(grant.pk))


def test_the_reason_holds_for_a_few_hours(cast):
    client = close(cast, shared_client(cast))
    browser = as_(cast.case_manager)
    open_with_reason(browser, client)
    assert browser.get(page("client", client)).status_code == 200
    later = timezone.now() + timedelta(hours=4, minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert browser.get(page("client", client)).status_code == 302


def test_the_auditor_reads_the_archived_record_with_a_reason(cast):
    client = close(cast, shared_client(cast, name="Signe Arkivsson"))
    auditor = as_(cast.auditor)
    open_with_reason(auditor, client, "Loggkontroll av ärendet, stickprov 12.")
    shown = auditor.get(page("client", client))
    assert shown.status_code == 200 and "Signe Arkivsson" in shown.content.decode()
    row = (
        AccessLog.objects.filter(actor=cast.auditor, person_id=str(client.pk)).order_by("id").last()
    )
    assert row.reason == f"{AuditEvent.ARCHIVE_READ}: Loggkontroll av ärendet, stickprov 12."
    # The auditor reads; the auditor never writes, nor keeps own notes here.
    assert auditor.get(page("notes", client)).status_code == 404
    assert auditor.get(page("edit", client)).status_code == 403


def test_emergency_access_does_not_open_the_archive(cast):
    client = close(cast, shared_client(cast))
    emergency_services.open_in_emergency(
        user=cast.clinic_colleague, client=client, reason="Klienten är här i kris nu"
    )
    browser = as_(cast.clinic_colleague)
    assert browser.get(page("client", client)).status_code == 404
    assert browser.get(reverse("coordination:archive_open", args=[client.pk])).status_code == 404
    # Nor is the archived record offered when the glass is broken.
    assert (
        emergency_services.find_for_emergency(
            user=cast.clinic_colleague, identity_number=client.identity.display
        )
        == []
    )
    searched = browser.post(
        reverse("coordination:emergency"),
        {"identity_number": client.identity.display, "reason": "Klienten är här i kris nu"},
    )
    assert searched.status_code == 400


def test_an_open_record_needs_no_reason(cast):
    client = shared_client(cast)
    browser = as_(cast.case_manager)
    response = browser.get(reverse("coordination:archive_open", args=[client.pk]))
    assert response.status_code == 302 and response["Location"] == page("client", client)
    assert (
        as_(cast.clinic_colleague)
        .get(reverse("coordination:archive_open", args=[client.pk]))
        .status_code
        == 404
    )


# --- Nothing is changed -----------------------------------------------------------------------


def _row_counts() -> dict[str, int]:
    models = apps.get_app_config("coordination").get_models()
    counts = {m._meta.label: m._base_manager.count() for m in models}
    counts["changes"] = AccessLog.objects.filter(
        action__in=[Action.CHANGE, Action.CREATE, Action.DELETE], outcome=Outcome.ALLOWED
    ).count()
    return counts


def _demo_world(cast) -> SimpleNamespace:
    seed_demo_coordination(cast)
    account = seed_demo_portal(cast)
    client = account.client
    objects = {
        "client": client,
        "seat": CareTeamMember.objects.filter(
            client=client, user=cast.municipal_case_manager
        ).get(),
        "consent": Consent.objects.filter(client=client).order_by("pk").first(),
        "contact": Contact.objects.filter(client=client).order_by("pk").first(),
        "group_member": ResourceGroupMember.objects.filter(client=client).order_by("pk").first(),
        "meeting": Meeting.objects.filter(client=client).order_by("pk").first(),
        "goal": Goal.objects.filter(plan__client=client).order_by("pk").first(),
        "plan_action": PlanAction.objects.filter(plan__client=client).order_by("pk").first(),
        "paper_step": StepRecord.objects.filter(client=client).order_by("pk").first(),
    }
    objects["relative_link"] = RelativeLink.objects.create(
        client=client,
        contact=objects["contact"],
        definition=InstrumentDefinition.objects.filter(key="relative_rating").latest("version"),
        token_hash="0" * 64,
        organisation=client.organisation,
        sent_by=cast.case_manager,
        expires_at=timezone.now() + timedelta(days=14),
    )
    from egenmakt.coordination.services.messages import start_thread

    objects["thread"] = start_thread(
        user=cast.case_manager, client=client, subject="Inför mötet", text="Hej!"
    )
    objects["message"] = objects["thread"].messages.get()
    objects["mapping_session"] = MappingSession.objects.create(
        client=client,
        starts_at=timezone.now() + timedelta(days=7),
        place="Mottagningen",
        planned_steps=["normal_day"],
        organisation=client.organisation,
        created_by=cast.case_manager,
    )
    return SimpleNamespace(cast=cast, objects=objects)


def _client_rows():
    return [
        row
        for row in ROWS
        if row.name.startswith(("coordination:", "portal:"))
        and row.target.startswith("client")
        and row.target != "client_subject"
        and row.name not in SEALED_POSTS
    ]


@pytest.mark.parametrize("state", ["archived", "restricted"])
def test_a_sealed_record_refuses_every_change_by_every_url(cast, state):
    world = _demo_world(cast)
    client = world.objects["client"]
    if state == "archived":
        close(cast, client)
    else:
        archive_services.restrict_processing(
            user=cast.case_manager,
            client=client,
            by_client=False,
            received_on=timezone.localdate(),
        )
    browser = as_(cast.case_manager)
    open_with_reason(browser, client)
    before = _row_counts()
    refused = []
    for row in _client_rows():
        target = TARGETS[row.target]
        url = reverse(row.name, kwargs=target.args(world))
        response = browser.post(url, {"reason": "x", "text": "Ny anteckning", "name": "Ny"})
        if row.method == "post":
            assert response.status_code == 403, row.name
            body = response.content.decode()
            assert "kan bara läsas" in body or "can only be read" in body, row.name
            refused.append(row.name)
        else:
            # A page that is read with GET: a post is refused (403) or not taken (405).
            assert response.status_code in (403, 405), (row.name, response.status_code)
    assert len(refused) >= 15
    assert _row_counts() == before
    denied = AccessLog.objects.filter(
        actor=cast.case_manager, outcome=Outcome.DENIED, person_id=""
    ).values_list("reason", flat=True)
    assert (
        f"{state}: read-only" in set(denied)
        or AccessLog.objects.filter(
            actor=cast.case_manager, outcome=Outcome.DENIED, reason=f"{state}: read-only"
        ).exists()
    )


def test_the_services_refuse_a_sealed_record_themselves(cast):
    client = close(cast, shared_client(cast))
    with pytest.raises(PermissionDenied):
        clients_services.update_client(user=cast.case_manager, client=client, data={})
    with pytest.raises(PermissionDenied):
        clients_services.add_case_note(user=cast.case_manager, client=client, text="Ny")
    with pytest.raises(mapping_services.CoordinationError):
        mapping_services.save_contact(
            user=cast.case_manager,
            client=client,
            data={"name": "Ny", "relationship": "vän", "sector": "friends", "closeness": 1},
        )
    with pytest.raises(PermissionDenied):
        mapping_services.record_client_worksheet(
            user=cast.case_manager, client=client, response=None
        )


def _post_forms(body: str) -> list[str]:
    """The targets of the page's POST forms ("" for a form that posts to the page)."""
    targets = []
    for form in re.findall(r"<form[^>]*>", body):
        if 'method="post"' in form:
            action = re.search(r'action="([^"]*)"', form)
            targets.append(action.group(1) if action else "")
    return targets


def test_the_pages_of_a_sealed_record_show_no_buttons(cast):
    client = shared_client(cast)
    browser = as_(cast.case_manager)
    reads = {reverse("coordination:identity", args=[client.pk]), reverse("set_language")}

    def changes_on(name: str) -> list[str]:
        body = browser.get(page(name, client)).content.decode()
        return [
            target
            for target in _post_forms(body)
            if target not in reads and "logout" not in target and "logga-ut" not in target
        ]

    assert changes_on("network") and changes_on("notes")  # while the record is open
    close(cast, client)
    open_with_reason(browser, client)
    for name in ("client", "network", "notes", "team", "consent", "plan", "resource_group"):
        assert not changes_on(name), name


# --- Restriction -------------------------------------------------------------------------------


def _portal(cast) -> tuple[Browser, Client]:
    seed_demo_coordination(cast)
    account = seed_demo_portal(cast)
    return sign_in(Browser(), account.user), account.client


def test_the_client_asks_for_restriction_on_their_own_pages_after_confirming(cast):
    browser, client = _portal(cast)
    mine = browser.get(reverse("portal:my_data")).content.decode()
    assert reverse("portal:restriction") in mine
    assert browser.get(reverse("portal:restriction")).status_code == 200
    # Without ticking the box: the page again, nothing restricted.
    assert browser.post(reverse("portal:restrict"), {}).status_code == 400
    client.refresh_from_db()
    assert client.restricted_at is None
    # An invitation still waiting for the worker (the test's task backend sends at once).
    OutgoingEmail.objects.create(
        to="maria.demo@example.org",
        subject="Kallelse",
        body="Välkommen till mötet.",
        purpose="meeting",
        person_label="coordination.client",
        person_id=str(client.pk),
        next_attempt_at=timezone.now(),
    )
    waiting = OutgoingEmail.objects.filter(person_id=str(client.pk), status="queued").count()
    assert waiting
    assert browser.post(reverse("portal:restrict"), {"confirmed": "on"}).status_code == 302
    assert not OutgoingEmail.objects.filter(person_id=str(client.pk), status="queued").exists()
    assert (
        OutgoingEmail.objects.filter(
            person_id=str(client.pk), last_error__startswith="withheld"
        ).count()
        == waiting
    )
    client.refresh_from_db()
    assert client.restricted_at is not None and client.restriction_source == "portal"
    assert AccessLog.objects.filter(
        person_id=str(client.pk), reason=f"{AuditEvent.RESTRICTION_REQUESTED} portal"
    ).exists()
    # She still signs in and reads her data, but adds nothing.
    assert browser.get(reverse("portal:plan")).status_code == 200
    started = browser.post(reverse("portal:worksheet_start", args=["ors"]))
    assert started.status_code in (302, 404)
    assert started.status_code == 404 or started["Location"] == reverse("portal:worksheets")
    # The care team sees it clearly, reads only with a reason, and changes nothing.
    team = as_(cast.case_manager)
    assert team.get(page("client", client)).status_code == 302
    assert client in clients_for(cast.case_manager)  # kept in the list, marked
    open_with_reason(team, client)
    shown = team.get(page("client", client)).content.decode()
    assert "Behandling begränsad" in shown or "Processing restricted" in shown
    assert team.post(page("summary", client), {"area": "x"}).status_code == 403
    # She lifts it herself.
    assert browser.post(reverse("portal:restriction_lift"), {}).status_code == 400
    assert browser.post(reverse("portal:restriction_lift"), {"confirmed": "on"}).status_code == 302
    client.refresh_from_db()
    assert client.restricted_at is None
    assert AccessLog.objects.filter(
        person_id=str(client.pk), reason=f"{AuditEvent.RESTRICTION_LIFTED} portal"
    ).exists()


def test_the_care_team_records_a_request_made_on_paper(cast):
    client = shared_client(cast)
    browser = as_(cast.case_manager)
    assert browser.get(page("restriction", client)).status_code == 200
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    for data in ({}, {"received_on": future, "confirmed": "on"}, {"received_on": "igår"}):
        assert browser.post(page("restrict", client), data).status_code == 400
    client.refresh_from_db()
    assert client.restricted_at is None
    today = timezone.localdate().isoformat()
    assert (
        browser.post(page("restrict", client), {"received_on": today, "confirmed": "on"})
    ).status_code == 302
    client.refresh_from_db()
    assert client.restriction_source == "paper"
    # Lifting needs the reason first, then the client's wish recorded.
    assert browser.post(page("restriction_lift", client), {"confirmed": "on"}).status_code == 302
    client.refresh_from_db()
    assert client.restricted_at is not None  # sent to the reason form, nothing lifted
    open_with_reason(browser, client)
    assert browser.post(page("restriction_lift", client), {}).status_code == 400
    assert browser.post(page("restriction_lift", client), {"confirmed": "on"}).status_code == 302
    client.refresh_from_db()
    assert client.restricted_at is None


def test_only_the_care_team_records_a_restriction(cast):
    client = shared_client(cast)
    for person in ("clinic_colleague", "auditor", "outsider_case_manager"):
        browser = as_(getattr(cast, person))
        data = {"received_on": timezone.localdate().isoformat(), "confirmed": "on"}
        assert browser.post(page("restrict", client), data).status_code == 404
    with pytest.raises(PermissionDenied):
        archive_services.restrict_processing(
            user=cast.clinic_colleague,
            client=client,
            by_client=True,
        )
    archive_services.restrict_processing(
        user=cast.case_manager, client=client, by_client=False, received_on=timezone.localdate()
    )
    with pytest.raises(ValidationError):
        archive_services.restrict_processing(
            user=cast.case_manager,
            client=client,
            by_client=False,
            received_on=timezone.localdate(),
        )


def test_the_answers_of_an_archived_client_are_read_with_the_reason_too(cast):
    world = _demo_world(cast)
    client = world.objects["client"]
    close(cast, client)
    response = (
        Response.objects.filter(subject_id=str(client.pk), status="submitted")
        .order_by("pk")
        .first()
    )
    browser = as_(cast.case_manager)
    url = reverse("instruments:response", args=[response.pk])
    assert browser.get(url).status_code == 404  # no reason given yet
    open_with_reason(browser, client)
    assert browser.get(url).status_code == 200
    row = (
        AccessLog.objects.filter(actor=cast.case_manager, object_id=str(response.pk))
        .order_by("id")
        .last()
    )
    assert row.reason == f"{AuditEvent.ARCHIVE_READ}: {REASON}"


def test_clients_closed_before_the_archive_are_archived_as_of_their_last_change(cast):
    import importlib

    migration = importlib.import_module(
        "egenmakt.coordination.migrations.0006_archive_closed_clients"
    )
    closed = new_client(cast, name="Gammal Avslutad")
    open_one = new_client(cast, name="Pågående Klient")
    Client.objects.filter(pk=closed.pk).update(phase=Phase.CLOSED, archived_at=None)
    migration.archive_closed(apps, None)
    closed.refresh_from_db()
    open_one.refresh_from_db()
    assert closed.archived_at == closed.updated_at
    assert open_one.archived_at is None
    migration.unarchive(apps, None)
    closed.refresh_from_db()
    assert closed.archived_at is None
