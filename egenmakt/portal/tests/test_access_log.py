"""Who has read my record: the client's extract is exactly the access-log rows about
them, one to one, nothing left out (PDL 8 kap. 5 §; security.md L4)."""

from __future__ import annotations

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from egenmakt.audit.models import AccessLog
from egenmakt.audit.services import grant_emergency_access
from egenmakt.coordination.models import Client

from .factories import as_client, as_staff, invited_client

pytestmark = pytest.mark.django_db


def rows_about(client: Client) -> list[int]:
    return list(
        AccessLog.objects.filter(
            person_type=ContentType.objects.get_for_model(Client), person_id=str(client.pk)
        )
        .order_by("-occurred_at", "-id")
        .values_list("pk", flat=True)
    )


def test_the_extract_is_every_access_log_row_about_the_client(cast, rf):
    client, account = invited_client(cast)
    staff = as_staff(cast.case_manager)
    staff.get(reverse("coordination:client", args=[client.pk]))
    staff.get(reverse("coordination:plan", args=[client.pk]))
    as_staff(cast.municipal_case_manager).get(reverse("coordination:client", args=[client.pk]))
    grant_emergency_access(
        actor=cast.clinic_colleague, person=client, reason="Ringde akut, behövde varningsplanen"
    )
    browser = as_client(account)
    browser.get(reverse("portal:plan"))
    # Rows about another client stay out.
    other, _other_account = invited_client(cast, name="Alex Lund", email="alex@example.org")
    staff.get(reverse("coordination:client", args=[other.pk]))

    # First the others' reads, the client's own visits left out; one link shows them all.
    first = browser.get(reverse("portal:access_log"))
    others = [
        pk for pk in rows_about(client) if AccessLog.objects.get(pk=pk).actor_id != account.user.pk
    ]
    assert [row.pk for row in first.context["rows"]] == others
    assert "Visa mina egna besök också" in first.content.decode()
    page = browser.get(reverse("portal:access_log") + "?egna=1")
    assert page.status_code == 200
    expected = rows_about(client)
    assert [row.pk for row in page.context["rows"]] == expected
    html = page.content.decode()
    assert [int(i) for i in re.findall(r'data-log-id="(\d+)"', html)] == expected
    # The reading of this page is in it, as the newest row.
    newest = AccessLog.objects.get(pk=expected[0])
    assert newest.actor_id == account.user.pk and newest.path == reverse("portal:access_log")
    assert "Nödåtkomst" in html and "Ringde akut, behövde varningsplanen" in html
    assert cast.clinic_colleague.full_name in html
    assert cast.municipal_case_manager.full_name in html
    assert "Socialpsykiatrin Västerhav" in html
    assert "<strong>Du</strong>" in html


def test_every_portal_page_writes_a_row(cast):
    client, account = invited_client(cast)
    browser = as_client(account)
    for name in ("portal:start", "portal:plan", "portal:warning_plan", "portal:worksheets"):
        before = len(rows_about(client))
        assert browser.get(reverse(name)).status_code == 200
        row = AccessLog.objects.get(pk=rows_about(client)[0])
        assert len(rows_about(client)) == before + 1, name
        assert row.actor_id == account.user.pk and row.reason.startswith("portal:")


def test_the_extract_page_runs_the_same_queries_however_long_the_log(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, account = invited_client(cast)
    browser = as_client(account)
    url = reverse("portal:access_log") + "?egna=1"
    browser.get(url)
    with CaptureQueriesContext(connection) as few:
        browser.get(url)
    staff = as_staff(cast.case_manager)
    for _ in range(30):
        staff.get(reverse("coordination:client", args=[client.pk]))
    with CaptureQueriesContext(connection) as many:
        page = browser.get(url)
    assert len(page.context["rows"]) > 30
    assert len(many) == len(few)


def test_the_auditor_finds_the_clients_own_reads(cast):
    from egenmakt.audit.selectors import access_log_for_auditor

    _client, account = invited_client(cast)
    as_client(account).get(reverse("portal:plan"))
    own = AccessLog.objects.filter(actor=account.user)
    assert own.exists()
    region = access_log_for_auditor(cast.auditor)
    assert set(own.values_list("pk", flat=True)) <= set(region.values_list("pk", flat=True))
    outsider = access_log_for_auditor(cast.outsider_auditor)
    assert not outsider.filter(actor=account.user).exists()
