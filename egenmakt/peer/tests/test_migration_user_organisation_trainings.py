"""The data migration that gives user-organisation training sessions to their user
organisation: a session recorded on a workplace's page before it belongs afterwards to the
workplace's network, with the workplace and everything recorded kept."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from egenmakt.tests.migrations import migrate_to, migrate_to_latest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("peer", "0011_ethics_guidelines")]
AFTER = [("peer", "0012_user_organisation_trainings")]


def test_existing_sessions_move_to_the_user_organisation_and_keep_their_workplace(cast):
    old = migrate_to(BEFORE)
    try:
        Organisation = old.get_model("accounts", "Organisation")
        PeerWorkplace = old.get_model("peer", "PeerWorkplace")
        WorkplaceTraining = old.get_model("peer", "WorkplaceTraining")
        network = Organisation.objects.get(pk=cast.org("network").pk)
        place = PeerWorkplace.objects.create(
            workplace_id=cast.org("outpatient").pk,
            network=network,
            registered_by_id=cast.coordinator.pk,
        )
        for audience, theme in (("staff", "Personalen"), ("user_organisation", "Föreningen")):
            WorkplaceTraining.objects.create(
                workplace=place,
                audience=audience,
                day=date(2026, 11, 2),
                theme=theme,
                attended=7,
                attendees="Anna, Bo",
                recorded_by_id=cast.coordinator.pk,
            )
    finally:
        new = migrate_to(AFTER)
    try:
        trainings = new.get_model("peer", "WorkplaceTraining").objects.all()
        rows = {row.theme: row for row in trainings}
        assert rows["Föreningen"].user_organisation_id == cast.org("network").pk
        assert rows["Föreningen"].workplace_id == rows["Personalen"].workplace_id
        assert (rows["Föreningen"].attended, rows["Föreningen"].attendees) == (7, "Anna, Bo")
        assert rows["Personalen"].user_organisation_id is None
    finally:
        migrate_to_latest()
    # Every table the later migrations make is there again.
    assert "peer_sessionexercise" in connection.introspection.table_names()
