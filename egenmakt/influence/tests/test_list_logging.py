"""The forum page logs each member it names; the indicators CSV is logged as an export."""

from __future__ import annotations

import pytest
from django.utils import timezone

from egenmakt.audit.models import AccessLog, Action
from egenmakt.influence import services
from egenmakt.influence.models import CareArea

pytestmark = pytest.mark.django_db


@pytest.fixture
def area(cast):
    area = CareArea.objects.create(
        name="Västerhav Centrum", slug="vasterhav-centrum", organisation=cast.org("network")
    )
    area.units.set([cast.org("outpatient")])
    return area


def _last_id() -> int:
    latest = AccessLog.objects.order_by("-id").first()
    return latest.pk if latest else 0


def test_the_forum_page_logs_each_member_it_names(cast, area, signed_in):
    forum = services.save_forum(
        user=cast.coordinator,
        area=area,
        forum=None,
        data={"name": "Brukarrådet", "level": "service", "kind": "user_council"},
    )
    members = [
        services.add_member(
            user=cast.coordinator,
            forum=forum,
            name=name,
            capacity="own_experience",
            organisation=None,
            since=timezone.localdate(),
        )
        for name in ("Bo", "Vera")
    ]
    path = f"/inflytande/forum/{forum.pk}/"
    since = _last_id()
    assert signed_in(cast.coordinator).get(path).status_code == 200
    rows = AccessLog.objects.filter(actor=cast.coordinator, pk__gt=since, path=path)
    assert {(row.person_type.model, row.person_id) for row in rows} == {
        ("forummember", str(m.pk)) for m in members
    }
    assert {(row.object_id, row.action) for row in rows} == {(str(forum.pk), Action.VIEW)}


def test_the_indicators_csv_is_logged_as_an_export(cast, area, signed_in):
    path = "/inflytande/indikatorer.csv"
    since = _last_id()
    response = signed_in(cast.coordinator).get(path)
    assert response.status_code == 200
    [row] = AccessLog.objects.filter(actor=cast.coordinator, pk__gt=since)
    assert (row.action, row.path, row.reason) == (Action.EXPORT, path, "indicators CSV")
