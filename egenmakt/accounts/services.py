"""Changes to people, organisations and memberships, each in one transaction with its
access-log row; the change trail (django-auditlog) records the fields changed.

Administration is scoped: an administrator acts on the organisations where they hold the
admin role and the units below them (``AdminScope``), never above or beside them, never on
a superuser, and never so that nobody is left to administer their own organisation.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Cast, Replace
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from egenmakt.audit.events import AuditEvent
from egenmakt.audit.models import Action
from egenmakt.audit.services import log_access
from egenmakt.core.registry import contributions
from egenmakt.outbox.services import (
    erase_emails_to,
    erase_sms_to,
    queue_email,
    set_notification_channels,
)

from . import two_factor
from .models import Invitation, InvitationPurpose, Membership, Organisation, User
from .roles import Role
from .selectors import AdminScope, all_memberships_inside, forget_held_roles


class OutsideTree(PermissionDenied):
    """The target lies outside the actor's organisation tree; views answer 404."""


class AdministrationError(Exception):
    """A refused change inside the tree, with a message for the administrator."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_organisation(scope: AdminScope, organisation: Organisation) -> None:
    if not scope.covers(organisation):
        raise OutsideTree


def _check_person(scope: AdminScope, user: User, *, whole_account: bool) -> None:
    """The person must have a membership in the tree; acting on the account itself (not one
    membership) needs every membership inside it, or one region could lock out another's."""
    if user.is_superuser:
        raise OutsideTree
    in_tree = Membership.objects.filter(user=user).filter(
        scope.organisation_filter("organisation__")
    )
    if not in_tree.exists():
        raise OutsideTree
    if whole_account and not all_memberships_inside(scope, user):
        raise AdministrationError(
            _(
                "This person also works for organisations you do not administer. You can end "
                "their roles in your organisation, but only the administrator of every "
                "organisation they belong to can change the account itself."
            )
        )


# --- Units -----------------------------------------------------------------------------------


@transaction.atomic
def create_unit(
    *,
    actor: User,
    scope: AdminScope,
    parent: Organisation,
    name: str,
    kind: str,
) -> Organisation:
    _check_organisation(scope, parent)
    name = name.strip()
    if Organisation.objects.filter(parent=parent, name__iexact=name).exists():
        raise AdministrationError(_("There is already a unit with this name here."))
    unit = Organisation(name=name, kind=kind, parent=parent)
    unit.full_clean()
    unit.save()
    log_access(
        actor=actor,
        action=Action.CREATE,
        obj=unit,
        organisation=parent,
        reason=AuditEvent.ADMIN_UNIT_CREATED,
    )
    return unit


# --- People and memberships ------------------------------------------------------------------


@transaction.atomic
def invite_person(
    *,
    actor: User,
    scope: AdminScope,
    email: str,
    full_name: str,
    language: str,
    role: str,
    organisation: Organisation,
) -> User:
    """Give a person a role in the tree, creating their account if the address is new.

    A new account has no usable password; its invitation link sets one and enrols the
    second factor. An existing account keeps its name, language and password: the
    administrator learns nothing about it beyond what the new membership shows, and its
    owner is told of the new role (with a link if they have not finished signing up).
    """
    _check_organisation(scope, organisation)
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email=email).first()
    if user is not None and user.is_superuser:
        raise AdministrationError(
            _("This address cannot be given a role here. Ask the platform operators.")
        )
    created = user is None
    if user is None:
        user = User.objects.create_user(
            email, None, full_name=full_name.strip(), preferred_language=language
        )
    membership, new_role = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role
    )
    log_access(
        actor=actor,
        action=Action.CREATE,
        person=user,
        obj=membership,
        organisation=organisation,
        reason=AuditEvent.ADMIN_PERSON_INVITED,
    )
    if created or not _is_set_up(user):
        _send_invitation(user, purpose=InvitationPurpose.INVITE, created_by=actor)
    elif new_role:
        _send_role_notice(user, membership)
    return user


def _is_set_up(user: User) -> bool:
    return (
        user.has_usable_password() and TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    )


@transaction.atomic
def grant_role(
    *,
    actor: User,
    scope: AdminScope,
    user: User,
    organisation: Organisation,
    role: str,
) -> Membership:
    """Give a person already in the tree a role in an organisation of the tree. The admin
    role too: an administrator may share their own task, never one above it."""
    _check_organisation(scope, organisation)
    _check_person(scope, user, whole_account=False)
    if role not in Role.values:
        raise AdministrationError(_("Choose a role."))
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role
    )
    if not created:
        raise AdministrationError(_("The person already has this role there."))
    log_access(
        actor=actor,
        action=Action.CREATE,
        person=user,
        obj=membership,
        organisation=organisation,
        reason=AuditEvent.ADMIN_ROLE_GIVEN,
    )
    _send_role_notice(user, membership)
    return membership


@transaction.atomic
def end_membership(
    *,
    actor: User,
    scope: AdminScope,
    membership: Membership,
) -> None:
    membership = (
        Membership.objects.select_for_update()
        .select_related("organisation", "user")
        .get(pk=membership.pk)
    )
    _check_organisation(scope, membership.organisation)
    if membership.user.is_superuser:
        raise OutsideTree
    if (
        membership.user_id == getattr(actor, "pk", None)
        and membership.role == Role.ADMIN
        and not Membership.objects.filter(user_id=actor.pk, role=Role.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise AdministrationError(
            _(
                "This is your last administrator role. Ask another administrator to end it, "
                "so that someone is always left to administer the organisation."
            )
        )
    log_access(
        actor=actor,
        action=Action.DELETE,
        person=membership.user,
        obj=membership,
        organisation=membership.organisation,
        reason=AuditEvent.ADMIN_MEMBERSHIP_ENDED,
    )
    membership.delete()
    forget_held_roles(actor)


# --- Accounts --------------------------------------------------------------------------------


def end_sessions_of(user: User) -> int:
    """End every session the user is signed in with (ASVS 7.4.2), whatever session store
    holds them: each is deleted through the configured engine, so a cache copy goes too."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            store(session_key=session.session_key).delete()
            ended += 1
    return ended


@transaction.atomic
def deactivate_account(*, actor: User, scope: AdminScope, user: User) -> None:
    if user.pk == getattr(actor, "pk", None):
        raise AdministrationError(_("You cannot close your own account."))
    _check_person(scope, user, whole_account=True)
    user.is_active = False
    user.save(update_fields=["is_active"])  # through save, so the change trail has it
    _log_account_change(actor, user, AuditEvent.ADMIN_ACCOUNT_DEACTIVATED)
    end_sessions_of(user)
    close_credentials_of(user, actor)


def close_credentials_of(user: User, actor: User | None) -> None:
    """Stop what other apps let the person in with (API tokens...): for good, so that
    opening the account again revives none of it; a new one is made when needed."""
    for close in contributions("account_closed"):
        close(user, actor)


@transaction.atomic
def reactivate_account(*, actor: User, scope: AdminScope, user: User) -> None:
    _check_person(scope, user, whole_account=True)
    user.is_active = True
    user.save(update_fields=["is_active"])
    _log_account_change(actor, user, AuditEvent.ADMIN_ACCOUNT_REACTIVATED)


@transaction.atomic
def reset_second_factor(*, actor: User, scope: AdminScope, user: User) -> Invitation:
    """Remove the person's authenticator app and backup codes, end their sessions, and
    e-mail them a single-use link to enrol a new app (for a lost or replaced phone)."""
    if user.pk == getattr(actor, "pk", None):
        raise AdministrationError(_("Ask another administrator to reset your own second factor."))
    _check_person(scope, user, whole_account=True)
    if not user.is_active:
        raise AdministrationError(_("Open the account before you reset its second factor."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _log_account_change(actor, user, AuditEvent.ADMIN_SECOND_FACTOR_RESET)
    end_sessions_of(user)
    return _send_invitation(user, purpose=InvitationPurpose.SECOND_FACTOR, created_by=actor)


def _log_account_change(actor: User, user: User, event: AuditEvent) -> None:
    log_access(actor=actor, action=Action.CHANGE, person=user, obj=user, reason=event)


def pseudonym_for(user: User) -> str:
    """A stable pseudonym for an anonymised user, the same in every language and on every
    call, that cannot be turned back into the person (keyed with the secret key)."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"user:{user.pk}".encode(), hashlib.sha256
    ).hexdigest()
    return f"Person {digest[:6].upper()}"


def _replace_in_change_trail(old: list[str], new: str) -> None:
    """The change trail (django-auditlog) keeps old and new values as text: replace the
    person's identifiers there too, so the trail stays readable without them."""
    from auditlog.models import LogEntry

    query = Q(pk__in=[])
    for value in old:
        query |= Q(object_repr__icontains=value) | Q(changes_text__icontains=value)
        query |= Q(changes_as_text__icontains=value)
    entries = LogEntry.objects.annotate(changes_as_text=Cast("changes", TextField())).filter(query)
    for entry in entries:
        text = json.dumps(entry.changes, ensure_ascii=False)
        for value in old:
            text = _replace_ci(text, value, new)
            entry.object_repr = _replace_ci(entry.object_repr, value, new)
            entry.changes_text = _replace_ci(entry.changes_text, value, new)
        entry.changes = json.loads(text)
        entry.save(update_fields=["changes", "object_repr", "changes_text"])


def _replace_name(model: type[models.Model], field: str, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in one text field of every row that holds it; a JSON
    field (a decided plan's copy) is rewritten row by row."""
    manager = model._default_manager
    if isinstance(model._meta.get_field(field), models.JSONField):
        rows = manager.annotate(as_text=Cast(field, TextField())).filter(as_text__contains=old)
        for row in rows:
            text = json.dumps(getattr(row, field), ensure_ascii=False)
            setattr(row, field, json.loads(_replace_ci(text, old, new)))
            row.save(update_fields=[field])
        return
    manager.filter(**{f"{field}__contains": old}).update(
        **{field: Replace(F(field), Value(old), Value(new))}
    )


def _replace_ci(text: str, old: str, new: str) -> str:
    return re.sub(re.escape(old), lambda _match: new, text, flags=re.IGNORECASE)


@transaction.atomic
def anonymise_user(
    *, user: User, actor: User | None = None, scope: AdminScope | None = None
) -> list[str]:
    """A person who has left: their name and e-mail are replaced by a stable pseudonym
    everywhere they are shown (the account, the text fields the registry of personal data
    names, the change trail), their roles, sign-in methods, sessions, invitations, failed
    sign-ins and e-mail to them are removed, and the account is closed. The access log and
    the records keep the user's id, so history stays readable under the pseudonym.

    With an ``actor`` (an administrator), the whole account must be in their ``scope``.
    Returns ``table.column`` for each place an identifier is still found afterwards (free
    text someone wrote in a care record, which is kept as written) — empty when none.
    """
    from axes.models import AccessAttempt, AccessFailureLog
    from axes.models import AccessLog as SignInLog

    from egenmakt.audit.registry import identifiers_of, leftover_identifiers, name_fields

    if actor is not None:
        if user.pk == actor.pk:
            raise AdministrationError(_("You cannot anonymise your own account."))
        if scope is None:
            raise OutsideTree
        _check_person(scope, user, whole_account=True)
    elif user.is_superuser:
        raise OutsideTree
    if user.email.endswith("@anonymised.invalid"):
        raise AdministrationError(_("This account is already anonymised."))
    old = identifiers_of(user)
    old_name, old_email = user.full_name, user.email
    pseudonym = pseudonym_for(user)
    if old_name:
        for model, field in name_fields():
            _replace_name(model, field, old_name, pseudonym)
    for model in (AccessAttempt, AccessFailureLog, SignInLog):
        model.objects.filter(username__iexact=old_email).delete()
    erase_emails_to(old_email)
    if user.phone:
        erase_sms_to(user.phone)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    close_credentials_of(user, actor)
    for forget_sign_in_methods in contributions("sign_in_methods"):
        forget_sign_in_methods(user)
    Invitation.objects.filter(user=user).delete()
    Membership.objects.filter(user=user).delete()
    end_sessions_of(user)
    user.full_name = pseudonym
    user.email = f"{pseudonym.split()[-1].lower()}-{user.pk}@anonymised.invalid"
    user.phone = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    _replace_in_change_trail([old_name, old_email], pseudonym)
    log_access(
        actor=actor,
        action=Action.CHANGE,
        person=user,
        obj=user,
        reason=AuditEvent.ACCOUNT_ANONYMISED,
    )
    forget_held_roles(user)
    return leftover_identifiers(old)


# --- Invitations -----------------------------------------------------------------------------


def invitation_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("accounts:invitation", args=[token])


def issue_invitation(*, user: User, purpose: str, created_by: User | None = None) -> str:
    """A new single-use link for the user; older open ones stop working. Returns the token,
    which is never stored."""
    now = timezone.now()
    Invitation.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )
    token = secrets.token_urlsafe(32)
    Invitation.objects.create(
        user=user,
        created_by=created_by,
        purpose=purpose,
        token_hash=hash_token(token),
        created_at=now,
        expires_at=now + timedelta(days=settings.INVITATION_DAYS),
    )
    return token


def _send_invitation(user: User, *, purpose: str, created_by: User | None) -> Invitation:
    token = issue_invitation(user=user, purpose=purpose, created_by=created_by)
    with translation.override(user.preferred_language or "sv"):
        subject = (
            _("Your new sign-in to Egenmakt")
            if purpose == InvitationPurpose.SECOND_FACTOR
            else _("You are invited to Egenmakt")
        )
        body = render_to_string(
            "accounts/email/invitation.txt",
            {
                "url": invitation_url(token),
                "days": settings.INVITATION_DAYS,
                "second_factor": purpose == InvitationPurpose.SECOND_FACTOR,
                "sender": getattr(created_by, "full_name", ""),
            },
        )
    queue_email(to=user.email, subject=subject, body=body, purpose="invitation", person=user)
    return Invitation.objects.get(token_hash=hash_token(token))


def _send_role_notice(user: User, membership: Membership) -> None:
    with translation.override(user.preferred_language or "sv"):
        subject = _("You have a new role in Egenmakt")
        body = render_to_string(
            "accounts/email/role_given.txt",
            {
                "role": Role(membership.role).label,
                "organisation": membership.organisation.name,
                "url": settings.SITE_URL.rstrip("/") + reverse("accounts:login"),
            },
        )
    queue_email(to=user.email, subject=subject, body=body, purpose="role notice", person=user)


def usable_invitation(token: str) -> Invitation | None:
    """The live, unused invitation with this token (GET pages change nothing)."""
    return (
        Invitation.objects.select_related("user")
        .filter(
            token_hash=hash_token(token),
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )


@transaction.atomic
def set_first_password(*, invitation: Invitation, password: str) -> None:
    """The invitation's first step for someone without a password yet."""
    user = invitation.user
    if user.has_usable_password():
        raise PermissionDenied
    user.set_password(password)
    user.save(update_fields=["password"])


@transaction.atomic
def accept_invitation(*, invitation: Invitation, device: TOTPDevice) -> list[str] | None:
    """Spend the invitation and confirm the new authenticator app: the backup codes to show
    once, or None if the invitation was spent or ended meanwhile.

    Marking it used is one UPDATE that checks it is still unused and alive, so of two
    submissions at once only one succeeds.
    """
    if device.user_id != invitation.user_id:
        raise PermissionDenied
    spent = Invitation.objects.filter(
        pk=invitation.pk, used_at__isnull=True, expires_at__gt=timezone.now()
    ).update(used_at=timezone.now())
    if not spent:
        return None
    user = invitation.user
    codes = two_factor.confirm_totp_device(user=user, device=device)
    log_access(
        actor=user,
        action=Action.CHANGE,
        person=user,
        obj=invitation,
        reason=AuditEvent.INVITATION_USED,
    )
    return codes


@transaction.atomic
def invite_operator(*, email: str, full_name: str) -> str:
    """Create (or promote) a platform operator and return their invitation link. A new
    operator has no usable password: the link sets it and enrols the second factor."""
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_superuser(email, None, full_name=full_name.strip())
    else:
        user.is_superuser = True
        user.is_staff = True
        user.is_active = True
        user.save(update_fields=["is_superuser", "is_staff", "is_active"])
    token = issue_invitation(user=user, purpose=InvitationPurpose.INVITE)
    log_access(
        action=Action.CHANGE,
        person=user,
        obj=user,
        reason=AuditEvent.OPERATOR_INVITED,
    )
    return invitation_url(token)


# --- Notifications ---------------------------------------------------------------------------


def save_notification_settings(*, user: User, phone: str, channels: dict[str, str]) -> None:
    """The person's own mobile number (E.164, or empty) and their channel per kind of
    notice. The change trail records the number's change."""
    with transaction.atomic():
        if phone != user.phone:
            user.phone = phone
            user.save(update_fields=["phone"])
        set_notification_channels(user_id=user.pk, channels=channels)
