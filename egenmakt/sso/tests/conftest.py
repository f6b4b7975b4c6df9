from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from .provider import Behaviour, LocalProvider


@pytest.fixture(scope="session")
def op() -> Iterator[LocalProvider]:
    """The local OpenID Connect provider, one for the whole run."""
    provider = LocalProvider()
    provider.start()
    yield provider
    provider.stop()


@pytest.fixture(autouse=True)
def _fresh(op: LocalProvider, settings: Any) -> Iterator[None]:
    """Each test starts with a well-behaved provider and no rate limits used; the local
    provider speaks plain http, which the forms otherwise refuse."""
    settings.SSO_ALLOW_HTTP = True
    op.behaviour = Behaviour()
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def providers(cast: Any, op: LocalProvider) -> Any:
    from .flow import make_provider

    class Providers:
        staff = make_provider(op, cast.org("region"), slug="siths", signs_in="staff")
        clients = make_provider(op, cast.org("region"), slug="bankid", signs_in="clients")

    return Providers
