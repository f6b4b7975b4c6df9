"""Step 3, the course: forming a cohort, staff, schedule, attendance, absence reports."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from egenmakt.demo.cast import cast_keys
from egenmakt.peer.models import (
    ApplicationStatus,
    AttendanceStatus,
    CohortRole,
    DecisionOutcome,
)
from egenmakt.peer.selectors.course import participant_rows
from egenmakt.peer.services import course as course_services

from .factories import admitted, make_round

pytestmark = pytest.mark.django_db


def cohort_with(cast, n: int = 2, reserves: int = 0):
    round_ = make_round(cast)
    for _ in range(n):
        admitted(cast, round_)
    waiting = [admitted(cast, round_, DecisionOutcome.RESERVE) for _ in range(reserves)]
    cohort = course_services.create_cohort(
        user=cast.training_lead,
        round_=round_,
        title="Kurs våren 2027",
        attendance_threshold=80,
        reserves=waiting,
    )
    course_services.add_staff(
        user=cast.training_lead, cohort=cohort, person=cast.course_leader, role="course_leader"
    )
    course_services.add_staff(
        user=cast.training_lead, cohort=cohort, person=cast.lecturer, role="lecturer"
    )
    return cohort


def add_day(cast, cohort, days: int):
    return course_services.add_session(
        user=cast.training_lead,
        cohort=cohort,
        day=timezone.localdate() + timedelta(days=days),
        starts=time(9, 0),
        ends=time(16, 0),
        place="Brukarnätverket",
        theme="Vad är återhämtning?",
        leaders=[cast.course_leader],
    )


def meet_the_handbook(cast, cohort):
    """Make the course meet the handbook's required rules: its course leader represents the
    user movement and declared own experience, and leads its one course day."""
    course_services.add_staff(
        user=cast.training_lead,
        cohort=cohort,
        person=cast.course_leader,
        role="course_leader",
        represents_user_movement=True,
    )
    course_services.declare_lived_experience(user=cast.course_leader, declared=True)
    add_day(cast, cohort, -1)
    return cohort


def test_training_lead_forms_a_cohort_and_participants_are_invited(cast):
    mail.outbox.clear()
    cohort = cohort_with(cast, n=2, reserves=1)
    participants = list(cohort.participants.select_related("application", "user"))
    assert len(participants) == 3
    assert sum(p.from_reserve_list for p in participants) == 1
    assert all(p.application.status == ApplicationStatus.ADMITTED for p in participants)
    assert all(p.user and p.user.email == p.application.email for p in participants)
    invitations = [
        m for m in mail.outbox if "Välkommen till peer support-utbildningen" in m.subject
    ]
    assert len(invitations) == 3
    assert "/konto/losenord/" in invitations[0].body  # a link to choose a password


def test_support_agreed_at_the_interview_follows_the_participant(cast):
    round_ = make_round(cast)
    application = admitted(cast, round_, support_needs="Påminnelser, tack.")
    cohort = course_services.create_cohort(
        user=cast.training_lead, round_=round_, title="K", attendance_threshold=80
    )
    participant = cohort.participants.get(application=application)
    assert "Påminnelser" in participant.support_agreed


def test_forming_a_cohort_needs_a_training_lead_or_coordinator(cast):
    from django.core.exceptions import PermissionDenied

    round_ = make_round(cast)
    admitted(cast, round_)
    for person in (cast.course_leader, cast.interviewer, cast.outsider_training_lead):
        with pytest.raises(PermissionDenied):
            course_services.create_cohort(
                user=person, round_=round_, title="K", attendance_threshold=80
            )


def test_the_cohort_page_shows_each_handbook_rule_with_its_source(client, cast, signed_in):
    cohort = cohort_with(cast)
    signed_in(cast.training_lead)
    page = client.get(reverse("peer:cohort", args=[cohort.pk])).content.decode()
    assert "En majoritet av kursledarna ska representera brukarrörelsen" in page
    assert "Majoriteten av föreläsningarna under utbildningen ska hållas" in page
    assert "Samordnaren bör vara en representant" in page
    assert "Krav (handboken säger ”ska”)" in page
    assert "Rekommendation (handboken säger ”bör”)" in page
    assert "0 av 1 kursledare" in page
    meet_the_handbook(cast, cohort)
    page = client.get(reverse("peer:cohort", args=[cohort.pk])).content.decode()
    assert "1 av 1 kursledare" in page


def test_course_leader_takes_attendance_and_rates_show_with_a_warning(client, cast, signed_in):
    cohort = cohort_with(cast, n=2)
    day = add_day(cast, cohort, 0)
    first, second = cohort.participants.order_by("pk")
    signed_in(cast.course_leader)
    url = reverse("peer:attendance", args=[day.pk])
    response = client.post(url, {f"mark-{first.pk}": "present", f"mark-{second.pk}": "absent"})
    assert response.status_code == 302
    rates = {row.participant.pk: row.rate for row in participant_rows(cohort)}
    assert rates == {first.pk: 100, second.pk: 0}
    page = client.get(reverse("peer:cohort", args=[cohort.pk])).content.decode()
    assert "under gränsen" in page


def test_participant_reports_absence_ahead_and_the_leader_sees_it(client, cast, signed_in):
    cohort = cohort_with(cast, n=1)
    day = add_day(cast, cohort, 3)
    participant = cohort.participants.get()
    signed_in(participant.user)
    page = client.get(reverse("peer:my_course")).content.decode()
    assert "Vad är återhämtning?" in page
    response = client.post(reverse("peer:my_course"), {"session": day.pk, "note": "Läkarbesök"})
    assert response.status_code == 302
    signed_in(cast.course_leader)
    sheet = client.get(reverse("peer:attendance", args=[day.pk])).content.decode()
    assert "anmält frånvaro" in sheet and "Läkarbesök" in sheet
    assert participant.attendance.get().status == AttendanceStatus.ABSENT_REPORTED


def test_absence_cannot_be_reported_for_another_course(client, cast, signed_in):
    cohort = cohort_with(cast, n=1)
    other = cohort_with(cast, n=1)
    day = add_day(cast, other, 3)
    signed_in(cohort.participants.get().user)
    response = client.post(reverse("peer:my_course"), {"session": day.pk})
    assert response.status_code == 400
    assert not other.sessions.get().attendance.exists()


OUTSIDE = sorted(
    key
    for key, _r, _o in cast_keys()
    if key not in {"training_lead", "course_leader", "lecturer", "coordinator"}
)


@pytest.mark.parametrize("person", OUTSIDE)
def test_nobody_outside_the_course_reaches_it(client, cast, signed_in, person):
    cohort = cohort_with(cast)
    day = add_day(cast, cohort, 0)
    signed_in(getattr(cast, person))
    assert client.get(reverse("peer:cohort", args=[cohort.pk])).status_code == 404
    assert client.get(reverse("peer:attendance", args=[day.pk])).status_code == 404


def test_participants_do_not_reach_the_staff_pages(client, cast, signed_in):
    cohort = cohort_with(cast, n=2)
    day = add_day(cast, cohort, 0)
    signed_in(cohort.participants.first().user)
    assert client.get(reverse("peer:cohort", args=[cohort.pk])).status_code == 404
    assert client.get(reverse("peer:attendance", args=[day.pk])).status_code == 404


def test_lecturer_cannot_plan_the_schedule(client, cast, signed_in):
    cohort = cohort_with(cast)
    signed_in(cast.lecturer)
    response = client.post(
        reverse("peer:cohort_session", args=[cohort.pk]),
        {"day": "2027-01-10", "starts": "09:00", "ends": "12:00", "place": "x", "theme": "y"},
    )
    assert response.status_code == 403
    assert not cohort.sessions.exists()


def test_staff_roles_are_recorded(cast):
    cohort = cohort_with(cast)
    roles = dict(cohort.staff.values_list("user_id", "role"))
    assert roles[cast.training_lead.pk] == CohortRole.TRAINING_LEAD
    assert roles[cast.course_leader.pk] == CohortRole.COURSE_LEADER


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_attendance_page_costs_the_same_with_more_participants(client, cast, signed_in):
    small = cohort_with(cast, n=2)
    large = cohort_with(cast, n=8)
    small_day, large_day = add_day(cast, small, 0), add_day(cast, large, 0)
    for cohort, day in ((small, small_day), (large, large_day)):
        course_services.take_attendance(
            user=cast.course_leader,
            session=day,
            marks={p.pk: "present" for p in cohort.participants.all()},
        )
    signed_in(cast.course_leader)
    _queries(client, reverse("peer:attendance", args=[small_day.pk]))
    assert _queries(client, reverse("peer:attendance", args=[small_day.pk])) == _queries(
        client, reverse("peer:attendance", args=[large_day.pk])
    )
    assert _queries(client, reverse("peer:cohort", args=[small.pk])) == _queries(
        client, reverse("peer:cohort", args=[large.pk])
    )
