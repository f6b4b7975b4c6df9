"""Reads about consent."""

from __future__ import annotations

from egenmakt.coordination.models import (
    Client,
    Consent,
)


def consents_of(client: Client, *, case_managers: bool = True) -> list[Consent]:
    """The client's consents with the organisations they name (and, unless
    ``case_managers`` is false, the case managers: a query a page that does not show
    them saves)."""
    related = ["organisations", "case_managers"] if case_managers else ["organisations"]
    return list(
        client.consents.select_related("recorded_by", "revoked_by").prefetch_related(*related)
    )
