"""Text messages: numbers in E.164, the backends, and 46elks against a local stub that
speaks its API (auth, fields, JSON answer), with the e-mail's retries and pauses."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar
from unittest import mock
from urllib.parse import parse_qs

import pytest
from django.core.management import call_command
from django.test import override_settings

from egenmakt.outbox import services
from egenmakt.outbox.models import EmailStatus, OutgoingSms
from egenmakt.outbox.sms import LocmemBackend, normalise_phone

pytestmark = pytest.mark.django_db

USER, PASSWORD = "u0123456789abcdef", "secret-password"


@pytest.mark.parametrize(
    ("written", "e164"),
    [
        ("070-123 45 67", "+46701234567"),
        ("0701234567", "+46701234567"),
        ("+46 70 123 45 67", "+46701234567"),
        ("+46 (0)70 123 45 67", "+46701234567"),
        ("0046701234567", "+46701234567"),
        ("+47 912 34 567", "+4791234567"),
        ("", ""),
        ("ring mig", ""),
        ("12", ""),
    ],
)
def test_numbers_are_normalised_to_e164(written, e164):
    assert normalise_phone(written) == e164


class Elks(BaseHTTPRequestHandler):
    """The 46elks SMS API, as much as Egenmakt uses: POST /a1/sms, basic auth, form
    fields from/to/message; answers JSON with id and status, or the status it is told."""

    received: ClassVar[list[dict[str, str]]] = []
    answers: ClassVar[list[int]] = []  # status codes to give, in order; then 200

    def do_POST(self) -> None:
        expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        if self.path != "/a1/sms" or self.headers.get("Authorization") != expected:
            self._answer(401, b"API access requires Basic HTTP authentication")
            return
        length = int(self.headers.get("Content-Length", 0))
        fields = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        if set(fields) != {"from", "to", "message"} or not fields["to"].startswith("+"):
            self._answer(400, b"Missing key to")
            return
        self.received.append(fields)
        status = self.answers.pop(0) if self.answers else 200
        if status != 200:
            self._answer(status, b"Service unavailable")
            return
        body = {"id": f"s{len(self.received)}abc", "status": "created", **fields}
        self._answer(200, json.dumps(body).encode(), "application/json")

    def _answer(self, status: int, body: bytes, kind: str = "text/plain") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def elks() -> Iterator[type[Elks]]:
    Elks.received = []
    Elks.answers = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Elks)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/a1"
    with override_settings(
        SMS_BACKEND="egenmakt.outbox.sms.FortySixElksBackend",
        ELKS_API_URL=url,
        ELKS_API_USERNAME=USER,
        ELKS_API_PASSWORD=PASSWORD,
        SMS_SENDER="Egenmakt",
    ):
        yield Elks
    server.shutdown()
    server.server_close()


def at(moment: datetime) -> Any:
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_46elks_takes_the_message_and_the_text_is_blanked(elks):
    text = "Möte i morgon 10:00. Logga in: https://x"
    sms = services.queue_sms(to="070-123 45 67", text=text, purpose="test")
    sms.refresh_from_db()
    assert elks.received == [{"from": "Egenmakt", "to": "+46701234567", "message": text}]
    assert sms.status == EmailStatus.SENT
    assert sms.provider_id == "s1abc"
    assert sms.text == "" and sms.attempts == 1 and sms.sent_at is not None


@pytest.mark.parametrize("status", [400, 401, 500, 503])
def test_a_refusal_is_kept_and_tried_again_after_a_pause(elks, status):
    elks.answers = [status]
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with at(start):
        sms = services.queue_sms(to="0701234567", text="Påminnelse", purpose="test")
    sms.refresh_from_db()
    assert sms.status == EmailStatus.QUEUED
    assert sms.attempts == 1
    assert f"46elks answered {status}" in sms.last_error
    assert sms.next_attempt_at == start + services.RETRY_PAUSES[0]
    assert sms.text == "Påminnelse"  # kept until it has gone


def test_wrong_credentials_are_a_failure(elks):
    with override_settings(ELKS_API_PASSWORD="wrong"):
        sms = services.queue_sms(to="0701234567", text="x", purpose="test")
    sms.refresh_from_db()
    assert sms.status == EmailStatus.QUEUED and "401" in sms.last_error
    assert elks.received == []


def test_the_retry_succeeds_from_the_sweep(elks):
    elks.answers = [503]
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with at(start):
        sms = services.queue_sms(to="0701234567", text="Påminnelse", purpose="test")
        call_command("send_due_emails", stdout=open_null())  # not due yet
    sms.refresh_from_db()
    assert sms.status == EmailStatus.QUEUED and sms.attempts == 1
    with at(start + timedelta(minutes=2)):
        call_command("send_due_emails", stdout=open_null())
    sms.refresh_from_db()
    assert sms.status == EmailStatus.SENT and sms.attempts == 2
    assert sms.last_error == "" and sms.text == "" and sms.provider_id == "s2abc"


def test_after_the_last_attempt_the_message_has_failed(elks):
    elks.answers = [500] * services.MAX_ATTEMPTS
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with at(start):
        sms = services.queue_sms(to="0701234567", text="x", purpose="test")
    now = start
    for pause in services.RETRY_PAUSES:
        now += pause
        with at(now):
            services.deliver_sms(sms.pk)
    sms.refresh_from_db()
    assert sms.status == EmailStatus.FAILED and sms.next_attempt_at is None
    assert sms.attempts == services.MAX_ATTEMPTS and "500" in sms.last_error


def test_an_unreachable_provider_is_a_failure_to_retry():
    with override_settings(
        SMS_BACKEND="egenmakt.outbox.sms.FortySixElksBackend",
        ELKS_API_URL="http://127.0.0.1:9/a1",
        ELKS_API_USERNAME=USER,
        ELKS_API_PASSWORD=PASSWORD,
    ):
        sms = services.queue_sms(to="0701234567", text="x", purpose="test")
    sms.refresh_from_db()
    assert sms.status == EmailStatus.QUEUED and "could not be reached" in sms.last_error


def test_no_provider_means_no_message():
    with override_settings(SMS_BACKEND="egenmakt.outbox.sms.DisabledBackend"):
        sms = services.queue_sms(to="0701234567", text="x", purpose="test")
    sms.refresh_from_db()
    assert sms.status == EmailStatus.QUEUED and "no SMS provider" in sms.last_error


def test_a_wrong_number_is_refused_before_anything_is_written():
    with pytest.raises(ValueError, match="Not a phone number"):
        services.queue_sms(to="ring mig", text="x", purpose="test")
    assert not OutgoingSms.objects.exists()


def test_the_locmem_backend_keeps_what_was_sent():
    LocmemBackend.outbox.clear()
    services.queue_sms(to="0701234567", text="Hej", purpose="test")
    assert LocmemBackend.outbox == [("+46701234567", "Hej")]


def test_erasure_and_restriction_cover_text_messages(cast):
    person = cast.case_manager
    services.queue_sms(to="0701234567", text="x", purpose="test", person=person)
    with override_settings(SMS_BACKEND="egenmakt.outbox.sms.DisabledBackend"):
        waiting = services.queue_sms(to="0701234568", text="y", purpose="test", person=person)
    assert services.withhold_emails_about(person, "withheld") == 1
    waiting.refresh_from_db()
    assert waiting.status == EmailStatus.FAILED and waiting.text == ""
    assert services.erase_emails_about(person) == 2
    services.queue_sms(to="0701234567", text="x", purpose="test")
    assert services.erase_sms_to("070-123 45 67") == 1
    assert not OutgoingSms.objects.exists()


def open_null() -> Any:
    import io

    return io.StringIO()
