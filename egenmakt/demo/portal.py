"""The demo client's own login, for ``make run``: the client of the demo caseload who is
furthest along (mapping under consent, an ORS done) signs in as klient@egenmakt.example."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from egenmakt.accounts.models import User
from egenmakt.coordination.models import Client
from egenmakt.demo.cast import DEMO_PASSWORD, Cast, demo_email
from egenmakt.demo.coordination import synthetic_identity_number
from egenmakt.portal.models import PortalAccount, PortalIdentity

DEMO_CLIENT_LOGIN = "klient"


def demo_client_email() -> str:
    return demo_email(DEMO_CLIENT_LOGIN)


@transaction.atomic
def seed_demo_portal(cast: Cast, *, password: str = DEMO_PASSWORD) -> PortalAccount | None:
    """Give the demo client a portal login (password; demo mode skips the second factor
    for the demo domain, a one-time link works too). Idempotent."""
    client = Client.objects.filter(
        organisation=cast.org("clinic"),
        identity_number=synthetic_identity_number(date(1989, 5, 17), 0).replace("-", ""),
    ).first()
    if client is None:
        return None
    existing = PortalAccount.objects.filter(client=client, revoked_at__isnull=True).first()
    if existing is not None:
        return existing
    email = demo_client_email()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, password, full_name=client.full_name)
    account = PortalAccount.objects.create(user=user, client=client, invited_by=cast.case_manager)
    PortalIdentity.objects.get_or_create(
        provider=PortalIdentity.EMAIL, subject=email, defaults={"account": account}
    )
    return account
