"""Read queries about people, organisations and roles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.lookups import StartsWith

from egenmakt.accounts.types import Viewer
from egenmakt.core.registry import contributions

from .models import CARE_PROVIDER_KINDS, Membership, Organisation, User
from .roles import ROLES_WITHOUT_PERSONAL_DATA


@dataclass(frozen=True)
class HeldRole:
    role: str
    organisation_id: int
    organisation_path: str
    # The kind of the principal (the top organisation) the role is held under: a region, a
    # municipality, a user-movement network...
    principal_kind: str = ""


# Where a request's user keeps their roles (on the instance, so it lives one request).
_HELD_ROLES = "_egenmakt_held_roles"


def _principal_kind() -> Subquery:
    """The kind of the top organisation above a membership's organisation."""
    return Subquery(
        Organisation.objects.filter(
            StartsWith(OuterRef("organisation__path"), F("path")), parent__isnull=True
        ).values("kind")[:1]
    )


def held_roles(user: Viewer) -> list[HeldRole]:
    """The roles a user holds, loaded once per request object and cached on it.

    The cache lives on the user instance that the authentication middleware makes for
    each request, so a revoked membership is gone on the very next request.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached: list[HeldRole] | None = getattr(user, _HELD_ROLES, None)
    if cached is None:
        cached = [
            HeldRole(role, org_id, path, kind or "")
            for role, org_id, path, kind in Membership.objects.filter(user=user)
            .annotate(principal_kind=_principal_kind())
            .values_list("role", "organisation_id", "organisation__path", "principal_kind")
        ]
        setattr(user, _HELD_ROLES, cached)
    return cached


def forget_held_roles(user: Viewer) -> None:
    # Also the menu's answers (``navigation.may_open``), which read the roles.
    for key in (_HELD_ROLES, "_egenmakt_may_open"):
        if hasattr(user, key):
            delattr(user, key)


def held_in_care(held: HeldRole) -> bool:
    """The role is held under a care provider (a region, a municipality)."""
    return held.principal_kind in CARE_PROVIDER_KINDS


def principal_path(path: str) -> str:
    """The path of the top organisation (the principal: a region, a municipality, a
    user-movement network) of an organisation's path: "/4/9/" -> "/4/"."""
    top = path.strip("/").split("/")[0]
    return f"/{top}/" if top else ""


def role_names(user: Viewer) -> list[str]:
    """The distinct roles a user holds, in the order of the Role choices."""
    from .roles import Role

    held = {h.role for h in held_roles(user)}
    return [role for role in Role.values if role in held]


def where_held(user: Viewer, role: str) -> tuple[bool, bool]:
    """Whether the user holds ``role`` under a care provider, and elsewhere (the user
    movement): a supervisor is a method supervisor in care, a PEER supervisor elsewhere."""
    in_care = [held_in_care(h) for h in held_roles(user) if h.role == role]
    return any(in_care), not all(in_care)


def holds_role_in(user: Viewer, role: str, organisation: Organisation) -> bool:
    """True when the user holds ``role`` in ``organisation`` or in an organisation above it."""
    ancestors = set(organisation.ancestor_ids())
    return any(h.role == role and h.organisation_id in ancestors for h in held_roles(user))


def holds_role(user: Viewer, role: str) -> bool:
    return any(h.role == role for h in held_roles(user))


def home_organisation(user: Viewer, role: str | None = None) -> Organisation | None:
    """The nearest organisation common to all the user's memberships (of ``role``, when
    given): their one organisation, or the one above all of them; None without any. What
    is about the person, not about one of their organisations (a self-assessment), belongs
    there (INFERRED). One query, two when the common one holds no membership of theirs."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    memberships = Q(memberships__user=user)
    if role is not None:
        memberships &= Q(memberships__role=role)
    found = {o.pk: o for o in Organisation.objects.filter(memberships).distinct()}
    if not found:
        return None
    parts = [o.path.strip("/").split("/") for o in found.values()]
    common: list[str] = []
    for level in zip(*parts, strict=False):
        if len(set(level)) > 1:
            break
        common.append(level[0])
    if not common:
        return None
    pk = int(common[-1])
    return found.get(pk) or Organisation.objects.filter(pk=pk).first()


def needs_two_factor(user: Viewer) -> bool:
    """Everyone who may see personal data signs in with two factors (HSLF-FS 2016:40 3:15)."""
    if user.is_superuser or user.is_staff:
        return True
    if any(h.role not in ROLES_WITHOUT_PERSONAL_DATA for h in held_roles(user)):
        return True
    # People without a role who still see personal data (a client on their own pages):
    # the apps' "two_factor_rules" (egenmakt/core/registry.py).
    return any(rule(user) for rule in contributions("two_factor_rules"))


def organisations_where(user: Viewer, role: str) -> QuerySet[Organisation]:
    """Organisations where the user holds ``role``, directly or through an ancestor."""
    paths = [h.organisation_path for h in held_roles(user) if h.role == role]
    if not paths:
        return Organisation.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return Organisation.objects.filter(condition)


def organisations_with_role(user: Viewer, role: str) -> QuerySet[Organisation]:
    """Organisations where the user holds ``role`` through a membership of their own."""
    ids = [h.organisation_id for h in held_roles(user) if h.role == role]
    return Organisation.objects.filter(pk__in=ids).select_related("parent")


# --- Administration inside the app, scoped to one's own tree --------------------------------


@dataclass(frozen=True)
class AdminScope:
    """Where an administrator may act: the organisations where they hold the admin role
    and every unit below them, never above or beside (issue 17). Resolved once per request
    and passed to the selectors and services, which trust nothing else."""

    actor: User
    paths: tuple[str, ...]

    def covers(self, organisation: Organisation) -> bool:
        return bool(organisation.path) and organisation.path.startswith(self.paths)

    def organisation_filter(self, prefix: str = "") -> Q:
        condition = Q(pk__in=[])
        for path in self.paths:
            condition |= Q(**{f"{prefix}path__startswith": path})
        return condition

    def organisations(self) -> QuerySet[Organisation]:
        return Organisation.objects.filter(self.organisation_filter()).select_related("parent")


def admin_scope(user: Viewer) -> AdminScope | None:
    """The user's administration scope, or None when they hold the admin role nowhere."""
    from .roles import Role

    paths = sorted({h.organisation_path for h in held_roles(user) if h.role == Role.ADMIN})
    # A path under another one adds nothing.
    roots = tuple(p for p in paths if not any(p != q and p.startswith(q) for q in paths))
    # Only someone signed in holds a role.
    return AdminScope(actor=cast(User, user), paths=roots) if roots else None


def administered_tree(scope: AdminScope) -> list[tuple[Organisation, int]]:
    """The organisations in scope in tree order, each with its depth below its root."""
    rows = list(scope.organisations().order_by("path"))
    by_path = {org.path: org for org in rows}
    ordered: list[tuple[Organisation, int]] = []

    def walk(org: Organisation, depth: int) -> None:
        ordered.append((org, depth))
        children = sorted(
            (o for o in rows if o.parent_id == org.pk), key=lambda o: o.name.casefold()
        )
        for child in children:
            walk(child, depth + 1)

    for path in scope.paths:
        if path in by_path:
            walk(by_path[path], 0)
    return ordered


def organisation_in_scope(scope: AdminScope, organisation_id: int) -> Organisation:
    """The organisation if it lies in the scope; 404 for "missing" and "not yours" alike."""
    from django.http import Http404

    organisation = scope.organisations().filter(pk=organisation_id).first()
    if organisation is None:
        raise Http404
    return organisation


def memberships_in_scope(scope: AdminScope) -> QuerySet[Membership]:
    return Membership.objects.filter(scope.organisation_filter("organisation__")).select_related(
        "organisation"
    )


def people_in_scope(scope: AdminScope, search: str = "") -> QuerySet[User]:
    """People with a membership in the scope, each with only those memberships loaded
    (``tree_memberships``): what they do elsewhere is not the administrator's business.
    Superusers are the platform's operators and are not administered here."""
    from django.db.models import Exists, OuterRef, Prefetch

    inside = memberships_in_scope(scope)
    people = User.objects.filter(
        Exists(inside.filter(user=OuterRef("pk"))), is_superuser=False
    ).order_by("full_name", "email")
    if search:
        people = people.filter(Q(full_name__icontains=search) | Q(email__icontains=search))
    return people.prefetch_related(
        Prefetch(
            "memberships",
            queryset=inside.order_by("organisation__path", "role"),
            to_attr="tree_memberships",
        )
    )


def person_in_scope(scope: AdminScope, user_id: int) -> User:
    """A person the administrator may see, with ``tree_memberships``; else 404."""
    from django.http import Http404

    person = people_in_scope(scope).filter(pk=user_id).first()
    if person is None:
        raise Http404
    return person


def membership_in_scope(scope: AdminScope, membership_id: int) -> Membership:
    from django.http import Http404

    membership = (
        memberships_in_scope(scope)
        .filter(pk=membership_id, user__is_superuser=False)
        .select_related("user")
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def all_memberships_inside(scope: AdminScope, user: User) -> bool:
    """True when every membership the user holds lies in the scope: only then does the
    account belong to this administrator to close, open or reset."""
    return (
        not Membership.objects.filter(user=user)
        .exclude(scope.organisation_filter("organisation__"))
        .exists()
    )


# --- Reads the log review flags (audit.review, "log_review_flags") ---------------------------


def _reads_of_users(rows: QuerySet[Any]) -> list[tuple[int, int, str]]:
    """(row id, reader, person) of the rows whose person is a user, read by a user."""
    from django.contrib.contenttypes.models import ContentType

    user_type = ContentType.objects.get_for_model(User)
    return list(
        rows.filter(person_type=user_type, actor__isnull=False)
        .order_by()
        .values_list("id", "actor_id", "person_id")
    )


def own_record_reads(rows: QuerySet[Any]) -> list[int]:
    """Reads of one's own record as a user."""
    return [pk for pk, reader, person in _reads_of_users(rows) if str(reader) == person]


def colleague_record_reads(rows: QuerySet[Any]) -> list[int]:
    """Reads of the record of someone with a membership in an organisation the reader
    also has one in: a colleague's record."""
    reads = [
        (pk, reader, int(person))
        for pk, reader, person in _reads_of_users(rows)
        if person.isdigit() and str(reader) != person
    ]
    people = {reader for _pk, reader, _person in reads} | {p for _pk, _r, p in reads}
    organisations: dict[int, set[int]] = {}
    for user_id, organisation_id in Membership.objects.filter(user_id__in=people).values_list(
        "user_id", "organisation_id"
    ):
        organisations.setdefault(user_id, set()).add(organisation_id)
    return [
        pk
        for pk, reader, person in reads
        if organisations.get(reader, set()) & organisations.get(person, set())
    ]


def people_waiting_on_sign_in(scope: AdminScope, limit: int = 10) -> list[User]:
    """Active people in the administrator's tree not yet able to sign in as they should:
    an invitation not yet used (``invited_until``: when the newest expires), or a password
    without a confirmed second factor and no invitation to set one up. One query."""
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
    from django.db.models import Exists, Max, OuterRef
    from django_otp.plugins.otp_totp.models import TOTPDevice

    inside = memberships_in_scope(scope)
    return list(
        User.objects.filter(
            Exists(inside.filter(user=OuterRef("pk"))), is_superuser=False, is_active=True
        )
        # The administrator is not waiting on themself.
        .exclude(pk=scope.actor.pk)
        .annotate(
            invited_until=Max("invitations__expires_at", filter=Q(invitations__used_at=None)),
            has_device=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        )
        .filter(
            Q(invited_until__isnull=False)
            | (Q(has_device=False) & ~Q(password__startswith=UNUSABLE_PASSWORD_PREFIX))
        )
        .order_by(F("invited_until").asc(nulls_last=True), "full_name", "email")[: limit + 1]
    )
