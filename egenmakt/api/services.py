"""Making, revoking and checking API tokens."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egenmakt.accounts.selectors import admin_scope
from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access

from .models import SCOPES, SERVICE_AREAS, ApiToken, token_digest

if TYPE_CHECKING:
    from egenmakt.accounts.models import Organisation
    from egenmakt.accounts.types import User

# A token lives at most a year (ASVS 6.x: credentials expire); the form offers less.
MAX_DAYS = 365
PREFIX = "egm_"


def _check(scopes: list[str], days: int, *, service: bool) -> None:
    if not scopes or any(scope not in SCOPES for scope in scopes):
        raise ValidationError(_("Choose at least one scope."))
    if service and any(scope.split(":")[0] not in SERVICE_AREAS for scope in scopes):
        raise ValidationError(_("A service token cannot reach care data, recruitment or courses."))
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError(_("A token expires within a year."))


def _new(**fields: object) -> tuple[ApiToken, str]:
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        digest=token_digest(secret), prefix=secret[: len(PREFIX) + 4], **fields
    )
    return token, secret


@transaction.atomic
def create_personal_token(
    *, user: User, name: str, scopes: list[str], days: int
) -> tuple[ApiToken, str]:
    """A token that acts as ``user``; returns it and its secret, shown once."""
    _check(scopes, days, service=False)
    token, secret = _new(
        name=name,
        user=user,
        created_by=user,
        scopes=sorted(scopes),
        expires_at=timezone.now() + timedelta(days=days),
    )
    log_access(
        actor=user, action=Action.CREATE, person=user, obj=token,
        reason=AuditEvent.API_TOKEN_CREATED,
    )  # fmt: skip
    return token, secret


@transaction.atomic
def create_service_token(
    *, actor: User, organisation: Organisation, name: str, scopes: list[str], days: int
) -> tuple[ApiToken, str]:
    """A token of ``organisation`` for another system; only its administrator makes one."""
    scope = admin_scope(actor)
    if scope is None or not scope.covers(organisation):
        raise PermissionDenied("service token")
    _check(scopes, days, service=True)
    token, secret = _new(
        name=name,
        organisation=organisation,
        created_by=actor,
        scopes=sorted(scopes),
        expires_at=timezone.now() + timedelta(days=days),
    )
    log_access(
        actor=actor, action=Action.CREATE, obj=token, organisation=organisation,
        reason=AuditEvent.API_TOKEN_CREATED,
    )  # fmt: skip
    return token, secret


@transaction.atomic
def revoke_token(*, actor: User | None, token: ApiToken) -> ApiToken:
    """Stop a token at once. Its owner revokes a personal token, an administrator of the
    organisation a service token (the selectors that find the token decide that)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        log_access(
            actor=actor, action=Action.CHANGE, person=token.user, obj=token,
            organisation=token.organisation, reason=AuditEvent.API_TOKEN_REVOKED,
        )  # fmt: skip
    return token


def token_for_secret(secret: str) -> ApiToken | None:
    """The usable token with this secret (not revoked, not expired, its person active),
    else None; notes when it was last used (at most once a minute, to spare the writes)."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user", "organisation")
        .filter(digest=token_digest(secret))
        .first()
    )
    if token is None or not token.is_usable:
        return None
    if token.user is not None and not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
