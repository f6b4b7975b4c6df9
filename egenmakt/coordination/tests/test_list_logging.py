"""The client list and the start page's meetings panel log each client they name.

PDL 4 kap. 3 §, HSLF-FS 2016:40 4 kap. 9 §: the log shows whose data each user took part
of, and the client's own extract (4 kap. 10 §) is read from the person column, so a list
that names a client must leave a row with that client on it.
"""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from egenmakt.accounts.models import Membership
from egenmakt.accounts.roles import Role
from egenmakt.audit.models import AccessLog, Action
from egenmakt.coordination.access import forget_client_access
from egenmakt.coordination.models import Client, Phase
from egenmakt.coordination.services import clients as services

from .factories import new_client, shared_client

pytestmark = pytest.mark.django_db

LIST = "/samordning/"


def _last_id() -> int:
    latest = AccessLog.objects.order_by("-id").first()
    return latest.pk if latest else 0


def _clients_logged(actor, since, path):
    rows = AccessLog.objects.filter(actor=actor, pk__gt=since, path=path)
    assert rows.exists() and {row.action for row in rows} == {Action.VIEW}
    client_type = ContentType.objects.get_for_model(Client)
    return {int(row.person_id) for row in rows if row.person_type == client_type}


def test_client_list_logs_each_client_on_the_page(cast, signed_in):
    clients = [new_client(cast, name=f"Klient Nummer{i}") for i in range(3)]
    browser = signed_in(cast.case_manager)
    since = _last_id()
    response = browser.get(LIST)
    shown = {c.pk for c in response.context["clients"]}
    assert shown >= {c.pk for c in clients}
    assert _clients_logged(cast.case_manager, since, LIST) == shown


def test_a_search_of_the_client_list_logs_only_whom_it_found(cast, signed_in):
    found = new_client(cast, name="Sigrid Sökbar")
    new_client(cast, name="Otto Annan")
    browser = signed_in(cast.case_manager)
    since = _last_id()
    response = browser.post(LIST, {"q": "Sökbar"})
    assert [c.pk for c in response.context["clients"]] == [found.pk]
    assert _clients_logged(cast.case_manager, since, LIST) == {found.pk}
    # The search term reaches neither the path nor the reason.
    assert not AccessLog.objects.filter(pk__gt=since, reason__icontains="Sökbar").exists()


def test_a_user_with_no_clients_still_leaves_one_row_without_a_person(cast, signed_in):
    browser = signed_in(cast.outsider_case_manager)
    since = _last_id()
    assert browser.get(LIST).status_code == 200
    rows = AccessLog.objects.filter(actor=cast.outsider_case_manager, pk__gt=since, path=LIST)
    assert [(row.person_type, row.reason) for row in rows] == [(None, "client list")]


def test_the_start_pages_meetings_panel_logs_the_clients_it_names(cast, signed_in):
    clients = [shared_client(cast, name=f"Utan Möte{i}") for i in range(2)]
    for client in clients:
        services.change_phase(
            user=cast.case_manager, client=client, phase=Phase.PLANNING, reason="Test."
        )
    forget_client_access(cast.case_manager)
    browser = signed_in(cast.case_manager)
    start = "/roll/vardsamordnare/"
    since = _last_id()
    assert browser.get(start).status_code == 200
    assert _clients_logged(cast.case_manager, since, start) == {c.pk for c in clients}


def test_an_emergency_search_that_names_several_records_logs_each_as_an_emergency(cast, signed_in):
    here = new_client(cast, name="Saga Samma")
    # The same number at another unit of the same region (the glass breaks only under the
    # user's own principal, so a municipal record would not be found).
    Membership.objects.create(
        user=cast.municipal_case_manager,
        organisation=cast.org("outpatient"),
        role=Role.CASE_MANAGER,
    )
    there = services.register_client(
        user=cast.municipal_case_manager,
        organisation=cast.org("outpatient"),
        identity_number=here.identity.display,
        data={"full_name": "Saga Samma", "started_on": here.started_on},
    )
    browser = signed_in(cast.clinic_colleague)
    path = "/samordning/nodatkomst/"
    since = _last_id()
    response = browser.post(
        path, {"identity_number": here.identity.display, "reason": "Klienten är här i kris nu"}
    )
    assert {c.pk for c in response.context["matches"]} == {here.pk, there.pk}
    rows = AccessLog.objects.filter(actor=cast.clinic_colleague, pk__gt=since, path=path)
    assert {int(row.person_id) for row in rows} == {here.pk, there.pk}
    assert all(row.emergency for row in rows)
