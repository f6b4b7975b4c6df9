"""Finding 6: a database outage answers 503 in the user's language, and the app recovers.

In-process, the connection is made to fail the way a stopped server does (every attempt to
use it raises OperationalError), while the request runs through every middleware;
core/tests/test_across_processes.py does the same against gunicorn with a real database
that does not answer, and kills a live connection on PostgreSQL.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import DatabaseError, IntegrityError, OperationalError, connection
from django.test import override_settings
from django.urls import path

from egenmakt.core.cache_config import cache_settings
from egenmakt.views import is_outage

pytestmark = pytest.mark.django_db

DIRECTORY = "/oppet/organisationer/"


@contextmanager
def database_down() -> Iterator[None]:
    """Every use of the connection fails, as when PostgreSQL has stopped."""
    original = connection.ensure_connection
    original_cursor = connection.cursor

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused (the database is down)")

    connection.ensure_connection = refuse  # type: ignore[method-assign]
    connection.cursor = refuse  # type: ignore[method-assign]
    try:
        yield
    finally:
        connection.ensure_connection = original  # type: ignore[method-assign]
        connection.cursor = original_cursor  # type: ignore[method-assign]


def test_a_signed_in_page_answers_503_in_swedish_and_then_recovers(cast, signed_in):
    client = signed_in(cast.coordinator)
    client.raise_request_exception = False
    assert client.get("/roll/samordnare/").status_code == 200

    with database_down():
        response = client.get("/roll/samordnare/")
    assert response.status_code == 503
    page = response.content.decode()
    assert "Tillfälligt otillgänglig" in page
    assert "OperationalError" not in page and "Traceback" not in page
    assert int(response["Retry-After"]) > 0
    assert "no-store" in response["Cache-Control"]

    # Nothing to restart: the next request is served again.
    assert client.get("/roll/samordnare/").status_code == 200


def test_an_anonymous_page_answers_503_in_the_language_chosen(client):
    client.raise_request_exception = False
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with database_down():
        response = client.get(DIRECTORY)
    assert response.status_code == 503
    assert "Temporarily unavailable" in response.content.decode()
    assert response["Content-Language"] == "en"
    assert client.get(DIRECTORY).status_code == 200


def test_a_sign_in_post_during_the_outage_answers_503(client, cast):
    client.raise_request_exception = False
    with database_down():
        response = client.post(
            "/logga-in/", {"username": cast.coordinator.email, "password": "whatever-it-is"}
        )
    assert response.status_code == 503


def test_api_like_requests_get_json(client):
    client.raise_request_exception = False
    with database_down():
        response = client.get(DIRECTORY, HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["error"] == "service_unavailable"
    assert response["Retry-After"]


def test_a_redis_that_does_not_answer_gives_503_too(client, cast):
    """With CACHE_URL naming Redis the rate limits need it; its outage is no bug of ours."""
    client.raise_request_exception = False
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    with override_settings(CACHES=cache_settings(f"redis://127.0.0.1:{closed_port}/0")):
        response = client.post("/mina-sidor/logga-in/", {"email": "nobody@example.org"})
    assert response.status_code == 503
    assert "Tillfälligt otillgänglig" in response.content.decode()


def _integrity(request):
    raise IntegrityError("duplicate key")


def _plain(request):
    raise DatabaseError("could not reach the database")


urlpatterns = [path("integrity/", _integrity), path("plain/", _plain)]
handler500 = "egenmakt.views.server_error"


@override_settings(ROOT_URLCONF=__name__)
def test_a_bug_in_our_own_queries_is_still_a_500(client):
    """IntegrityError and the like are DatabaseErrors too, but say nothing about an outage."""
    client.raise_request_exception = False
    assert client.get("/integrity/").status_code == 500
    assert client.get("/plain/").status_code == 503


def test_an_outage_is_recognised_through_the_exception_it_caused():
    try:
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError as exc:
            raise RuntimeError("while saving") from exc
    except RuntimeError as wrapped:
        assert is_outage(wrapped)
    assert not is_outage(ValueError("no"))
    assert not is_outage(None)
