"""Forum work: a matter followed over two meetings to its outcome, a rejection that needs
its reason, the minutes confirmed and then changed, and who reads the reports back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from egenmakt.accounts.models import Membership, User
from egenmakt.accounts.roles import Role
from egenmakt.influence.forum_selectors import confirmation_rows
from egenmakt.influence.models import (
    AgendaItem,
    CareArea,
    Forum,
    ForumMeeting,
    ForumMember,
    InfluenceOrganisation,
    Matter,
    MatterStatus,
    ReportBack,
)

pytestmark = pytest.mark.django_db


class World:
    def __init__(self, cast):
        today = timezone.localdate()
        self.area = CareArea.objects.create(
            name="Västerhav Centrum", slug="vasterhav-centrum", organisation=cast.org("network")
        )
        self.egen = InfluenceOrganisation.objects.create(
            name="Föreningen Egen Kraft", kind="user", account=cast.org("user_org_a")
        )
        self.hjarn = InfluenceOrganisation.objects.create(
            name="Hjärnkraft Västerhav", kind="user", account=cast.org("user_org_b")
        )
        for org in (self.egen, self.hjarn):
            org.areas.add(self.area)
        self.forum = Forum.objects.create(
            area=self.area, name="Styrgruppen", level="system", kind="steering_group"
        )
        # The lecturer (a member of user_org_a) represents Egen Kraft.
        self.seat = ForumMember.objects.create(
            forum=self.forum,
            name="Kim Ek",
            capacity="representative",
            organisation=self.egen,
            since=today - timedelta(days=200),
            user=cast.lecturer,
        )
        self.held = ForumMeeting.objects.create(forum=self.forum, day=today - timedelta(days=30))
        self.later = ForumMeeting.objects.create(forum=self.forum, day=today - timedelta(days=2))
        self.ahead = ForumMeeting.objects.create(forum=self.forum, day=today + timedelta(days=14))


@pytest.fixture
def world(cast):
    return World(cast)


def _member_of(cast, key: str, role: str, name: str) -> User:
    email = f"{name.lower().replace(' ', '.')}@example.org"
    user = User.objects.create_user(email, "losenord-2026-forum", full_name=name)
    Membership.objects.create(user=user, organisation=cast.org(key), role=role)
    return user


def test_a_matter_across_two_meetings_to_an_outcome(cast, signed_in, world):
    rep = signed_in(cast.lecturer)
    response = rep.post(
        reverse("influence:matter_new", args=[world.forum.pk]),
        {
            "raised_by": world.seat.pk,
            "title": "Tolk vid vårdplanering",
            "description": "Många får inte tolk.",
            "raised_on": world.held.day.isoformat(),
        },
    )
    assert response.status_code == 302
    matter = Matter.objects.get()
    assert matter.organisation == world.egen and matter.status == MatterStatus.PENDING

    coordinator = signed_in(cast.coordinator)
    for meeting in (world.held, world.later):
        response = coordinator.post(
            reverse("influence:matter_link", args=[matter.pk]), {"meeting": meeting.pk}
        )
        assert response.status_code == 302
    response = coordinator.post(
        reverse("influence:matter_outcome", args=[matter.pk]),
        {
            "status": "partly_adopted",
            "reason": "Tolk bokas vid planering, inte vid uppföljning.",
            "decision_reference": "RS 2026/114",
            "decided_on": world.later.day.isoformat(),
        },
    )
    assert response.status_code == 302
    matter.refresh_from_db()
    assert matter.status == MatterStatus.PARTLY
    assert matter.decision_reference == "RS 2026/114" and matter.decided_on == world.later.day
    assert list(matter.meetings.order_by("day")) == [world.held, world.later]

    # The representative follows it; the outcome shows as its translated label.
    page = signed_in(cast.lecturer).get(reverse("influence:matter", args=[matter.pk]))
    assert page.status_code == 200
    assert "Delvis bifallen" in page.content.decode() or "Partly adopted" in page.content.decode()
    meeting_page = rep.get(reverse("influence:meeting", args=[world.later.pk]))
    assert "Tolk vid vårdplanering" in meeting_page.content.decode()


def test_a_rejection_needs_its_reason(cast, signed_in, world):
    matter = Matter.objects.create(
        forum=world.forum,
        title="Kvällsöppet",
        raised_by=world.seat,
        organisation=world.egen,
        raised_on=world.held.day,
        created_by=cast.coordinator,
    )
    response = signed_in(cast.coordinator).post(
        reverse("influence:matter_outcome", args=[matter.pk]),
        {"status": "rejected", "reason": "  ", "decision_reference": "RS 2026/9"},
    )
    assert response.status_code == 400
    assert "reason" in response.context["outcome_form"].errors
    matter.refresh_from_db()
    assert matter.status == MatterStatus.PENDING and matter.decision_reference == ""


def test_a_representative_cannot_decide_a_matter(cast, signed_in, world):
    matter = Matter.objects.create(
        forum=world.forum,
        title="Kvällsöppet",
        raised_by=world.seat,
        organisation=world.egen,
        raised_on=world.held.day,
        created_by=cast.coordinator,
    )
    response = signed_in(cast.lecturer).post(
        reverse("influence:matter_outcome", args=[matter.pk]), {"status": "adopted"}
    )
    assert response.status_code == 403
    assert Matter.objects.get().status == MatterStatus.PENDING


def test_minutes_confirmed_then_changed_show_an_earlier_text(cast, signed_in, world):
    coordinator = signed_in(cast.coordinator)
    url = reverse("influence:minutes_save", args=[world.held.pk])
    assert coordinator.post(url, {"minutes": "§1 Tolk vid vårdplanering."}).status_code == 302
    # The representative is told there are minutes to read, not what they say.
    [notice] = [m for m in mail.outbox if cast.lecturer.email in m.to]
    assert "protokoll" in notice.subject.lower() and "Tolk" not in notice.body

    rep = signed_in(cast.lecturer)
    confirm = reverse("influence:minutes_confirm", args=[world.held.pk])
    assert rep.post(confirm, {"correction": ""}).status_code == 302
    world.held.refresh_from_db()
    [row] = confirmation_rows(world.held)
    assert row["answer"] and row["current"]

    coordinator = signed_in(cast.coordinator)
    assert (
        coordinator.post(url, {"minutes": "§1 Tolk vid vårdplanering. §2 Övrigt."}).status_code
        == 302
    )
    world.held.refresh_from_db()
    [row] = confirmation_rows(world.held)
    assert row["answer"] and not row["current"]
    changed = [m for m in mail.outbox if cast.lecturer.email in m.to]
    assert len(changed) == 2 and "ändrats" in changed[1].subject
    page = coordinator.get(reverse("influence:meeting", args=[world.held.pk])).content.decode()
    assert "bekräftade en tidigare text" in page or "confirmed an earlier text" in page

    rep = signed_in(cast.lecturer)
    assert rep.post(confirm, {"correction": "§2 saknar beslutet."}).status_code == 302
    world.held.refresh_from_db()
    [row] = confirmation_rows(world.held)
    assert row["current"] and row["answer"].correction == "§2 saknar beslutet."


def test_minutes_wait_for_the_meeting_and_only_representatives_confirm(cast, signed_in, world):
    coordinator = signed_in(cast.coordinator)
    response = coordinator.post(
        reverse("influence:minutes_save", args=[world.ahead.pk]), {"minutes": "För tidigt."}
    )
    assert response.status_code == 400
    world.ahead.refresh_from_db()
    assert world.ahead.minutes == ""
    member = _member_of(cast, "user_org_a", Role.PEER_SUPPORTER, "Medlem A")
    response = signed_in(member).post(
        reverse("influence:minutes_confirm", args=[world.held.pk]), {}
    )
    assert response.status_code == 403


def test_a_member_organisation_adds_to_the_agenda_before_the_meeting(cast, signed_in, world):
    member = _member_of(cast, "user_org_a", Role.PEER_SUPPORTER, "Medlem A")
    client = signed_in(member)
    response = client.post(
        reverse("influence:agenda_add", args=[world.ahead.pk]),
        {"organisation": world.egen.pk, "title": "Väntetider", "description": ""},
    )
    assert response.status_code == 302
    assert AgendaItem.objects.get().organisation == world.egen
    # Not on behalf of another organisation, nor after the meeting.
    response = client.post(
        reverse("influence:agenda_add", args=[world.ahead.pk]),
        {"organisation": world.hjarn.pk, "title": "Annat"},
    )
    assert response.status_code == 400
    response = client.post(
        reverse("influence:agenda_add", args=[world.held.pk]),
        {"organisation": world.egen.pk, "title": "För sent"},
    )
    assert response.status_code == 400
    assert AgendaItem.objects.count() == 1


def test_reports_back_reach_the_organisation_and_nobody_else(cast, signed_in, world):
    rep = signed_in(cast.lecturer)
    response = rep.post(
        reverse("influence:report_save", args=[world.held.pk]),
        {"text": "Styrgruppen tog upp tolkfrågan."},
    )
    assert response.status_code == 302
    assert ReportBack.objects.get().organisation == world.egen
    url = reverse("influence:reports", args=[world.egen.pk])

    member = _member_of(cast, "user_org_a", Role.PEER_SUPPORTER, "Medlem A")
    page = signed_in(member).get(url)
    assert page.status_code == 200
    assert "Styrgruppen tog upp tolkfrågan." in page.content.decode()

    sibling = _member_of(cast, "user_org_b", Role.PEER_SUPPORTER, "Medlem B")
    analyst = _member_of(cast, "user_org_a", Role.ANALYST, "Analytiker A")
    for outsider in (sibling, analyst, cast.coordinator, cast.outsider_peer_supporter):
        assert signed_in(outsider).get(url).status_code == 404
    # The sibling organisation's own page shows nothing of Egen Kraft's.
    own = signed_in(sibling).get(reverse("influence:reports", args=[world.hjarn.pk]))
    assert "tolkfrågan" not in own.content.decode()


def test_an_empty_report_is_refused_and_nothing_written(cast, signed_in, world):
    response = signed_in(cast.lecturer).post(
        reverse("influence:report_save", args=[world.held.pk]), {"text": " "}
    )
    assert response.status_code == 400
    assert not ReportBack.objects.exists()
