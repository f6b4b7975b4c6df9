"""The app served by gunicorn as in production: limits shared by workers, outages answered.

Each test starts gunicorn on loopback against the test database (a file copy of it on
SQLite) and stops it again; every wait is bounded.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.db import connection

from egenmakt.portal.views.sign_in import LINK_REQUEST_RATE

MANAGE = [sys.executable, str(settings.BASE_DIR / "manage.py")]
LIMIT = int(LINK_REQUEST_RATE.split("/")[0])
SIGN_IN = "/mina-sidor/logga-in/"

# SQLite's test database lives in memory and is copied to a file for the server; a copy can
# only be taken outside the test's transaction. PostgreSQL's is shared as it is.
uses_database = pytest.mark.django_db(transaction=connection.vendor == "sqlite")


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str


@dataclass
class Server:
    port: int
    access_log: Path

    def request(self, method: str, path: str, body: str | None = None, **headers: str) -> Answer:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            return Answer(response.status, response.headers, response.read().decode())
        finally:
            conn.close()

    def pids_that_answered(self, method: str, requests: int) -> set[str]:
        """The workers that answered, once all the requests are in the access log."""
        deadline = time.monotonic() + 10
        while True:
            lines = [line.split() for line in self.access_log.read_text().splitlines()]
            answered = [line[0] for line in lines if line[1:2] == [method]]
            # A worker writes its line just after sending the answer.
            if len(answered) >= requests or time.monotonic() > deadline:
                return set(answered)
            time.sleep(0.1)


@pytest.fixture(scope="module")
def static_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """With DEBUG off templates need the hashed static files' manifest: collect them once."""
    var = tmp_path_factory.mktemp("var")
    subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [*MANAGE, "collectstatic", "--no-input", "-v0"],
        env={**os.environ, "EGENMAKT_VAR_DIR": str(var)},
        check=True,
        timeout=120,
    )
    return var


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """A URL other processes can open: the PostgreSQL test database, or a copy of SQLite's."""
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        password = f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else ""
        return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"
    copy = tmp_path / "db.sqlite3"
    target = sqlite3.connect(copy)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{copy}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def serve(tmp_path: Path, static_root: Path) -> Iterator:
    started: list[subprocess.Popen[bytes]] = []

    def start(*, workers: int, database_url: str, **env: str) -> Server:
        port = _free_port()
        access_log = tmp_path / f"access-{port}.log"
        error_log = tmp_path / f"error-{port}.log"
        process = subprocess.Popen(  # noqa: S603 - gunicorn with fixed arguments
            [
                sys.executable,
                "-m",
                "gunicorn",
                "egenmakt.wsgi",
                "--preload",
                f"--workers={workers}",
                f"--bind=127.0.0.1:{port}",
                "--graceful-timeout=2",
                f"--access-logfile={access_log}",
                "--access-logformat=%(p)s %(m)s %(U)s %(s)s",
                f"--error-logfile={error_log}",
                "--log-level=info",
            ],
            cwd=settings.BASE_DIR,
            env={
                **os.environ,
                "DATABASE_URL": database_url,
                "EGENMAKT_VAR_DIR": str(static_root),
                **env,
            },
        )
        started.append(process)
        server = Server(port, access_log)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert process.poll() is None, error_log.read_text()
            booted = error_log.read_text().count("Booting worker") if error_log.exists() else 0
            try:
                if booted == workers:
                    server.request("GET", "/robots.txt")
                    return server
            except OSError:
                pass
            time.sleep(0.2)
        pytest.fail("gunicorn did not answer within 30 s")

    yield start
    for process in started:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _sign_in_form(server: Server, client_address: str) -> tuple[str, str]:
    """The CSRF cookie and form token of the portal's sign-in page."""
    page = server.request("GET", SIGN_IN, **{"X-Forwarded-For": client_address})
    assert page.status == 200, page.body[:500]
    cookie = next(
        value.split(";")[0]
        for name, value in page.headers.items()
        if name.lower() == "set-cookie" and value.startswith(settings.CSRF_COOKIE_NAME)
    )
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
    assert token is not None
    return cookie, token.group(1)


@uses_database
@pytest.mark.parametrize("cache_backend", ["database", "redis"])
def test_two_workers_count_one_limit(cache_backend, serve, database_url, request):
    """Finding 5: each worker counted on its own, so 10 an hour let 25 through."""
    cache_url = request.getfixturevalue("redis_url") if cache_backend == "redis" else ""
    server = serve(
        workers=2, database_url=database_url, CACHE_URL=cache_url, TRUSTED_PROXY_HOPS="1"
    )
    # One client of its own for this run (a /64 of its own: IPv6 limits key on the /64),
    # reaching the app through one proxy; nobody else's count is touched.
    client_address = f"2001:db8:{secrets.randbelow(0xFFFF):x}::1"
    cookie, token = _sign_in_form(server, client_address)
    body = urlencode({"csrfmiddlewaretoken": token, "email": "nobody@example.org"})

    def post(_n: int) -> int:
        return server.request(
            "POST",
            SIGN_IN,
            body,
            **{
                "Cookie": cookie,
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Forwarded-For": f"10.0.0.1, {client_address}",
            },
        ).status

    # A post whose body is still on its way holds one worker, so the other answers the next
    # LIMIT posts; then the held one completes, in a worker that has counted none itself.
    held = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    held.putrequest("POST", SIGN_IN)
    for name, value in {
        "Cookie": cookie,
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": str(len(body)),
        "X-Forwarded-For": client_address,
    }.items():
        held.putheader(name, value)
    held.endheaders()
    try:
        assert [post(n) for n in range(LIMIT)] == [302] * LIMIT
        held.send(body.encode())
        assert held.getresponse().status == 429
    finally:
        held.close()
    assert len(server.pids_that_answered("POST", requests=LIMIT + 1)) == 2

    # Four at a time, whichever workers take them: every one is refused.
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(post, range(6))) == [429] * 6


def test_a_database_that_cannot_be_reached_gives_503_pages_not_500(serve):
    """Finding 6, against a real server whose database does not answer."""
    server = serve(workers=1, database_url=f"postgres://nobody@127.0.0.1:{_free_port()}/none")

    round_page = "/ansok/0b5e4c3a-5d2e-4f57-9a3b-6f1e2d3c4b5a/"
    page = server.request("GET", round_page)
    assert page.status == 503
    assert "Tillfälligt otillgänglig" in page.body
    assert page.headers["Retry-After"].isdigit()
    assert "Traceback" not in page.body and "OperationalError" not in page.body

    english = server.request(
        "GET", "/oppet/organisationer/", Cookie=f"{settings.LANGUAGE_COOKIE_NAME}=en"
    )
    assert english.status == 503
    assert "Temporarily unavailable" in english.body

    api = server.request("GET", round_page, Accept="application/json")
    assert api.status == 503
    assert api.headers["Content-Type"] == "application/json"
    assert "error" in api.body

    health = server.request("GET", "/healthz")
    assert health.status == 503


def _app_backends() -> set[int]:
    """The app's other connections to this database, as PostgreSQL sees them now."""
    with connection.cursor() as cursor:
        # pg_stat_activity is a snapshot kept for the transaction unless cleared.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND application_name = 'egenmakt'"
        )
        return {row[0] for row in cursor.fetchall()}


@uses_database
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_the_app_recovers_when_its_database_connection_is_killed(serve, database_url):
    """R5/R10: a backend terminated under a worker; the next request reconnects."""
    # Backends of servers from earlier tests may still be on their way out.
    earlier = _app_backends()
    server = serve(workers=1, database_url=database_url)
    assert server.request("GET", "/healthz").status == 200
    # CONN_MAX_AGE keeps the worker's connection open between requests.
    kept = _app_backends() - earlier
    assert len(kept) == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [next(iter(kept))])
    deadline = time.monotonic() + 10
    while kept & _app_backends():
        assert time.monotonic() < deadline, "the backend was not terminated"
        time.sleep(0.1)

    # No restart: the worker notices the dead connection and opens a new one.
    assert server.request("GET", "/healthz").status == 200
    assert server.request("GET", "/oppet/organisationer/").status == 200
    now = _app_backends() - earlier
    assert len(now) == 1 and now != kept
