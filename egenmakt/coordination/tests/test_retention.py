"""Retention and erasure of archived records: the period per organisation (inherited,
with the written-out defaults), the daily erasure on a fixed clock, the anonymous counts,
and a dump of every table that holds none of the client's identifiers afterwards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from egenmakt.accounts.models import Membership, Organisation, OrganisationKind, User
from egenmakt.accounts.roles import Role
from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import AccessLog, Action
from egenmakt.coordination.models import (
    RETENTION_DEFAULTS,
    Basis,
    Client,
    Contact,
    ErasedClients,
    Phase,
    ResourceGroupMember,
    RetentionPolicy,
)
from egenmakt.coordination.services import archive as archive_services
from egenmakt.coordination.services import clients as clients_services
from egenmakt.coordination.services import retention
from egenmakt.demo.coordination import seed_demo_coordination
from egenmakt.demo.portal import seed_demo_portal
from egenmakt.instruments.models import Response
from egenmakt.outbox.models import OutgoingEmail
from egenmakt.portal.models import PortalAccount

from .factories import new_client

CLOSED_AT = datetime(2026, 3, 31, 9, 0, tzinfo=UTC)


def close(cast, client: Client, *, at: datetime = CLOSED_AT) -> Client:
    clients_services.change_phase(
        user=cast.case_manager, client=client, phase=Phase.CLOSED, reason="Målen är nådda."
    )
    Client.objects.filter(pk=client.pk).update(archived_at=at)
    client.refresh_from_db()
    return client


def every_row_as_text() -> str:
    """Every row of every model (the many-to-many tables too), as text: the test's own
    look at the whole database, independent of the job's check."""
    parts = []
    for model in apps.get_models(include_auto_created=True):
        names = [f.attname for f in model._meta.concrete_fields]
        for row in model._base_manager.values_list(*names):
            parts.append(repr(row))
    return "\n".join(parts).lower()


# --- The period --------------------------------------------------------------------------


def test_the_defaults_are_written_out_with_their_source_and_how_sure_they_are():
    region = RETENTION_DEFAULTS[OrganisationKind.REGION]
    municipality = RETENTION_DEFAULTS[OrganisationKind.MUNICIPALITY]
    network = RETENTION_DEFAULTS[OrganisationKind.USER_NETWORK]
    assert (region.years, region.basis) == (10, Basis.VERIFY)
    assert "3" in str(region.source) and "17" in str(region.source)
    assert (municipality.years, municipality.basis) == (5, Basis.VERIFY)
    assert "2025:400" in str(municipality.source)
    assert network.basis == Basis.INFERRED and "INFERRED" in str(network.source)
    assert set(RETENTION_DEFAULTS) == set(OrganisationKind.values)


def test_a_unit_without_its_own_period_has_its_principals_default(cast):
    assert retention.retention_for(cast.org("clinic")).years == 10
    assert retention.retention_for(cast.org("housing_support")).years == 5
    assert retention.retention_for(cast.org("user_org_a")).years == 2
    # A workplace under the region follows the region, not the workplace kind.
    assert retention.retention_for(cast.org("outpatient")).years == 10


def test_the_nearest_organisation_with_a_period_decides_for_the_units_below(cast):
    admin = _admin_of(cast, "region")
    retention.set_retention(user=admin, organisation=cast.org("region"), years=12, note="Beslut")
    assert retention.retention_for(cast.org("clinic")).years == 12
    retention.set_retention(user=admin, organisation=cast.org("clinic"), years=11)
    found = retention.retention_for(cast.org("clinic"))
    assert found.years == 11 and found.policy.organisation == cast.org("clinic")
    assert retention.retention_for(cast.org("outpatient")).years == 12
    assert retention.retention_for(cast.org("other_region")).years == 10
    periods = retention.retention_map({cast.org("clinic").pk, cast.org("outpatient").pk})
    assert periods[cast.org("clinic").pk].years == 11
    assert periods[cast.org("outpatient").pk].years == 12


def _admin_of(cast, key: str) -> User:
    user = User.objects.create_user(f"admin.{key}@example.org", None, full_name=f"Admin {key}")
    Membership.objects.create(user=user, organisation=cast.org(key), role=Role.ADMIN)
    return user


def test_only_the_organisations_administrator_sets_its_period(cast):
    with pytest.raises(PermissionDenied):
        retention.set_retention(user=cast.admin, organisation=cast.org("region"), years=3)
    with pytest.raises(PermissionDenied):
        retention.set_retention(user=cast.case_manager, organisation=cast.org("clinic"), years=3)
    admin = _admin_of(cast, "clinic")
    with pytest.raises(PermissionDenied):  # above her own unit
        retention.set_retention(user=admin, organisation=cast.org("region"), years=3)
    for years in (0, 51):
        with pytest.raises(ValidationError):
            retention.set_retention(user=admin, organisation=cast.org("clinic"), years=years)
    assert not RetentionPolicy.objects.exists()
    retention.set_retention(user=admin, organisation=cast.org("clinic"), years=4)
    assert AccessLog.objects.filter(
        actor=admin, reason=f"{AuditEvent.RETENTION_CHANGED} 4"
    ).exists()


# --- The erasure -------------------------------------------------------------------------


def _the_demo_client(cast) -> Client:
    """The demo's furthest client: network, plan, meetings held, resource group, answers,
    her own login, e-mails about her."""
    seed_demo_coordination(cast)
    account = seed_demo_portal(cast)
    return account.client


def test_erasure_after_the_period_leaves_no_identifier_in_any_table(cast):
    client = _the_demo_client(cast)
    portal_user = PortalAccount.objects.get(client=client).user
    identifiers = retention.client_identifiers(client)
    for value in (client.full_name, client.identity_number, client.phone, client.address):
        assert value in identifiers
    contact_names = list(Contact.objects.filter(client=client).values_list("name", flat=True))
    # A one-word name ("Maria") is no identifier alone; full names are searched.
    assert contact_names
    assert {n for n in contact_names if len(n.split()) > 1} <= set(identifiers)
    client_type = ContentType.objects.get_for_model(Client)
    assert Response.objects.filter(subject_type=client_type, subject_id=str(client.pk)).exists()
    assert OutgoingEmail.objects.filter(person_id=str(client.pk)).exists()
    close(cast, client)
    dump = every_row_as_text()
    assert client.full_name.lower() in dump  # the dump does see the client while kept

    day_before = CLOSED_AT.replace(year=2036) - timedelta(days=1)
    assert retention.erase_expired_clients(now=day_before) == 0
    assert Client.objects.filter(pk=client.pk).exists()

    assert retention.erase_expired_clients(now=CLOSED_AT.replace(year=2036)) == 1
    assert not Client.objects.filter(pk=client.pk).exists()
    assert not User.objects.filter(pk=portal_user.pk).exists()
    dump = every_row_as_text()
    left = [value for value in identifiers if value.lower() in dump]
    assert not left, f"Identifiers left after erasure: {left}"
    assert retention.leftover_identifiers(identifiers) == []
    assert not Contact.objects.filter(client_id=client.pk).exists()
    assert not Response.objects.filter(subject_type=client_type, subject_id=str(client.pk)).exists()
    assert not OutgoingEmail.objects.filter(person_id=str(client.pk)).exists()
    counts = ErasedClients.objects.get(organisation=cast.org("clinic"), closing_year=2026)
    assert (counts.clients, counts.reached_plan) == (1, 1)
    assert counts.meetings_held >= 1
    row = AccessLog.objects.get(action=Action.DELETE, reason=AuditEvent.CLIENT_ERASED)
    assert row.person_id == str(client.pk) and row.actor_id is None


def test_the_check_finds_an_identifier_left_behind_and_the_erasure_is_not_counted(cast):
    client = close(cast, new_client(cast, name="Tyra Kvarlämnadsson", phone="0709-11 22 33"))
    # A typed reason that names her stays in the log: the check must see it.
    archive_services.open_sealed_record(
        user=cast.case_manager, client=client, reason="Frågan gäller Tyra Kvarlämnadsson."
    )
    assert retention.erase_expired_clients(now=CLOSED_AT.replace(year=2037)) == 0
    assert not Client.objects.filter(pk=client.pk).exists()
    incomplete = AccessLog.objects.get(reason__startswith=AuditEvent.CLIENT_ERASURE_INCOMPLETE)
    assert "audit_accesslog" in incomplete.reason
    assert "Tyra" not in incomplete.reason
    assert retention.leftover_identifiers(["Tyra Kvarlämnadsson"]) == ["audit_accesslog.reason"]


def test_the_check_reads_json_columns_in_any_case(cast):
    client = new_client(cast, name="Örjan Jsonsson")
    Response.objects.create(
        definition_id=Response.objects.values_list("definition_id", flat=True).first()
        or _a_definition(),
        subject_type=ContentType.objects.get_for_model(Client),
        subject_id=str(client.pk),
        entered_by=cast.case_manager,
        answers={"note": "ringde ÖRJAN JSONSSON i går"},
    )
    assert "instruments_response.answers" in retention.leftover_identifiers(["örjan jsonsson"])


def _a_definition() -> int:
    from egenmakt.coordination.tests.factories import ensure_instruments
    from egenmakt.instruments.models import InstrumentDefinition

    ensure_instruments()
    return InstrumentDefinition.objects.values_list("pk", flat=True).first()


def test_restricted_and_open_clients_are_not_erased(cast):
    restricted = close(cast, new_client(cast, name="Rut Begränsdotter"))
    archive_services.restrict_processing(
        user=cast.case_manager,
        client=restricted,
        by_client=False,
        received_on=CLOSED_AT.date(),
    )
    still_open = new_client(cast, name="Olle Öppen")
    later = CLOSED_AT.replace(year=2050)
    assert retention.erase_expired_clients(now=later) == 0
    assert Client.objects.filter(pk__in=[restricted.pk, still_open.pk]).count() == 2
    with pytest.raises(retention.ErasureRefusedError):
        retention.erase_client(restricted, now=later)


def test_each_organisation_waits_for_its_own_period(cast):
    admin = _admin_of(cast, "clinic")
    retention.set_retention(user=admin, organisation=cast.org("clinic"), years=1)
    client = close(cast, new_client(cast, name="Frans Ettårsson"))
    assert retention.erase_expired_clients(now=CLOSED_AT + timedelta(days=364)) == 0
    assert retention.erase_expired_clients(now=CLOSED_AT.replace(year=2027)) == 1
    assert not Client.objects.filter(pk=client.pk).exists()
    counts = ErasedClients.objects.get(organisation=cast.org("clinic"), closing_year=2026)
    assert (counts.clients, counts.reached_plan, counts.meetings_held) == (1, 0, 0)


def test_the_command_runs_the_job(cast):
    out = StringIO()
    call_command("erase_expired_clients", "--now", stdout=out)
    assert "Erased 0 client records." in out.getvalue()
    call_command("erase_expired_clients", stdout=out)
    assert "Queued" in out.getvalue()


def test_an_erased_clients_group_member_who_is_staff_keeps_their_name(cast):
    client = _the_demo_client(cast)
    staff = ResourceGroupMember.objects.filter(client=client, user__isnull=False).first()
    identifiers = retention.client_identifiers(client)
    if staff is not None:
        assert staff.name not in identifiers
    assert Organisation.objects.filter(pk=client.organisation_id).exists()


# --- The administrator's page -------------------------------------------------------------


def test_the_administrator_sets_the_period_on_the_page(cast, client):
    from django.urls import reverse

    from egenmakt.conftest import sign_in

    admin = _admin_of(cast, "region")
    sign_in(client, admin)
    listing = client.get(reverse("coordination:retention")).content.decode()
    assert "Psykiatrimottagning Centrum" in listing and "Patientdatalagen" in listing
    assert "Gallring av avslutade ärenden" in listing
    assert "Brukarnätverket" not in listing  # not hers
    edit = reverse("coordination:retention_edit", args=[cast.org("clinic").pk])
    save = reverse("coordination:retention_save", args=[cast.org("clinic").pk])
    assert client.get(edit).status_code == 200
    for bad in ({"years": "0"}, {"years": "51"}, {"years": "tio"}, {}):
        assert client.post(save, bad).status_code == 400
    assert not RetentionPolicy.objects.exists()
    response = client.post(save, {"years": "12", "note": "Regionens beslut 2026:14"})
    assert response.status_code == 302
    row = RetentionPolicy.objects.get(organisation=cast.org("clinic"))
    assert (row.years, row.note, row.updated_by) == (12, "Regionens beslut 2026:14", admin)
    # In English too.
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("coordination:retention")).content.decode()
    assert "Retention of closed records" in english and "Patient Data Act" in english


def test_the_page_is_the_administrators_own_tree(cast, client):
    from django.urls import reverse

    from egenmakt.conftest import sign_in

    admin = _admin_of(cast, "clinic")
    sign_in(client, admin)
    region = cast.org("region").pk
    assert client.get(reverse("coordination:retention_edit", args=[region])).status_code == 404
    assert (
        client.post(reverse("coordination:retention_save", args=[region]), {"years": "3"})
    ).status_code == 404
    sign_in(client, cast.case_manager)
    assert client.get(reverse("coordination:retention")).status_code == 403
    assert not RetentionPolicy.objects.exists()


def test_the_retention_page_costs_the_same_with_few_and_many_units(
    cast, client, django_assert_max_num_queries
):
    from django.urls import reverse

    from egenmakt.conftest import sign_in

    admin = _admin_of(cast, "region")
    sign_in(client, admin)
    url = reverse("coordination:retention")
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for index in range(15):
        unit = Organisation.objects.create(
            name=f"Enhet {index}", kind=OrganisationKind.REGION, parent=cast.org("clinic")
        )
        if index % 3 == 0:
            retention.set_retention(user=admin, organisation=unit, years=3 + index)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert "Enhet 14" in page


def test_a_record_that_cannot_be_erased_does_not_stop_the_others(cast):
    from unittest import mock

    from django.db.models import ProtectedError

    stuck = close(cast, new_client(cast, name="Stina Fastsson"))
    gone = close(
        cast,
        new_client(cast, name="Gunnar Borttagen", phone="0708-12 12 12", address="Gränd 9"),
    )
    real = retention.erase_client

    def erase(client, *, now=None):
        if client.pk == stuck.pk:
            raise ProtectedError("kept elsewhere", set())
        real(client, now=now)

    with mock.patch.object(retention, "erase_client", side_effect=erase):
        assert retention.erase_expired_clients(now=CLOSED_AT.replace(year=2040)) == 1
    assert Client.objects.filter(pk=stuck.pk).exists()
    assert not Client.objects.filter(pk=gone.pk).exists()
