"""A client with their own login, made through the services as the care team would."""

from __future__ import annotations

from typing import Any

from django.test import Client as Browser

from egenmakt.conftest import sign_in
from egenmakt.coordination.access import forget_client_access
from egenmakt.coordination.models import Client
from egenmakt.coordination.tests.factories import ensure_instruments, shared_client
from egenmakt.portal import services
from egenmakt.portal.models import PortalAccount

__all__ = ["ensure_instruments", "invited_client"]


def invited_client(
    cast: Any, *, name: str = "Kim Berg", email: str = "kim.berg@example.org"
) -> tuple[Client, PortalAccount]:
    """A client in coordination under consent, invited to their own pages."""
    client = shared_client(cast, name=name)
    account = services.invite_client(user=cast.case_manager, client=client, email=email)
    forget_client_access(cast.case_manager)
    return client, account


def as_client(account: PortalAccount) -> Browser:
    """Signed in with a sign-in link, as the client would be."""
    browser = Browser()
    token = services.issue_link(account)
    response = browser.post(f"/mina-sidor/lank/{token}/")
    assert response.status_code == 302, response.status_code
    return browser


def as_staff(user: Any) -> Browser:
    return sign_in(Browser(), user)
