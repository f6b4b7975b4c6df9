"""The subjects this app registers itself: organisations and users (from ``accounts``).

Later apps register their own subjects (clients, applicants, peer supporters...) in their
``AppConfig.ready`` with ``subjects.register_subject``.
"""

from __future__ import annotations

from typing import Any

from egenmakt.accounts.models import Membership, Organisation, User
from egenmakt.accounts.roles import Role
from egenmakt.accounts.selectors import held_roles

from .subjects import SubjectAction, register_subject


def organisation_access(user: Any, organisation: Organisation, action: SubjectAction) -> bool:
    """A workplace's readiness checklist, a user organisation's participation ladder:
    anyone holding a role in the organisation or above it."""
    ancestors = set(organisation.ancestor_ids())
    return any(h.organisation_id in ancestors for h in held_roles(user))


def user_access(user: Any, subject: User, action: SubjectAction) -> bool:
    """Self-assessments: the user themself, or a coordinator of an organisation (or one
    above it) that the user is a member of."""
    if user.pk == subject.pk:
        return True
    coordinator_paths = [
        h.organisation_path for h in held_roles(user) if h.role == Role.COORDINATOR
    ]
    if not coordinator_paths:
        return False
    member_paths = Membership.objects.filter(user=subject).values_list(
        "organisation__path", flat=True
    )
    return any(path.startswith(c) for path in member_paths for c in coordinator_paths)


def register_account_subjects() -> None:
    register_subject(
        Organisation, slug="organisation", access=organisation_access, person=lambda _org: None
    )
    register_subject(User, slug="user", access=user_access, person=lambda user: user)
