"""Reads about clients: search and case notes, inside what the reader may see."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from egenmakt.coordination.access import ClientAccess
from egenmakt.coordination.identity import parse_identity_number
from egenmakt.coordination.models import (
    CaseNote,
    Client,
)


def search_clients(rows: QuerySet[Client], text: str) -> QuerySet[Client]:
    """By name, or by the number as written (whole, or the birth-date part)."""
    text = text.strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) >= 6 and len(digits) == len(text.replace("-", "").replace(" ", "")):
        try:
            return rows.filter(identity_number=parse_identity_number(text).digits)
        except ValidationError:
            return rows.filter(identity_number__contains=digits)
    return rows.filter(full_name__icontains=text)


def notes_for(access: ClientAccess, client: Client) -> list[CaseNote]:
    """Only the user's own organisation's notes; never by consent, never in an emergency."""
    if access.seat is None:
        return []
    return list(
        CaseNote.objects.filter(client=client, organisation_id=access.seat.organisation_id)
        .select_related("written_by", "organisation")
        .order_by("-written_at", "-id")[:50]
    )
