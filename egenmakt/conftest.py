"""Shared test fixtures: the demo cast, signing in, and the browser."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.conf import settings
from django.test import Client


def pytest_configure(config: pytest.Config) -> None:
    # Hashing the cast's passwords properly would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    # The access log's triggers refuse DELETE and TRUNCATE; only the flush that empties the
    # test database after transactional and live-server tests may set them aside.
    from egenmakt.audit.testing import let_test_flush_empty_access_log

    let_test_flush_empty_access_log()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Seed the demo region once; each test runs inside a transaction on top of it."""
    from egenmakt.demo.cast import seed_demo_region
    from egenmakt.instruments.models import InstrumentDefinition, cached_contents

    with django_db_blocker.unblock():
        seed_demo_region()
        # The shipped definitions parsed once, as a process that has served a page has them.
        for row in InstrumentDefinition.objects.all():
            _ = row.definition
    _SHIPPED_CONTENTS.update(cached_contents())


_SHIPPED_CONTENTS: dict[str, Any] = {}


@pytest.fixture(autouse=True)
def _definition_cache() -> Any:
    """Each test starts with the shipped definitions in the process's cache and no other:
    query counts do not depend on which tests ran before, and a version a test made up is
    not seen by the next one."""
    from egenmakt.instruments.models import forget_contents

    forget_contents(keep=_SHIPPED_CONTENTS)
    yield


@pytest.fixture
def cast(db: Any) -> Any:
    """The demo region's named cast: ``cast.coordinator``, ``cast.outsider_coordinator``..."""
    from egenmakt.demo.cast import seed_demo_region

    return seed_demo_region()


def sign_in(client: Client, user: Any) -> Client:
    """Sign a user in with a confirmed second factor, as after a real two-factor login."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def signed_in(client: Client) -> Any:
    def _sign_in(user: Any) -> Client:
        return sign_in(client, user)

    return _sign_in


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests skip, saying why, where Chromium is missing; in CI they must run."""
    if CHROMIUM is not None or os.environ.get("EGENMAKT_REQUIRE_BROWSER") == "1":
        return
    skip = pytest.mark.skip(reason="Chromium is not installed (apt-get install chromium)")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    if CHROMIUM is None:
        pytest.fail("Chromium is required here (EGENMAKT_REQUIRE_BROWSER=1) but not installed.")
    return CHROMIUM


@contextmanager
def chromium(executable: str, *args: str) -> Iterator[Any]:
    """Playwright's Chromium for a browser test, closed at the end with the database
    connections the test's own code opened meanwhile. Under Playwright's sync API that code
    runs in the API's event-loop context, where Django's connections are that context's
    own, not the thread's: left open, PostgreSQL refuses to drop the test database at the
    end of the run ("being accessed by other users")."""
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", *args]
        )
        try:
            yield browser
        finally:
            browser.close()
            connections.close_all()
