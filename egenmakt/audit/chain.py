"""Tamper evidence for the access log (ASVS 16.4.2): hash chains, their check, retention.

Every row is sealed as it is inserted: it joins the chain of its UTC day and its actor's
shard (actor id mod ``SHARDS``), takes the next position in it, stores the previous row's
hash (``prev_hash``) and its own, ``HMAC-SHA256(key, prev_hash + canonical(row))``. The chain's
``ChainHead`` row is locked with ``select_for_update`` in the insert's own transaction, so
two inserts into one chain queue for a moment, inserts into other chains do not wait, and
a rolled-back insert rolls the head back with it.

``verify`` walks the chains and names the first row that breaks one: a changed field (its
hash no longer matches), a removed row (a gap in the positions, or a chain shorter than its
head says), a row moved or forged into a chain. ``purge`` is the retention job and the only
code that deletes log rows: it removes whole chains (days) older than the retention time
and records on their heads what it removed, so what remains still verifies.

The hash is keyed with ``ACCESS_LOG_KEY`` (the secret key when unset), which lives in the
environment, not the database: an operator who can edit the database but not read the
application's key cannot write a row, or rewrite a chain, that verifies. Someone with both
could; copying the heads off the machine (the daily verification's output) shows that.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from .models import AccessLog, ChainHead

SHARDS = 16
# Patient data law (PDL) and HSLF-FS 2016:40 4 kap. 9 §: the log is kept at least five years.
MIN_RETENTION_YEARS = 5


def chain_key(row: AccessLog) -> str:
    """``YYYYMMDD-SS``: the row's UTC day and its actor's shard (no actor: shard 00)."""
    day = row.occurred_at.astimezone(UTC).strftime("%Y%m%d")
    return f"{day}-{(row.actor_id or 0) % SHARDS:02d}"


def _ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return ipaddress.ip_address(value).compressed
    except ValueError:
        return str(value)


def canonical(row: AccessLog) -> bytes:
    """The row's fields, as the hash covers them: the same bytes before the INSERT and
    after reading the row back, on SQLite and PostgreSQL alike."""
    fields = {
        "chain": row.chain,
        "seq": row.chain_seq,
        "occurred_at": row.occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": row.actor_id,
        "person_type": row.person_type_id,
        "person_id": row.person_id,
        "object_type": row.object_type_id,
        "object_id": row.object_id,
        "action": row.action,
        "outcome": row.outcome,
        "organisation": row.organisation_id,
        "reason": row.reason,
        "emergency": bool(row.emergency),
        "path": row.path,
        "ip_address": _ip(row.ip_address),
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _key() -> bytes:
    """The chain's key, derived so that it is never the secret key itself."""
    secret = getattr(settings, "ACCESS_LOG_KEY", "") or settings.SECRET_KEY
    return hashlib.sha256(b"egenmakt access-log chain:" + secret.encode()).digest()


def row_hash(prev_hash: str, row: AccessLog) -> str:
    return hmac.new(_key(), prev_hash.encode() + canonical(row), hashlib.sha256).hexdigest()


def _link(key: str, rows: list[AccessLog], length: int, last_hash: str) -> tuple[int, str]:
    """Chain ``rows`` after a head of ``length`` rows ending in ``last_hash``."""
    prev = last_hash
    for row in rows:
        length += 1
        row.chain, row.chain_seq, row.prev_hash = key, length, prev
        row.hash = prev = row_hash(prev, row)
    return length, prev


def _start_chain(key: str, rows: list[AccessLog], using: str) -> bool:
    """Make the head of a new chain with its final length and hash, unless another request
    made it first (then False: its insert is waited for, and the caller locks it)."""
    length, last_hash = _link(key, rows, 0, "")
    connection = connections[using]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(ChainHead._meta.db_table)}"  # noqa: S608 - our own names.
            f" ({quote('chain')}, {quote('length')}, {quote('last_hash')},"
            f" {quote('purged_through')}, {quote('purged_hash')})"
            f" VALUES (%s, %s, %s, 0, '') ON CONFLICT ({quote('chain')}) DO NOTHING"
            f" RETURNING {quote('id')}",
            [key, length, last_hash],
        )
        return cursor.fetchone() is not None


def seal(rows: Sequence[AccessLog], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Give each unsaved row its chain, position, ``prev_hash`` and ``hash``.

    Call inside the transaction that inserts the rows (``AccessLog.save`` and the
    queryset's ``bulk_create`` do): the heads stay locked until it ends. Heads are locked
    in key order; a page's rows are one actor's and so nearly always one chain. Two
    queries per write: lock the head, move it on (or look for it and make it).
    """
    # The time is the seal's (callers cannot backdate a row); only the scale generator,
    # which turns auto_now_add off for its ten years of history, brings its own.
    stamp = AccessLog._meta.get_field("occurred_at").auto_now_add
    now = timezone.now()
    by_chain: dict[str, list[AccessLog]] = {}
    for row in rows:
        if stamp or row.occurred_at is None:
            row.occurred_at = now
        row._sealed_time = True  # type: ignore[attr-defined]
        by_chain.setdefault(chain_key(row), []).append(row)
    if not by_chain:
        return
    keys = sorted(by_chain)
    heads = ChainHead.objects.using(using).select_for_update()
    found = {head.chain: head for head in heads.filter(chain__in=keys).order_by("chain")}
    changed = []
    for key in keys:
        head = found.get(key)
        if head is None:
            if _start_chain(key, by_chain[key], using):
                continue
            head = heads.get(chain=key)
        head.length, head.last_hash = _link(key, by_chain[key], head.length, head.last_hash)
        changed.append(head)
    if len(changed) == 1:
        [head] = changed
        ChainHead.objects.using(using).filter(pk=head.pk).update(
            length=head.length, last_hash=head.last_hash
        )
    elif changed:
        ChainHead.objects.using(using).bulk_update(changed, ["length", "last_hash"])


# --- Verification -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Broken:
    """The first row (or chain end) where the log no longer matches its seal."""

    chain: str
    row_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"row {self.row_id}" if self.row_id is not None else "chain end"
        return f"{where} (chain {self.chain or '-'}): {self.problem}"


@dataclass(frozen=True)
class Verified:
    rows: int
    chains: int
    unsealed: int  # rows written before sealing began
    broken: Broken | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _day_range(queryset: QuerySet, since: date | None, until: date | None) -> QuerySet:
    if since is not None:
        queryset = queryset.filter(chain__gte=f"{since:%Y%m%d}")
    if until is not None:
        queryset = queryset.filter(chain__lt=f"{until + timedelta(days=1):%Y%m%d}")
    return queryset


def _check_chain(
    head: ChainHead | None, key: str, rows: Iterator[AccessLog]
) -> tuple[int, Broken | None]:
    """Walk one chain's rows in position order; return how many and the first break."""
    if head is None:
        first = next(rows, None)
        return 0, Broken(key, first.pk if first else None, "rows in a chain that has no head")
    expected, prev, count, last_id = head.purged_through + 1, head.purged_hash, 0, None
    for row in rows:
        count += 1
        last_id = row.pk
        if row.chain_seq != expected:
            missing = "missing before it" if (row.chain_seq or 0) > expected else "out of order"
            return count, Broken(
                key, row.pk, f"at position {row.chain_seq}, expected {expected} (rows {missing})"
            )
        if row.prev_hash != prev:
            return count, Broken(key, row.pk, "its previous hash is not the hash of the row before")
        if chain_key(row) != key:
            return count, Broken(key, row.pk, "its time or user does not belong to this chain")
        if row_hash(prev, row) != row.hash:
            return count, Broken(key, row.pk, "its fields do not match its hash (changed)")
        prev, expected = row.hash, expected + 1
    if expected - 1 != head.length:
        return count, Broken(
            key,
            last_id,
            f"the chain ends at position {expected - 1} but its head counts {head.length}"
            " (rows missing at the end)",
        )
    if prev != head.last_hash:
        return count, Broken(key, last_id, "the chain's last hash is not the one its head holds")
    return count, None


def verify(*, since: date | None = None, until: date | None = None) -> Verified:
    """Check every chain of the days from ``since`` to ``until`` (UTC, both included)."""
    heads = {h.chain: h for h in _day_range(ChainHead.objects.all(), since, until)}
    sealed = _day_range(AccessLog.objects.exclude(chain=""), since, until).order_by(
        "chain", "chain_seq", "id"
    )
    total, chains = 0, 0
    seen: set[str] = set()
    current: str | None = None
    buffer: list[AccessLog] = []

    def flush() -> Broken | None:
        nonlocal total, chains
        if current is None:
            return None
        seen.add(current)
        count, broken = _check_chain(heads.get(current), current, iter(buffer))
        total += count
        chains += 1
        return broken

    # One chain at a time (a day's shard: thousands of rows at most).
    for row in sealed.iterator(chunk_size=2000):
        if row.chain != current:
            broken = flush()
            if broken is not None:
                return Verified(total, chains, 0, broken)
            current, buffer = row.chain, []
        buffer.append(row)
    broken = flush()
    if broken is not None:
        return Verified(total, chains, 0, broken)
    for key, head in sorted(heads.items()):
        if key not in seen and head.purged_through < head.length:
            return Verified(
                total,
                chains,
                0,
                Broken(key, None, f"all {head.length} rows of the chain are missing"),
            )
    unsealed = _unsealed(since, until)
    first_sealed = AccessLog.objects.exclude(chain="").order_by("id").values_list("id", flat=True)
    start = first_sealed.first()
    if start is not None:
        late = unsealed.filter(id__gt=start).order_by("id").values_list("id", flat=True).first()
        if late is not None:
            return Verified(
                total,
                chains,
                0,
                Broken("", late, "a row without a seal, written after sealing began"),
            )
    return Verified(total, chains, unsealed.count(), None)


def _unsealed(since: date | None, until: date | None) -> QuerySet[AccessLog]:
    rows = AccessLog.objects.filter(chain="")
    if since is not None:
        rows = rows.filter(
            occurred_at__gte=datetime.combine(since, datetime.min.time(), tzinfo=UTC)
        )
    if until is not None:
        end = datetime.combine(until + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
        rows = rows.filter(occurred_at__lt=end)
    return rows


# --- Retention ----------------------------------------------------------------------------------


def retention_years() -> int:
    years = int(getattr(settings, "ACCESS_LOG_RETENTION_YEARS", MIN_RETENTION_YEARS))
    if years < MIN_RETENTION_YEARS:
        raise ImproperlyConfigured(
            f"ACCESS_LOG_RETENTION_YEARS is {years}; the access log is kept at least"
            f" {MIN_RETENTION_YEARS} years (HSLF-FS 2016:40 4 kap. 9 §)."
        )
    return years


@dataclass(frozen=True)
class Purged:
    rows: int
    chains: int
    cutoff: datetime


@transaction.atomic
def purge(*, now: datetime | None = None) -> Purged:
    """Remove the log rows older than the retention time: every chain whose whole UTC day
    ended before the cut-off (so a day is never cut in two), and unsealed rows older than
    it. Each removed chain's head keeps its length and last hash as ``purged_*``."""
    now = now or timezone.now()
    cutoff = now - relativedelta(years=retention_years())
    first_kept_day = f"{cutoff.astimezone(UTC):%Y%m%d}"
    heads = list(
        ChainHead.objects.select_for_update()
        .filter(chain__lt=first_kept_day)
        .exclude(purged_through=F("length"))
        .order_by("chain")
    )
    for head in heads:
        head.purged_through, head.purged_hash = head.length, head.last_hash
    ChainHead.objects.bulk_update(heads, ["purged_through", "purged_hash"])
    table = AccessLog._meta.db_table
    connection = connections[DEFAULT_DB_ALIAS]
    value = connection.ops.adapt_datetimefield_value(cutoff)
    with connection.cursor() as cursor:
        # Raw SQL: the model and its queryset refuse to delete; the database's trigger
        # still refuses any row younger than five years.
        cursor.execute(
            f"DELETE FROM {table} WHERE (chain <> '' AND chain < %s)"  # noqa: S608 - our table.
            " OR (chain = '' AND occurred_at < %s)",
            [first_kept_day, value],
        )
        removed = cursor.rowcount
    return Purged(rows=removed, chains=len(heads), cutoff=cutoff)
