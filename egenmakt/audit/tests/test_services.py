"""log_access writes one complete row, keeps identifiers only, and fails closed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError
from django.test import RequestFactory
from django.utils import timezone, translation

from egenmakt.accounts.models import Membership
from egenmakt.audit.models import AccessLog, Action, Outcome
from egenmakt.audit.services import log_access, log_denied


def _request(user, path="/klient/7/", ip="192.0.2.10"):
    request = RequestFactory().get(path, REMOTE_ADDR=ip)
    request.user = user
    return request


def test_log_access_records_who_whose_what_action_when_where_and_why(cast):
    membership = Membership.objects.filter(user=cast.coordinator).first()
    before = timezone.now()
    row = log_access(
        request=_request(cast.case_manager),
        action=Action.CHANGE,
        person=cast.peer_supporter,
        obj=membership,
        organisation=cast.org("clinic"),
        reason="Planning meeting",
    )

    stored = AccessLog.objects.get(pk=row.pk)
    assert stored.actor == cast.case_manager
    assert stored.person_type == ContentType.objects.get_for_model(cast.peer_supporter)
    assert stored.person_id == str(cast.peer_supporter.pk)
    assert stored.object_type == ContentType.objects.get_for_model(Membership)
    assert stored.object_id == str(membership.pk)
    assert stored.action == Action.CHANGE
    assert stored.outcome == Outcome.ALLOWED
    assert stored.organisation == cast.org("clinic")
    assert stored.reason == "Planning meeting"
    assert stored.ip_address == "192.0.2.10"
    assert stored.path == "/klient/7/"
    assert before - timedelta(seconds=1) <= stored.occurred_at <= timezone.now()


def test_log_access_writes_exactly_one_row(cast):
    count = AccessLog.objects.count()
    log_access(request=_request(cast.case_manager), person=cast.peer_supporter)
    assert AccessLog.objects.count() == count + 1


@pytest.mark.parametrize("action", Action.values)
def test_every_action_can_be_logged(cast, action):
    row = log_access(actor=cast.case_manager, action=action, person=cast.peer_supporter)
    assert AccessLog.objects.get(pk=row.pk).get_action_display() == Action(action).label


def test_time_is_stored_as_aware_utc(cast):
    row = log_access(actor=cast.case_manager)
    stored = AccessLog.objects.get(pk=row.pk)
    assert timezone.is_aware(stored.occurred_at)
    assert stored.occurred_at.utcoffset() == timedelta(0)


def test_the_caller_cannot_backdate_a_row(cast):
    row = AccessLog(actor=cast.case_manager, action=Action.VIEW)
    row.occurred_at = timezone.now() - timedelta(days=3000)
    row.save()
    assert AccessLog.objects.get(pk=row.pk).occurred_at > timezone.now() - timedelta(minutes=1)


def test_query_string_never_reaches_the_log(cast):
    row = log_access(request=_request(cast.case_manager, path="/sok/?q=19121212-1212&namn=Anna"))
    assert row.path == "/sok/"
    assert "1912" not in AccessLog.objects.get(pk=row.pk).path


def test_only_identifiers_of_the_person_are_stored(cast):
    """ASVS 16.2.5: no name or e-mail of whose data it was is copied into the row."""
    person = cast.peer_supporter
    row = log_access(actor=cast.case_manager, person=person)
    values = AccessLog.objects.filter(pk=row.pk).values().get()
    stored = " ".join(str(value) for value in values.values())
    assert person.full_name not in stored
    assert person.email not in stored
    assert not any(f.name.endswith(("name", "email", "label")) for f in AccessLog._meta.fields)


def test_person_label_is_built_from_the_kind_and_id_when_shown(cast):
    row = log_access(actor=cast.case_manager, person=cast.peer_supporter)
    with translation.override("en"):
        assert row.person_kind == "User"
        assert row.person_label == f"User #{cast.peer_supporter.pk}"
    with translation.override("sv"):
        assert row.person_label == f"Användare #{cast.peer_supporter.pk}"
    assert log_access(actor=cast.case_manager).person_label == ""


def test_actor_defaults_to_the_signed_in_user_and_anonymous_is_none(cast):
    assert log_access(request=_request(cast.case_manager)).actor == cast.case_manager
    assert log_access(request=_request(AnonymousUser())).actor is None


def test_reason_and_path_cannot_forge_a_second_line(cast):
    """ASVS 16.4.1: control and bidi characters become spaces."""
    row = log_access(
        request=_request(cast.case_manager, path="/a\nb/"),
        reason="ok\r\n2026-01-01 admin deleted everything\u202e",
    )
    assert "\n" not in row.reason and "\r" not in row.reason and "\u202e" not in row.reason
    assert "\n" not in row.path


def test_reason_is_cut_to_the_column_length(cast):
    assert len(log_access(actor=cast.case_manager, reason="x" * 2000).reason) == 500


def test_an_address_that_is_not_an_ip_is_left_out(cast):
    """A unix socket gives REMOTE_ADDR ''; an invalid value must not break the write."""
    assert log_access(request=_request(cast.case_manager, ip="")).ip_address is None
    assert log_access(request=_request(cast.case_manager, ip="unix:/x")).ip_address is None
    assert log_access(request=_request(cast.case_manager, ip="2001:db8::1")).ip_address == (
        "2001:db8::1"
    )


def test_an_unknown_action_or_outcome_is_refused(cast):
    with pytest.raises(ValueError):
        log_access(actor=cast.case_manager, action="peek")
    with pytest.raises(ValueError):
        log_access(actor=cast.case_manager, outcome="maybe")


def test_log_access_fails_closed_when_the_insert_raises(cast, monkeypatch):
    """ASVS 16.5.3: the caller sees the error and must not show the data."""

    def broken_save(self, *args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(AccessLog, "save", broken_save)
    with pytest.raises(DatabaseError):
        log_access(actor=cast.case_manager, person=cast.peer_supporter)


def test_log_denied_records_a_refusal(cast):
    row = log_denied(_request(cast.analyst, path="/granskning/logg/"), reason="access log")
    assert (row.actor, row.outcome, row.action) == (cast.analyst, Outcome.DENIED, Action.VIEW)
    assert log_denied(_request(cast.analyst), action=Action.EXPORT).action == Action.EXPORT


# --- A list of people ------------------------------------------------------------------------


def test_a_list_writes_one_row_per_distinct_person_in_one_insert(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from egenmakt.accounts.models import User
    from egenmakt.audit.services import log_list_access, people_by_id

    people = list(User.objects.order_by("pk")[:30])
    ContentType.objects.get_for_model(User)  # The content-type cache is warm in a running app.
    with CaptureQueriesContext(connection) as queries:
        rows = log_list_access(
            request=_request(cast.case_manager, path="/lista/?q=Anna"),
            # The same people again, by id: counted once each.
            people=[*people, *people_by_id(User, [p.pk for p in people[:5]])],
            obj=cast.org("clinic"),
            reason="client list",
        )
    # One INSERT of the rows; the rest is the seal's chain head (audit/chain.py).
    into_log = [q["sql"] for q in queries if "audit_chainhead" not in q["sql"]]
    assert len(into_log) == 1 and into_log[0].lstrip().upper().startswith("INSERT")
    stored = AccessLog.objects.filter(pk__in=[r.pk for r in rows])
    assert sorted(int(r.person_id) for r in stored) == [p.pk for p in people]
    assert {(r.actor, r.path, r.reason, r.object_id, r.action) for r in stored} == {
        (cast.case_manager, "/lista/", "client list", str(cast.org("clinic").pk), Action.VIEW)
    }


def test_a_list_that_shows_nobody_still_writes_one_row_without_a_person(cast):
    from egenmakt.audit.services import log_list_access

    [row] = log_list_access(request=_request(cast.case_manager), people=[], reason="client list")
    stored = AccessLog.objects.get(pk=row.pk)
    assert (stored.person_type, stored.person_id, stored.reason) == (None, "", "client list")


def test_a_person_key_cannot_smuggle_control_characters_into_the_log(cast):
    from egenmakt.accounts.models import User
    from egenmakt.audit.services import log_list_access

    user_type = ContentType.objects.get_for_model(User)
    [row] = log_list_access(actor=cast.auditor, people=[(user_type, "7\n2026-01-01 forged")])
    assert "\n" not in AccessLog.objects.get(pk=row.pk).person_id


def test_a_list_is_not_shown_when_its_rows_cannot_be_written(cast, monkeypatch):
    from egenmakt.audit.services import log_list_access

    def broken(*args, **kwargs):
        raise DatabaseError("log unavailable")

    monkeypatch.setattr(AccessLog.objects, "bulk_create", broken)
    with pytest.raises(DatabaseError):
        log_list_access(actor=cast.case_manager, people=[cast.peer_supporter])
