"""Reads about consent."""

from __future__ import annotations

from egenmakt.coordination.models import (
    Client,
    Consent,
)


def consents_of(client: Client) -> list[Consent]:
    return list(
        client.consents.select_related("recorded_by", "revoked_by").prefetch_related(
            "organisations", "case_managers"
        )
    )
