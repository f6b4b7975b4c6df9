"""Reads of API tokens: one's own, and the service tokens an administrator looks after."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404

from egenmakt.accounts.selectors import admin_scope

from .models import ApiToken

if TYPE_CHECKING:
    from egenmakt.accounts.types import User


def personal_tokens(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def service_tokens(user: User) -> QuerySet[ApiToken]:
    """The service tokens of the organisations the user administers (and units below)."""
    scope = admin_scope(user)
    if scope is None:
        return ApiToken.objects.none()
    return (
        ApiToken.objects.filter(scope.organisation_filter("organisation__"))
        .select_related("organisation", "created_by")
        .order_by("-created_at", "-id")
    )


def token_for(user: User, token_id: Any) -> ApiToken:
    """A token the user may revoke (their own, or their organisations'), else 404."""
    try:
        pk = int(token_id)
    except (TypeError, ValueError):
        raise Http404 from None
    token = (
        personal_tokens(user).filter(pk=pk).first() or service_tokens(user).filter(pk=pk).first()
    )
    if token is None:
        raise Http404
    return token
