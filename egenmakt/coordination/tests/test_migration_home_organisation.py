"""The migrations that put the client's home organisation on every meeting and decided plan
version: rows made before them get it from their client, and the field is required after."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from egenmakt.coordination.models import Meeting, MeetingStatus, PlanVersion
from egenmakt.coordination.tests.factories import decided_plan, shared_client
from egenmakt.tests.migrations import migrate_to, migrate_to_latest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("coordination", "0017_indicator_indexes")]


def test_existing_meetings_and_plan_versions_get_their_clients_home_organisation(cast):
    clinic = shared_client(cast, name="Ada Ek")
    decided_plan(cast, clinic)
    Meeting.objects.create(
        client=clinic,
        starts_at=timezone.now() - timedelta(days=3),
        status=MeetingStatus.HELD,
        organisation=cast.org("social_psychiatry"),  # booked by the partner
        created_by=cast.municipal_case_manager,
    )
    old = migrate_to(BEFORE)
    try:
        columns = [
            c.name
            for c in connection.introspection.get_table_description(
                connection.cursor(), "coordination_meeting"
            )
        ]
        assert "home_organisation_id" not in columns
        assert old.get_model("coordination", "Meeting").objects.count() == 1
    finally:
        new = migrate_to_latest()
    meeting = new.get_model("coordination", "Meeting").objects.get()
    assert meeting.home_organisation_id == cast.org("clinic").pk
    assert meeting.organisation_id == cast.org("social_psychiatry").pk
    versions = new.get_model("coordination", "PlanVersion").objects.all()
    assert [v.home_organisation_id for v in versions] == [cast.org("clinic").pk]
    # Required from now on: a row without it is refused by the database.
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanVersion.objects.filter(pk=versions[0].pk).update(home_organisation=None)
