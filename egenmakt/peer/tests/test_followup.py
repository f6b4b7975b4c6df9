"""Reunions and further training reach every trained peer supporter, working or waiting;
the placement page shows fidelity and sick leave to those who may see it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from egenmakt.accounts.models import Membership, User
from egenmakt.accounts.roles import Role
from egenmakt.outbox.models import OutgoingEmail
from egenmakt.peer.models import FollowUpEvent, FollowUpInvitation, SickLeave
from egenmakt.peer.services import followup
from egenmakt.peer.services.recruitment import RecruitmentError

from .test_placement import peer_supporters
from .test_supervision import placed

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def waiting_peer_supporters(cast, n):
    people = []
    for i in range(n):
        user = User.objects.create_user(f"waiting{i}@example.org", "x", full_name=f"Waiting {i}")
        Membership.objects.create(
            user=user, organisation=cast.org("user_org_b"), role=Role.PEER_SUPPORTER
        )
        people.append(user)
    return people


def event_form(cast, **kw):
    values = {
        "network": cast.org("network").pk,
        "kind": "reunion",
        "title": "Återträff i höst",
        "day": (TODAY() + timedelta(days=14)).isoformat(),
        "start": "13:00",
        "end": "16:00",
        "place": "Nätverkets lokal, Storgatan 1",
        "description": "Vi ses och delar erfarenheter.",
    }
    values.update(kw)
    return values


def test_an_event_invites_working_and_waiting_peer_supporters_by_email_with_a_calendar(
    client, cast, signed_in, mailoutbox
):
    _place, working, _placements = placed(cast, 1)
    waiting = waiting_peer_supporters(cast, 2)
    signed_in(cast.coordinator)
    response = client.post(reverse("peer:follow_up"), event_form(cast))
    assert response.status_code == 302
    event = FollowUpEvent.objects.get()
    invited = {i.peer_supporter_id: i.was_working for i in event.invitations.all()}
    assert invited[working[0].pk] is True
    for person in [*waiting, cast.peer_supporter]:
        assert invited[person.pk] is False
    # Nobody outside the network's tree is invited.
    assert cast.outsider_peer_supporter.pk not in invited
    emails = OutgoingEmail.objects.filter(purpose="follow-up invitation")
    assert emails.count() == len(invited)
    # Delivered at once by the test task backend; the outbox keeps no body after sending.
    (email,) = [m for m in mailoutbox if m.to == [waiting[0].email]]
    assert "Återträff i höst" in email.subject
    assert "Storgatan 1" in email.body
    (name, ics, _mimetype) = email.attachments[0]
    assert name.endswith(".ics")
    calendar = Calendar.from_ical(ics)
    (item,) = calendar.walk("VEVENT")
    assert str(item["summary"]) == "Återträff i höst"
    assert item.decoded("dtend") > item.decoded("dtstart")


def test_a_bad_time_is_refused_and_nothing_is_sent(client, cast, signed_in):
    peer_supporters(cast, 2)
    signed_in(cast.coordinator)
    response = client.post(reverse("peer:follow_up"), event_form(cast, end="12:00"))
    assert response.status_code == 400
    assert "Träffen måste sluta efter att den börjar" in response.content.decode()
    assert not FollowUpEvent.objects.exists()
    assert not OutgoingEmail.objects.filter(purpose="follow-up invitation").exists()


def test_only_the_networks_coordinators_run_events(client, cast, signed_in):
    event = followup.create_event(
        user=cast.coordinator,
        network=cast.org("network"),
        kind="further_training",
        title="Fortbildning: samtal i svåra lägen",
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=3, hours=3),
        place="Kvarnen",
    )
    for person in (cast.outsider_coordinator, cast.supervisor, cast.workplace_manager):
        signed_in(person)
        assert client.get(reverse("peer:follow_up_event", args=[event.pk])).status_code == 404
        response = client.post(
            reverse("peer:follow_up_attendance", args=[event.pk]),
            {"present": [cast.peer_supporter.pk]},
        )
        assert response.status_code == 404
    assert not FollowUpInvitation.objects.filter(attended=True).exists()
    # A coordinator of another network cannot create an event for this one.
    with pytest.raises(PermissionDenied):
        followup.create_event(
            user=cast.outsider_coordinator,
            network=cast.org("network"),
            kind="reunion",
            title="x",
            starts_at=timezone.now(),
            ends_at=timezone.now() + timedelta(hours=1),
            place="x",
        )


def test_attendance_and_the_peer_supporters_own_list(client, cast, signed_in):
    event = followup.create_event(
        user=cast.coordinator,
        network=cast.org("network"),
        kind="reunion",
        title="Återträff",
        starts_at=timezone.now() - timedelta(hours=3),
        ends_at=timezone.now() - timedelta(hours=1),
        place="Kvarnen",
    )
    signed_in(cast.coordinator)
    client.post(
        reverse("peer:follow_up_attendance", args=[event.pk]),
        {"present": [cast.peer_supporter.pk]},
    )
    assert FollowUpInvitation.objects.get(peer_supporter=cast.peer_supporter).attended is True

    signed_in(cast.peer_supporter)
    assert client.get(reverse("peer:follow_up")).url == reverse("peer:follow_up_mine")
    page = client.get(reverse("peer:follow_up_mine")).content.decode()
    assert "Återträff" in page
    assert "du var med" in page
    ics = client.get(reverse("peer:follow_up_ics", args=[event.pk]))
    assert ics.status_code == 200
    assert Calendar.from_ical(ics.content).walk("VEVENT")
    # The attendance list is the coordinator's.
    assert client.get(reverse("peer:follow_up_event", args=[event.pk])).status_code == 404


def test_sick_leave_is_recorded_by_the_coordinator_within_the_placement(client, cast, signed_in):
    _place, people, (placement,) = placed(cast, 1)
    start = placement.starts_on
    row = followup.report_sick_leave(
        user=cast.coordinator,
        placement=placement,
        starts_on=start + timedelta(days=2),
        ends_on=start + timedelta(days=5),
    )
    assert row.days == 4
    with pytest.raises(RecruitmentError):  # overlapping days
        followup.report_sick_leave(
            user=cast.coordinator,
            placement=placement,
            starts_on=start + timedelta(days=5),
            ends_on=start + timedelta(days=6),
        )
    with pytest.raises(RecruitmentError):  # before the placement
        followup.report_sick_leave(
            user=cast.coordinator,
            placement=placement,
            starts_on=start - timedelta(days=3),
            ends_on=start,
        )
    signed_in(cast.coordinator)
    url = reverse("peer:placement_sick_leave", args=[placement.pk])
    response = client.post(url, {"starts_on": "2026-01-05", "ends_on": "2026-01-01"})
    assert response.status_code == 400
    assert "Sjukfrånvaron kan inte sluta innan den börjar" in response.content.decode()
    assert SickLeave.objects.count() == 1

    signed_in(cast.workplace_manager)
    page = client.get(reverse("peer:placement", args=[placement.pk]))
    assert page.status_code == 200
    assert "4 dagar" in page.content.decode()
    assert "Registrera sjukfrånvaro" not in page.content.decode()
    day = (start + timedelta(days=10)).isoformat()
    assert client.post(url, {"starts_on": day, "ends_on": day}).status_code == 403

    for outsider in (cast.outsider_coordinator, cast.peer_supporter):
        signed_in(outsider)
        assert client.get(reverse("peer:placement", args=[placement.pk])).status_code == 404
    signed_in(people[0])
    assert client.get(reverse("peer:placement", args=[placement.pk])).status_code == 200
