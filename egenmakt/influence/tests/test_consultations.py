"""Consultations (remiss): who may do what, role by role and organisation by organisation;
the deadline on a fixed clock; one answer per organisation (also when two are posted at
once); the reminder once; the public pages show only what is published, and no names of
people; the public list of forums per area."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from egenmakt.accounts.models import Membership, User
from egenmakt.accounts.roles import Role
from egenmakt.conftest import sign_in
from egenmakt.influence import consultation_services as write
from egenmakt.influence.models import (
    AskedOrganisation,
    CareArea,
    Consultation,
    ConsultationAnswer,
    ConsultationStatus,
    Forum,
    ForumMember,
    InfluenceOrganisation,
)
from egenmakt.influence.services import InfluenceError
from egenmakt.outbox.models import OutgoingEmail

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
TODAY = date(2026, 3, 10)
DEADLINE = date(2026, 3, 20)


class Clock:
    """A fixed clock: ``django.utils.timezone.now`` (and so ``localdate``) reads it."""

    def __init__(self, monkeypatch):
        self.moment = datetime(2026, 3, 10, 10, 0, tzinfo=STOCKHOLM)
        monkeypatch.setattr(timezone, "now", lambda: self.moment)

    def set(self, day: date, hour: int = 10) -> None:
        self.moment = datetime(day.year, day.month, day.day, hour, 0, tzinfo=STOCKHOLM)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def _member_of(cast, key: str, role: str, name: str) -> User:
    email = f"{name.lower().replace(' ', '.')}@example.org"
    user = User.objects.create_user(email, "losenord-2026-remiss", full_name=name)
    Membership.objects.create(user=user, organisation=cast.org(key), role=role)
    return user


class World:
    def __init__(self, cast):
        self.area = CareArea.objects.create(
            name="Västerhav Centrum", slug="vasterhav-centrum", organisation=cast.org("network")
        )
        self.other_area = CareArea.objects.create(
            name="Nordmark", slug="nordmark", organisation=cast.org("other_network")
        )
        self.egen = InfluenceOrganisation.objects.create(
            name="Föreningen Egen Kraft", kind="user", account=cast.org("user_org_a")
        )
        self.hjarn = InfluenceOrganisation.objects.create(
            name="Hjärnkraft Västerhav", kind="user", account=cast.org("user_org_b")
        )
        for org in (self.egen, self.hjarn):
            org.areas.add(self.area)
        self.coordinator = cast.coordinator  # of the area's organisation
        self.other_coordinator = cast.outsider_coordinator  # of the other area
        self.asked_member = cast.lecturer  # user_org_a: speaks for Egen Kraft
        self.second_asked_member = _member_of(cast, "user_org_a", Role.PEER_SUPPORTER, "Lo Ask")
        self.not_asked_member = _member_of(cast, "user_org_b", Role.LECTURER, "Bo Hjarn")
        self.asked_analyst = _member_of(cast, "user_org_a", Role.ANALYST, "Ann Analys")

    def consultation(self, *, send: bool = True, deadline: date = DEADLINE) -> Consultation:
        consultation = write.create_consultation(
            user=self.coordinator,
            area=self.area,
            title="Remiss: ny öppenvårdsplan",
            question="Vad tycker er förening om förslaget till ny öppenvårdsplan?",
            deadline=deadline,
            organisations=[self.egen],
        )
        if send:
            return write.send_consultation(user=self.coordinator, consultation=consultation)
        return consultation


@pytest.fixture
def world(cast, clock):
    return World(cast)


def _browser(user):
    return sign_in(Browser(), user) if user is not None else Browser()


def _answer(browser, consultation, organisation, text="Vi stöder förslaget."):
    return browser.post(
        reverse("influence:consultation_answer", args=[consultation.pk]),
        {"organisation": organisation.pk, "text": text},
    )


# --- Who may ---------------------------------------------------------------------------------

PEOPLE = ["coordinator", "other_coordinator", "asked_member", "not_asked_member", "asked_analyst"]


@pytest.mark.parametrize(
    ("who", "area_page", "page", "draft_page", "answer", "send", "summary", "publish"),
    [
        # the area's coordinator: everything but answering for an organisation
        ("coordinator", 200, 200, 200, 403, 302, 302, 302),
        # a coordinator of another area: nothing of this one exists for them
        ("other_coordinator", 404, 404, 404, 404, 404, 404, 404),
        # a member of the asked organisation: reads it once sent (a draft is out of reach),
        # answers; may not summarise or publish
        ("asked_member", 404, 200, 404, 302, 404, 403, 403),
        # a member of an organisation not asked: nothing
        ("not_asked_member", 404, 404, 404, 404, 404, 404, 404),
        # an analyst of the asked organisation does not speak for it (people's words)
        ("asked_analyst", 404, 404, 404, 404, 404, 404, 404),
        # anonymous: to the sign-in page
        (None, 302, 302, 302, 302, 302, 302, 302),
    ],
)
def test_the_permission_matrix(
    world, who, area_page, page, draft_page, answer, send, summary, publish
):
    sent = world.consultation()
    draft = world.consultation(send=False)
    browser = _browser(getattr(world, who) if who else None)
    assert (
        browser.get(reverse("influence:area_consultations", args=[world.area.pk])).status_code
        == area_page
    )
    assert browser.get(reverse("influence:consultation", args=[sent.pk])).status_code == page
    assert browser.get(reverse("influence:consultation", args=[draft.pk])).status_code == (
        draft_page
    )
    assert _answer(browser, sent, world.egen).status_code == answer
    assert browser.post(reverse("influence:consultation_send", args=[draft.pk])).status_code == send
    assert (
        browser.post(
            reverse("influence:consultation_summary", args=[sent.pk]), {"summary": "Alla stöder."}
        ).status_code
        == summary
    )
    assert (
        browser.post(
            reverse("influence:consultation_publish", args=[sent.pk]), {"published": "1"}
        ).status_code
        == publish
    )
    sent.refresh_from_db()
    draft.refresh_from_db()
    done_by_coordinator = who == "coordinator"
    assert (draft.status == ConsultationStatus.SENT) is done_by_coordinator
    assert sent.published is done_by_coordinator
    assert ConsultationAnswer.objects.filter(consultation=sent).exists() is (who == "asked_member")


def test_the_coordinators_of_a_co_organisation_have_the_same_rights(world, cast):
    world.area.co_organisation = cast.org("other_network")
    world.area.save()
    browser = _browser(world.other_coordinator)
    response = browser.post(
        reverse("influence:consultation_new", args=[world.area.pk]),
        {
            "title": "Remiss om kvällsöppet",
            "question": "Behövs kvällsöppet?",
            "deadline": DEADLINE.isoformat(),
            "organisations": [world.egen.pk, world.hjarn.pk],
        },
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get(title="Remiss om kvällsöppet")
    assert consultation.created_by == world.other_coordinator
    assert set(consultation.organisations.all()) == {world.egen, world.hjarn}
    sent = browser.post(reverse("influence:consultation_send", args=[consultation.pk]))
    assert sent.status_code == 302
    consultation.refresh_from_db()
    assert consultation.status == ConsultationStatus.SENT


def test_a_consultation_asks_only_the_areas_organisations(world):
    stranger = InfluenceOrganisation.objects.create(name="Utanför", kind="user")
    stranger.areas.add(world.other_area)
    # An organisation of the area without an account has nobody who could answer.
    quiet = InfluenceOrganisation.objects.create(name="Anhöriggruppen", kind="relatives")
    quiet.areas.add(world.area)
    with pytest.raises(InfluenceError):
        write.create_consultation(
            user=world.coordinator,
            area=world.area,
            title="X",
            question="Y",
            deadline=DEADLINE,
            organisations=[quiet],
        )
    with pytest.raises(InfluenceError):
        write.create_consultation(
            user=world.coordinator,
            area=world.area,
            title="X",
            question="Y",
            deadline=DEADLINE,
            organisations=[stranger],
        )
    response = _browser(world.coordinator).post(
        reverse("influence:consultation_new", args=[world.area.pk]),
        {
            "title": "X",
            "question": "Y",
            "deadline": DEADLINE.isoformat(),
            "organisations": [stranger.pk],
        },
    )
    assert response.status_code == 400
    assert not Consultation.objects.exists()


# --- The deadline on a fixed clock ------------------------------------------------------------


def test_an_answer_on_the_deadlines_day_is_taken_and_the_day_after_refused(world, clock):
    consultation = world.consultation()
    clock.set(DEADLINE + timedelta(days=1), hour=0)
    late = _answer(_browser(world.asked_member), consultation, world.egen)
    assert late.status_code == 400
    assert "Svarstiden har gått ut" in late.content.decode()
    assert not ConsultationAnswer.objects.exists()

    clock.set(DEADLINE, hour=23)
    in_time = _answer(_browser(world.asked_member), consultation, world.egen)
    assert in_time.status_code == 302
    assert ConsultationAnswer.objects.get().answered_by == world.asked_member


def test_a_deadline_in_the_past_is_refused_and_a_closed_consultation_takes_no_answer(world, clock):
    with pytest.raises(InfluenceError):
        world.consultation(deadline=TODAY - timedelta(days=1))
    draft = world.consultation(send=False)
    clock.set(DEADLINE + timedelta(days=2))
    with pytest.raises(InfluenceError):
        write.send_consultation(user=world.coordinator, consultation=draft)

    clock.set(TODAY)
    consultation = world.consultation()
    write.save_summary(user=world.coordinator, consultation=consultation, summary="Klart.")
    refused = _answer(_browser(world.asked_member), consultation, world.egen)
    assert refused.status_code == 400
    assert "avslutad" in refused.content.decode()


# --- One answer per organisation ------------------------------------------------------------


def test_an_organisation_answers_once(world):
    consultation = world.consultation()
    assert _answer(_browser(world.asked_member), consultation, world.egen).status_code == 302
    second = _answer(_browser(world.second_asked_member), consultation, world.egen, "Nej!")
    assert second.status_code == 400
    assert "har redan svarat" in second.content.decode()
    answer = ConsultationAnswer.objects.get()
    assert answer.text == "Vi stöder förslaget." and answer.answered_by == world.asked_member


def test_a_second_answer_that_passed_the_check_at_the_same_moment_is_refused(world, monkeypatch):
    """Two members post at once: both pass the check before either has written; the
    database's unique constraint refuses the second, which gets the same clear message."""
    consultation = world.consultation()
    ConsultationAnswer.objects.create(
        consultation=consultation,
        organisation=world.egen,
        text="Först.",
        answered_by=world.second_asked_member,
        answered_at=timezone.now(),
    )
    real_filter = ConsultationAnswer.objects.filter

    class Unseen:
        def exists(self):
            return False

    def blind_filter(*args, **kwargs):
        if set(kwargs) == {"consultation", "organisation"}:
            return Unseen()  # the check ran before the other answer was written
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(ConsultationAnswer.objects, "filter", blind_filter)
    response = _answer(_browser(world.asked_member), consultation, world.egen, "Andra.")
    assert response.status_code == 400
    assert "har redan svarat" in response.content.decode()
    monkeypatch.undo()
    assert list(ConsultationAnswer.objects.values_list("text", flat=True)) == ["Först."]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections at once")
@pytest.mark.django_db(transaction=True)
def test_two_members_answering_at_once_leave_one_answer(cast):
    from django.db import close_old_connections

    world = World(cast)
    consultation = world.consultation(deadline=timezone.localdate() + timedelta(days=5))
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def answer(user, text):
        try:
            start.wait()
            write.answer_consultation(
                user=User.objects.get(pk=user.pk),
                consultation=Consultation.objects.get(pk=consultation.pk),
                organisation=world.egen,
                text=text,
            )
            outcomes.append("saved")
        except InfluenceError:
            outcomes.append("refused")
        finally:
            close_old_connections()
            connection.close()

    threads = [
        threading.Thread(target=answer, args=(world.asked_member, "Ja.")),
        threading.Thread(target=answer, args=(world.second_asked_member, "Nej.")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "saved"]
    assert ConsultationAnswer.objects.filter(consultation=consultation).count() == 1


# --- Notices and the reminder ------------------------------------------------------------


def test_sending_tells_the_asked_organisations_members_and_the_reminder_comes_once(world, clock):
    consultation = world.consultation()
    told = {e.to for e in OutgoingEmail.objects.all()}
    assert world.asked_member.email in told and world.second_asked_member.email in told
    assert world.not_asked_member.email not in told and world.asked_analyst.email not in told
    assert consultation.question not in "".join(e.body for e in OutgoingEmail.objects.all())
    before = OutgoingEmail.objects.count()

    # Too early: nothing. Three days before the deadline: once, however often it runs.
    assert write.send_consultation_reminders(today=DEADLINE - timedelta(days=4)) == 0
    assert write.send_consultation_reminders(today=DEADLINE - timedelta(days=3)) == 1
    assert write.send_consultation_reminders(today=DEADLINE - timedelta(days=3)) == 0
    call_command("send_consultation_reminders", date=DEADLINE - timedelta(days=2))
    reminded = [e.to for e in OutgoingEmail.objects.order_by("pk")[before:]]
    speakers = {u.email for u in write.speakers_of(world.egen)}
    # Everyone who speaks for Egen Kraft (the lecturer, the peer supporters), once each.
    assert sorted(reminded) == sorted(speakers)
    assert world.asked_member.email in speakers and world.asked_analyst.email not in speakers
    assert AskedOrganisation.objects.get().reminded_at is not None


def test_no_reminder_to_an_organisation_that_has_answered(world):
    consultation = world.consultation()
    write.answer_consultation(
        user=world.asked_member, consultation=consultation, organisation=world.egen, text="Ja."
    )
    before = OutgoingEmail.objects.count()
    assert write.send_consultation_reminders(today=DEADLINE - timedelta(days=3)) == 0
    assert OutgoingEmail.objects.count() == before


# --- The public pages ----------------------------------------------------------------------


def test_the_public_pages_show_only_published_consultations_without_names(world):
    published = world.consultation()
    write.answer_consultation(
        user=world.asked_member, consultation=published, organisation=world.egen, text="Hemligt."
    )
    write.save_summary(
        user=world.coordinator, consultation=published, summary="Föreningen stöder planen."
    )
    write.publish_consultation(user=world.coordinator, consultation=published, published=True)
    unpublished = world.consultation()
    unpublished.title = "Intern remiss"
    unpublished.save()

    anonymous = Browser()
    listing = anonymous.get(reverse("influence_public:consultations"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Remiss: ny öppenvårdsplan" in html and "Intern remiss" not in html
    page = anonymous.get(reverse("influence_public:consultation", args=[published.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert published.question in html and "Föreningen stöder planen." in html
    assert "Föreningen Egen Kraft" in html
    assert "Hemligt." not in html
    for person in (world.coordinator, world.asked_member):
        assert person.full_name not in html
    hidden = anonymous.get(reverse("influence_public:consultation", args=[unpublished.pk]))
    assert hidden.status_code == 404

    write.publish_consultation(user=world.coordinator, consultation=published, published=False)
    gone = anonymous.get(reverse("influence_public:consultation", args=[published.pk]))
    assert gone.status_code == 404


def test_a_draft_cannot_be_published(world):
    draft = world.consultation(send=False)
    with pytest.raises(InfluenceError):
        write.publish_consultation(user=world.coordinator, consultation=draft, published=True)


def test_the_public_list_of_forums_per_area_names_organisations_not_people(world):
    steering = Forum.objects.create(
        area=world.area, name="Styrgruppen", level="system", kind="steering_group"
    )
    Forum.objects.create(
        area=world.area, name="Nedlagt råd", level="service", kind="user_council",
        ended_on=TODAY - timedelta(days=5),
    )  # fmt: skip
    Forum.objects.create(
        area=world.other_area, name="Nordmarks råd", level="service", kind="user_council"
    )
    ForumMember.objects.create(
        forum=steering, name="Kim Ek", capacity="representative", organisation=world.egen,
        since=TODAY - timedelta(days=100),
    )  # fmt: skip
    ForumMember.objects.create(
        forum=steering, name="Olle Berg", capacity="own_experience", since=TODAY
    )
    anonymous = Browser()
    index = anonymous.get(reverse("influence_public:forum_areas"))
    assert index.status_code == 200
    assert reverse("influence_public:forums", args=[world.area.slug]) in index.content.decode()
    page = anonymous.get(reverse("influence_public:forums", args=[world.area.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Styrgruppen" in html and "Föreningen Egen Kraft" in html
    assert "Nedlagt råd" not in html and "Nordmarks råd" not in html
    assert "Kim Ek" not in html and "Olle Berg" not in html
    assert anonymous.get(reverse("influence_public:forums", args=["finns-inte"])).status_code == 404


def test_my_consultations_lists_the_organisations_answers(world):
    consultation = world.consultation()
    browser = _browser(world.asked_member)
    page = browser.get(reverse("influence:my_consultations"))
    assert page.status_code == 200
    assert consultation.title in page.content.decode()
    assert "inte svarat än" in page.content.decode()
    assert (
        _browser(world.not_asked_member).get(reverse("influence:my_consultations")).status_code
        == 403
    )


# --- Query counts ----------------------------------------------------------------------------


def _queries(browser, url) -> int:
    from django.db import connection as db
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(db) as captured:
        assert browser.get(url).status_code == 200
    return len(captured)


def test_the_pages_cost_the_same_with_more_consultations_and_forums(world):
    coordinator = _browser(world.coordinator)
    member = _browser(world.asked_member)
    anonymous = Browser()
    area_page = reverse("influence:area_consultations", args=[world.area.pk])
    public_list = reverse("influence_public:consultations")
    forums_page = reverse("influence_public:forums", args=[world.area.slug])
    mine = reverse("influence:my_consultations")

    def publish_one():
        made = world.consultation()
        write.publish_consultation(user=world.coordinator, consultation=made, published=True)
        Forum.objects.create(area=world.area, name="Råd", level="service", kind="user_council")
        ForumMember.objects.create(
            forum=Forum.objects.latest("pk"), name="N", capacity="representative",
            organisation=world.hjarn,
        )  # fmt: skip

    publish_one()
    for browser, url in ((coordinator, area_page), (member, mine)):
        browser.get(url)  # the first request after signing in does its own bookkeeping
    few = [
        _queries(coordinator, area_page),
        _queries(anonymous, public_list),
        _queries(anonymous, forums_page),
        _queries(member, mine),
    ]
    for _n in range(4):
        publish_one()
    many = [
        _queries(coordinator, area_page),
        _queries(anonymous, public_list),
        _queries(anonymous, forums_page),
        _queries(member, mine),
    ]
    assert many == few
