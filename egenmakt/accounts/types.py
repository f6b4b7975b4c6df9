"""Types every layer shares: who acts, and the request of a signed-in page.

``User`` is imported for type checking only, so importing these types costs nothing at run time.
Services take ``actor: User`` (someone signed in, deciding); selectors and rules that also
answer for visitors take ``viewer: Viewer``. Views behind ``login_required`` annotate their
request as ``AuthenticatedRequest`` so ``request.user`` is a ``User`` to the type checker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from egenmakt.accounts.models import User

    Viewer: TypeAlias = User | AnonymousUser
else:
    Viewer = object


class AuthenticatedRequest(HttpRequest):
    """A request behind ``login_required``: its user is signed in."""

    user: User
