"""The public application form, the receipt and the applicant's own page."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from egenmakt.audit.models import AccessLog, Action
from egenmakt.outbox.models import EmailStatus, OutgoingEmail
from egenmakt.outbox.services import deliver
from egenmakt.peer.models import Application, ApplicationStatus, RoundStatus
from egenmakt.peer.services import recruitment as services

from .factories import apply, make_round, round_dates

pytestmark = pytest.mark.django_db

FORM = {
    "full_name": "Alva Berg",
    "email": "alva@example.org",
    "phone": "",
    "municipality": "Västerhav",
    "birth_year": "1984",
    "gender": "",
    "own_experience": "Ångest sedan tonåren.",
    "care_experience": "Öppenvård och en brukarförening.",
    "motivation": "Jag vill visa att det går att må bättre.",
    "work_capacity": "half_or_more",
    "available_for_course": "yes",
    "support_needs": "",
    "heard_from": "services",
    "accept_notice": "on",
}


def url(round_):
    return reverse("peer_public:apply", args=[round_.public_key])


def test_applicant_applies_and_gets_receipt_page_and_email(client, cast):
    round_ = make_round(cast)
    response = client.post(url(round_), FORM)
    assert response.status_code == 302
    application = Application.objects.get(round=round_)
    assert application.full_name == "Alva Berg"
    assert application.status == ApplicationStatus.APPLIED
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    assert "Alva Berg" in receipt.content.decode()
    # The receipt e-mail went through the outbox and carries the private link.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alva@example.org"]
    assert services.status_token(application) in mail.outbox[0].body
    sent = OutgoingEmail.objects.get(purpose="application receipt")
    assert sent.status == EmailStatus.SENT
    assert sent.body == ""  # the private link is not kept in the outbox
    assert AccessLog.objects.filter(
        action=Action.CREATE, person_id=str(application.pk), actor=None
    ).exists()


def test_form_in_english_and_application_remembers_language(client, cast):
    round_ = make_round(cast)
    client.cookies["egenmakt_language"] = "en"
    page = client.get(url(round_))
    assert "Apply to the peer support course" in page.content.decode()
    client.post(url(round_), FORM)
    assert Application.objects.get(round=round_).preferred_language == "en"
    assert "We have received your application" in mail.outbox[0].subject


def test_form_in_swedish_by_default(client, cast):
    page = client.get(url(make_round(cast)))
    assert "Ansök till peer support-utbildningen" in page.content.decode()


def test_missing_required_field_gives_clear_error_and_saves_nothing(client, cast):
    round_ = make_round(cast)
    data = {**FORM, "motivation": ""}
    response = client.post(url(round_), data)
    assert response.status_code == 400
    assert "Detta fält måste fyllas i." in response.content.decode()
    assert not Application.objects.filter(round=round_).exists()
    assert not OutgoingEmail.objects.exists()


def test_notice_must_be_accepted(client, cast):
    round_ = make_round(cast)
    data = {k: v for k, v in FORM.items() if k != "accept_notice"}
    response = client.post(url(round_), data)
    assert response.status_code == 400
    assert not Application.objects.filter(round=round_).exists()


def test_too_long_answer_is_refused_at_the_field(client, cast):
    round_ = make_round(cast)
    response = client.post(url(round_), {**FORM, "motivation": "x" * 6000})
    assert response.status_code == 400
    assert "5000" in response.content.decode()
    assert not Application.objects.filter(round=round_).exists()


def test_ten_megabytes_of_text_is_a_clear_error_not_a_crash(client, cast):
    round_ = make_round(cast)
    response = client.post(url(round_), {**FORM, "motivation": "x" * (10 * 1024 * 1024)})
    assert response.status_code == 413
    assert "för lång" in response.content.decode()
    assert not Application.objects.filter(round=round_).exists()


def test_html_in_a_text_field_is_shown_escaped(client, cast, signed_in):
    round_ = make_round(cast)
    client.post(url(round_), {**FORM, "full_name": "<script>alert(1)</script>Alva"})
    application = Application.objects.get(round=round_)
    signed_in(cast.coordinator)
    page = client.get(reverse("peer:application", args=[application.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Alva" in page


def test_rate_limit_per_address(client, cast):
    round_ = make_round(cast)
    for n in range(5):
        assert client.post(url(round_), {**FORM, "email": f"a{n}@example.org"}).status_code == 302
    response = client.post(url(round_), {**FORM, "email": "a6@example.org"})
    assert response.status_code == 429
    assert Application.objects.filter(round=round_).count() == 5
    # Mistakes do not count: the form still explains what is wrong... until 30 posts.
    blocked = client.post(url(round_), {**FORM, "motivation": ""})
    assert blocked.status_code == 429
    # Another address is not held back.
    other = client.post(url(round_), {**FORM, "email": "b@example.org"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_correcting_mistakes_does_not_use_up_the_limit(client, cast):
    round_ = make_round(cast)
    for _ in range(8):
        assert client.post(url(round_), {**FORM, "motivation": ""}).status_code == 400
    assert client.post(url(round_), FORM).status_code == 302


def test_a_flood_of_posts_is_stopped(client, cast):
    round_ = make_round(cast)
    statuses = [client.post(url(round_), {**FORM, "motivation": ""}).status_code for _ in range(31)]
    assert statuses[:30] == [400] * 30
    assert statuses[30] == 429


def test_csrf_is_required(cast):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    round_ = make_round(cast)
    assert strict.post(url(round_), FORM).status_code == 403
    assert not Application.objects.filter(round=round_).exists()


def test_closed_round_says_so(client, cast):
    round_ = make_round(cast)
    services.set_round_status(user=cast.coordinator, round_=round_, status=RoundStatus.CLOSED)
    page = client.get(url(round_))
    assert "stängd" in page.content.decode()
    client.post(url(round_), FORM)
    assert not Application.objects.filter(round=round_).exists()


def test_round_past_its_last_day_says_closed(client, cast):
    today = timezone.localdate()
    round_ = make_round(
        cast,
        **round_dates(
            advertising_from=today - timedelta(days=40),
            applications_until=today - timedelta(days=1),
        ),
    )
    assert "stängd" in client.get(url(round_)).content.decode()


def test_full_round_says_so(client, cast):
    round_ = make_round(cast, max_applications=1)
    apply(round_)
    page = client.get(url(round_))
    assert "full" in page.content.decode()
    client.post(url(round_), FORM)
    assert Application.objects.filter(round=round_).count() == 1


def test_draft_round_is_not_found(client, cast):
    round_ = make_round(cast, open_=False)
    assert client.get(url(round_)).status_code == 404


def test_failed_email_does_not_lose_the_application_and_is_retried(client, cast):
    round_ = make_round(cast)
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=ConnectionRefusedError("mail server down"),
    ):
        response = client.post(url(round_), FORM)
    assert response.status_code == 302
    assert Application.objects.filter(round=round_).count() == 1
    email = OutgoingEmail.objects.get(purpose="application receipt")
    assert email.status == EmailStatus.QUEUED
    assert email.attempts == 1
    assert "mail server down" in email.last_error
    assert email.next_attempt_at > timezone.now()
    # The next attempt (by the task queue or the sweep) delivers it.
    deliver(email.pk)
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert len(mail.outbox) == 1


def test_status_page_and_withdrawal_through_the_private_link(client, cast):
    round_ = make_round(cast)
    application = apply(round_)
    token = services.status_token(application)
    page = client.get(reverse("peer_public:status", args=[token]))
    assert page.status_code == 200
    assert "Vi har tagit emot din ansökan" in page.content.decode()
    assert AccessLog.objects.filter(
        person_id=str(application.pk), reason="applicant's own page"
    ).exists()
    # Without the confirmation box nothing happens.
    client.post(reverse("peer_public:withdraw", args=[token]))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPLIED
    client.post(reverse("peer_public:withdraw", args=[token]), {"confirm": "1"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN


def test_altered_private_link_is_not_found(client, cast):
    application = apply(make_round(cast))
    token = services.status_token(application)
    assert client.get(reverse("peer_public:status", args=[token[:-2] + "xx"])).status_code == 404
    assert client.get(reverse("peer_public:status", args=["nonsense"])).status_code == 404
