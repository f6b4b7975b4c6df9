"""The platform operators' reads in Django's admin are logged like anyone's (finding 8)."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError

from egenmakt.accounts.models import Membership, Organisation, User
from egenmakt.audit import middleware
from egenmakt.audit.models import AccessLog, Action


@pytest.fixture
def operator(cast):
    return User.objects.create_superuser("root@egenmakt.example", "x", full_name="Root Operator")


@pytest.fixture
def admin_client(signed_in, operator):
    return signed_in(operator)


def _written_by(operator, since):
    return list(AccessLog.objects.filter(actor=operator, pk__gt=since).order_by("id"))


def _last_id():
    latest = AccessLog.objects.order_by("-id").first()
    return latest.pk if latest else 0


def test_the_user_list_logs_every_user_on_the_page(cast, operator, admin_client):
    since = _last_id()
    response = admin_client.get("/admin/accounts/user/")
    assert response.status_code == 200
    shown = {str(user.pk) for user in response.context["cl"].result_list}
    rows = _written_by(operator, since)
    user_type = ContentType.objects.get_for_model(User)
    assert {row.person_id for row in rows} == shown
    assert cast.case_manager.pk in {int(pk) for pk in shown}
    assert {(r.action, r.person_type, r.path, r.reason) for r in rows} == {
        (Action.VIEW, user_type, "/admin/accounts/user/", "admin: accounts.user list")
    }


def test_a_search_in_the_user_list_logs_only_whom_it_found(cast, operator, admin_client):
    since = _last_id()
    response = admin_client.get("/admin/accounts/user/", {"q": cast.case_manager.full_name})
    rows = _written_by(operator, since)
    assert [row.person_id for row in rows] == [str(cast.case_manager.pk)]
    assert [u.pk for u in response.context["cl"].result_list] == [cast.case_manager.pk]
    assert rows[0].path == "/admin/accounts/user/"  # The search term stays out of the log.


def test_a_user_page_logs_that_user(cast, operator, admin_client):
    for page in ("change", "history"):
        since = _last_id()
        path = f"/admin/accounts/user/{cast.case_manager.pk}/{page}/"
        assert admin_client.get(path).status_code == 200
        [row] = _written_by(operator, since)
        assert (row.action, row.path, row.reason) == (
            Action.VIEW,
            path,
            f"admin: accounts.user {page}",
        )
        assert row.person_type == ContentType.objects.get_for_model(User)
        assert row.person_id == str(cast.case_manager.pk)
        assert row.object_id == str(cast.case_manager.pk)


def test_the_membership_list_logs_the_members_it_names(cast, operator, admin_client):
    since = _last_id()
    response = admin_client.get("/admin/accounts/membership/")
    members = {str(m.user_id) for m in response.context["cl"].result_list}
    assert str(cast.auditor.pk) in members
    assert {row.person_id for row in _written_by(operator, since)} == members


def test_an_organisation_page_names_nobody_but_is_logged(cast, operator, admin_client):
    region = cast.org("region")
    since = _last_id()
    admin_client.get(f"/admin/accounts/organisation/{region.pk}/change/")
    [row] = _written_by(operator, since)
    assert row.person_type is None
    assert (row.object_type, row.object_id) == (
        ContentType.objects.get_for_model(Organisation),
        str(region.pk),
    )


def test_the_access_log_in_the_admin_logs_whose_rows_it_shows(cast, operator, admin_client):
    from egenmakt.audit.services import log_access

    log_access(actor=cast.case_manager, person=cast.peer_supporter)
    since = _last_id()
    admin_client.get("/admin/audit/accesslog/")
    people = {row.person_id for row in _written_by(operator, since)}
    # The reader and the person read, both named on the page.
    assert {str(cast.case_manager.pk), str(cast.peer_supporter.pk)} <= people


def test_the_admin_start_page_shows_no_one_and_writes_nothing(operator, admin_client):
    since = _last_id()
    assert admin_client.get("/admin/").status_code == 200
    assert _written_by(operator, since) == []


def test_an_admin_page_is_not_shown_when_its_read_cannot_be_logged(cast, admin_client, monkeypatch):
    def broken(**kwargs):
        raise DatabaseError("log unavailable")

    monkeypatch.setattr(middleware, "log_list_access", broken)
    with pytest.raises(DatabaseError):
        admin_client.get(f"/admin/accounts/user/{cast.case_manager.pk}/change/")
    assert Membership.objects.exists()  # The cast is intact; only the page was refused.
