"""Homework: set from the library, handed in with text and a checked file, feedback,
and nobody sees another participant's hand-in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from egenmakt.peer.models import Exercise, ExerciseKind, SessionExercise, Submission
from egenmakt.peer.selectors.library import DEFAULT_EXERCISES
from egenmakt.peer.services import homework as homework_services
from egenmakt.peer.services import library as library_services

from .test_course import add_day, cohort_with

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def homework(cast, cohort):
    return homework_services.set_homework(
        user=cast.course_leader,
        cohort=cohort,
        title="Min återhämtningsberättelse",
        instructions="Skriv en sida.",
        due=timezone.localdate() + timedelta(days=7),
    )


def test_course_leader_sets_homework_from_the_library(client, cast, signed_in):
    cohort = cohort_with(cast)
    signed_in(cast.course_leader)
    url = reverse("peer:cohort_homework", args=[cohort.pk])
    page = client.get(url).content.decode()
    assert "Min återhämtningsberättelse" in page  # the library's suggestion
    response = client.post(
        url,
        {
            "title": "KASAM",
            "instructions": "Läs och skriv.",
            "due": (timezone.localdate() + timedelta(days=5)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert cohort.assignments.get().title == "KASAM"


def test_participant_hands_in_text_and_a_file_and_sees_feedback(client, cast, signed_in):
    cohort = cohort_with(cast, n=1)
    assignment = homework(cast, cohort)
    participant = cohort.participants.get()
    signed_in(participant.user)
    url = reverse("peer:my_assignment", args=[assignment.pk])
    response = client.post(
        url,
        {"text": "Det som hjälpte mig var...", "file": SimpleUploadedFile("min text.pdf", PDF)},
    )
    assert response.status_code == 302
    submission = Submission.objects.get(participant=participant)
    assert submission.file_name == "min text.pdf"
    assert "min text" not in submission.file.name  # the name on disk is the server's
    # The course leader reads it, downloads the file and gives feedback.
    signed_in(cast.course_leader)
    page = client.get(reverse("peer:assignment", args=[assignment.pk])).content.decode()
    assert "Det som hjälpte mig var..." in page
    download = client.get(reverse("peer:submission_file", args=[submission.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    client.post(
        reverse("peer:assignment", args=[assignment.pk]),
        {"submission": submission.pk, "feedback": "Fint skrivet!"},
    )
    signed_in(participant.user)
    assert "Fint skrivet!" in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "Ladda upp en PDF"),
        ("fake.pdf", b"<html>not a pdf</html>", "inte en PDF-fil"),
        ("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024 + 1), "större än 5 MB"),
        ("empty.txt", b"", "tom"),
    ],
)
def test_bad_uploads_are_refused_with_a_clear_message(
    client, cast, signed_in, name, content, message
):
    cohort = cohort_with(cast, n=1)
    assignment = homework(cast, cohort)
    signed_in(cohort.participants.get().user)
    response = client.post(
        reverse("peer:my_assignment", args=[assignment.pk]),
        {"text": "", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Submission.objects.exists()


def test_a_participant_never_sees_another_participants_hand_in(client, cast, signed_in):
    cohort = cohort_with(cast, n=2)
    assignment = homework(cast, cohort)
    first, second = cohort.participants.order_by("pk")
    submission = homework_services.hand_in(
        user=first.user,
        participant=first,
        assignment=assignment,
        text="Mitt privata svar",
        upload=SimpleUploadedFile("a.txt", b"hej"),
    )
    signed_in(second.user)
    assert client.get(reverse("peer:submission_file", args=[submission.pk])).status_code == 404
    page = client.get(reverse("peer:my_assignment", args=[assignment.pk])).content.decode()
    assert "Mitt privata svar" not in page
    assert client.get(reverse("peer:assignment", args=[assignment.pk])).status_code == 404
    # Nor can they hand in for someone else.
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        homework_services.hand_in(
            user=second.user, participant=first, assignment=assignment, text="x"
        )


def test_outsiders_do_not_reach_hand_ins(client, cast, signed_in):
    cohort = cohort_with(cast, n=1)
    assignment = homework(cast, cohort)
    participant = cohort.participants.get()
    submission = homework_services.hand_in(
        user=participant.user, participant=participant, assignment=assignment, text="Svar"
    )
    for person in ("outsider_course_leader", "case_manager", "interviewer", "peer_supporter"):
        signed_in(getattr(cast, person))
        assert client.get(reverse("peer:assignment", args=[assignment.pk])).status_code == 404
        assert client.get(reverse("peer:submission_file", args=[submission.pk])).status_code == 404


def test_exercises_are_linked_to_course_days(client, cast, signed_in):
    cohort = cohort_with(cast)
    day = add_day(cast, cohort, 2)
    signed_in(cast.course_leader)
    page = client.get(reverse("peer:cohort_homework", args=[cohort.pk])).content.decode()
    exercise = DEFAULT_EXERCISES[1]
    assert exercise.title in page and "Följer med Egenmakt" in page
    response = client.post(
        reverse("peer:link_exercise", args=[cohort.pk]),
        {"session": day.pk, "position": 1, "title": exercise.title},
    )
    assert response.status_code == 302
    used = list(day.linked_exercises.all())
    assert [(u.kind, u.title, u.description) for u in used] == [
        (exercise.kind, exercise.title, exercise.description)
    ]
    # Linking is not editing: the shipped library stays the shipped one, no rows copied.
    assert not Exercise.objects.exists()
    # Again: once.
    client.post(
        reverse("peer:link_exercise", args=[cohort.pk]),
        {"session": day.pk, "position": 1, "title": exercise.title},
    )
    assert day.linked_exercises.count() == 1


def test_an_exercise_or_day_not_of_this_course_is_not_found(client, cast, signed_in):
    cohort = cohort_with(cast)
    day = add_day(cast, cohort, 2)
    other_day = add_day(cast, cohort_with(cast), 3)
    signed_in(cast.course_leader)
    url = reverse("peer:link_exercise", args=[cohort.pk])
    title = DEFAULT_EXERCISES[0].title
    assert client.post(url, {"session": day.pk, "position": "x", "title": title}).status_code == 404
    assert client.post(url, {"session": 0, "position": 0, "title": title}).status_code == 404
    assert (
        client.post(url, {"session": other_day.pk, "position": 0, "title": title}).status_code
        == 404
    )
    assert not SessionExercise.objects.exists()


def test_an_exercise_changed_in_between_is_not_linked(client, cast, signed_in):
    """The page showed a library that has changed since: nothing is linked, and the
    course leader is told."""
    cohort = cohort_with(cast)
    day = add_day(cast, cohort, 2)
    signed_in(cast.course_leader)
    url = reverse("peer:link_exercise", args=[cohort.pk])
    response = client.post(url, {"session": day.pk, "position": 0, "title": "Något annat"})
    assert response.status_code == 302
    assert not SessionExercise.objects.exists()
    response = client.post(url, {"session": day.pk, "position": 99, "title": "X"}, follow=True)
    assert "finns inte längre i biblioteket" in response.content.decode()
    assert not SessionExercise.objects.exists()


def test_the_course_uses_the_library_of_its_organisation(client, cast, signed_in):
    """A course of a network that inherits uses the inherited library: homework and
    exercises the organisation above wrote, not the shipped ones."""
    network = cast.org("network")
    library_services.add_homework(
        user=cast.coordinator,
        organisation=network,
        title="Nätverkets egen uppgift",
        instructions="Skriv om ditt nätverk.",
        week=2,
    )
    library_services.add_exercise(
        user=cast.coordinator,
        organisation=network,
        kind=ExerciseKind.WORKSHOP,
        title="Nätverkets egen workshop",
        description="Öva i par.",
    )
    cohort = cohort_with(cast)
    assert cohort.round.organisation == network
    signed_in(cast.course_leader)
    page = client.get(reverse("peer:cohort_homework", args=[cohort.pk])).content.decode()
    assert "Nätverkets egen uppgift" in page and "Nätverkets egen workshop" in page
    assert "Egen: Brukarnätverket Västerhav" in page
