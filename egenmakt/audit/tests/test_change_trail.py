"""django-auditlog keeps the change trail of people, organisations and memberships.

Changes made through the admin carry the actor; passwords never reach the trail. Django's
admin is the platform operators' (superusers'); administrators of an organisation work in the
app's own administration pages, whose trail is tested in accounts/tests/test_administration.py.
"""

from __future__ import annotations

import json

import pytest
from auditlog.models import LogEntry

from egenmakt.accounts.models import Membership, Organisation, OrganisationKind, User
from egenmakt.accounts.roles import Role

NEW_PASSWORD = "Ett-helt-nytt-losenord-2026"
# The user admin has a membership inline; an empty one still needs its management form.
NO_MEMBERSHIPS = {
    "memberships-TOTAL_FORMS": "0",
    "memberships-INITIAL_FORMS": "0",
    "memberships-MIN_NUM_FORMS": "0",
    "memberships-MAX_NUM_FORMS": "1000",
}


@pytest.fixture
def operator(db):
    return User.objects.create_superuser(
        "drift@egenmakt.example", "Drift-losenord-2026", full_name="Drift Operatör"
    )


@pytest.fixture
def admin_client(cast, signed_in, operator):
    """A platform operator: only superusers reach Django's admin."""
    return signed_in(operator)


def _trail_text():
    return json.dumps(list(LogEntry.objects.values()), default=str)


def test_admin_changing_a_membership_is_in_the_trail_with_the_actor(cast, admin_client, operator):
    membership = Membership.objects.get(user=cast.lecturer, role=Role.LECTURER)
    response = admin_client.post(
        f"/admin/accounts/membership/{membership.pk}/change/",
        {
            "user": cast.lecturer.pk,
            "organisation": cast.org("user_org_b").pk,
            "role": Role.COURSE_LEADER,
            "_save": "Save",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    entry = LogEntry.objects.get_for_object(membership).latest("timestamp")
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == operator
    changes = entry.changes_dict
    assert changes["role"] == [Role.LECTURER, Role.COURSE_LEADER]
    assert "organisation" in changes


def test_admin_creating_and_deleting_a_membership_is_in_the_trail(cast, admin_client, operator):
    response = admin_client.post(
        "/admin/accounts/membership/add/",
        {"user": cast.lecturer.pk, "organisation": cast.org("network").pk, "role": "supervisor"},
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=cast.lecturer, role=Role.SUPERVISOR)
    pk = membership.pk

    response = admin_client.post(f"/admin/accounts/membership/{pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=pk).exists()

    entries = LogEntry.objects.filter(
        content_type__app_label="accounts", content_type__model="membership", object_pk=str(pk)
    )
    actions = {entry.action: entry.actor for entry in entries}
    assert actions == {LogEntry.Action.CREATE: operator, LogEntry.Action.DELETE: operator}


def test_changes_to_users_and_organisations_are_in_the_trail(cast, admin_client, operator):
    organisation = Organisation.objects.create(
        name="Ny enhet", kind=OrganisationKind.WORKPLACE, parent=cast.org("clinic")
    )
    created = LogEntry.objects.get_for_object(organisation).get(action=LogEntry.Action.CREATE)
    assert created.actor is None  # Not through a request: no actor to record.

    response = admin_client.post(
        f"/admin/accounts/user/{cast.lecturer.pk}/change/",
        {
            "email": cast.lecturer.email,
            "full_name": "Nytt Namn",
            "preferred_language": "sv",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            **NO_MEMBERSHIPS,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = LogEntry.objects.get_for_object(cast.lecturer).latest("timestamp")
    assert entry.actor == operator
    assert entry.changes_dict["full_name"][1] == "Nytt Namn"


def test_passwords_never_reach_the_trail(cast, admin_client, operator):
    """ASVS 16.2.5: neither a new user's password nor a changed one, plain or hashed."""
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "ny.person@egenmakt.example",
            "full_name": "Ny Person",
            "usable_password": "true",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            **NO_MEMBERSHIPS,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(email="ny.person@egenmakt.example")
    assert LogEntry.objects.get_for_object(user).filter(actor=operator).exists()

    response = admin_client.post(
        f"/admin/accounts/user/{cast.lecturer.pk}/password/",
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    cast.lecturer.refresh_from_db()
    assert cast.lecturer.check_password(NEW_PASSWORD)

    trail = _trail_text()
    for secret in (NEW_PASSWORD, user.password, cast.lecturer.password, "md5$", "pbkdf2"):
        assert secret not in trail
    for entry in LogEntry.objects.filter(content_type__model="user"):
        assert "password" not in (entry.changes_dict or {})
        assert "last_login" not in (entry.changes_dict or {})


def test_change_trail_address_is_the_connection_not_a_forwarded_header(
    cast, admin_client, operator
):
    """X-Forwarded-For is whatever the client sends; the trail keeps the peer address."""
    membership = Membership.objects.get(user=cast.lecturer, role=Role.LECTURER)
    admin_client.post(
        f"/admin/accounts/membership/{membership.pk}/change/",
        {
            "user": cast.lecturer.pk,
            "organisation": membership.organisation_id,
            "role": "supervisor",
        },
        HTTP_X_FORWARDED_FOR="203.0.113.66",
        REMOTE_ADDR="192.0.2.5",
    )
    entry = LogEntry.objects.get_for_object(membership).latest("timestamp")
    assert entry.remote_addr == "192.0.2.5"
