"""The peer supporter's work log: only they see and change their entries, their
supervisor sees a monthly summary, nobody else anything; bad input saves nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from egenmakt.accounts.models import Membership, User
from egenmakt.accounts.roles import Role
from egenmakt.audit.models import AccessLog
from egenmakt.peer.models import (
    EDITABLE_DAYS,
    MAX_MINUTES,
    PeerWorkplace,
    Placement,
    SupervisionAttendance,
    SupervisionMeeting,
    WorkLogEntry,
)
from egenmakt.peer.selectors import worklog

pytestmark = pytest.mark.django_db

LOGIN = "login"


def today() -> date:
    return timezone.localdate()


def place(cast, person, starts_on=None, ends_on=None, workplace=None):
    workplace = (
        workplace
        or PeerWorkplace.objects.get_or_create(
            workplace=cast.org("outpatient"),
            defaults={"network": cast.org("network"), "registered_by": cast.coordinator},
        )[0]
    )
    return Placement.objects.create(
        peer_supporter=person,
        workplace=workplace,
        starts_on=starts_on or today() - timedelta(days=100),
        ends_on=ends_on,
        employer="user_organisation",
        share_percent=50,
        contact_person="Enhetschefen",
        supervisor=cast.supervisor,
        created_by=cast.coordinator,
    )


def supervise(cast, *people, supervisor=None):
    meeting = SupervisionMeeting.objects.create(
        supervisor=supervisor or cast.supervisor,
        kind="group",
        starts_at=timezone.now() - timedelta(days=3),
        place="Nätverket",
    )
    for person in people:
        SupervisionAttendance.objects.create(meeting=meeting, peer_supporter=person)
    return meeting


def other_peer_supporter(cast) -> User:
    user = User.objects.create_user("ps.annan@example.org", "x", full_name="Petra Annan")
    Membership.objects.create(user=user, organisation=cast.org("network"), role=Role.PEER_SUPPORTER)
    return user


def entry(placement, days_ago=1, **values):
    data = {
        "kind": "support_talk",
        "minutes": 45,
        "setting": "outpatient",
        "themes": ["recovery"],
    }
    data.update(values)
    return WorkLogEntry.objects.create(
        peer_supporter=placement.peer_supporter,
        placement=placement,
        day=today() - timedelta(days=days_ago),
        **data,
    )


def form_data(placement, **values):
    data = {
        "placement": placement.pk,
        "day": today().isoformat(),
        "kind": "group",
        "quick_minutes": "90",
        "other_minutes": "",
        "setting": "group_room",
        "themes": ["recovery", "relations"],
    }
    data.update(values)
    return {k: v for k, v in data.items() if v is not None}


def outcome(response) -> int | str:
    if response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")):
        return LOGIN
    return response.status_code


@pytest.fixture
def world(cast):
    placement = place(cast, cast.peer_supporter)
    mine = entry(placement, days_ago=1, kind="support_talk", minutes=45)
    entry(placement, days_ago=0, kind="group", minutes=90, themes=["relations", "rights"])
    other = other_peer_supporter(cast)
    place(cast, other)
    supervise(cast, cast.peer_supporter)
    return {"placement": placement, "entry": mine, "other": other}


def actors(cast, world):
    return {
        "self": cast.peer_supporter,
        "other_peer_supporter": world["other"],
        "supervisor": cast.supervisor,
        "other_supervisor": cast.method_supervisor,
        "coordinator": cast.coordinator,
        "case_manager": cast.case_manager,
        "anonymous": None,
    }


# What each actor gets: the own list (a peer supporter sees only their own), adding,
# changing and removing the entry of the peer supporter, and the supervisor's summaries.
MATRIX = {
    "self": {"list": 200, "add": 302, "edit": 200, "delete": 302, "summary": 403},
    "other_peer_supporter": {
        "list": 200,
        "add": 400,  # the placement is not theirs: a form error, nothing saved
        "edit": 404,
        "delete": 404,
        "summary": 403,
    },
    "supervisor": {"list": 403, "add": 403, "edit": 404, "delete": 404, "summary": 200},
    "other_supervisor": {"list": 403, "add": 403, "edit": 404, "delete": 404, "summary": 200},
    "coordinator": {"list": 403, "add": 403, "edit": 404, "delete": 404, "summary": 403},
    "case_manager": {"list": 403, "add": 403, "edit": 404, "delete": 404, "summary": 403},
    "anonymous": {"list": LOGIN, "add": LOGIN, "edit": LOGIN, "delete": LOGIN, "summary": LOGIN},
}


@pytest.mark.parametrize("who", list(MATRIX))
def test_the_permission_matrix(client, cast, signed_in, world, who):
    user = actors(cast, world)[who]
    if user is not None:
        signed_in(user)
    mine = world["entry"]
    count = WorkLogEntry.objects.count()
    got = {
        "list": outcome(client.get(reverse("peer:work_log"))),
        "add": outcome(client.post(reverse("peer:work_log_add"), form_data(world["placement"]))),
        "edit": outcome(client.get(reverse("peer:work_log_edit", args=[mine.pk]))),
        "delete": outcome(client.post(reverse("peer:work_log_delete", args=[mine.pk]))),
        "summary": outcome(client.get(reverse("peer:supervisee_work"))),
    }
    assert got == MATRIX[who]
    if who == "self":
        assert WorkLogEntry.objects.count() == count  # one added, one removed
        assert not WorkLogEntry.objects.filter(pk=mine.pk).exists()
    else:
        assert WorkLogEntry.objects.count() == count
        assert WorkLogEntry.objects.filter(pk=mine.pk).exists()


def test_pages_show_each_person_only_what_is_theirs(client, cast, signed_in, world):
    signed_in(world["other"])
    page = client.get(reverse("peer:work_log")).content.decode()
    assert "Inget loggat den här månaden." in page or "Nothing logged" in page
    assert reverse("peer:work_log_edit", args=[world["entry"].pk]) not in page

    signed_in(cast.peer_supporter)
    page = client.get(reverse("peer:work_log")).content.decode()
    assert reverse("peer:work_log_edit", args=[world["entry"].pk]) in page

    # The supervisor sees the summary of the one they supervise, not the entries.
    signed_in(cast.supervisor)
    page = client.get(reverse("peer:supervisee_work")).content.decode()
    assert cast.peer_supporter.full_name in page
    assert world["other"].full_name not in page
    assert "2:15" in page  # 45 + 90 minutes
    assert reverse("peer:work_log_edit", args=[world["entry"].pk]) not in page
    assert AccessLog.objects.filter(
        actor=cast.supervisor, person_id=str(cast.peer_supporter.pk), reason="work log summary"
    ).exists()

    # A supervisor who does not supervise them sees nobody's summary.
    signed_in(cast.method_supervisor)
    page = client.get(reverse("peer:supervisee_work")).content.decode()
    assert cast.peer_supporter.full_name not in page


def test_the_month_summary_counts_by_kind_time_and_themes(cast, world):
    summary = worklog.month_summary(cast.peer_supporter, today().replace(day=1))
    # Entries of yesterday count in this month only when yesterday was in it.
    if (today() - timedelta(days=1)).month == today().month:
        assert (summary.count, summary.minutes, summary.hours) == (2, 135, "2:15")
        assert [(k, n, m) for k, _label, n, m in summary.by_kind] == [
            ("support_talk", 1, 45),
            ("group", 1, 90),
        ]
        assert {k: n for k, _label, n in summary.themes} == {
            "recovery": 1,
            "relations": 1,
            "rights": 1,
        }


def test_a_week_is_logged_and_earlier_months_are_reached_by_month(client, cast, signed_in, world):
    signed_in(cast.peer_supporter)
    placement = world["placement"]
    old = entry(placement, days_ago=60)
    month = old.day.strftime("%Y-%m")
    page = client.get(reverse("peer:work_log") + f"?month={month}").content.decode()
    assert old.day.strftime("%Y-%m") in page or str(old.day.day) in page
    # Too old to change: the edit page refuses.
    assert client.get(reverse("peer:work_log_edit", args=[old.pk])).status_code == 403
    assert client.post(reverse("peer:work_log_delete", args=[old.pk])).status_code == 403
    assert WorkLogEntry.objects.filter(pk=old.pk).exists()
    # A recent one changes.
    response = client.post(
        reverse("peer:work_log_edit", args=[world["entry"].pk]),
        form_data(placement, quick_minutes="", other_minutes="25", kind="accompanying"),
    )
    assert response.status_code == 302
    world["entry"].refresh_from_db()
    assert (world["entry"].minutes, world["entry"].kind) == (25, "accompanying")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quick_minutes": "", "other_minutes": "0"}, "other_minutes"),
        ({"quick_minutes": "", "other_minutes": str(MAX_MINUTES + 1)}, "other_minutes"),
        ({"quick_minutes": "", "other_minutes": ""}, "__all__"),
        ({"quick_minutes": "17"}, "quick_minutes"),
        ({"themes": ["recovery", "diagnosis"]}, "themes"),
        ({"kind": "therapy"}, "kind"),
        ({"setting": "prison"}, "setting"),
        ({"day": 2}, "__all__"),  # days from today: in the future
        ({"day": -(EDITABLE_DAYS + 1)}, "__all__"),  # older than may be logged
        ({"day": "igår"}, "day"),
    ],
)
def test_bad_input_is_a_form_error_and_saves_nothing(client, cast, signed_in, world, change, field):
    signed_in(cast.peer_supporter)
    if isinstance(change.get("day"), int):
        change = {"day": (today() + timedelta(days=change["day"])).isoformat()}
    count = WorkLogEntry.objects.count()
    response = client.post(reverse("peer:work_log_add"), form_data(world["placement"], **change))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert WorkLogEntry.objects.count() == count


def test_a_placement_not_theirs_or_not_running_that_day_is_refused(client, cast, signed_in, world):
    signed_in(cast.peer_supporter)
    count = WorkLogEntry.objects.count()
    theirs = Placement.objects.get(peer_supporter=world["other"])
    response = client.post(reverse("peer:work_log_add"), form_data(theirs))
    assert response.status_code == 400
    assert "placement" in response.context["form"].errors
    # A placement of their own that ended a week ago: not for today's work.
    ended = place(
        cast,
        cast.peer_supporter,
        starts_on=today() - timedelta(days=200),
        ends_on=today() - timedelta(days=7),
        workplace=PeerWorkplace.objects.create(
            workplace=cast.org("housing_support"),
            network=cast.org("network"),
            registered_by=cast.coordinator,
        ),
    )
    response = client.post(reverse("peer:work_log_add"), form_data(ended))
    assert response.status_code == 400
    assert "__all__" in response.context["form"].errors
    assert WorkLogEntry.objects.count() == count
    # The same placement on a day it ran is fine.
    response = client.post(
        reverse("peer:work_log_add"),
        form_data(ended, day=(today() - timedelta(days=8)).isoformat()),
    )
    assert response.status_code == 302
    assert WorkLogEntry.objects.count() == count + 1


def test_the_services_refuse_directly_too(cast, world):
    from django.core.exceptions import PermissionDenied

    from egenmakt.peer.services import worklog as services
    from egenmakt.peer.services.recruitment import RecruitmentError

    placement = world["placement"]
    values = {"kind": "group", "minutes": 30, "setting": "group_room", "themes": ["recovery"]}
    with pytest.raises(RecruitmentError):
        services.record_entry(user=world["other"], placement=placement, day=today(), **values)
    with pytest.raises(RecruitmentError):
        services.record_entry(
            user=cast.peer_supporter,
            placement=placement,
            day=today(),
            **{**values, "themes": ["unknown"]},
        )
    with pytest.raises(RecruitmentError):
        services.record_entry(
            user=cast.peer_supporter, placement=placement, day=today(), **{**values, "minutes": 0}
        )
    with pytest.raises(PermissionDenied):
        services.delete_entry(user=world["other"], entry=world["entry"])
    assert WorkLogEntry.objects.filter(pk=world["entry"].pk).exists()


def test_the_supervisors_page_does_not_grow_in_queries_with_supervisees(
    client, cast, signed_in, world, django_assert_max_num_queries
):
    signed_in(cast.supervisor)
    client.get(reverse("peer:supervisee_work"))
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("peer:supervisee_work"))
    people = []
    for i in range(5):
        user = User.objects.create_user(f"ps.fler{i}@example.org", "x", full_name=f"Fler {i}")
        p = place(cast, user)
        entry(p)
        people.append(user)
    supervise(cast, *people)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("peer:supervisee_work")).content.decode()
    assert "Fler 4" in page


def test_the_own_page_does_not_grow_in_queries_with_entries(
    client, cast, signed_in, world, django_assert_max_num_queries
):
    signed_in(cast.peer_supporter)
    client.get(reverse("peer:work_log"))
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("peer:work_log"))
    for days in range(2, 12):
        entry(world["placement"], days_ago=days % 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("peer:work_log"))
