"""Who calls the API: a bearer token, resolved once per request, rate limited in the
shared cache (django-ratelimit, as the sign-in link and the application form)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django_ratelimit.core import get_usage
from ninja.errors import HttpError
from ninja.security import HttpBearer

from .models import ApiToken
from .services import token_for_secret

if TYPE_CHECKING:
    from egenmakt.accounts.types import Viewer


class RateLimitedError(Exception):
    """Too many requests for one token (or one address guessing tokens)."""


@dataclass(frozen=True)
class Caller:
    """The token a request came with and whom it acts as: its person, or nobody (a
    service token acts for its organisation, never as a person)."""

    token: ApiToken

    @property
    def user(self) -> Viewer:
        return self.token.user if self.token.user is not None else AnonymousUser()


def _token_key(_group: str, request: HttpRequest) -> str:
    return f"token:{request.auth.token.pk}"  # type: ignore[attr-defined]


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        found = token_for_secret(token.strip())
        if found is None:
            # Guessing: count the failures of one address.
            if get_usage(
                request, group="api.bad_token", key="ip", rate=settings.API_BAD_TOKEN_RATE,
                increment=True,
            )["should_limit"]:  # fmt: skip
                raise RateLimitedError
            return None
        caller = Caller(found)
        request.auth = caller  # type: ignore[attr-defined]
        if get_usage(
            request, group="api.token", key=_token_key, rate=settings.API_TOKEN_RATE,
            increment=True,
        )["should_limit"]:  # fmt: skip
            raise RateLimitedError
        # The selectors and services read the acting person from the request's user, as on
        # the pages; a service token's request has none.
        request.user = caller.user
        return caller


def caller_for(request: HttpRequest, area: str, *, write: bool = False) -> Caller:
    """The caller, if its token has the scope for this area (read, or write), else 403."""
    caller: Any = getattr(request, "auth", None)
    if not isinstance(caller, Caller) or not caller.token.allows(area, write=write):
        raise HttpError(403, "The token has no scope for this.")
    return caller


def person_for(request: HttpRequest, area: str, *, write: bool = False) -> Any:
    """The person a personal token acts as, for an area that needs one (care data,
    recruitment, courses, reports); a service token gets 403."""
    caller = caller_for(request, area, write=write)
    if caller.token.user is None:
        raise HttpError(403, "This needs a personal token.")
    return caller.token.user
