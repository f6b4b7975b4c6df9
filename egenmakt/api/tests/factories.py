"""Tokens for the API tests, made through the services (the real write path)."""

from __future__ import annotations

from typing import Any

from egenmakt.api.models import SCOPES
from egenmakt.api.services import create_personal_token, create_service_token


def personal_token(user: Any, scopes: list[str] | None = None, days: int = 30) -> str:
    _token, secret = create_personal_token(
        user=user, name="test", scopes=list(SCOPES) if scopes is None else scopes, days=days
    )
    return secret


def service_token(admin: Any, organisation: Any, scopes: list[str] | None = None) -> str:
    _token, secret = create_service_token(
        actor=admin,
        organisation=organisation,
        name="system",
        scopes=scopes or ["organisations:read", "influence:read"],
        days=30,
    )
    return secret


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
