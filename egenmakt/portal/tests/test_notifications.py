"""The client's notifications page: the number the care team keeps, a channel per kind."""

from __future__ import annotations

import pytest
from django.urls import reverse

from egenmakt.audit.models import AccessLog
from egenmakt.outbox.models import NotificationPreference

from .factories import as_client, as_staff, invited_client

pytestmark = pytest.mark.django_db

URL = reverse("portal:notifications")
SAVE = reverse("portal:notifications_save")


def test_without_a_number_sms_cannot_be_chosen(cast):
    client, account = invited_client(cast)
    client.phone = ""
    client.save(update_fields=["phone"])
    browser = as_client(account)
    page = browser.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="sms"' not in html and 'value="email"' in html
    assert AccessLog.objects.filter(actor=account.user, reason="portal: notifications").exists()
    assert browser.post(SAVE, {"kind_meeting_reminder": "sms"}).status_code == 400
    assert not NotificationPreference.objects.filter(user=account.user).exists()


def test_with_a_number_the_client_chooses_sms(cast):
    client, account = invited_client(cast)
    client.phone = "070-765 43 21"
    client.save(update_fields=["phone"])
    browser = as_client(account)
    html = browser.get(URL).content.decode()
    assert "+46707654321" in html and 'value="sms"' in html
    from egenmakt.outbox.notify import notification_kinds

    data = {f"kind_{k.key}": "email" for k in notification_kinds("client")}
    assert browser.post(SAVE, {**data, "kind_meeting_reminder": "sms"}).status_code == 302
    row = NotificationPreference.objects.get(user=account.user, kind="meeting_reminder")
    assert row.channel == "sms"


def test_bad_input_is_400(cast):
    _client, account = invited_client(cast)
    response = as_client(account).post(SAVE, {"kind_meeting_reminder": "pigeon"})
    assert response.status_code == 400
    assert not NotificationPreference.objects.exists()


def test_staff_do_not_reach_the_clients_page(cast):
    invited_client(cast)
    assert as_staff(cast.case_manager).get(URL).status_code == 404
