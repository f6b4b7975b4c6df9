"""Project-wide promises: production settings, health check, error pages, headers."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import DatabaseError
from django.test import override_settings
from django.urls import path

MANAGE = [sys.executable, str(settings.BASE_DIR / "manage.py")]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    unset = {"SECRET_KEY", "DEBUG", "EMAIL_URL", "CACHE_URL", "TRUSTED_PROXY_HOPS"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    clean.update(env)
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [*MANAGE, *args], capture_output=True, text=True, env=clean, timeout=120, check=False
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_development_key():
    result = _manage("check", DEBUG="0", SECRET_KEY="django-insecure-" + "x" * 60)
    assert result.returncode != 0


def test_production_refuses_to_start_without_a_mail_server():
    """Finding 7: the console default put applicants' private links in the server's log."""
    result = _manage("check", DEBUG="0", SECRET_KEY=secrets.token_urlsafe(60))
    assert result.returncode != 0
    assert "EMAIL_URL must be set when DEBUG is off" in result.stderr


def test_production_starts_with_a_mail_server_and_development_keeps_the_console():
    production = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.EMAIL_BACKEND, settings.EMAIL_HOST)",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(60),
        EMAIL_URL="submission://egenmakt:secret@mail.example.org:587",
    )
    assert production.returncode == 0, production.stderr
    assert production.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "mail.example.org",
    ]
    development = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.EMAIL_BACKEND)",
        DEBUG="1",
    )
    assert development.returncode == 0, development.stderr
    assert development.stdout.split() == ["django.core.mail.backends.console.EmailBackend"]


@pytest.mark.parametrize(
    "deployment",
    [
        {},
        {"CACHE_URL": "redis://127.0.0.1:6379/0", "TRUSTED_PROXY_HOPS": "1", "BEHIND_PROXY": "1"},
    ],
    ids=["database-cache", "redis-behind-a-proxy"],
)
def test_production_settings_pass_the_deploy_check(deployment):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="egenmakt.example",
        EMAIL_URL="submission://egenmakt:secret@mail.example.org:587",
        EGENMAKT_SECURE_COOKIES="",
        SECURE_SSL_REDIRECT="",
        **deployment,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_health_check_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_check_answers_503_when_the_database_fails(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise DatabaseError("down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_unknown_page_gets_the_friendly_404(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom)]


@override_settings(ROOT_URLCONF=__name__)
def test_a_crash_gets_the_friendly_500_in_swedish(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Något gick fel" in response.content.decode()
    assert "boom" not in response.content.decode()


# The sign-in page lists the active e-ID providers (sso), so it reads the database.
@pytest.mark.django_db
def test_security_headers_on_the_login_page(client):
    response = client.get("/logga-in/")
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_signed_in_pages_are_never_cached(cast, signed_in):
    response = signed_in(cast.coordinator).get("/roll/samordnare/")
    assert "no-store" in response["Cache-Control"]


# The sign-in page lists the active e-ID providers (sso), so it reads the database.
@pytest.mark.django_db
def test_every_page_names_its_icon_so_browsers_do_not_ask_for_a_missing_favicon(client):
    """Without a linked icon every page made the browser request /favicon.ico, a 404."""
    from django.contrib.staticfiles import finders

    page = client.get("/logga-in/").content.decode()
    assert 'rel="icon"' in page and "egenmakt/favicon" in page
    icon = finders.find("egenmakt/favicon.svg")
    assert icon is not None
    with open(icon, encoding="utf-8") as svg:
        assert svg.read().startswith("<svg")


@pytest.mark.django_db
def test_favicon_ico_is_not_a_404_and_the_error_pages_name_the_icon(client):
    """Browsers ask for /favicon.ico on their own where a page names no icon (a PDF, a
    CSV, JSON): it was a 404 (issue 26). It now leads to the one icon; the error pages,
    which do not extend the base template, name it too."""
    from pathlib import Path

    from django.conf import settings

    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("egenmakt/favicon.svg")
    templates = Path(settings.BASE_DIR) / "egenmakt" / "templates"
    for name in ("500.html", "503.html"):
        assert 'rel="icon"' in (templates / name).read_text(), name
