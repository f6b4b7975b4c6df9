"""Reads of clients' records that the auditor's log review flags (``audit.review``,
contributed as "log_review_flags"): a read by someone who was not on the client's care team
that day, and any read of a client with a protected identity."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone

from egenmakt.accounts.models import Membership
from egenmakt.coordination.models import CareTeamMember, Client


def _client_reads(rows: QuerySet[Any]) -> QuerySet[Any]:
    return rows.filter(person_type=ContentType.objects.get_for_model(Client)).order_by()


def outside_care_team_reads(rows: QuerySet[Any]) -> list[int]:
    """Staff reads of a client by someone without a seat in the client's care team on the
    day of the read (the client reading their own pages is not staff and not flagged)."""
    reads = [
        (pk, reader, int(person), timezone.localdate(when))
        for pk, reader, person, when in _client_reads(rows)
        .filter(actor__in=Membership.objects.values("user_id"))
        .values_list("id", "actor_id", "person_id", "occurred_at")
        if person.isdigit()
    ]
    seats: dict[tuple[int, int], list[tuple[Any, Any]]] = {}
    for client_id, user_id, started, ended in CareTeamMember.objects.filter(
        client_id__in={client for _pk, _reader, client, _day in reads}
    ).values_list("client_id", "user_id", "started_on", "ended_on"):
        seats.setdefault((client_id, user_id), []).append((started, ended))
    return [
        pk
        for pk, reader, client, day in reads
        if not any(
            started <= day and (ended is None or day <= ended)
            for started, ended in seats.get((client, reader), ())
        )
    ]


def protected_identity_reads(rows: QuerySet[Any]) -> list[int]:
    reads = list(_client_reads(rows).values_list("id", "person_id"))
    protected = {
        str(pk)
        for pk in Client.objects.filter(
            protected_identity=True,
            pk__in={int(person) for _pk, person in reads if person.isdigit()},
        ).values_list("pk", flat=True)
    }
    return [pk for pk, person in reads if person in protected]
