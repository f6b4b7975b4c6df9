"""The admin shows the access log and the change trail but can neither add, change nor delete."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.test import RequestFactory

from egenmakt.accounts.models import User
from egenmakt.audit.models import AccessLog
from egenmakt.audit.services import log_access


@pytest.fixture
def superuser(cast):
    # A superuser holds every permission, so only the admin classes themselves can refuse.
    return User.objects.create_superuser("root@egenmakt.example", "x", full_name="Root Admin")


@pytest.fixture
def entries(cast):
    access = log_access(actor=cast.case_manager, person=cast.peer_supporter)
    cast.case_manager.full_name = "Renamed For The Trail"
    cast.case_manager.save()
    trail = LogEntry.objects.get_for_object(cast.case_manager).latest("timestamp")
    return {"accesslog": access, "logentry": trail}


@pytest.mark.parametrize("model", [AccessLog, LogEntry])
def test_admin_grants_no_add_change_or_delete(superuser, model):
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = superuser
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert "delete_selected" not in model_admin.get_actions(request)


@pytest.mark.parametrize(("app", "model"), [("audit", "accesslog"), ("auditlog", "logentry")])
def test_admin_pages_refuse_writes_even_for_a_superuser(signed_in, superuser, entries, app, model):
    client = signed_in(superuser)
    pk = entries[model].pk
    base = f"/admin/{app}/{model}/"

    assert client.get(base).status_code == 200
    detail = client.get(f"{base}{pk}/change/")
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content
    assert client.get(f"{base}add/").status_code == 403
    assert client.post(f"{base}add/", {}).status_code == 403
    assert client.post(f"{base}{pk}/change/", {"reason": "x"}).status_code == 403
    assert client.get(f"{base}{pk}/delete/").status_code == 403
    assert client.post(f"{base}{pk}/delete/", {"post": "yes"}).status_code == 403
    changelist_delete = client.post(base, {"action": "delete_selected", "_selected_action": [pk]})
    assert changelist_delete.status_code in (200, 302)

    model_class = AccessLog if model == "accesslog" else LogEntry
    assert model_class.objects.filter(pk=pk).exists()
    if model == "accesslog":
        assert AccessLog.objects.get(pk=pk).reason == ""
