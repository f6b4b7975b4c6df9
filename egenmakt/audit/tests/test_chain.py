"""The access log's hash chains: every row sealed as it is written, ``verify_access_log``
names the first row that breaks a chain, and ``purge_access_log`` keeps what remains
verifiable. Runs on SQLite and PostgreSQL (``DATABASE_URL=postgres://...``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from egenmakt.audit import chain
from egenmakt.audit.models import AccessLog, ChainHead
from egenmakt.audit.services import log_access, log_list_access
from egenmakt.audit.testing import access_log_unlocked


def _verify(*args: str) -> str:
    out = StringIO()
    call_command("verify_access_log", *args, stdout=out)
    return out.getvalue().strip()


def _broken(*args: str) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("verify_access_log", *args, stdout=StringIO())
    return str(refused.value)


def _rows(actor, count):
    return [log_access(actor=actor, reason=f"read {n}") for n in range(count)]


def _raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_each_row_is_sealed_into_its_days_chain(cast):
    first, second, third = _rows(cast.case_manager, 3)
    day = timezone.now().astimezone(UTC).strftime("%Y%m%d")
    assert first.chain == f"{day}-{cast.case_manager.pk % chain.SHARDS:02d}"
    assert [r.chain_seq for r in (first, second, third)] == [1, 2, 3]
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    stored = AccessLog.objects.get(pk=third.pk)
    assert chain.row_hash(stored.prev_hash, stored) == stored.hash
    head = ChainHead.objects.get(chain=first.chain)
    assert (head.length, head.last_hash) == (3, third.hash)


def test_verify_says_ok_with_the_counts(cast):
    _rows(cast.case_manager, 3)
    log_list_access(actor=cast.coordinator, people=[cast.peer_supporter, cast.auditor])
    chains = {r.chain for r in AccessLog.objects.all()}
    assert _verify() == f"ok, {AccessLog.objects.count()} rows in {len(chains)} chains"


def test_a_list_of_rows_is_one_stretch_of_its_chain(cast):
    rows = log_list_access(actor=cast.coordinator, people=[cast.peer_supporter, cast.auditor])
    assert rows[1].chain == rows[0].chain and rows[1].chain_seq == rows[0].chain_seq + 1
    assert rows[1].prev_hash == rows[0].hash


def test_a_caller_cannot_give_a_sealed_row_another_time(cast):
    row = AccessLog(actor=cast.case_manager, action="view")
    row.occurred_at = timezone.now() - timedelta(days=3000)
    row.save()
    stored = AccessLog.objects.get(pk=row.pk)
    assert stored.occurred_at > timezone.now() - timedelta(minutes=1)
    assert stored.hash == chain.row_hash(stored.prev_hash, stored)


def test_a_rolled_back_write_leaves_the_chain_as_it_was(cast):
    [kept] = _rows(cast.case_manager, 1)
    with pytest.raises(RuntimeError), transaction.atomic():
        log_access(actor=cast.case_manager, reason="rolled back")
        raise RuntimeError
    head = ChainHead.objects.get(chain=kept.chain)
    assert (head.length, head.last_hash) == (1, kept.hash)
    [after] = _rows(cast.case_manager, 1)
    assert (after.chain_seq, after.prev_hash) == (2, kept.hash)
    assert _verify().startswith("ok, 2 rows")


def test_verify_finds_an_edited_row(cast):
    rows = _rows(cast.case_manager, 4)
    with access_log_unlocked():
        _raw("UPDATE audit_accesslog SET reason = 'nothing to see' WHERE id = %s", [rows[2].pk])
    message = _broken()
    assert f"row {rows[2].pk} " in message and "do not match its hash" in message


def test_verify_finds_an_edit_that_also_rewrote_the_rows_hash(cast):
    rows = _rows(cast.case_manager, 4)
    edited = AccessLog.objects.get(pk=rows[1].pk)
    edited.reason = "nothing to see"
    forged = chain.row_hash(edited.prev_hash, edited)
    with access_log_unlocked():
        _raw(
            "UPDATE audit_accesslog SET reason = %s, hash = %s WHERE id = %s",
            [edited.reason, forged, edited.pk],
        )
    # The row now matches its own hash; the next row's link to it does not.
    message = _broken()
    assert f"row {rows[2].pk} " in message and "previous hash" in message


def test_a_rewrite_without_the_applications_key_does_not_verify(cast, settings):
    """Someone who can edit the database but not read the application's key: a whole
    rewritten tail, each row sealed with a key of their own, is found at its first row."""
    rows = _rows(cast.case_manager, 3)
    settings.ACCESS_LOG_KEY = "a key the operator made up"
    edited = AccessLog.objects.get(pk=rows[2].pk)
    edited.reason = "nothing to see"
    forged = chain.row_hash(edited.prev_hash, edited)
    with access_log_unlocked():
        _raw(
            "UPDATE audit_accesslog SET reason = %s, hash = %s WHERE id = %s",
            [edited.reason, forged, edited.pk],
        )
    settings.ACCESS_LOG_KEY = ""
    message = _broken()
    assert f"row {rows[2].pk} " in message and "do not match its hash" in message


def test_verify_finds_a_deleted_middle_row(cast):
    rows = _rows(cast.case_manager, 5)
    with access_log_unlocked():
        _raw("DELETE FROM audit_accesslog WHERE id = %s", [rows[2].pk])
    message = _broken()
    assert f"row {rows[3].pk} " in message and "at position 4, expected 3" in message


def test_verify_finds_deleted_last_rows(cast):
    rows = _rows(cast.case_manager, 3)
    with access_log_unlocked():
        _raw("DELETE FROM audit_accesslog WHERE id = %s", [rows[2].pk])
    message = _broken()
    assert f"row {rows[1].pk} " in message and "head counts 3" in message


def test_verify_finds_a_rewritten_chain_head(cast):
    rows = _rows(cast.case_manager, 2)
    ChainHead.objects.filter(chain=rows[0].chain).update(last_hash="f" * 64)
    message = _broken()
    assert f"row {rows[1].pk} " in message and "last hash" in message


def test_verify_finds_a_forged_row_inserted_with_a_made_up_hash(cast):
    rows = _rows(cast.case_manager, 2)
    # The trigger lets inserts through; the forger takes the next position in the chain.
    _raw(
        "INSERT INTO audit_accesslog (occurred_at, person_id, object_id, action, outcome,"
        " reason, emergency, path, chain, chain_seq, prev_hash, hash)"
        " VALUES (%s, '', '', 'view', 'allowed', 'forged', %s, '', %s, 3, %s, %s)",
        [
            connection.ops.adapt_datetimefield_value(rows[1].occurred_at),
            False,
            rows[1].chain,
            rows[1].hash,
            "0" * 64,
        ],
    )
    forged = AccessLog.objects.get(reason="forged")
    message = _broken()
    assert f"row {forged.pk} " in message


def test_verify_finds_a_row_inserted_without_a_seal(cast):
    _rows(cast.case_manager, 2)
    _raw(
        "INSERT INTO audit_accesslog (occurred_at, person_id, object_id, action, outcome,"
        " reason, emergency, path) VALUES (%s, '', '', 'view', 'allowed', 'unsealed', %s, '')",
        [connection.ops.adapt_datetimefield_value(timezone.now()), False],
    )
    unsealed = AccessLog.objects.get(reason="unsealed")
    message = _broken()
    assert f"row {unsealed.pk} " in message and "without a seal" in message


def test_verify_takes_a_range_of_days(cast):
    old_day = timezone.now() - timedelta(days=10)
    with mock.patch("django.utils.timezone.now", return_value=old_day):
        old = _rows(cast.case_manager, 2)
    _rows(cast.case_manager, 3)
    with access_log_unlocked():
        _raw("UPDATE audit_accesslog SET reason = 'x' WHERE id = %s", [old[0].pk])
    today = timezone.now().astimezone(UTC).date()
    assert _verify("--since", today.isoformat()) == "ok, 3 rows in 1 chains"
    assert f"row {old[0].pk} " in _broken("--until", (today - timedelta(days=1)).isoformat())


# --- Retention --------------------------------------------------------------------------------


def _long_ago(years: int, days: int = 2) -> datetime:
    return timezone.now() - timedelta(days=365 * years + years // 4 + days)


def test_purge_removes_whole_old_days_and_what_remains_verifies(cast, settings):
    settings.ACCESS_LOG_RETENTION_YEARS = 5
    with mock.patch("django.utils.timezone.now", return_value=_long_ago(6)):
        old = _rows(cast.case_manager, 3)
    with mock.patch("django.utils.timezone.now", return_value=_long_ago(5, days=-3)):
        kept_old = _rows(cast.case_manager, 2)  # Inside the five years: kept.
    recent = _rows(cast.case_manager, 2)
    out = StringIO()
    call_command("purge_access_log", "--now", stdout=out)
    assert out.getvalue().strip() == "Removed 3 access-log rows."
    assert not AccessLog.objects.filter(pk__in=[r.pk for r in old]).exists()
    assert AccessLog.objects.filter(pk__in=[r.pk for r in kept_old + recent]).count() == 4
    head = ChainHead.objects.get(chain=old[0].chain)
    assert (head.purged_through, head.purged_hash) == (3, old[-1].hash)
    assert _verify() == "ok, 4 rows in 2 chains"


def test_rows_removed_behind_the_jobs_back_are_found(cast):
    """The database lets rows older than five years go; only the job records it."""
    with mock.patch("django.utils.timezone.now", return_value=_long_ago(6)):
        old = _rows(cast.case_manager, 3)
    _raw("DELETE FROM audit_accesslog WHERE id = %s", [old[0].pk])
    message = _broken()
    assert f"row {old[1].pk} " in message and "at position 2, expected 1" in message


def test_purge_refuses_less_than_five_years(cast, settings):
    settings.ACCESS_LOG_RETENTION_YEARS = 4
    with pytest.raises(CommandError, match="at least 5 years"):
        call_command("purge_access_log", "--now", stdout=StringIO())
    with pytest.raises(CommandError, match="at least 5 years"):
        call_command("purge_access_log", stdout=StringIO())


def test_purge_keeps_longer_retention(cast, settings):
    settings.ACCESS_LOG_RETENTION_YEARS = 7
    with mock.patch("django.utils.timezone.now", return_value=_long_ago(6)):
        old = _rows(cast.case_manager, 2)
    assert chain.purge().rows == 0
    assert AccessLog.objects.filter(pk__in=[r.pk for r in old]).count() == 2


# --- Concurrency (PostgreSQL: row locks on the chain heads) ------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_every_chain_whole():
    import threading

    from django.db import close_old_connections

    from egenmakt.accounts.models import User

    users = [
        User.objects.create_user(
            f"skrivare{n}@example.org", "ett-langt-losenord-2026", full_name=f"Skrivare {n}"
        )
        for n in range(4)
    ]
    failures: list[BaseException] = []
    start = threading.Barrier(8)

    def write(user):
        try:
            start.wait()
            for n in range(15):
                if n % 3:
                    log_access(actor=user, reason=f"read {n}")
                else:
                    log_list_access(actor=user, people=users[:2], reason=f"list {n}")
        except BaseException as error:
            failures.append(error)
        finally:
            close_old_connections()
            connection.close()

    # Two writers per user: the same chain, written at the same time.
    threads = [threading.Thread(target=write, args=(users[n % 4],)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    result = chain.verify()
    assert result.ok, result.broken
    assert result.rows == AccessLog.objects.count() == 8 * (10 + 5 * 2)
