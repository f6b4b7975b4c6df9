"""What this app adds to the others (``ApiConfig.contributes``)."""

from __future__ import annotations

from typing import Any


def revoke_tokens_of(user: Any, actor: Any) -> None:
    """A closed or anonymised account's personal tokens are revoked, each logged; opening
    the account again does not revive them (the person makes new ones)."""
    from .models import ApiToken
    from .services import revoke_token

    for token in ApiToken.objects.filter(user=user, revoked_at__isnull=True):
        revoke_token(actor=actor, token=token)


ACCOUNT_CLOSED = [revoke_tokens_of]
