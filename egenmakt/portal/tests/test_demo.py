"""The demo client has their own login, made again without harm."""

from __future__ import annotations

import pytest

from egenmakt.demo.coordination import seed_demo_coordination
from egenmakt.demo.portal import demo_client_email, seed_demo_portal

from .factories import ensure_instruments

pytestmark = pytest.mark.django_db


def test_the_demo_client_gets_a_login_once(cast):
    ensure_instruments()
    seed_demo_coordination(cast)
    account = seed_demo_portal(cast)
    assert account is not None and account.user.email == demo_client_email()
    assert account.user.is_demo_user and account.user.check_password("Egenmakt-demo-2026")
    assert seed_demo_portal(cast) == account
