"""Who a provider's verified ID token signs in, and the record of a refusal.

Staff: by the subject stored at an earlier sign-in (``StaffIdentity``), or the first time
by a verified e-mail claim; either way only an active user who already holds a membership
in the provider's organisation or a unit below it, and none outside it: the provider is
set up by that organisation's administrators, so it never vouches for a role they do not
administer (a person with roles in two trees signs in with password and app). Clients: by
the personal identity number claim, to the open portal account of a client of that
organisation tree (``PortalAccount``);
the provider's subject is kept in the portal's ``PortalIdentity``. Nobody is created.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from egenmakt.accounts.models import Membership, User
from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import Action, Outcome
from egenmakt.audit.services import log_access
from egenmakt.coordination.identity import parse_identity_number
from egenmakt.coordination.models import Client
from egenmakt.portal.models import PortalAccount, PortalIdentity
from egenmakt.portal.selectors import open_account

from .models import IdentityProvider, IdentityProviderDevice, SignsIn, StaffIdentity


class NotMatchedError(Exception):
    """The token was valid but names nobody who may sign in here; ``reason`` is for the log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Match:
    user: User
    # The device that marks the session verified, when the provider's acr/amr says the
    # person used two factors; None: the person goes on to Egenmakt's own second factor.
    device: IdentityProviderDevice | None


def _claim(claims: dict[str, Any], name: str) -> str:
    value = claims.get(name)
    return value.strip() if isinstance(value, str) else ""


def _in_tree(provider: IdentityProvider) -> dict[str, str]:
    return {"organisation__path__startswith": provider.organisation.path}


def _staff_user(provider: IdentityProvider, claims: dict[str, Any]) -> User:
    subject = _claim(claims, provider.subject_claim)
    if not subject:
        raise NotMatchedError("no subject claim")
    known = (
        StaffIdentity.objects.select_related("user")
        .filter(provider=provider, subject=subject)
        .first()
    )
    if known is not None:
        user = known.user
    else:
        email = _claim(claims, provider.email_claim)
        if not email or claims.get("email_verified") is not True:
            raise NotMatchedError("unknown subject, no verified e-mail")
        users = list(User.objects.filter(email__iexact=email)[:2])
        if len(users) != 1:
            raise NotMatchedError("no user with that e-mail")
        user = users[0]
        if StaffIdentity.objects.filter(provider=provider, user=user).exists():
            # The user is linked to another subject at this provider: not the same person.
            raise NotMatchedError("the user is linked to another subject")
    if not user.is_active:
        raise NotMatchedError("account deactivated")
    if user.is_superuser:
        raise NotMatchedError("an installation administrator signs in with password and app")
    held = Membership.objects.filter(user=user).values_list("organisation__path", flat=True)
    paths = list(held)
    if not any(path.startswith(provider.organisation.path) for path in paths):
        raise NotMatchedError("no membership in the provider's organisation")
    if not all(path.startswith(provider.organisation.path) for path in paths):
        # The provider's organisation administers the provider: it vouches only for people
        # whose every role lies in its tree, never for a role above it or beside it.
        raise NotMatchedError("a membership outside the provider's organisation")
    identity, _created = StaffIdentity.objects.get_or_create(
        provider=provider, user=user, defaults={"subject": subject}
    )
    identity.last_used_at = timezone.now()
    identity.save(update_fields=["last_used_at"])
    return user


def _client_user(provider: IdentityProvider, claims: dict[str, Any]) -> User:
    subject = _claim(claims, provider.subject_claim)
    raw = _claim(claims, provider.personal_number_claim)
    if not subject or not raw:
        raise NotMatchedError("no subject or personal identity number claim")
    try:
        digits = parse_identity_number(raw).digits
    except ValidationError:
        raise NotMatchedError("not a personal identity number") from None
    accounts = [
        account
        for account in PortalAccount.objects.select_related("user", "client").filter(
            revoked_at__isnull=True,
            client__identity_number=digits,
            client__in=Client.objects.filter(**_in_tree(provider)),
        )
        if open_account(account.user) is not None
    ]
    if len(accounts) != 1:
        raise NotMatchedError(
            "no open portal account" if not accounts else "several portal accounts"
        )
    account = accounts[0]
    identity, _created = PortalIdentity.objects.get_or_create(
        provider=provider.issuer, subject=subject, defaults={"account": account}
    )
    if identity.account_id != account.pk:
        if identity.account.is_open:
            raise NotMatchedError("the subject is linked to another portal account")
        # The client's earlier login was ended and a new one opened: the subject follows.
        identity.account = account
    identity.last_used_at = timezone.now()
    identity.save(update_fields=["account", "last_used_at"])
    return account.user


@transaction.atomic
def match_person(*, provider: IdentityProvider, claims: dict[str, Any]) -> Match:
    """The user the verified claims sign in, and whether the provider was the second factor."""
    if provider.signs_in == SignsIn.CLIENTS:
        user = _client_user(provider, claims)
    else:
        user = _staff_user(provider, claims)
    device = None
    if provider.counts_as_two_factors(claims):
        device, _created = IdentityProviderDevice.objects.get_or_create(
            user=user,
            provider=provider,
            defaults={"name": provider.name[:64], "confirmed": True},
        )
    return Match(user=user, device=device)


def record_refusal(
    request: HttpRequest,
    *,
    provider: IdentityProvider | None,
    reason: str,
    subject: str | None = None,
) -> None:
    """A refused sign-in: a denied row in the access log. A person the provider vouched for
    but who may not sign in here (``subject`` given) is also a failed sign-in for
    django-axes, as a wrong password is, keyed on the provider and subject so that it never
    locks a password sign-in; a broken or replayed callback is not a person's attempt."""
    log_access(
        request=request,
        action=Action.VIEW,
        outcome=Outcome.DENIED,
        obj=provider,
        organisation=provider.organisation if provider is not None else None,
        reason=f"{AuditEvent.OIDC_SIGN_IN_REFUSED}: {reason}",
    )
    if provider is not None and subject is not None:
        user_login_failed.send(
            sender=__name__,
            credentials={"username": f"oidc:{provider.slug}:{subject}"[:150]},
            request=request,
        )


@transaction.atomic
def save_provider(*, actor: User, scope: Any, form: Any) -> IdentityProvider:
    """Create or change a provider of an organisation in the administrator's tree; the
    access log records who did it (never the secret)."""
    provider: IdentityProvider = form.instance
    creating = provider.pk is None
    if not scope.covers(form.cleaned_data["organisation"]):
        raise PermissionError("outside the administrator's tree")
    if not creating:
        stored = IdentityProvider.objects.select_related("organisation").get(pk=provider.pk)
        if not scope.covers(stored.organisation):
            raise PermissionError("outside the administrator's tree")
    provider = form.save()
    log_access(
        actor=actor,
        action=Action.CREATE if creating else Action.CHANGE,
        obj=provider,
        organisation=provider.organisation,
        reason=AuditEvent.OIDC_PROVIDER_SAVED,
    )
    return provider
