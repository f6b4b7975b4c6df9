"""The third step, the certificate, the calendar feeds and reminders."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from egenmakt.accounts.models import Membership
from egenmakt.accounts.roles import Role
from egenmakt.peer.models import ParticipantStatus
from egenmakt.peer.services import course as course_services
from egenmakt.peer.services import homework as homework_services

from .factories import acknowledge
from .test_course import add_day, cohort_with, meet_the_handbook

pytestmark = pytest.mark.django_db


def test_coordinator_completes_a_participant_who_becomes_a_peer_supporter(client, cast, signed_in):
    cohort = meet_the_handbook(cast, cohort_with(cast, n=2))
    done, dropped = cohort.participants.order_by("pk")
    signed_in(cast.coordinator)
    url = reverse("peer:cohort_completion", args=[cohort.pk])
    response = client.post(
        url,
        {
            "participant": done.pk,
            "completed": "yes",
            "recommended": "yes",
            "reason": "Stark i rollen.",
        },
    )
    assert response.status_code == 302
    client.post(
        url,
        {
            "participant": dropped.pk,
            "completed": "no",
            "recommended": "no",
            "reason": "Avbröt vecka 3.",
        },
    )
    done.refresh_from_db()
    dropped.refresh_from_db()
    assert done.status == ParticipantStatus.COMPLETED and done.recommended is True
    assert dropped.status == ParticipantStatus.NOT_COMPLETED and dropped.recommended is False
    assert Membership.objects.filter(user=done.user, role=Role.PEER_SUPPORTER).exists()
    assert not Membership.objects.filter(user=dropped.user, role=Role.PEER_SUPPORTER).exists()


def test_a_reason_is_required(client, cast, signed_in):
    cohort = cohort_with(cast, n=1)
    participant = cohort.participants.get()
    signed_in(cast.coordinator)
    response = client.post(
        reverse("peer:cohort_completion", args=[cohort.pk]),
        {"participant": participant.pk, "completed": "yes", "recommended": "yes", "reason": " "},
    )
    assert response.status_code == 400
    assert "Ange skälet" in response.content.decode()
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.ACTIVE


def test_only_the_rounds_coordinator_records_the_third_step(client, cast, signed_in):
    cohort = cohort_with(cast, n=1)
    for person in ("training_lead", "course_leader"):
        signed_in(getattr(cast, person))
        assert client.get(reverse("peer:cohort_completion", args=[cohort.pk])).status_code == 403
    signed_in(cohort.participants.get().user)
    assert client.get(reverse("peer:cohort_completion", args=[cohort.pk])).status_code == 404


def test_certificate_is_a_pdf_naming_the_participant(client, cast, signed_in):
    cohort = meet_the_handbook(cast, cohort_with(cast, n=2))
    add_day(cast, cohort, -20)
    add_day(cast, cohort, -1)
    participant, other = cohort.participants.order_by("pk")
    url = reverse("peer:certificate", args=[participant.pk])
    signed_in(participant.user)
    assert client.get(url).status_code == 404  # not completed yet
    course_services.complete_course(
        user=cast.coordinator,
        participant=participant,
        completed=True,
        recommended=True,
        reason="Ja",
    )
    # The certificate waits for the ethics guidelines (test_ethics.py has the refusal).
    acknowledge(participant)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert participant.application.full_name in text
    assert "Kursintyg" in text
    # Another participant cannot fetch it.
    signed_in(other.user)
    assert client.get(url).status_code == 404
    signed_in(cast.coordinator)
    assert client.get(url).status_code == 200


def test_calendar_feeds_are_private_and_hold_no_names(client, cast):
    cohort = cohort_with(cast, n=1)
    day = add_day(cast, cohort, 5)
    participant = cohort.participants.get()
    homework_services.set_homework(
        user=cast.course_leader,
        cohort=cohort,
        title="KASAM",
        instructions="Läs.",
        due=timezone.localdate() + timedelta(days=9),
    )
    feed = client.get(reverse("peer:cohort_feed", args=[cohort.calendar_key]))
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [f"{cohort.title}: {day.theme}"]
    own = client.get(reverse("peer:participant_feed", args=[participant.calendar_key]))
    summaries = [str(e["summary"]) for e in Calendar.from_ical(own.content).walk("VEVENT")]
    assert any("KASAM" in s for s in summaries)
    assert participant.application.full_name.encode() not in own.content
    import uuid

    assert client.get(reverse("peer:cohort_feed", args=[uuid.uuid4()])).status_code == 404


def test_reminders_go_to_those_who_asked_through_the_queue(cast):
    cohort = cohort_with(cast, n=2)
    add_day(cast, cohort, 1)
    wants, does_not = cohort.participants.order_by("pk")
    wants.wants_reminders = True
    wants.save()
    does_not.wants_reminders = False
    does_not.save()
    mail.outbox.clear()
    assert course_services.send_course_reminders() == 1
    assert [m.to for m in mail.outbox] == [[wants.user.email]]
    assert "Vad är återhämtning?" in mail.outbox[0].body


def test_participant_turns_reminders_on(client, cast, signed_in):
    cohort = cohort_with(cast, n=1)
    participant = cohort.participants.get()
    signed_in(participant.user)
    client.post(reverse("peer:my_reminders"), {"wants_reminders": "1"})
    participant.refresh_from_db()
    assert participant.wants_reminders
