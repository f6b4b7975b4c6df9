"""Use-cases of the client's own pages: invite, sign in by link, answer a worksheet.

Each runs in a transaction and writes its access-log row; refusals are ``PortalError``
with a message for the user.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.coordination.access import client_access
from egenmakt.coordination.models import Client, TeamRole
from egenmakt.coordination.rules import may_work_jointly
from egenmakt.coordination.services import mapping as mapping_services
from egenmakt.instruments import services as instrument_services
from egenmakt.instruments.models import InstrumentDefinition, RespondentKind, Response
from egenmakt.outbox.services import queue_email

from .models import PortalAccount, PortalIdentity, SignInLink, SignInLinkDevice
from .selectors import (
    fillable_worksheets,
    forget_portal_account,
    is_the_client,
    my_open_drafts,
)

if TYPE_CHECKING:
    from egenmakt.accounts.models import User

# A link works once, for this long (short: it is a key to the client's record).
LINK_MINUTES = 15
# At most this many links per account in LINK_MINUTES; more requests get the same answer
# but no e-mail, so nobody can flood a client's inbox.
LINKS_PER_WINDOW = 3


class PortalError(Exception):
    """A refused action, with a message for the user."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def may_invite(user: User, client: Client) -> bool:
    """A case manager in the client's care team, working under a valid consent."""
    seat = client_access(user, client).seat
    return (
        seat is not None
        and seat.role == TeamRole.CASE_MANAGER
        and bool(may_work_jointly(user, client))
    )


def open_account_of(client: Client) -> PortalAccount | None:
    return (
        PortalAccount.objects.filter(client=client, revoked_at__isnull=True)
        .select_related("user")
        .first()
    )


@transaction.atomic
def invite_client(*, user: User, client: Client, email: str) -> PortalAccount:
    """Open the client's own login (or send a new link to it) and e-mail the invitation."""
    if not may_invite(user, client):
        raise PermissionDenied
    email = get_user_model().objects.normalize_email(email).strip().lower()
    account = open_account_of(client)
    if account is None:
        if get_user_model().objects.filter(email=email).exists():
            raise PortalError(
                _(
                    "This e-mail address already belongs to an account in Egenmakt. The "
                    "client's own login needs an address of its own."
                )
            )
        person = get_user_model().objects.create_user(
            email, None, full_name=client.full_name, preferred_language="sv"
        )
        account = PortalAccount.objects.create(user=person, client=client, invited_by=user)
        PortalIdentity.objects.create(account=account, provider=PortalIdentity.EMAIL, subject=email)
    elif account.user.email != email:
        raise PortalError(
            _("The client already has a login with another e-mail address: %(email)s.")
            % {"email": account.user.email}
        )
    seat = client_access(user, client).seat
    log_access(
        actor=user,
        action=Action.CREATE,
        person=client,
        obj=account,
        organisation=seat.organisation if seat is not None else None,
        reason=AuditEvent.PORTAL_INVITATION,
    )
    _send_link(account, invitation=True)
    return account


@transaction.atomic
def end_access(*, user: User, client: Client) -> PortalAccount | None:
    """End the client's own login; the next request on it answers 404."""
    if not may_invite(user, client):
        raise PermissionDenied
    account = open_account_of(client)
    if account is None:
        return None
    PortalAccount.objects.filter(pk=account.pk).update(revoked_at=timezone.now(), revoked_by=user)
    account.refresh_from_db()
    seat = client_access(user, client).seat
    log_access(
        actor=user,
        action=Action.CHANGE,
        person=client,
        obj=account,
        organisation=seat.organisation if seat is not None else None,
        reason=AuditEvent.PORTAL_ACCESS_ENDED,
    )
    return account


def issue_link(account: PortalAccount) -> str:
    """A new one-time link for the account; the token itself is returned, never stored."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    SignInLink.objects.create(
        account=account,
        token_hash=hash_token(token),
        created_at=now,
        expires_at=now + timedelta(minutes=LINK_MINUTES),
    )
    return token


def _send_link(account: PortalAccount, *, invitation: bool = False) -> None:
    token = issue_link(account)
    url = settings.SITE_URL.rstrip("/") + reverse("portal:link", args=[token])
    with translation.override(account.user.preferred_language or "sv"):
        subject = (
            _("You are invited to your own pages in Egenmakt")
            if invitation
            else _("Your sign-in link to Egenmakt")
        )
        body = render_to_string(
            "portal/email/sign_in_link.txt",
            {"url": url, "minutes": LINK_MINUTES, "invitation": invitation},
        )
    queue_email(
        to=account.user.email,
        subject=subject,
        body=body,
        purpose="portal sign-in link",
        person=account.client,
    )


@transaction.atomic
def request_sign_in_link(*, email: str) -> None:
    """E-mail a link if the address is a client's open login; otherwise do nothing.

    The caller answers the same whatever happened, so nobody learns whether an address
    has a login (ASVS 6.3.8).
    """
    email = email.strip().lower()
    identity = (
        PortalIdentity.objects.select_related("account__user", "account__client")
        .filter(provider=PortalIdentity.EMAIL, subject=email)
        .first()
    )
    if identity is None:
        return
    account = identity.account
    if not account.is_open or not account.user.is_active or account.client.is_closed:
        return
    since = timezone.now() - timedelta(minutes=LINK_MINUTES)
    if account.links.filter(created_at__gte=since).count() >= LINKS_PER_WINDOW:
        return
    _send_link(account)


def link_is_usable(token: str) -> bool:
    """For the confirm page (GET changes nothing): is there an unused, live link?"""
    return SignInLink.objects.filter(
        token_hash=hash_token(token), used_at__isnull=True, expires_at__gt=timezone.now()
    ).exists()


@transaction.atomic
def use_sign_in_link(*, token: str) -> tuple[Any, SignInLinkDevice] | None:
    """Spend the link: (user, device) to sign in with, or None if it cannot be used.

    Marking it used is one UPDATE that also checks it was unused and alive, so of two
    clicks at once only one signs in.
    """
    now = timezone.now()
    token_hash = hash_token(token)
    spent = SignInLink.objects.filter(
        token_hash=token_hash, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if not spent:
        return None
    link = SignInLink.objects.select_related("account__user", "account__client").get(
        token_hash=token_hash
    )
    account = link.account
    if not account.is_open or not account.user.is_active or account.client.is_closed:
        return None
    PortalIdentity.objects.filter(account=account, provider=PortalIdentity.EMAIL).update(
        last_used_at=now
    )
    device, _created = SignInLinkDevice.objects.get_or_create(
        user=account.user, defaults={"name": "Sign-in link", "confirmed": True}
    )
    return account.user, device


@transaction.atomic
def start_own_worksheet(
    *,
    user: User,
    client: Client,
    definition: InstrumentDefinition,
) -> Response:
    """The client opens a worksheet about themself: a draft response answered by the
    client, recorded as a step of the mapping that the whole care team sees. One started
    and not sent is opened again rather than a second begun."""
    if not is_the_client(user, client):
        raise PermissionDenied
    if client.is_frozen:
        raise PortalError(
            _("You have asked us to stop using your data, so nothing new can be added now.")
        )
    if definition.key not in {d.key for d in fillable_worksheets(client)}:
        raise PortalError(_("You cannot fill in this worksheet yourself."))
    started = next(
        (r for r in my_open_drafts(user, client) if r.definition.key == definition.key), None
    )
    if started is not None:
        return started
    response = instrument_services.start_response(
        user=user,
        definition=definition,
        subject=client,
        respondent_kind=RespondentKind.CLIENT,
    )
    mapping_services.record_client_worksheet(user=user, client=client, response=response)
    forget_portal_account(user)
    return response


def erase_accounts_of(client: Client) -> None:
    """The client's own logins go with their record (``coordination.services.retention``):
    the accounts, their identities and links, and each account's user when it exists only
    for this client, with that user's rows in the change trail."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    accounts = list(PortalAccount.objects.filter(client=client).select_related("user"))
    users = {account.user for account in accounts}
    PortalAccount.objects.filter(pk__in=[a.pk for a in accounts]).delete()
    user_type = ContentType.objects.get_for_model(get_user_model())
    for person in users:
        only_theirs = not (
            person.is_staff
            or person.is_superuser
            or person.memberships.exists()
            or PortalAccount.objects.filter(user=person).exists()
            or person.care_teams.exists()
        )
        if not only_theirs:
            continue
        person_pk, email = str(person.pk), person.email
        try:
            with transaction.atomic():
                person.delete()
        except ProtectedError:
            # Something else of theirs must be kept: the login stays, nameless to this
            # client; the erasure's check of identifiers reports what is left.
            continue
        # After the delete: the change trail writes a row for the deletion itself.
        LogEntry.objects.filter(content_type=user_type, object_pk=person_pk).delete()
        LogEntry.objects.filter(actor_email=email).update(actor_email="")
