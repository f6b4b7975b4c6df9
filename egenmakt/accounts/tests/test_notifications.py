"""The staff member's notifications page: a mobile number and a channel per kind."""

from __future__ import annotations

import pytest
from django.urls import reverse

from egenmakt.outbox.models import NotificationPreference

pytestmark = pytest.mark.django_db

URL = reverse("accounts:notifications")
SAVE = reverse("accounts:notifications_save")


def test_the_page_shows_the_kinds_and_is_linked_from_my_data(client, cast, signed_in):
    signed_in(cast.case_manager)
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="kind_course_reminder"' in html and 'name="phone"' in html
    assert URL in client.get(reverse("accounts:my_data")).content.decode()


def _all(**choices: str) -> dict[str, str]:
    """Every kind on the page at its default, with ``choices`` changed."""
    from egenmakt.outbox.notify import notification_kinds

    kinds = {k.key for k in notification_kinds("staff")}
    return {f"kind_{key}": choices.get(key, "email") for key in kinds}


def test_choices_and_number_are_saved(client, cast, signed_in):
    signed_in(cast.case_manager)
    response = client.post(SAVE, {"phone": "070-123 45 67", **_all(course_reminder="sms")})
    assert response.status_code == 302
    cast.case_manager.refresh_from_db()
    assert cast.case_manager.phone == "+46701234567"
    pref = NotificationPreference.objects.get(user=cast.case_manager, kind="course_reminder")
    assert (pref.kind, pref.channel) == ("course_reminder", "sms")
    # Saved again: one row per kind, replaced.
    client.post(SAVE, {"phone": "", **_all(course_reminder="none")})
    row = NotificationPreference.objects.get(user=cast.case_manager, kind="course_reminder")
    assert row.channel == "none"


@pytest.mark.parametrize(
    "data",
    [
        {"phone": "ring mig", "kind_course_reminder": "email"},
        {"phone": "", "kind_course_reminder": "sms"},
        {"phone": "0701234567", "kind_course_reminder": "pigeon"},
        {"phone": "0701234567"},
    ],
)
def test_bad_input_is_400_and_nothing_is_saved(client, cast, signed_in, data):
    signed_in(cast.case_manager)
    response = client.post(SAVE, data)
    assert response.status_code == 400
    assert 'name="kind_course_reminder"' in response.content.decode()
    cast.case_manager.refresh_from_db()
    assert cast.case_manager.phone == ""
    assert not NotificationPreference.objects.filter(user=cast.case_manager).exists()


def test_get_only_and_post_only(client, cast, signed_in):
    signed_in(cast.case_manager)
    assert client.post(URL).status_code == 405
    assert client.get(SAVE).status_code == 405
